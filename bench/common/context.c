/*
 * context.c: machine and settings recorded in every results file (see context.h).
 */
#define _GNU_SOURCE

#include "context.h"

#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "alloc.h"
#include "bvbench.h"
#include "sysinfo.h"

static void add_u64(const char *key, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    bvb_add_context(key, buf);
}

/* The first "Key: value" line of a file whose key starts with `key`. */
static void add_field(const char *ctx_key, const char *path, const char *key)
{
    char line[512];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    size_t klen = strlen(key);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, klen) != 0)
            continue;
        char *v = line + klen;
        v += strspn(v, " \t:=");
        v[strcspn(v, "\n")] = '\0';
        if (*v == '"') {
            v++;
            v[strcspn(v, "\"")] = '\0';
        }
        bvb_add_context(ctx_key, v);
        break;
    }
    fclose(f);
}

static void add_file(const char *ctx_key, const char *path)
{
    char line[256];
    if (bench_sys_read_line(path, line, sizeof line))
        bvb_add_context(ctx_key, line);
}

static void add_machine(void)
{
    add_field("cpu_model", "/proc/cpuinfo", "model name");
    add_u64("mem_total_bytes", bench_sys_mem_total());
    add_u64("mem_available_bytes", bench_sys_mem_available());
    struct utsname u;
    if (uname(&u) == 0) {
        char line[512];
        snprintf(line, sizeof line, "%s %s %s", u.sysname, u.release, u.machine);
        bvb_add_context("kernel", line);
    }
    add_field("os", "/etc/os-release", "PRETTY_NAME");
    add_file("transparent_hugepage", "/sys/kernel/mm/transparent_hugepage/enabled");
    add_file("transparent_hugepage_defrag", "/sys/kernel/mm/transparent_hugepage/defrag");
    /* Free page reporting hands memory the guest freed back to the hypervisor; touching
     * it again then costs a fault in the host too. Recorded where the kernel exposes it. */
    add_file("page_reporting_order", "/sys/module/page_reporting/parameters/page_reporting_order");
    /* A DAMON monitor in the guest samples every page's accessed bit and may act on what it
     * finds (on this VM a physical-address "pageout" scheme runs): its state and the first
     * scheme's action, where the kernel exposes them. */
    add_file("damon_kdamond_state", "/sys/kernel/mm/damon/admin/kdamonds/0/state");
    add_file("damon_scheme_action",
             "/sys/kernel/mm/damon/admin/kdamonds/0/contexts/0/schemes/0/action");
    bvb_add_context("glibc", gnu_get_libc_version());
    bvb_add_context("compiler", __VERSION__);
#if defined(__OPTIMIZE__)
    bvb_add_context("bufview_optimized", "true");
#else
    bvb_add_context("bufview_optimized", "false");
#endif
}

void bench_context_add(const bench_options *o, const bench_run_facts *f)
{
    char buf[1024];
    add_machine();
    bvb_add_context("bufview_program", o->program);
    add_u64("bufview_top_bytes", o->top);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t s = 0; s < o->nsizes && used < sizeof buf; s++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%lld", s ? "," : "",
                                 (long long)o->sizes[s]);
    bvb_add_context("bufview_sizes", buf);
    add_u64("bufview_size_factor", o->factor);
    bvb_add_context("bufview_quick", o->quick ? "true" : "false");
    bvb_add_context("bufview_min_time", o->min_time);
    bvb_add_context("bufview_min_warmup_time", o->warmup);
    add_u64("bufview_layout_bytes", o->layout_bytes);
    bvb_add_context("bufview_time_basis",
                    "real (wall-clock) time per iteration; names omit Google Benchmark's "
                    "/real_time suffix so the size is the last part");
    bvb_add_context("bufview_estimator",
                    "the median over repetitions is the figure; the min and max aggregates "
                    "are its spread; repetitions of all instances run in random order "
                    "(--benchmark_enable_random_interleaving)");
    if (o->repetitions > 0) {
        snprintf(buf, sizeof buf, "%d repetitions for every benchmark, as asked", o->repetitions);
    } else {
        snprintf(buf, sizeof buf,
                 "5 repetitions after a warm-up; 3 and no warm-up where one iteration is "
                 "predicted to take 1.5 s or more (predicted from n bytes at 4 GB/s plus, "
                 "for fresh memory, n/4096 pages at the fault probe's %.2f us per page)%s",
                 f->fault_probe_ns / 1e3, o->quick ? "; --quick: 3 for all" : "");
    }
    bvb_add_context("bufview_repetitions_rule", buf);
    snprintf(buf, sizeof buf, "%.1f", f->fault_probe_ns);
    bvb_add_context("bufview_fault_probe_ns", buf);
    add_u64("bufview_src_page_offset", o->src_page_offset);
    add_u64("bufview_dst_page_offset", o->dst_page_offset);
    add_u64("bufview_bytes_header", f->bytes_header);
    bvb_add_context("bufview_placement_source",
                    o->placement_source != NULL ? o->placement_source
                    : o->placement_given ? "given on the command line"
                                         : "bufview's own bytes objects on this machine "
                                           "(glibc mmap chunk + object header)");
    snprintf(buf, sizeof buf,
             "blocks under %zu bytes from glibc's heap (mmap threshold fixed with mallopt); "
             "larger ones fresh anonymous mappings per copy (fresh), the last freed block "
             "again (recycled), or 2 MiB-aligned mappings with MADV_HUGEPAGE (thp), placed "
             "so the copy's data lands at the destination page offset",
             BENCH_ALLOC_THRESHOLD);
    bvb_add_context("bufview_malloc_policy", buf);
    bvb_add_context("bufview_counters",
                    "bytes_per_second: bytes of data handed over per second of real time "
                    "(plain bytes/s); alloc_bytes, allocs, minflt: per iteration; peak_rss: "
                    "bytes, VmHWM of the run after a reset; peak_rss_added: that peak minus "
                    "VmRSS at the start of the run (glibc's heap trimmed first); "
                    "src_page_offset, dst_page_offset: where a copy's source and destination "
                    "start in their 4 KiB pages");
    bvb_add_context("bufview_peak_rss_reset", f->peak_reset_works
                                                  ? "per run via /proc/self/clear_refs"
                                                  : "unavailable: peak_rss is the process peak");
    bvb_add_context("bufview_library_build_note",
                    "Debian builds libbenchmark without NDEBUG (library_build_type debug); "
                    "this affects the library's bookkeeping between timed runs, not the "
                    "measured loops");
}
