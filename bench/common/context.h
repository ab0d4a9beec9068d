/*
 * context.h: the "context" block of a results file: the machine (CPU, memory, kernel,
 * transparent huge pages, the hypervisor's free page reporting) and every setting that
 * shapes the figures (sizes, times, placement, memory policy, repetitions), so a result
 * can be read, and compared with another run, without knowing how it was produced.
 */
#ifndef BUFVIEW_BENCH_CONTEXT_H
#define BUFVIEW_BENCH_CONTEXT_H

#include <stdbool.h>

#include "options.h"

typedef struct bench_run_facts {
    bool peak_reset_works;
    double fault_probe_ns;     /* measured cost of one fresh 4 KiB page, 0 if not run */
    size_t bytes_header;       /* where a bytes object's data starts in its block */
} bench_run_facts;

void bench_context_add(const bench_options *o, const bench_run_facts *f);

#endif
