/*
 * main.c: bench_main(), the body of every benchmark program (see bench_common.h): parse
 * the options, measure what the defaults depend on, register every instance, run.
 */
#define _GNU_SOURCE

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench_common.h"
#include "context.h"
#include "counters.h"
#include "dataset.h"
#include "options.h"
#include "output.h"
#include "sysinfo.h"

/* The destination page offsets the layout family sweeps, besides the run's own source and
 * destination offsets: the start of a page, the first few bytes, cache-line and
 * larger steps, and the end of the page. */
static const int64_t layout_sweep[] = {0, 1, 15, 16, 64, 512, 1024, 2048, 3072, 4095};

static struct {
    bench_options o;
    size_t bytes_header;
    double setup_seconds;   /* untimed preparation in the setup hooks, reported at the end */
} g_main;

size_t bench_bytes_header(void)
{
    return g_main.bytes_header;
}

void bench_check(bvb_state *st, bv_status status, const char *what)
{
    if (status != BV_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s failed in the timed loop: %s", what,
                 bv_status_name(status));
        bvb_skip_with_error(st, msg);
    }
}

void bench_note_placement(bvb_state *st, const void *src, const void *dst)
{
    bvb_counter(st, "src_page_offset", (double)((uintptr_t)src % BENCH_PAGE), 0);
    bvb_counter(st, "dst_page_offset", (double)((uintptr_t)dst % BENCH_PAGE), 0);
}

/* Where a bytes object keeps its data, from a real object, so the plain-C copies follow
 * the core's layout without knowing its private struct. */
static size_t measure_bytes_header(void)
{
    bv_bytes *b;
    if (bv_bytes_new(&b, "x", 1, NULL) != BV_OK)
        return 0;
    size_t h = (size_t)((const char *)bv_bytes_data(b) - (const char *)b);
    bv_bytes_decref(b);
    return h;
}

/* Where glibc puts a large block in its page (after its chunk header): with the header,
 * where a large bytes object's data lands when malloc serves it. */
static size_t measure_large_block_offset(void)
{
    void *p = malloc(4 * BENCH_MIB);
    size_t off = p != NULL ? (size_t)((uintptr_t)p % BENCH_PAGE) : 0;
    free(p);
    return off;
}

/* The cost of one fresh 4 KiB page here, now: map, touch and unmap 8 MiB twice and keep
 * the second (the first may meet memory the hypervisor has taken back). Only feeds the
 * repetition rule and the context; the fault benchmarks measure it properly. */
static double probe_fault_ns(void)
{
    const size_t n = 8 * BENCH_MIB;
    double per_page = 0;
    for (int round = 0; round < 2; round++) {
        double t0 = bench_sys_now();
        char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return 0;
        for (size_t i = 0; i < n; i += BENCH_PAGE)
            ((volatile char *)p)[i] = 1;
        munmap(p, n);
        per_page = (bench_sys_now() - t0) * 1e9 / (double)(n / BENCH_PAGE);
    }
    return per_page;
}

/* Whether one iteration of an instance is predicted to take 1.5 s or more: the bytes it
 * copies at 4 GB/s (n, or what re-slicing copies), plus a fault per fresh page at the
 * probe's cost. */
static bool long_iteration(const bench_case *c, size_t n, double fault_ns)
{
    if (c->flags & (BENCH_NO_SIZE | BENCH_O1))
        return false;
    double bytes = (double)n;
    if (c->flags & BENCH_RESLICE)
        bytes = bytes * bytes / (2.0 * (double)BENCH_STEP);
    double seconds = bytes / 4e9;
    if (c->flags & BENCH_FRESH)
        seconds += bytes / (double)((c->flags & BENCH_THP) ? BENCH_HUGE_PAGE : BENCH_PAGE) *
                   fault_ns * 1e-9;
    return seconds >= 1.5;
}

/* Repetitions of one instance: 5, or 3 where one iteration takes 1.5 s or more. */
static int repetitions_for(bool long_one)
{
    const bench_options *o = &g_main.o;
    if (o->repetitions > 0)
        return o->repetitions;
    if (o->quick)
        return 3;
    return long_one ? 3 : 5;
}

/* Setup hook of every instance: outside the timer, before each run. */
static void case_setup_now(bvb_state *st, bench_ctx *x);

static void case_setup(bvb_state *st, void *user)
{
    double t0 = bench_sys_now();
    case_setup_now(st, user);
    g_main.setup_seconds += bench_sys_now() - t0;
}

static void case_setup_now(bvb_state *st, bench_ctx *x)
{
    const unsigned flags = x->c->flags;
    char why[400];
    if (flags & BENCH_NO_SIZE)
        return;
    x->d = bench_data_acquire(st, x->n, (flags & BENCH_NEEDS_SCRATCH) != 0);
    if (x->d == NULL)
        return;
    x->base = (flags & BENCH_WRITABLE) ? &x->d->base_rw : &x->d->base;
    if (!(flags & (BENCH_O1 | BENCH_NO_DATA)))
        bench_data_warm(x->d, x->n, (flags & BENCH_NEEDS_SCRATCH) != 0);
    if ((flags & BENCH_THP) && !bench_thp_available(why, sizeof why)) {
        bvb_skip_with_error(st, why);
        return;
    }
    if ((flags & BENCH_COPIES) && !bench_memory_allows(x->n, "a copy", why, sizeof why)) {
        bvb_skip_with_error(st, why);
        return;
    }
    bench_mem mode = (flags & BENCH_THP) ? BENCH_MEM_THP
                     : (flags & BENCH_RECYCLED) ? BENCH_MEM_RECYCLED : BENCH_MEM_FRESH;
    size_t dst = (flags & BENCH_LAYOUT) ? (size_t)x->variant : g_main.o.dst_page_offset;
    bench_alloc_configure(mode, dst, (flags & BENCH_RAW) ? 0 : g_main.bytes_header);
    /* Room for the largest block a copy of n bytes asks for: header, data, NUL. */
    bench_alloc_prime(x->n + BENCH_PAGE);
    if (x->suite->prepare != NULL)
        x->suite->prepare(st, x);
}

/* Teardown hook of every instance: outside the timer, after each run. */
static void case_teardown(bvb_state *st, void *user)
{
    bench_ctx *x = user;
    if (x->suite->finish != NULL && x->d != NULL) {
        double t0 = bench_sys_now();
        x->suite->finish(st, x);
        g_main.setup_seconds += bench_sys_now() - t0;
    }
}

static bench_ctx *add_instance(bench_ctx *x, const bench_suite *suite, const bench_case *c,
                               size_t n, int64_t variant, double fault_ns)
{
    x->suite = suite;
    x->c = c;
    x->n = n;
    x->variant = variant;
    bvb_bench *b = bvb_register(c->name, c->run, x);
    if (c->flags & BENCH_LAYOUT) {
        const int64_t args[2] = {variant, (int64_t)n};
        bvb_args(b, args, 2);
    } else if (!(c->flags & BENCH_NO_SIZE)) {
        bvb_arg(b, (int64_t)n);
    }
    /* Wall-clock time: what a caller waits for, faults and memory stalls included. */
    bvb_use_real_time(b);
    bvb_setup(b, case_setup, case_teardown);
    const bool long_one = long_iteration(c, n, fault_ns);
    bvb_repetitions(b, repetitions_for(long_one));
    bvb_spread(b);
    bvb_min_time(b, g_main.o.min_time_s);
    /* No warm-up where one iteration takes 1.5 s or more: such an iteration is all page
     * faults and memory traffic, which no earlier iteration makes cheaper (the memory it
     * reads is warmed before every run, see case_setup), and a warm-up iteration would
     * add a quarter to the time of the largest, most expensive instances. The spread of
     * their repetitions shows whether the first was cold. */
    if (!long_one)
        bvb_min_warmup_time(b, g_main.o.warmup_s);
    return x + 1;
}

/* The layout sweep plus the run's own offsets, ascending, without repeats. */
static size_t layout_offsets(int64_t *out)
{
    size_t k = 0;
    const int64_t own[2] = {g_main.o.dst_page_offset, g_main.o.src_page_offset};
    for (int64_t v = 0; v < (int64_t)BENCH_PAGE; v++) {
        bool in = v == own[0] || v == own[1];
        for (size_t i = 0; !in && i < sizeof layout_sweep / sizeof *layout_sweep; i++)
            in = layout_sweep[i] == v;
        if (in)
            out[k++] = v;
    }
    return k;
}

/* One bench_ctx per instance, size by size, suite by suite. Returns the array, NULL when
 * out of memory. */
static bench_ctx *register_all(const bench_suite *const *suites, size_t nsuites,
                               double fault_ns)
{
    const bench_options *o = &g_main.o;
    int64_t offsets[sizeof layout_sweep / sizeof *layout_sweep + 2];
    size_t noffsets = layout_offsets(offsets);
    size_t ncases = 0;
    for (size_t k = 0; k < nsuites; k++)
        ncases += suites[k]->ncases;
    bench_ctx *ctxs = calloc(ncases * (o->nsizes + noffsets + 1), sizeof *ctxs);
    if (ctxs == NULL)
        return NULL;
    bench_ctx *x = ctxs;
    for (size_t k = 0; k < nsuites; k++) {
        for (size_t c = 0; c < suites[k]->ncases; c++) {
            const bench_case *bc = &suites[k]->cases[c];
            if (bc->flags & BENCH_NO_SIZE)
                x = add_instance(x, suites[k], bc, 0, 0, fault_ns);
            if (bc->flags & BENCH_LAYOUT)
                for (size_t v = 0; v < noffsets; v++)
                    x = add_instance(x, suites[k], bc, o->layout_bytes, offsets[v], fault_ns);
        }
    }
    for (size_t s = 0; s < o->nsizes; s++) {
        for (size_t k = 0; k < nsuites; k++) {
            for (size_t c = 0; c < suites[k]->ncases; c++) {
                const bench_case *bc = &suites[k]->cases[c];
                if ((bc->flags & (BENCH_NO_SIZE | BENCH_LAYOUT)) ||
                    (uint64_t)o->sizes[s] < bc->min_n ||
                    (bc->max_n != 0 && (uint64_t)o->sizes[s] > bc->max_n))
                    continue;
                x = add_instance(x, suites[k], bc, (size_t)o->sizes[s], 0, fault_ns);
            }
        }
    }
    return ctxs;
}

int bench_main(int argc, char **argv, const char *program, const bench_suite *const *suites,
               size_t nsuites)
{
    bench_options *o = &g_main.o;
    int rc = bench_options_parse(o, argc, argv, program);
    if (rc >= 0) {
        bench_options_free(o);
        return rc;
    }
    bench_alloc_init();
    bench_run_facts facts = {0};
    facts.bytes_header = g_main.bytes_header = measure_bytes_header();
    if (!o->placement_given) {
        o->dst_page_offset = (unsigned)((measure_large_block_offset() + facts.bytes_header) %
                                        BENCH_PAGE);
        o->src_page_offset = (o->dst_page_offset + 1) % (unsigned)BENCH_PAGE;
    }
    bool fresh = false;
    for (size_t k = 0; k < nsuites; k++)
        for (size_t c = 0; c < suites[k]->ncases; c++)
            fresh = fresh || (suites[k]->cases[c].flags & BENCH_FRESH);
    if (fresh && !o->listing && !o->quick && o->repetitions == 0)
        facts.fault_probe_ns = probe_fault_ns();

    bench_data_configure(program, o->top, o->src_page_offset, o->dst_page_offset);
    bench_ctx *ctxs = register_all(suites, nsuites, facts.fault_probe_ns);
    int progress_fd = -1;
    rc = 1;
    if (ctxs == NULL) {
        fprintf(stderr, "%s: out of memory\n", program);
        goto out;
    }
    facts.peak_reset_works = bench_counters_install();
    bench_context_add(o, &facts);

    bool own_file = !o->user_out && !o->listing;
    if (own_file) {
        const char *flag = bench_output_begin(o->out_dir, program);
        if (flag == NULL) {
            rc = 2;   /* an output directory that cannot be written: a usage problem */
            goto out;
        }
        o->gb_argv[o->gb_argc++] = (char *)flag;
        o->gb_argv[o->gb_argc++] = (char *)"--benchmark_out_format=json";
    }
    o->gb_argv[o->gb_argc] = NULL;
    if (o->progress_file != NULL && !o->listing) {
        progress_fd = open(o->progress_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (progress_fd < 0) {
            perror(o->progress_file);
            goto out;
        }
    }

    if (!o->listing) {
        char top_s[32];
        fprintf(stderr,
                "%s: %zu sizes, 1 KiB to %s (x%u), minimum time %s s per repetition, warm-up "
                "%s s%s; slice source at page offset %u, copies' data at %u\n",
                program, o->nsizes, bench_sys_fmt_size(top_s, sizeof top_s, o->top), o->factor,
                o->min_time, o->warmup, o->quick ? " (--quick)" : "", o->src_page_offset,
                o->dst_page_offset);
        fprintf(stderr,
                "%s: note: Google Benchmark's \"Library was built as DEBUG\" warning below is "
                "about Debian's build of the library (no NDEBUG): it affects the library's "
                "bookkeeping between timed runs, not the measured loops.\n",
                program);
    }

    for (size_t k = 0; k < nsuites; k++)
        if (suites[k]->begin != NULL)
            suites[k]->begin();
    double t0 = bench_sys_now();
    bvb_run_options opts = {.plain_names = true, .progress_fd = progress_fd};
    bvb_run_result res = {0, 0};
    bvb_run_status status = bvb_run(&o->gb_argc, o->gb_argv, &opts, &res);
    double elapsed = bench_sys_now() - t0;
    for (size_t k = 0; k < nsuites; k++)
        if (suites[k]->end != NULL)
            suites[k]->end();
    bench_data_free();
    bench_alloc_shutdown();

    rc = 0;
    if (own_file && !bench_output_finish(status == BVB_RUN_OK))
        rc = 1;
    if (status == BVB_RUN_BAD_ARGUMENTS) {
        rc = 2;
    } else if (status == BVB_RUN_NO_MATCH) {
        fprintf(stderr, "%s: no benchmark matched the filter\n", program);
        rc = 1;
    } else if (!o->listing) {
        fprintf(stderr,
                "%s: %zu benchmark%s in %.1f s (%.1f s of it preparing data and memory "
                "outside the timer), %zu reported an error%s%s\n",
                program, res.matched, res.matched == 1 ? "" : "s", elapsed,
                g_main.setup_seconds, res.errors, own_file ? "; wrote " : "",
                own_file ? bench_output_path() : "");
    }
out:
    if (progress_fd >= 0)
        close(progress_fd);
    free(ctxs);
    bench_options_free(o);
    return rc;
}
