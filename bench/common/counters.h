/*
 * counters.h: what every result carries beside its time, measured by hooks the shim calls
 * around each run (outside the timed region): bytes and calls allocated per iteration,
 * minor page faults per iteration, and peak resident memory: the process's peak during
 * the run (peak_rss) and how far it rose above what was resident when the run began
 * (peak_rss_added). glibc's heap is trimmed before each run, so a run never inherits the
 * peak of memory an earlier benchmark freed but glibc kept.
 */
#ifndef BUFVIEW_BENCH_COUNTERS_H
#define BUFVIEW_BENCH_COUNTERS_H

#include <stdbool.h>

/* Install the run hooks. Returns whether the peak can be reset per run (Linux
 * /proc/self/clear_refs); when not, peak_rss is the process's peak so far. */
bool bench_counters_install(void);

#endif
