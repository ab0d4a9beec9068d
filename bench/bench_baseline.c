/*
 * bench_baseline.c: the machine's own limits, measured in the same run as everything they
 * judge. baseline/empty is the harness's cost per iteration (the unit the slice target is
 * expressed in). baseline/read and baseline/write move every byte of the slice [1:n-1] as
 * fast as this machine can read or write resident memory: the limit lines of the
 * operations that read (a sum) or write. baseline/fault/resident touches one byte in every
 * 4 KiB page of memory the process already has (what fresh pages cost is measured beside
 * the copies that pay it, in bench_slice). layout/copy copies the same slice into fresh memory whose data starts at a
 * sweep of offsets in its 4 KiB page (layout/copy_resident: into resident memory), to show
 * what placement alone changes.
 */
#include <string.h>

#include "bench_common.h"

static void run_empty(bvb_state *st, int64_t iters, void *user)
{
    (void)user;
    /* Nothing but the loop: the barrier keeps the compiler from deleting it. */
    for (int64_t i = 0; i < iters; i++)
        bvb_clobber_memory();
    bvb_set_bytes_processed(st, 0);
}

static void run_read(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    const unsigned char *p = x->d->src + 1;
    const size_t len = x->n - 2;
    uint64_t acc = 0;
    for (int64_t i = 0; i < iters; i++)
        acc += bench_read_all(p, len);
    bvb_do_not_optimize(acc);
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_write(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    unsigned char *p = x->d->scratch;
    const size_t len = x->n - 2;
    bvb_escape(p);
    for (int64_t i = 0; i < iters; i++) {
        memset(p, (int)(i & 0xff), len);
        bvb_clobber_memory();
    }
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_touch_resident(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    unsigned char *p = x->d->scratch;
    bvb_escape(p);
    for (int64_t i = 0; i < iters; i++) {
        for (size_t off = 0; off < x->n; off += 4096)
            p[off] = (unsigned char)i;
        bvb_clobber_memory();
    }
    bvb_set_bytes_processed(st, iters * (int64_t)x->n);
}

/* The slice [1:n-1] into fresh memory placed at the instance's page offset (the allocator
 * places it: see case_setup), freed again. */
static void run_layout_fresh(bvb_state *st, int64_t iters, void *user)
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
        bench_free(p);
    }
    bench_check(st, bad, "bench_malloc");
    bench_note_placement(st, src, bench_alloc_last());
    bvb_set_bytes_processed(st, iters * (int64_t)len);
}

static void run_layout_resident(bvb_state *st, int64_t iters, void *user)
{
    const bench_ctx *x = user;
    bench_memcpy_loop(st, iters, x->d->scratch_page + x->variant, x->d->src + 1, x->n - 2);
}

#define FROM_256K (256 * 1024)

static const bench_case cases[] = {
    {"baseline/empty", run_empty, BENCH_NO_SIZE, 0, 0},
    {"baseline/read", run_read, 0, 0, 0},
    {"baseline/write", run_write, BENCH_NEEDS_SCRATCH, 0, 0},
    {"baseline/fault/resident", run_touch_resident, BENCH_NEEDS_SCRATCH, FROM_256K, 0},
    {"layout/copy", run_layout_fresh, BENCH_COPIES | BENCH_FRESH | BENCH_RAW | BENCH_LAYOUT, 0, 0},
    {"layout/copy_resident", run_layout_resident, BENCH_NEEDS_SCRATCH | BENCH_LAYOUT, 0, 0},
};

const bench_suite bench_baseline_suite = {
    .name = "baseline", .cases = cases, .ncases = sizeof cases / sizeof *cases};
