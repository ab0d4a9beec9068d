/*
 * bench_baseline.c: the harness's own cost. baseline/empty is one iteration of a loop
 * with nothing in it but a compiler barrier; every other figure includes it. The copy
 * yardsticks (baseline/memcpy, baseline/malloc_memcpy) run in bench_slice, beside the
 * copies they judge: see there why.
 */
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

static const bench_case cases[] = {
    {"baseline/empty", run_empty, BENCH_NO_SIZE},
};

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "bench_baseline", false, cases, sizeof cases / sizeof *cases);
}
