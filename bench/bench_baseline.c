/*
 * bench_baseline.c: the yardsticks. baseline/empty is the harness's own cost per
 * iteration; baseline/memcpy and baseline/malloc_memcpy are the machine's physical limits
 * for copying into memory that is already resident, and into a fresh allocation each time
 * (what any copy that creates a new object must pay). They copy exactly what the copies
 * they judge copy, the slice [1:n-1]: memcpy's speed depends on how source and
 * destination are aligned (by 5-14% either way on this machine), so a yardstick copying
 * an aligned n bytes would measure a different copy.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

static void run_empty(bvb_state *st, int64_t iters, void *user)
{
    (void)st;
    (void)user;
    /* Nothing but the loop: the barrier keeps the compiler from deleting it. */
    for (int64_t i = 0; i < iters; i++)
        bvb_clobber_memory();
    bvb_set_bytes_processed(st, 0);
}

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

static void run_malloc_memcpy(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *src = x->d->src + 1;
    const size_t len = x->n - 2;
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        unsigned char *p = bench_malloc(len);
        if (p == NULL) {
            bad = BV_MEMORY_ERROR;
            break;
        }
        memcpy(p, src, len);
        bvb_escape(p);
        free(p);
    }
    bench_check(st, bad, "malloc");
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static const bench_case cases[] = {
    {"baseline/empty", run_empty, BENCH_NO_SIZE},
    /* Before memcpy, so the destination buffer memcpy needs is not resident yet and the
     * peak memory shows only the dataset and the fresh copy. */
    {"baseline/malloc_memcpy", run_malloc_memcpy, BENCH_COPIES},
    {"baseline/memcpy", run_memcpy, BENCH_NEEDS_SCRATCH},
};

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "bench_baseline", false, cases, sizeof cases / sizeof *cases);
}
