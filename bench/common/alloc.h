/*
 * alloc.h: where the benchmarks' new copies get their memory: counted, placed, and fresh
 * or recycled as the running benchmark asks.
 *
 * Every allocation a benchmark makes comes here: bufview's own (through
 * bv_allocator_set) and the plain-C copies (bench_malloc). Blocks below
 * BENCH_ALLOC_THRESHOLD (128 KiB, glibc's default mmap threshold) come from glibc's heap,
 * which recycles them as it does any program's small allocations. From the threshold up
 * the memory mode of the running benchmark decides:
 *   FRESH     a new anonymous mapping per block, unmapped on free: fresh pages that fault
 *             on first touch. What a one-off copy in a program pays, and what glibc does
 *             itself once its mmap threshold is fixed (it is, by bench_alloc_init, with
 *             mallopt(M_MMAP_THRESHOLD): otherwise glibc raises the threshold after the
 *             first free and a loop that frees and reallocates one size gets recycled heap
 *             below 32 MiB and fresh pages above, a cliff that belongs to the allocator,
 *             not to the machine).
 *   RECYCLED  the block freed last is handed out again when it fits: memory the process
 *             already has, the heap-reuse best case (no faults).
 *   THP       like FRESH, but 2 MiB-aligned and madvise(MADV_HUGEPAGE): one fault per
 *             2 MiB instead of one per 4 KiB where transparent huge pages are enabled.
 * Large blocks are placed so that the data a benchmark copies lands at a chosen offset in
 * its 4 KiB page (given with the size of the header its object keeps before the data):
 * memcpy's speed depends on where source and destination sit relative to each other in a
 * page (4K aliasing), so two copies are only the same work when they are placed alike.
 *
 * Single-threaded, like everything the shim runs. Ownership: a block is the caller's
 * until bench_free(); the allocator keeps at most one recycled block of its own (across
 * other benchmarks' runs) and unmaps it when a block at another page offset is wanted, or
 * at bench_alloc_shutdown().
 */
#ifndef BUFVIEW_BENCH_ALLOC_H
#define BUFVIEW_BENCH_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_ALLOC_THRESHOLD ((size_t)128 * 1024)

typedef enum bench_mem {
    BENCH_MEM_FRESH,
    BENCH_MEM_RECYCLED,
    BENCH_MEM_THP
} bench_mem;

/* Fix glibc's mmap threshold and route bufview's allocations here. Call once, first. */
void bench_alloc_init(void);
/* Undo bench_alloc_init's routing and drop the recycled block (at exit). */
void bench_alloc_shutdown(void);
/* How blocks of BENCH_ALLOC_THRESHOLD and more are made from now on: the mode, and the
 * page offset where byte `header` of each block must land. */
void bench_alloc_configure(bench_mem mode, size_t dst_page_offset, size_t header);

/* RECYCLED mode: put a resident block of at least `size` bytes in the cache now, outside
 * the timer, so the first iteration of a run reuses memory like every later one (runs of
 * other benchmarks, interleaved between repetitions, reconfigure the allocator). */
void bench_alloc_prime(size_t size);

/* Counted allocation; NULL on failure. Free with bench_free. */
void *bench_malloc(size_t size);
void bench_free(void *p);

/* The block bench_malloc returned last (may have been freed since: only its address is
 * of use, to report where the benchmark's copies were placed). */
const void *bench_alloc_last(void);
/* Allocations and bytes requested since the start. */
void bench_alloc_totals(uint64_t *calls, uint64_t *bytes);

/* Whether madvise(MADV_HUGEPAGE) can give this process huge pages, from the kernel's
 * transparent_hugepage setting; when not, why (for a skip message). */
bool bench_thp_available(char *why, size_t cap);
/* "fresh", "recycled", "thp". */
const char *bench_mem_name(bench_mem mode);

#endif
