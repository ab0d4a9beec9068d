/*
 * dataset.h: the data every benchmark of a program works on: one dataset of the top size,
 * built and touched once, whose prefixes serve every smaller size (a size-n benchmark
 * uses bytes [0, n), and its slice [1:n-1]); and one resident destination buffer of the
 * top size for copies into memory that is already there. Building them once lets Google
 * Benchmark interleave the repetitions of every size at random.
 *
 * Placement: the dataset sits where a bytes object's data would, so the slice's first
 * byte (data + 1) is at the source page offset; the destination buffer's first byte is at
 * the destination page offset, where new copies' data lands too (alloc.h).
 *
 * The dataset is exported twice over the same bytes: read-only like Python's bytes (base)
 * and writable like a bytearray (base_rw, for the families that change it).
 *
 * Ownership: the harness owns both buffers (anonymous mappings, 4 KiB pages) until
 * bench_data_free(); benchmarks borrow them through bench_ctx.
 */
#ifndef BUFVIEW_BENCH_DATASET_H
#define BUFVIEW_BENCH_DATASET_H

#include <stdbool.h>
#include <stddef.h>

#include "bench_common.h"

/* Set the size and placement before the first bench_data_acquire(). */
void bench_data_configure(const char *program, size_t top, unsigned src_page_offset,
                          unsigned dst_page_offset);
/* The dataset, at least n bytes (and the destination buffer when `scratch`), built on
 * first use. NULL, after bvb_skip_with_error(), when memory does not allow it. */
bench_data *bench_data_acquire(bvb_state *st, size_t n, bool scratch);
/* Touch every 4 KiB page of the first n bytes of the dataset (and of the destination
 * buffer when `scratch`), outside the timer, so a run starts on memory that is really
 * there. On this kind of VM memory the guest has not touched for a while, or that the
 * host took back while the guest took fresh pages elsewhere (another benchmark's copies),
 * costs a fault in the host on its next touch, invisible to the guest's own counters: a
 * 256 MiB memcpy between resident buffers took 17 ms, and 500-800 ms after fresh
 * memory had been touched in between. The host takes the pages a few milliseconds after
 * the free, so the touch is repeated until a pass finds every page in place. */
void bench_data_warm(const bench_data *d, size_t n, bool scratch);
/* Whether `bytes` more can be made resident while keeping a reserve for the rest of the
 * machine; on refusal writes a "skipped: ..." message for the result. */
bool bench_memory_allows(uint64_t bytes, const char *what, char *why, size_t cap);
void bench_data_free(void);

#endif
