/*
 * bench_common.h: what bufview's benchmark program is made of: suites of cases (one source
 * file each: bench_slice.c, bench_pass.c, ...), one call to bench_main() for all of them
 * (bench_bufview.c), and the helpers the cases' loops share (the slice loop, the placed
 * allocator, the consumers that data is handed to).
 *
 * bench_main() registers every case at every size (each an instance "<name>/<size>";
 * layout cases also take a variant, "<name>/<variant>/<size>"), with repetitions, the
 * spread (min, max) beside Google Benchmark's aggregates, and random interleaving of the
 * repetitions of all instances of all suites: every size works on prefixes of one dataset
 * (dataset.h), so the order does not matter to the data; interleaving spreads the VM's
 * slow moments over every benchmark instead of one, and every family runs in the same
 * process and the same minutes as the limit line it is judged against (a limit measured
 * in another process, minutes earlier, differed by 8% from the same work).
 *
 * Ownership: bench_main() owns the dataset and the bench_ctx objects; a run function
 * receives its bench_ctx as `user` and borrows ctx->d and ctx->base for that run only.
 */
#ifndef BUFVIEW_BENCH_COMMON_H
#define BUFVIEW_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
    bv_view base;              /* memoryview(dataset): all top bytes, read-only (bytes) */
    bv_view base_rw;           /* the same bytes exported writable (bytearray) */
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
    BENCH_RESLICE = 1u << 10,      /* consumes n bytes BENCH_STEP at a time, each step a new
                                    * copy of what is left (bench_io's consume/copy): an
                                    * iteration copies about n^2 / (2 BENCH_STEP) bytes, and
                                    * with BENCH_FRESH takes that many fresh bytes, not n */
    BENCH_WRITABLE = 1u << 11      /* works on the dataset as a bytearray (base_rw) */
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

typedef struct bench_suite bench_suite;

typedef struct bench_ctx {
    const bench_suite *suite;
    const bench_case *c;
    size_t n;             /* this instance's size in bytes (0 for BENCH_NO_SIZE) */
    int64_t variant;      /* BENCH_LAYOUT: the destination page offset */
    bench_data *d;        /* the dataset, set before every run (NULL for NO_SIZE) */
    const bv_view *base;  /* d->base, or d->base_rw for BENCH_WRITABLE */
} bench_ctx;

/* A suite's own preparation of each run of its cases, called after the harness's (dataset
 * acquired and warmed, allocator configured), outside the timer; it may call
 * bvb_skip_with_error(). `finish` is called after every run, before the harness frees
 * anything. */
typedef void (*bench_run_hook)(bvb_state *st, bench_ctx *x);

/* The cases of one source file. */
struct bench_suite {
    const char *name;
    const bench_case *cases;
    size_t ncases;
    bench_run_hook prepare, finish;   /* either may be NULL */
    /* Called once before the first run of any suite (it may add context lines) and once
     * after the last (it releases what prepare made); either may be NULL. */
    void (*begin)(void);
    void (*end)(void);
};

/* Parse the options (bench/README.md, or --help), register the cases of every suite, run
 * them through the shim, write <out-dir>/results/<program>.json by way of a temporary
 * file renamed at the end. Returns the exit status. */
int bench_main(int argc, char **argv, const char *program, const bench_suite *const *suites,
               size_t nsuites);

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
    const bv_view *base = x->base;
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

/* memcpy of len bytes from src to the resident dst, iters times, each copy observable;
 * then the placement counters and the bytes processed. The loop of every copy into
 * memory that is already there (baseline/memcpy, layout/copy_resident). */
static inline __attribute__((always_inline)) void
bench_memcpy_loop(bvb_state *st, int64_t iters, unsigned char *dst, const unsigned char *src,
                  size_t len)
{
    bvb_escape(dst);
    for (int64_t i = 0; i < iters; i++) {
        memcpy(dst, src, len);
        bvb_clobber_memory();
    }
    bench_note_placement(st, src, dst);
    bvb_set_bytes_processed(st, iters * (int64_t)len);
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
