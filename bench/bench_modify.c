/*
 * bench_modify.c: the article's Example 2 at scale: change the region [1:n-1] of a
 * bytearray (the dataset exported writable: BENCH_WRITABLE). modify/view changes it in
 * place through a writable view; modify/copy does what code without views does: copy the
 * region out (a new bytearray), change the copy, and write it back with slice assignment
 * (data[1:n-1] = chunk). The change itself
 * touches every byte (toggling bit 5), the same function in both.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

static inline bv_status use_modify(bv_view *s, void *ctx)
{
    (void)ctx;
    bench_modify_bytes((unsigned char *)s->buf, (size_t)s->len);
    return BV_OK;
}

static void run_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bench_check(st, bench_slice_loop(x, iters, use_modify, NULL),
                "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

static void run_copy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bv_view *base = &x->d->base_rw;
    const unsigned char *src = x->d->src;
    const size_t len = x->n - 2;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_bytearray *chunk;
        bv_status e = bv_bytearray_new(&chunk, src + 1, len, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        bench_modify_bytes(bv_bytearray_data(chunk), bv_bytearray_size(chunk));
        bad |= bv_view_assign_slice(base, r, bv_bytearray_exporter(chunk), NULL);
        bv_bytearray_decref(chunk);
    }
    bench_check(st, bad, "bv_bytearray_new/bv_view_assign_slice");
    /* The bytearray's data was the last block allocated in each iteration. */
    bench_note_placement(st, src + 1, bench_alloc_last());
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

/* modify/copy's new bytearray keeps its data in a block of its own (no header before
 * it), on fresh pages as every new copy's; it stops at BENCH_EXTRA_COPY_MAX (see there). */
static const bench_case cases[] = {
    {"modify/view", run_view, BENCH_WRITABLE, 0, 0},
    {"modify/copy", run_copy, BENCH_WRITABLE | BENCH_COPIES | BENCH_FRESH | BENCH_RAW, 0,
     BENCH_EXTRA_COPY_MAX},
};

const bench_suite bench_modify_suite = {
    .name = "modify", .cases = cases, .ncases = sizeof cases / sizeof *cases};
