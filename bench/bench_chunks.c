/*
 * bench_chunks.c: walking the whole dataset in 64 KiB pieces and summing each, as a
 * program that parses or checksums a big buffer block by block does. chunks/view takes a
 * view slice per piece; chunks/copy makes a bytes object per piece (Python's
 * data[off:off+65536]). The pieces are small, so the copies come from malloc's reused
 * heap memory and never fault: the difference is the extra pass over the data.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

#define CHUNK ((size_t)64 * 1024)

static void run_view(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const bv_view *base = x->base;
    const size_t n = x->n;
    bv_status bad = BV_OK;
    uint64_t acc = 0;
    for (int64_t i = 0; i < iters && bad == BV_OK; i++) {
        for (size_t off = 0; off < n; off += CHUNK) {
            size_t end = n - off < CHUNK ? n : off + CHUNK;
            bv_view s;
            bv_status e =
                bv_view_slice(&s, base, bv_slice_range((ptrdiff_t)off, (ptrdiff_t)end), NULL);
            if (e != BV_OK) {
                bad = e;
                break;
            }
            acc += bench_consume_sum((const unsigned char *)s.buf, (size_t)s.len);
            bad |= bv_view_release(&s, NULL);
        }
    }
    bvb_do_not_optimize(acc);
    bench_check(st, bad, "bv_view_slice/bv_view_release");
    bvb_set_bytes_processed(st, iters * (int64_t)n);
}

static void run_copy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *src = x->d->src;
    const size_t n = x->n;
    bv_status bad = BV_OK;
    uint64_t acc = 0;
    for (int64_t i = 0; i < iters && bad == BV_OK; i++) {
        for (size_t off = 0; off < n; off += CHUNK) {
            size_t len = n - off < CHUNK ? n - off : CHUNK;
            bv_bytes *b;
            bv_status e = bv_bytes_new(&b, src + off, len, NULL);
            if (e != BV_OK) {
                bad = e;
                break;
            }
            acc += bench_consume_sum(bv_bytes_data(b), bv_bytes_size(b));
            bv_bytes_decref(b);
        }
    }
    bvb_do_not_optimize(acc);
    bench_check(st, bad, "bv_bytes_new");
    bvb_set_bytes_processed(st, iters * (int64_t)n);
}

static const bench_case cases[] = {
    {"chunks/view", run_view, 0, 0, 0},
    {"chunks/copy", run_copy, 0, 0, 0},
};

const bench_suite bench_chunks_suite = {
    .name = "chunks", .cases = cases, .ncases = sizeof cases / sizeof *cases};
