/*
 * bench_slice.c: slicing [1:n-1] three ways, and the copy yardsticks beside them.
 * slice/view takes a memoryview slice and releases it (O(1): no allocation, no copy);
 * slice/copy is what Python's data[1:n-1] does on bytes (a new bytes object: one malloc
 * and one memcpy of n-2 bytes); slice/copy_into copies the same range out of a view into
 * a buffer that is reused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

/* slice/view uses the slice the way a consumer does, through its pointer and length
 * (DoNotOptimize: the values must exist and memory must be up to date there). Slice and
 * release are inlined into the loop (LTO) as in any program that slices and releases in
 * one function: the view can live in registers, while the shared count really goes up
 * and down in memory. */
static inline bv_status use_pointer_and_length(bv_view *s, void *ctx)
{
    (void)ctx;
    char *p = s->buf;
    ptrdiff_t len = s->len;
    bvb_do_not_optimize(p);
    bvb_do_not_optimize(len);
    return BV_OK;
}

/* slice/view_stored makes the whole view visible to code the compiler cannot see, as when
 * it is handed to a function in another library: every field is written to memory and
 * read back by the release. */
static inline bv_status use_whole_view(bv_view *s, void *ctx)
{
    (void)ctx;
    bvb_escape(s);
    return BV_OK;
}

static void run_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bench_check(st, bench_slice_loop(x, iters, use_pointer_and_length, NULL),
                "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

static void run_view_stored(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bench_check(st, bench_slice_loop(x, iters, use_whole_view, NULL),
                "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

static void run_copy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *src = x->d->src;
    const size_t len = x->n - 2;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_bytes *b;
        bv_status e = bv_bytes_new(&b, src + 1, len, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        bvb_escape(b);
        bv_bytes_decref(b);
    }
    bench_check(st, bad, "bv_bytes_new");
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

/* Where a bytes object keeps its data: the offset of the first byte from the start of
 * its allocation. Measured by main() from a real object, so slice/copy_by_hand follows
 * the core's layout without knowing its private struct. */
static size_t g_data_offset;

/* The copy must be observable: the barrier keeps the compiler from dropping it. */
static inline bv_status use_copy_out(bv_view *s, void *dst)
{
    bv_status st = bv_view_tobytes_into(s, 'C', dst, (size_t)s->len, NULL);
    bvb_clobber_memory();
    return st;
}

static void run_copy_into(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    unsigned char *dst = x->d->scratch;
    bvb_escape(dst);
    bench_check(st, bench_slice_loop(x, iters, use_copy_out, dst),
                "bv_view_slice/bv_view_tobytes_into");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

/* ---- the yardsticks ----------------------------------------------------------------
 * baseline/memcpy and baseline/malloc_memcpy are the machine's physical limits for copying
 * into memory that is already resident, and into a fresh allocation each time (what any
 * copy that creates a new object must pay). They run here, size by size next to the copies
 * they judge, because the same copy measured in two programs differs by more than the
 * targets allow: in one run, copying the 256 KiB slice into a resident buffer took
 * 6.11 us as baseline/memcpy in bench_baseline and 5.02 us as slice/copy_into (a view
 * slice, then the same memcpy) here; glibc's heap and the buffers' addresses differ
 * between programs. They copy exactly what those copies copy, the slice [1:n-1]: memcpy's
 * speed depends on alignment (by 5-14% either way on this machine), so an aligned n-byte
 * copy would be a different copy. */
static void run_memcpy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *src = x->d->src + 1;
    unsigned char *dst = x->d->scratch;
    const size_t len = x->n - 2;
    bvb_escape(dst);
    for (int64_t i = 0; i < iters; i++) {
        memcpy(dst, src, len);
        bvb_clobber_memory();
    }
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

/* malloc, copy the slice to `offset` in the new block, NUL after it when `nul`, free:
 * iters times. Always inlined, so each caller's loop is compiled for its constants. */
static inline __attribute__((always_inline)) void
malloc_copy_loop(bvb_state *st, int64_t iters, const bench_ctx *x, size_t offset, bool nul)
{
    const unsigned char *src = x->d->src + 1;
    const size_t len = x->n - 2;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        unsigned char *p = bench_malloc(offset + len + (nul ? 1 : 0));
        if (p == NULL) {
            bad = BV_MEMORY_ERROR;
            break;
        }
        memcpy(p + offset, src, len);
        if (nul)
            p[offset + len] = '\0';
        bvb_escape(p);
        free(p);
    }
    bench_check(st, bad, "malloc");
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_malloc_memcpy(bvb_state *st, int64_t iters, void *user)
{
    malloc_copy_loop(st, iters, user, 0, false);
}

/* Where a bytes object keeps its data: the offset of the first byte from the start of
 * its allocation. Measured by main() from a real object, so slice/copy_by_hand follows
 * the core's layout without knowing its private struct. */
static size_t g_data_offset;

/* slice/copy written by hand: the allocation a bytes object of the slice makes (header,
 * data and its NUL) and the copy at the data's offset, with no bufview call. slice/copy
 * minus this is what bufview itself adds; this minus baseline/malloc_memcpy is what
 * carrying a header costs in the allocator (a 1 KiB slice needs 1047 bytes, just past the
 * largest size glibc's per-thread cache serves, 1032). */
static void run_copy_by_hand(bvb_state *st, int64_t iters, void *user)
{
    malloc_copy_loop(st, iters, user, g_data_offset, true);
}

static const bench_case cases[] = {
    {"slice/view", run_view, 0},
    {"slice/view_stored", run_view_stored, 0},
    /* The copies into fresh memory first, so the reused buffer the next two need is not
     * resident yet and their peak memory shows only the dataset and the fresh copy. */
    {"slice/copy", run_copy, BENCH_COPIES},
    {"slice/copy_by_hand", run_copy_by_hand, BENCH_COPIES},
    {"baseline/malloc_memcpy", run_malloc_memcpy, BENCH_COPIES},
    {"slice/copy_into", run_copy_into, BENCH_NEEDS_SCRATCH},
    {"baseline/memcpy", run_memcpy, BENCH_NEEDS_SCRATCH},
};

int main(int argc, char **argv)
{
    bv_bytes *b;
    bv_error err;
    if (bv_bytes_new(&b, "x", 1, &err) != BV_OK) {
        fprintf(stderr, "bench_slice: cannot create a bytes object: %s\n", err.message);
        return 1;
    }
    g_data_offset = (size_t)((const char *)bv_bytes_data(b) - (const char *)b);
    bv_bytes_decref(b);
    return bench_main(argc, argv, "bench_slice", false, cases, sizeof cases / sizeof *cases);
}
