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

static void pass_view(bvb_state *st, int64_t iters, const bench_ctx *x, consumer_fn consume)
{
    const bv_view *base = &x->d->base;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    uint64_t acc = 0;
    for (int64_t i = 0; i < iters; i++) {
        bv_view s;
        bv_status e = bv_view_slice(&s, base, r, NULL);
        if (e != BV_OK) {
            bad = e;
            break;
        }
        acc += consume((const unsigned char *)s.buf, (size_t)s.len);
        bad |= bv_view_release(&s, NULL);
    }
    bvb_do_not_optimize(acc);
    bench_check(st, bad, "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * ((int64_t)x->n - 2));
}

static void pass_copy(bvb_state *st, int64_t iters, const bench_ctx *x, consumer_fn consume)
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
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_view_header(bvb_state *st, int64_t iters, void *user)
{
    pass_view(st, iters, user, bench_consume_header);
}

static void run_copy_header(bvb_state *st, int64_t iters, void *user)
{
    pass_copy(st, iters, user, bench_consume_header);
}

static void run_view_sum(bvb_state *st, int64_t iters, void *user)
{
    pass_view(st, iters, user, bench_consume_sum);
}

static void run_copy_sum(bvb_state *st, int64_t iters, void *user)
{
    pass_copy(st, iters, user, bench_consume_sum);
}

static const bench_case cases[] = {
    {"pass/view/header", run_view_header, 0},
    {"pass/copy/header", run_copy_header, BENCH_COPIES},
    {"pass/view/sum", run_view_sum, 0},
    {"pass/copy/sum", run_copy_sum, BENCH_COPIES},
};

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "bench_pass", false, cases, sizeof cases / sizeof *cases);
}
