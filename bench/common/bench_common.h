/*
 * bench_common.h: what every bufview benchmark program shares: its options and sizes,
 * the datasets (built once per size and shared by every benchmark and every run of that
 * size), the resource counters added to every result, and the JSON output file.
 *
 * A program is a table of bench_case entries and one call to bench_main(). For each size
 * (ascending) it registers every sized case in table order, so all the figures for one
 * size are taken back to back, on the same dataset, before the next size is built.
 *
 * Ownership: bench_main() owns the datasets and the per-instance bench_ctx objects. A run
 * function receives its bench_ctx as `user`; ctx->d points at the current dataset, valid
 * for that run only (the next size replaces it).
 */
#ifndef BUFVIEW_BENCH_COMMON_H
#define BUFVIEW_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bufview/bufview.h"
#include "bvbench.h"

/* One dataset: n bytes filled with a fixed pseudo-random pattern, resident in memory
 * before any timing starts, exported to bufview by a tiny bytes-like exporter (read-only
 * like Python's bytes, or writable like bytearray for the modify family). */
typedef struct bench_data {
    size_t n;
    unsigned char *src;        /* n bytes */
    unsigned char *scratch;    /* n resident bytes (destination of copies), or NULL */
    bv_view base;              /* memoryview(dataset), the whole n bytes */
} bench_data;

/* bench_case.flags */
enum {
    BENCH_NO_SIZE = 1u << 0,       /* takes no size and no dataset (baseline/empty) */
    BENCH_NEEDS_SCRATCH = 1u << 1, /* copies into the dataset's scratch buffer */
    BENCH_COPIES = 1u << 2         /* allocates about n more bytes while it runs */
};

typedef struct bench_case {
    const char *name;     /* family name; instances are "<name>/<size in bytes>" */
    bvb_run_fn run;       /* receives a bench_ctx * as user */
    unsigned flags;
} bench_case;

typedef struct bench_ctx {
    const bench_case *c;
    size_t n;             /* this instance's size in bytes (0 for BENCH_NO_SIZE) */
    bench_data *d;        /* current dataset, set before every run (NULL for NO_SIZE) */
} bench_ctx;

/* Parse the program's options (see bench/README.md or --help), register the cases over
 * the sizes, run them through the shim, write <out-dir>/results/<program>.json by way of
 * a temporary file renamed at the end. `writable` chooses a bytearray-like dataset.
 * Returns the process exit status. */
int bench_main(int argc, char **argv, const char *program, bool writable,
               const bench_case *cases, size_t ncases);

/* After a run function's loop: a non-zero status means the run is not valid; report it
 * as an error result naming the call that failed. */
void bench_check(bvb_state *st, bv_status status, const char *what);

/* What a view benchmark does with its slice: a status (BV_OK when it cannot fail). */
typedef bv_status (*bench_use_fn)(bv_view *slice, void *ctx);

/* The loop every slice-and-use view benchmark times: take the slice [1:n-1] of the
 * dataset, hand it to use(), release it; iters times. Returns the first failing slice's
 * status, else the OR of every use() and release. Always inlined and called with a
 * constant `use`, so the timed loop calls use directly (or inlines it) and the view
 * benchmarks differ only in what they do with the slice. */
static inline __attribute__((always_inline)) bv_status
bench_slice_loop(const bench_ctx *x, int64_t iters, bench_use_fn use, void *ctx)
{
    const bv_view *base = &x->d->base;
    const bv_slice r = bv_slice_range(1, (ptrdiff_t)x->n - 1);
    bv_status bad = BV_OK;
    for (int64_t i = 0; i < iters; i++) {
        bv_view s;
        bv_status e = bv_view_slice(&s, base, r, NULL);
        if (e != BV_OK)
            return e;
        bad |= use(&s, ctx);
        bad |= bv_view_release(&s, NULL);
    }
    return bad;
}

/* malloc counted like the core's allocations (the run hooks report bytes allocated per
 * iteration); free with free(). */
void *bench_malloc(size_t size);

/* The consumers that data is "passed to". Separate functions, never inlined (noinline:
 * LTO would otherwise inline them into some loops and not others), as a library function
 * receiving a buffer would be, so view and copy variants make the same call. */
/* O(1): reads the length and the first 8 bytes. */
uint64_t bench_consume_header(const unsigned char *p, size_t len);
/* O(n): sums every byte. */
uint64_t bench_consume_sum(const unsigned char *p, size_t len);
/* O(n): changes every byte in place (toggles bit 5: ASCII case). */
void bench_modify_bytes(unsigned char *p, size_t len);

#endif
