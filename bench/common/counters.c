/*
 * counters.c: the resource counters of every result (see counters.h).
 */
#define _GNU_SOURCE

#include "counters.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include "alloc.h"
#include "bvbench.h"
#include "sysinfo.h"

static struct {
    bool peak_reset_works;
    uint64_t calls, bytes, rss;
    long minflt;
} g_run;

static bool reset_peak_rss(void)
{
    /* "5" resets the peak resident set size (VmHWM) to the current one. */
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = write(fd, "5", 1) == 1;
    close(fd);
    return ok;
}

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

static void before_run(bvb_state *st, void *user)
{
    (void)st;
    (void)user;
    malloc_trim(0);
    if (g_run.peak_reset_works)
        reset_peak_rss();
    g_run.rss = bench_sys_proc_kb("/proc/self/status", "VmRSS");
    bench_alloc_totals(&g_run.calls, &g_run.bytes);
    g_run.minflt = minor_faults();
}

static void after_run(bvb_state *st, void *user)
{
    (void)user;
    long minflt = minor_faults() - g_run.minflt;
    uint64_t peak = bench_sys_proc_kb("/proc/self/status", "VmHWM");
    uint64_t calls, bytes;
    bench_alloc_totals(&calls, &bytes);
    /* Totals over the run, divided by the iteration count by the library. */
    bvb_counter(st, "alloc_bytes", (double)(bytes - g_run.bytes),
                BVB_COUNTER_AVG_ITERATIONS | BVB_COUNTER_1024);
    bvb_counter(st, "allocs", (double)(calls - g_run.calls), BVB_COUNTER_AVG_ITERATIONS);
    bvb_counter(st, "minflt", (double)minflt, BVB_COUNTER_AVG_ITERATIONS);
    bvb_counter(st, "peak_rss", (double)peak, BVB_COUNTER_1024);
    bvb_counter(st, "peak_rss_added", peak > g_run.rss ? (double)(peak - g_run.rss) : 0.0,
                BVB_COUNTER_1024);
}

bool bench_counters_install(void)
{
    g_run.peak_reset_works = reset_peak_rss();
    bvb_set_run_hooks(before_run, after_run, NULL);
    return g_run.peak_reset_works;
}
