/*
 * bench_slice.c: slicing [1:n-1], as a view and as a copy, and the copy limits beside the
 * copies they judge.
 *
 * slice/view takes a memoryview slice of an existing view and releases it (O(1): no
 * allocation, no copy); slice/view_new first makes the view of the exporter, as
 * memoryview(data)[1:n-1] does in Python. slice/copy is what Python's data[1:n-1] does on
 * bytes: a new bytes object, one allocation and one memcpy of n-2 bytes. Its memory is
 * fresh pages every time (what a one-off copy pays); slice/copy_recycled gets the block
 * the previous copy freed (the heap-reuse best case) and slice/copy_thp fresh huge pages.
 * slice/copy_into copies the same range into a resident buffer.
 *
 * The limits: baseline/memcpy copies the slice into resident memory (nothing can copy
 * faster), baseline/malloc_memcpy into a new block (what any new copy must pay), in each
 * memory mode. slice/copy_by_hand is a bytes object's allocation and copy in plain C: the
 * same work as slice/copy without bufview. All copies of one run put their data at the
 * same offset in its 4 KiB page (the destination page offset, by default where CPython's
 * bytes objects put theirs), because memcpy's speed depends on placement (see layout/copy
 * in bench_baseline).
 */
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

/* memoryview(data)[1:n-1]: a view of the exporter (a getbuffer), its slice, both released
 * (the exporter's release last). */
static void run_view_new(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bv_exporter *exp = x->d->exporter;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_view whole, s;
        bv_status e = bv_view_from(&whole, exp, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        e = bv_view_slice(&s, &whole, r, NULL);
        if (e != BV_OK) {
            bv_view_release(&whole, NULL);
            bad = e;
            break;
        }
        bad |= use_pointer_and_length(&s, NULL);
        bad |= bv_view_release(&s, NULL);
        bad |= bv_view_release(&whole, NULL);
    }
    bench_check(st, bad, "bv_view_from/bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

/* data[1:n-1] on bytes: a new bytes object holding the slice (the allocator's mode, fresh
 * or recycled or huge pages, is the instance's: see bench_common.h). */
static void run_copy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *src = x->d->src + 1;
    const size_t len = x->n - 2;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_bytes *b;
        bv_status e = bv_bytes_new(&b, src, len, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        bvb_escape(b);
        bv_bytes_decref(b);
    }
    bench_check(st, bad, "bv_bytes_new");
    bench_note_placement(st, src, (const char *)bench_alloc_last() + bench_bytes_header());
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

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
    bench_note_placement(st, x->d->src + 1, dst);
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

static void run_memcpy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bench_memcpy_loop(st, iters, x->d->scratch, x->d->src + 1, x->n - 2);
}

/* Allocate, copy the slice to `offset` in the new block, NUL after it when `nul`, free:
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
        bench_free(p);
    }
    bench_check(st, bad, "bench_malloc");
    bench_note_placement(st, src, (const char *)bench_alloc_last() + offset);
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_malloc_memcpy(bvb_state *st, int64_t iters, void *user)
{
    malloc_copy_loop(st, iters, user, 0, false);
}

/* slice/copy written by hand: the allocation a bytes object of the slice makes (header,
 * data and its NUL) and the copy at the data's offset, with no bufview call. slice/copy
 * minus this is what bufview itself adds; this minus baseline/malloc_memcpy is what
 * carrying a header costs in the allocator (a 1 KiB slice needs 1047 bytes, just past the
 * largest size glibc's per-thread cache serves, 1032). */
static void run_copy_by_hand(bvb_state *st, int64_t iters, void *user)
{
    malloc_copy_loop(st, iters, user, bench_bytes_header(), true);
}

/* baseline/fault/4k and /2m: what a fresh page costs, beside the copies that pay it (the
 * copy-cost model divides their time per page into the copies' faults). Take n bytes of new memory from the allocator in the benchmark's mode (fresh 4 KiB pages,
 * or huge pages), write one byte in each 4 KiB page, give it back. */
static void run_fault(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        unsigned char *p = bench_malloc(x->n);
        if (p == NULL) {
            bad = BV_MEMORY_ERROR;
            break;
        }
        for (size_t off = 0; off < x->n; off += 4096)
            p[off] = 1;
        bvb_escape(p);
        bench_free(p);
    }
    bench_check(st, bad, "bench_malloc");
    bvb_set_bytes_processed(st, iters * (int64_t)x->n);
}

#define FROM_256K (256 * 1024)
#define FROM_4M (4 * 1024 * 1024)
#define NEW_COPY (BENCH_COPIES | BENCH_FRESH)

static const bench_case cases[] = {
    {"slice/view", run_view, BENCH_O1, 0, 0},
    {"slice/view_stored", run_view_stored, BENCH_O1, 0, 0},
    {"slice/view_new", run_view_new, BENCH_O1, 0, 0},
    {"slice/copy", run_copy, NEW_COPY, 0, 0},
    {"slice/copy_by_hand", run_copy_by_hand, NEW_COPY, 0, 0},
    {"baseline/malloc_memcpy", run_malloc_memcpy, NEW_COPY | BENCH_RAW, 0, 0},
    /* Below the allocator's threshold every copy comes from glibc's heap in any mode. */
    {"slice/copy_recycled", run_copy, BENCH_COPIES | BENCH_RECYCLED, FROM_256K,
     BENCH_EXTRA_COPY_MAX},
    {"baseline/malloc_memcpy_recycled", run_malloc_memcpy,
     BENCH_COPIES | BENCH_RECYCLED | BENCH_RAW, FROM_256K, BENCH_EXTRA_COPY_MAX},
    /* From 4 MiB: at least two huge pages. */
    {"slice/copy_thp", run_copy, NEW_COPY | BENCH_THP, FROM_4M, BENCH_EXTRA_COPY_MAX},
    {"baseline/malloc_memcpy_thp", run_malloc_memcpy, NEW_COPY | BENCH_THP | BENCH_RAW, FROM_4M,
     BENCH_EXTRA_COPY_MAX},
    /* The cost of a fresh page, from 256 KiB (below the allocator's threshold, 128 KiB,
     * memory comes from the heap) and, on huge pages, from 4 MiB. */
    {"baseline/fault/4k", run_fault, NEW_COPY | BENCH_RAW | BENCH_NO_DATA, FROM_256K, 0},
    {"baseline/fault/2m", run_fault, NEW_COPY | BENCH_THP | BENCH_RAW | BENCH_NO_DATA, FROM_4M,
     BENCH_EXTRA_COPY_MAX},
    {"slice/copy_into", run_copy_into, BENCH_NEEDS_SCRATCH, 0, 0},
    {"baseline/memcpy", run_memcpy, BENCH_NEEDS_SCRATCH, 0, 0},
};

const bench_suite bench_slice_suite = {
    .name = "slice", .cases = cases, .ncases = sizeof cases / sizeof *cases};
