/*
 * bench_slice.c: slicing [1:n-1] three ways. slice/view takes a memoryview slice and
 * releases it (O(1): no allocation, no copy); slice/copy is what Python's data[1:n-1]
 * does on bytes (a new bytes object: one malloc and one memcpy of n-2 bytes);
 * slice/copy_into copies the same range out of a view into a buffer that is reused.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

/* The slice is used the way a consumer uses it, through its pointer and length, which
 * leave through registers after the release. Slice and release are inlined here (LTO),
 * so the compiler may cancel the shared count's bump against the drop that follows it;
 * that is the cost a caller slicing and releasing in one function pays. */
static void run_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const bv_view *base = &x->d->base;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_view s;
        bv_status e = bv_view_slice(&s, base, r, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        char *p = s.buf;
        ptrdiff_t len = s.len;
        bvb_do_not_optimize(p);
        bvb_do_not_optimize(len);
        bad |= bv_view_release(&s, NULL);
    }
    bench_check(st, bad, "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

/* The same slice, but the whole view is written to memory where code the compiler cannot
 * see could read it, as when it is handed to a function in another library: every field
 * is stored and the count really goes up and down, a dependent chain through memory. */
static void run_view_stored(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const bv_view *base = &x->d->base;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_view s;
        bv_status e = bv_view_slice(&s, base, r, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        bvb_escape(&s);
        bad |= bv_view_release(&s, NULL);
    }
    bench_check(st, bad, "bv_view_slice/bv_view_release");
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

static void run_copy_into(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const bv_view *base = &x->d->base;
    unsigned char *dst = x->d->scratch;
    const size_t cap = x->n;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    bvb_escape(dst);
    for (int64_t i = 0; i < iters; i++) {
        bv_view s;
        bv_status e = bv_view_slice(&s, base, r, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        bad |= bv_view_tobytes_into(&s, 'C', dst, cap, NULL);
        bad |= bv_view_release(&s, NULL);
        bvb_clobber_memory();
    }
    bench_check(st, bad, "bv_view_slice/bv_view_tobytes_into");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

static const bench_case cases[] = {
    {"slice/view", run_view, 0},
    {"slice/view_stored", run_view_stored, 0},
    {"slice/copy", run_copy, BENCH_COPIES},
    {"slice/copy_into", run_copy_into, BENCH_NEEDS_SCRATCH},
};

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "bench_slice", false, cases, sizeof cases / sizeof *cases);
}
