/*
 * bench_common.h: what a bufview benchmark program is made of: a table of cases and one
 * call to bench_main(), plus the helpers the cases' loops share (the slice loop, the
 * placed allocator, the consumers that data is handed to).
 *
 * bench_main() registers every case at every size (each an instance "<name>/<size>";
 * layout cases also take a variant, "<name>/<variant>/<size>"), with repetitions, the
 * spread (min, max) beside Google Benchmark's aggregates, and random interleaving of the
 * repetitions of all instances: every size works on prefixes of one dataset (dataset.h),
 * so the order does not matter to the data, and interleaving spreads the VM's slow
 * moments over every benchmark instead of one.
 *
 * Ownership: bench_main() owns the dataset and the bench_ctx objects; a run function
 * receives its bench_ctx as `user` and borrows ctx->d for that run only.
 */
#ifndef BUFVIEW_BENCH_COMMON_H
#define BUFVIEW_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"   /* bench_malloc, bench_free: the placed allocator copies use */
#include "bufview/bufview.h"
#include "bvbench.h"

/* The dataset of the top size (bytes-like, or bytearray-like for a writable program). */
typedef struct bench_data {
    size_t top;
    unsigned char *src;        /* top bytes; src + 1 sits at the source page offset */
    unsigned char *scratch;    /* top resident bytes at the destination page offset, or
                                * NULL; its page starts scratch_page, one page longer */
    unsigned char *scratch_page;
    bv_exporter *exporter;     /* the dataset's exporter (for views made from scratch) */
    bv_view base;              /* memoryview(dataset): all top bytes */
} bench_data;

/* bench_case.flags */
enum {
    BENCH_NO_SIZE = 1u << 0,       /* no size, no dataset (baseline/empty) */
    BENCH_NEEDS_SCRATCH = 1u << 1, /* uses the resident destination buffer */
    BENCH_COPIES = 1u << 2,        /* allocates about n more bytes while it runs */
    BENCH_FRESH = 1u << 3,         /* every iteration takes about n bytes of fresh pages */
    BENCH_O1 = 1u << 4,            /* touches O(1) bytes per iteration (views) */
    BENCH_RECYCLED = 1u << 5,      /* large blocks come back recycled (alloc.h) */
    BENCH_THP = 1u << 6,           /* large blocks on transparent huge pages */
    BENCH_RAW = 1u << 7,           /* its copies' data starts its block (no object header) */
    BENCH_LAYOUT = 1u << 8,        /* one size (--layout-bytes), one instance per variant:
                                    * the destination page offset */
    BENCH_NO_DATA = 1u << 9,       /* reads no byte of the dataset (the fault anchors) */
    BENCH_RESLICE = 1u << 10       /* consumes n bytes BENCH_STEP at a time, each step a new
                                    * copy of what is left (bench_io's consume/copy): an
                                    * iteration copies about n^2 / (2 BENCH_STEP) bytes, and
                                    * with BENCH_FRESH takes that many fresh bytes, not n */
};

/* The step of the families that walk data in pieces (bench_io: consume, read, recv): 64
 * KiB, a common read size (and below the allocator's threshold, so a new block of one
 * step comes from glibc's heap). bench/python_bench.py's STEP is the same. */
#define BENCH_STEP ((size_t)64 * 1024)

typedef struct bench_case {
    const char *name;     /* family name */
    bvb_run_fn run;       /* receives a bench_ctx * as user */
    unsigned flags;
    uint64_t min_n;       /* smallest size it runs at (0: from the smallest) */
    uint64_t max_n;       /* largest size it runs at (0: up to the top) */
} bench_case;

/* The largest size of the families that repeat slice/copy's new copy with more work after
 * it (passing the copy on, changing it) or in other memory (recycled, huge pages): above
 * it a new copy is seconds of page faults on fresh memory, which slice/copy and its
 * limits measure at every size, and each of them would add a minute or more to a run
 * (bench/README.md). */
#define BENCH_EXTRA_COPY_MAX ((uint64_t)1024 * 1024 * 1024)

typedef struct bench_ctx {
    const bench_case *c;
    size_t n;             /* this instance's size in bytes (0 for BENCH_NO_SIZE) */
    int64_t variant;      /* BENCH_LAYOUT: the destination page offset */
    bench_data *d;        /* the dataset, set before every run (NULL for NO_SIZE) */
} bench_ctx;

/* Parse the options (bench/README.md, or --help), register the cases, run them through
 * the shim, write <out-dir>/results/<program>.json by way of a temporary file renamed at
 * the end. `writable` chooses a bytearray-like dataset. Returns the exit status. */
int bench_main(int argc, char **argv, const char *program, bool writable,
               const bench_case *cases, size_t ncases);

/* A program's own preparation of each run, called after the harness's (dataset acquired
 * and warmed, allocator configured), outside the timer, before every run of every
 * instance; it may call bvb_skip_with_error(). `finish` is called after every run (also
 * outside the timer), before the harness frees anything. Either may be NULL. Set them
 * before bench_main(); bench_io uses them for its file and its writer thread. */
typedef void (*bench_run_hook)(bvb_state *st, bench_ctx *x);
void bench_set_run_hooks(bench_run_hook prepare, bench_run_hook finish);

/* After a run function's loop: a non-zero status means the run is not valid; report it
 * as an error result naming the call that failed. */
void bench_check(bvb_state *st, bv_status status, const char *what);

/* After a copy's loop: record where its source and its last destination sat in their
 * pages (counters src_page_offset, dst_page_offset). */
void bench_note_placement(bvb_state *st, const void *src, const void *dst);

/* Where a bytes object keeps its data: bytes from the start of its allocation. */
size_t bench_bytes_header(void);

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

/* The consumers that data is "passed to". Separate functions, never inlined (noinline:
 * LTO would otherwise inline them into some loops and not others), as a library function
 * receiving a buffer would be, so view and copy variants make the same call. */
/* O(1): reads the length and the first 8 bytes. */
uint64_t bench_consume_header(const unsigned char *p, size_t len);
/* O(n): sums every byte. */
uint64_t bench_consume_sum(const unsigned char *p, size_t len);
/* O(n): changes every byte in place (toggles bit 5: ASCII case). */
void bench_modify_bytes(unsigned char *p, size_t len);
/* O(n): reads every byte as fast as the machine can (wide loads, an XOR that needs no
 * arithmetic per byte): the read-bandwidth limit that sums are judged against. */
uint64_t bench_read_all(const unsigned char *p, size_t len);

#endif
