/*
 * options.c: bufview's options for the benchmark programs and the size rule (see
 * options.h and bench/README.md).
 */
#define _POSIX_C_SOURCE 200809L

#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bvbench.h"
#include "sysinfo.h"

/* Minimum measured time per repetition, in seconds (--benchmark_min_time). Every figure
 * is the median of several repetitions, so each one can be short. */
#define DEFAULT_MIN_TIME "0.05"
#define QUICK_MIN_TIME "0.002"
/* Warm-up before the first repetition (--benchmark_min_warmup_time; at least one
 * iteration): caches, branch predictors and the allocator reach their steady state before
 * anything is measured. Set per instance (bench_main leaves it out where one iteration
 * takes 1.5 s or more: see there). */
#define DEFAULT_WARMUP "0.05"
#define QUICK_WARMUP "0.001"
#define QUICK_CAP (64 * BENCH_MIB)
#define DEFAULT_CAP (8 * BENCH_GIB)
#define DEFAULT_LAYOUT_BYTES (64 * BENCH_MIB)

static void usage(const char *program)
{
    printf("usage: %s [options] [--benchmark_* flags]\n"
           "\n"
           "Options of bufview's benchmark programs:\n"
           "  --max-bytes=SIZE        largest dataset (K, M, G, T: binary, 4G = 4 GiB); also\n"
           "                          $BUFVIEW_MAX_BYTES. Default: the largest power of two\n"
           "                          whose dataset, resident destination and one copy fit\n"
           "                          in MemAvailable less an eighth of MemTotal, at most 8 GiB.\n"
           "  --quick                 smoke run: at most 64 MiB, minimum time %s s,\n"
           "                          3 repetitions.\n"
           "  --size-factor=N         sizes grow by 2 or 4 from 1 KiB to the top (default 4).\n"
           "  --list-sizes            print the sizes this run would use, one per line.\n"
           "  --src-page-offset=N     where in its 4 KiB page the slice's first source byte\n"
           "                          sits (0-4095); --dst-page-offset=N: where a new copy's\n"
           "                          data starts. Default: where bufview's own bytes objects\n"
           "                          put them on this machine (measured at start);\n"
           "                          ./run.sh passes what CPython's bytes objects do.\n"
           "  --placement-source=TEXT who measured the offsets (recorded in the results).\n"
           "  --layout-bytes=SIZE     the size of the layout/copy family (default 64M).\n"
           "  --progress-file=PATH    append one line per finished benchmark (for drivers).\n"
           "  --out-dir=DIR           results go to DIR/results/%s.json (default: a new\n"
           "                          out/hand/<UTC time>, out being $BUFVIEW_OUT_DIR when set;\n"
           "                          ./run.sh's runs are never written by hand runs).\n"
           "                          --benchmark_out=FILE replaces it.\n"
           "  --help                  this text, then Google Benchmark's flags.\n"
           "Defaults passed to Google Benchmark (later flags override them):\n"
           "  --benchmark_min_time=%s --benchmark_min_warmup_time=%s\n"
           "  --benchmark_enable_random_interleaving=true\n"
           "  --benchmark_display_aggregates_only=true\n"
           "  --benchmark_out=<results file> --benchmark_out_format=json\n"
           "Repetitions: 5 per benchmark, 3 where one iteration is predicted to take 1.5 s\n"
           "or more; --benchmark_repetitions=N sets N for all.\n"
           "Filter with --benchmark_filter=REGEX, e.g. --benchmark_filter='/view/'.\n\n",
           program, QUICK_MIN_TIME, program, DEFAULT_MIN_TIME, DEFAULT_WARMUP);
}

/* The dataset, the resident destination buffer and one copy, all of the top size, in
 * what is available less a reserve for the rest of the machine. */
static uint64_t default_top(void)
{
    uint64_t avail = bench_sys_mem_available();
    uint64_t reserve = bench_sys_mem_total() / 8;
    uint64_t budget = avail > reserve ? (avail - reserve) / 3 : 0;
    uint64_t top = BENCH_KIB;
    while (top * 2 <= budget && top * 2 <= DEFAULT_CAP)
        top *= 2;
    return top;
}

static bool parse_offset(const char *program, const char *flag, const char *v, unsigned *out)
{
    char *end;
    unsigned long x = strtoul(v, &end, 10);
    if (*v == '\0' || *end != '\0' || x > 4095) {
        fprintf(stderr, "%s: %s must be a page offset from 0 to 4095, not '%s'\n", program,
                flag, v);
        return false;
    }
    *out = (unsigned)x;
    return true;
}

/* --flag=value: the value when a matches flag, else NULL. */
static const char *value_of(const char *a, const char *flag)
{
    size_t len = strlen(flag);
    return strncmp(a, flag, len) == 0 && a[len] == '=' ? a + len + 1 : NULL;
}

int bench_options_parse(bench_options *o, int argc, char **argv, const char *program)
{
    memset(o, 0, sizeof *o);
    o->program = program;
    o->factor = 4;
    /* Run by hand, a program writes a file of its own, <out>/hand/<UTC time>/results/, and
     * never touches a run's results (./run.sh keeps each run in <out>/runs/<id>/ and passes
     * --out-dir). */
    static char hand_dir[512];
    const char *root = getenv("BUFVIEW_OUT_DIR");
    if (root == NULL || *root == '\0')
        root = "out";
    time_t now = time(NULL);
    struct tm utc;
    char stamp[32] = "now";
    if (gmtime_r(&now, &utc) != NULL)
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    snprintf(hand_dir, sizeof hand_dir, "%s/hand/%s", root, stamp);
    o->out_dir = hand_dir;
    uint64_t max_bytes = 0;
    const char *env_max = getenv("BUFVIEW_MAX_BYTES");
    bool max_given = env_max != NULL && *env_max != '\0';
    if (max_given && !bench_sys_parse_size(env_max, &max_bytes)) {
        fprintf(stderr, "%s: BUFVIEW_MAX_BYTES=%s is not a size like 4G, 512M or 65536\n",
                program, env_max);
        return 2;
    }
    bool help = false, list_sizes = false, have_src = false, have_dst = false;
    const char *user_min = NULL, *user_warm = NULL, *v;

    /* Room for argv, the defaults below, the output flags and the NULL. */
    o->gb_argv = calloc((size_t)argc + 10, sizeof *o->gb_argv);
    char **user = calloc((size_t)argc + 1, sizeof *user);
    if (o->gb_argv == NULL || user == NULL) {
        free(user);
        fprintf(stderr, "%s: out of memory\n", program);
        return 2;
    }
    int nuser = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((v = value_of(a, "--max-bytes")) != NULL) {
            max_given = true;
            if (!bench_sys_parse_size(v, &max_bytes)) {
                fprintf(stderr, "%s: --max-bytes=%s is not a size like 4G, 512M or 65536\n",
                        program, v);
                goto usage_error;
            }
        } else if (strcmp(a, "--quick") == 0) {
            o->quick = true;
        } else if ((v = value_of(a, "--size-factor")) != NULL) {
            o->factor = (unsigned)strtoul(v, NULL, 10);
            if (o->factor != 2 && o->factor != 4) {
                fprintf(stderr, "%s: --size-factor must be 2 or 4\n", program);
                goto usage_error;
            }
        } else if (strcmp(a, "--list-sizes") == 0) {
            list_sizes = true;
        } else if ((v = value_of(a, "--src-page-offset")) != NULL) {
            if (!parse_offset(program, "--src-page-offset", v, &o->src_page_offset))
                goto usage_error;
            have_src = true;
        } else if ((v = value_of(a, "--dst-page-offset")) != NULL) {
            if (!parse_offset(program, "--dst-page-offset", v, &o->dst_page_offset))
                goto usage_error;
            have_dst = true;
        } else if ((v = value_of(a, "--placement-source")) != NULL) {
            o->placement_source = v;
        } else if ((v = value_of(a, "--layout-bytes")) != NULL) {
            if (!bench_sys_parse_size(v, &o->layout_bytes) || o->layout_bytes < BENCH_KIB) {
                fprintf(stderr, "%s: --layout-bytes=%s is not a size of at least 1K\n",
                        program, v);
                goto usage_error;
            }
        } else if ((v = value_of(a, "--progress-file")) != NULL) {
            o->progress_file = v;
        } else if ((v = value_of(a, "--out-dir")) != NULL) {
            o->out_dir = v;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help = true;
        } else {
            if (value_of(a, "--benchmark_out") != NULL)
                o->user_out = true;
            if ((v = value_of(a, "--benchmark_min_time")) != NULL)
                user_min = v;
            if ((v = value_of(a, "--benchmark_min_warmup_time")) != NULL)
                user_warm = v;
            if ((v = value_of(a, "--benchmark_repetitions")) != NULL)
                o->repetitions = atoi(v);
            if (strncmp(a, "--benchmark_list_tests", 22) == 0 &&
                strcmp(a, "--benchmark_list_tests=false") != 0)
                o->listing = true;
            user[nuser++] = argv[i];
        }
    }
    if (help) {
        usage(program);
        char *hargv[] = {argv[0], (char *)"--help", NULL};
        int hargc = 2;
        free(user);
        bvb_run(&hargc, hargv, NULL, NULL);   /* prints the library's flags and exits */
        return 0;
    }
    if (have_src != have_dst) {
        fprintf(stderr, "%s: give --src-page-offset and --dst-page-offset together\n",
                program);
        goto usage_error;
    }
    o->placement_given = have_src;
    /* A size given as 0 is a mistake, not a request for the default. */
    if (max_given && max_bytes < BENCH_KIB) {
        fprintf(stderr, "%s: --max-bytes must be at least 1K (1024 bytes)\n", program);
        goto usage_error;
    }
    o->top = max_given ? max_bytes : default_top();
    if (o->quick && o->top > QUICK_CAP)
        o->top = QUICK_CAP;
    if (o->top > (uint64_t)PTRDIFF_MAX / 2) {
        fprintf(stderr, "%s: --max-bytes is too large\n", program);
        goto usage_error;
    }
    for (uint64_t s = BENCH_KIB; s < o->top && o->nsizes < BENCH_MAX_SIZES - 1; s *= o->factor)
        o->sizes[o->nsizes++] = (int64_t)s;
    o->sizes[o->nsizes++] = (int64_t)o->top;
    if (o->layout_bytes == 0)
        o->layout_bytes = DEFAULT_LAYOUT_BYTES;
    if (o->layout_bytes > o->top)
        o->layout_bytes = o->top;
    if (o->repetitions < 0) {
        fprintf(stderr, "%s: --benchmark_repetitions must be at least 1\n", program);
        goto usage_error;
    }
    if (list_sizes) {
        for (size_t s = 0; s < o->nsizes; s++)
            printf("%lld\n", (long long)o->sizes[s]);
        free(user);
        return 0;
    }

    /* The library's argv: our defaults first, the user's flags after them (the last of a
     * flag wins), the output file last (added by the caller). */
    static char min_arg[64], warm_arg[64];
    o->min_time = user_min != NULL ? user_min : (o->quick ? QUICK_MIN_TIME : DEFAULT_MIN_TIME);
    o->warmup = user_warm != NULL ? user_warm : (o->quick ? QUICK_WARMUP : DEFAULT_WARMUP);
    snprintf(min_arg, sizeof min_arg, "--benchmark_min_time=%s",
             o->quick ? QUICK_MIN_TIME : DEFAULT_MIN_TIME);
    /* The library's own warm-up flag is 0: bench_main sets each instance's warm-up
     * (Google Benchmark applies a per-benchmark warm-up only when it is above 0, and
     * falls back to the flag otherwise). A user's flag replaces both. */
    snprintf(warm_arg, sizeof warm_arg, "--benchmark_min_warmup_time=%s",
             user_warm != NULL ? user_warm : "0");
    o->min_time_s = strtod(o->min_time, NULL);
    o->warmup_s = strtod(o->warmup, NULL);
    if (!(o->min_time_s > 0) || !(o->warmup_s >= 0)) {
        fprintf(stderr, "%s: --benchmark_min_time must be above 0 and "
                        "--benchmark_min_warmup_time at least 0 (plain seconds, e.g. 0.1)\n",
                program);
        goto usage_error;
    }
    o->gb_argv[o->gb_argc++] = argv[0];
    o->gb_argv[o->gb_argc++] = min_arg;
    o->gb_argv[o->gb_argc++] = warm_arg;
    o->gb_argv[o->gb_argc++] = (char *)"--benchmark_enable_random_interleaving=true";
    /* The console shows each instance's aggregates; the file keeps every repetition. */
    o->gb_argv[o->gb_argc++] = (char *)"--benchmark_display_aggregates_only=true";
    for (int i = 0; i < nuser; i++)
        o->gb_argv[o->gb_argc++] = user[i];
    free(user);
    return -1;

usage_error:
    free(user);
    return 2;
}

void bench_options_free(bench_options *o)
{
    free(o->gb_argv);
    o->gb_argv = NULL;
}
