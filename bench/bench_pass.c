/*
 * bench_pass.c: handing a slice [1:n-1] to a function, as a view or as a copy (a new bytes
 * object, what f(data[1:n-1]) does in Python). The "header" consumer reads only the
 * length and the first bytes (O(1)), so the copy is pure overhead; the "sum" consumer
 * reads every byte (O(n)), so the copy is one extra pass plus an allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

typedef uint64_t (*consumer_fn)(const unsigned char *p, size_t len);

/* The consumer's result is summed so the calls cannot be dropped. */
static inline bv_status use_header(bv_view *s, void *acc)
{
    *(uint64_t *)acc += bench_consume_header((const unsigned char *)s->buf, (size_t)s->len);
    return BV_OK;
}

static inline bv_status use_sum(bv_view *s, void *acc)
{
    *(uint64_t *)acc += bench_consume_sum((const unsigned char *)s->buf, (size_t)s->len);
    return BV_OK;
}

/* Always inlined, so each caller's loop calls its own consumer directly. */
static inline __attribute__((always_inline)) void
pass_view(bvb_state *st, int64_t iters, const bench_ctx *x, bench_use_fn use)
{
    uint64_t acc = 0;
    bv_status bad = bench_slice_loop(x, iters, use, &acc);
    bvb_do_not_optimize(acc);
    bench_check(st, bad, "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

/* Always inlined too: both variants call the same consumer directly. */
static inline __attribute__((always_inline)) void
pass_copy(bvb_state *st, int64_t iters, const bench_ctx *x, consumer_fn consume)
{
    const unsigned char *src = x->d->src;
    const size_t len = x->n - 2;
    bv_status bad = BV_OK;
    uint64_t acc = 0;
    for (int64_t i = 0; i < iters; i++) {
        bv_bytes *b;
        bv_status e = bv_bytes_new(&b, src + 1, len, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        acc += consume(bv_bytes_data(b), bv_bytes_size(b));
        bv_bytes_decref(b);
    }
    bvb_do_not_optimize(acc);
    bench_check(st, bad, "bv_bytes_new");
    bench_note_placement(st, src + 1, (const char *)bench_alloc_last() + bench_bytes_header());
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_view_header(bvb_state *st, int64_t iters, void *user)
{
    pass_view(st, iters, user, use_header);
}

static void run_copy_header(bvb_state *st, int64_t iters, void *user)
{
    pass_copy(st, iters, user, bench_consume_header);
}

static void run_view_sum(bvb_state *st, int64_t iters, void *user)
{
    pass_view(st, iters, user, use_sum);
}

static void run_copy_sum(bvb_state *st, int64_t iters, void *user)
{
    pass_copy(st, iters, user, bench_consume_sum);
}

/* The copies are new bytes objects on fresh pages, as slice/copy (bench_slice.c); they stop
 * at BENCH_EXTRA_COPY_MAX (see there). */
static const bench_case cases[] = {
    {"pass/view/header", run_view_header, BENCH_O1, 0, 0},
    {"pass/copy/header", run_copy_header, BENCH_COPIES | BENCH_FRESH, 0, BENCH_EXTRA_COPY_MAX},
    {"pass/view/sum", run_view_sum, 0, 0, 0},
    {"pass/copy/sum", run_copy_sum, BENCH_COPIES | BENCH_FRESH, 0, BENCH_EXTRA_COPY_MAX},
};

const bench_suite bench_pass_suite = {
    .name = "pass", .cases = cases, .ncases = sizeof cases / sizeof *cases};
