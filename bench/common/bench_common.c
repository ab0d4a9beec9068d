/*
 * bench_common.c: the harness shared by the benchmark programs (see bench_common.h):
 * options and sizes, datasets built once per size, the counting allocator and resource
 * counters, machine context, and the JSON file written through a temporary name.
 */
#define _GNU_SOURCE

#include "bench_common.h"

#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define KIB ((uint64_t)1024)
#define MIB (KIB * 1024)
#define GIB (MIB * 1024)

/* Default minimum measured time per benchmark, in seconds (--benchmark_min_time). With
 * 13 sized families over 12 sizes this keeps a full default run of all programs to a
 * few minutes; each figure is still the average of many iterations except at the
 * largest sizes, where a single iteration takes longer than this. */
#define DEFAULT_MIN_TIME "0.2"
#define QUICK_MIN_TIME "0.005"
/* Warm-up before measuring (--benchmark_min_warmup_time; at least one iteration). On
 * this kind of VM the first touch of memory the guest has not used recently costs several
 * times a later one: without a warm-up, a single-iteration result at 256 MiB varied by
 * 30% between runs; with it, by 2%. Every benchmark then measures the steady state. */
#define DEFAULT_WARMUP "0.05"
#define QUICK_WARMUP "0.001"
#define QUICK_CAP (64 * MIB)
#define DEFAULT_CAP (8 * GIB)

/* ---- counting allocations ------------------------------------------------------------ */

/* Process-wide totals; the run hooks report their growth per iteration. Single-threaded,
 * like everything the shim runs. */
static uint64_t g_alloc_calls;
static uint64_t g_alloc_bytes;

static void *counting_malloc(size_t size, void *ctx)
{
    (void)ctx;
    g_alloc_calls++;
    g_alloc_bytes += size;
    return malloc(size);
}

static void counting_free(void *ptr, void *ctx)
{
    (void)ctx;
    free(ptr);
}

void *bench_malloc(size_t size)
{
    return counting_malloc(size, NULL);
}

/* ---- consumers ----------------------------------------------------------------------- */

__attribute__((noinline)) uint64_t bench_consume_header(const unsigned char *p, size_t len)
{
    /* What a parser checking a magic number does: the length and the first 8 bytes. */
    uint64_t head = 0;
    if (len >= 8)
        memcpy(&head, p, 8);
    else
        for (size_t i = 0; i < len; i++)
            head = head << 8 | p[i];
    return head ^ (uint64_t)len;
}

__attribute__((noinline)) uint64_t bench_consume_sum(const unsigned char *p, size_t len)
{
    /* Eight bytes at a time: each 64-bit word is split into four 16-bit lanes of byte
     * pairs. A block of at most 128 words adds at most 128 * 2 * 255 = 65280 per lane, so
     * lanes are folded into the total after each block, before they can overflow. Plain C
     * that the compiler turns into a loop limited by memory, not by arithmetic. */
    const uint64_t lo = UINT64_C(0x00ff00ff00ff00ff);
    uint64_t total = 0;
    while (len >= 8) {
        size_t words = len / 8 < 128 ? len / 8 : 128;
        uint64_t lanes = 0;
        for (size_t i = 0; i < words; i++) {
            uint64_t w;
            memcpy(&w, p + 8 * i, 8);
            lanes += (w & lo) + ((w >> 8) & lo);
        }
        lanes = (lanes & UINT64_C(0x0000ffff0000ffff)) +
                ((lanes >> 16) & UINT64_C(0x0000ffff0000ffff));
        total += (lanes & 0xffffffffu) + (lanes >> 32);
        p += 8 * words;
        len -= 8 * words;
    }
    for (size_t i = 0; i < len; i++)
        total += p[i];
    return total;
}

__attribute__((noinline)) void bench_modify_bytes(unsigned char *p, size_t len)
{
    const uint64_t bit5 = UINT64_C(0x2020202020202020);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        w ^= bit5;
        memcpy(p + i, &w, 8);
    }
    for (; i < len; i++)
        p[i] ^= 0x20;
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

/* ---- /proc and sizes ------------------------------------------------------------------ */

/* A "Key:   123 kB" line of a /proc file, in bytes; 0 when missing. */
static uint64_t proc_kb(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[256];
    size_t klen = strlen(key);
    uint64_t value = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            value = strtoull(line + klen + 1, NULL, 10) * KIB;
            break;
        }
    }
    fclose(f);
    return value;
}

static uint64_t mem_available(void)
{
    return proc_kb("/proc/meminfo", "MemAvailable");
}

static uint64_t mem_total(void)
{
    return proc_kb("/proc/meminfo", "MemTotal");
}

/* "4 GiB", "1.5 MiB", "1000 B". */
static const char *fmt_size(char *buf, size_t cap, uint64_t bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0 || v == (double)(uint64_t)v)
        snprintf(buf, cap, "%llu %s", (unsigned long long)v, units[u]);
    else
        snprintf(buf, cap, "%.1f %s", v, units[u]);
    return buf;
}

/* "4G", "64M", "512K", "1024", "4GiB", "4gb": binary multiples. */
static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0)
        return false;
    uint64_t mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = KIB; end++; break;
    case 'm': case 'M': mult = MIB; end++; break;
    case 'g': case 'G': mult = GIB; end++; break;
    case 't': case 'T': mult = GIB * 1024; end++; break;
    default: break;
    }
    if (mult > 1 && (*end == 'i' || *end == 'I'))
        end++;
    if (*end == 'b' || *end == 'B')
        end++;
    if (*end != '\0' || v > UINT64_MAX / mult)
        return false;
    *out = (uint64_t)v * mult;
    return true;
}

/* Memory left to the rest of the machine whatever happens (other programs may grow after
 * our check): an eighth of it, at least 1 GiB. */
static uint64_t memory_reserve(void)
{
    uint64_t r = mem_total() / 8;
    return r < GIB ? GIB : r;
}

/* Whether `bytes` more can be made resident without pushing the machine below the
 * reserve; on refusal, writes why. */
static bool memory_allows(uint64_t bytes, const char *what, char *why, size_t cap)
{
    uint64_t avail = mem_available();
    uint64_t reserve = memory_reserve();
    if (avail >= reserve && avail - reserve >= bytes)
        return true;
    char need[32], have[32], keep[32];
    snprintf(why, cap, "skipped: %s needs %s but MemAvailable is %s (keeping %s free)", what,
             fmt_size(need, sizeof need, bytes), fmt_size(have, sizeof have, avail),
             fmt_size(keep, sizeof keep, reserve));
    return false;
}

/* ---- the dataset ----------------------------------------------------------------------- */

typedef struct dataset_exporter {
    bv_exporter base;    /* first: a bv_exporter * is a dataset_exporter * */
    unsigned char *buf;
    size_t n;
    bool readonly;
} dataset_exporter;

static bv_status dataset_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    dataset_exporter *d = (dataset_exporter *)self;
    return bv_buffer_fill_info(view, self, d->buf, (ptrdiff_t)d->n, d->readonly, flags, err);
}

/* Named after what they stand for in the Python programs being modelled. Not counted
 * (the harness owns the memory) and never resized, so no release callback is needed. */
static const bv_exporter_type bytes_like = {.name = "bytes", .getbuffer = dataset_getbuffer};
static const bv_exporter_type bytearray_like = {.name = "bytearray",
                                                .getbuffer = dataset_getbuffer};

static struct {
    bool writable;
    bool have;
    bench_data data;
    dataset_exporter exporter;
    const char *program;
} g_ds;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Anonymous memory, every page faulted in now (MAP_POPULATE batches the faults, far
 * cheaper than taking them one by one). Plain 4 KiB pages, as malloc's memory has. */
static unsigned char *map_resident(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void fill_pattern(unsigned char *p, size_t n)
{
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(p + i, &x, 8);
    }
    for (; i < n; i++)
        p[i] = (unsigned char)(i * 131u + 7u);
}

static void scratch_free(void)
{
    if (g_ds.data.scratch != NULL) {
        munmap(g_ds.data.scratch, g_ds.data.n);
        g_ds.data.scratch = NULL;
    }
}

static void data_free(void)
{
    if (!g_ds.have)
        return;
    bv_view_release(&g_ds.data.base, NULL);
    scratch_free();
    munmap(g_ds.data.src, g_ds.data.n);
    memset(&g_ds.data, 0, sizeof g_ds.data);
    g_ds.have = false;
}

static void note_build(const char *what, size_t n, double seconds)
{
    /* Only the big ones: they take long enough that a silent pause looks like a hang. */
    if (n >= 64 * MIB) {
        char sz[32];
        fprintf(stderr, "%s: %s of %s built and touched in %.2f s (not timed)\n", g_ds.program,
                what, fmt_size(sz, sizeof sz, n), seconds);
    }
}

/* The dataset of size n, built if it is not the current one; with a resident scratch
 * buffer when asked, and without one otherwise, so a benchmark's peak memory holds only
 * what it uses. NULL (after bvb_skip_with_error) when memory does not allow it. */
static bench_data *data_acquire(bvb_state *st, size_t n, bool scratch)
{
    char why[400];
    if (g_ds.have && g_ds.data.n != n)
        data_free();
    if (!scratch)
        scratch_free();
    if (!g_ds.have) {
        if (!memory_allows(n, "the dataset", why, sizeof why)) {
            bvb_skip_with_error(st, why);
            return NULL;
        }
        double t0 = now_seconds();
        unsigned char *src = map_resident(n);
        if (src == NULL) {
            snprintf(why, sizeof why, "skipped: cannot map the dataset: %s", strerror(errno));
            bvb_skip_with_error(st, why);
            return NULL;
        }
        fill_pattern(src, n);
        g_ds.exporter.buf = src;
        g_ds.exporter.n = n;
        g_ds.exporter.readonly = !g_ds.writable;
        bv_exporter_init(&g_ds.exporter.base, g_ds.writable ? &bytearray_like : &bytes_like,
                         g_ds.writable ? BV_EXPORTER_UNHASHABLE : 0);
        bv_error err;
        if (bv_view_from(&g_ds.data.base, &g_ds.exporter.base, &err) != BV_OK) {
            snprintf(why, sizeof why, "bv_view_from(dataset) failed: %s: %s",
                     bv_status_name(err.kind), err.message);
            munmap(src, n);
            bvb_skip_with_error(st, why);
            return NULL;
        }
        g_ds.data.src = src;
        g_ds.data.n = n;
        g_ds.have = true;
        note_build("dataset", n, now_seconds() - t0);
    }
    if (scratch && g_ds.data.scratch == NULL) {
        if (!memory_allows(n, "the destination buffer", why, sizeof why)) {
            bvb_skip_with_error(st, why);
            return NULL;
        }
        double t0 = now_seconds();
        unsigned char *p = map_resident(n);
        if (p == NULL) {
            snprintf(why, sizeof why, "skipped: cannot map the destination buffer: %s",
                     strerror(errno));
            bvb_skip_with_error(st, why);
            return NULL;
        }
        /* Written once so the copies measured later never fault. */
        memset(p, 0x5a, n);
        g_ds.data.scratch = p;
        note_build("destination buffer", n, now_seconds() - t0);
    }
    return &g_ds.data;
}

/* Setup hook of every instance: outside the timer, before each run. */
static void case_setup(bvb_state *st, void *user)
{
    bench_ctx *x = user;
    if (x->c->flags & BENCH_NO_SIZE)
        return;
    x->d = data_acquire(st, x->n, (x->c->flags & BENCH_NEEDS_SCRATCH) != 0);
    if (x->d != NULL && (x->c->flags & BENCH_COPIES)) {
        char why[400];
        if (!memory_allows(x->n, "a copy", why, sizeof why))
            bvb_skip_with_error(st, why);
    }
}

/* ---- resource counters ------------------------------------------------------------------ */

static struct {
    bool peak_reset_works;
    uint64_t calls, bytes;
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
    if (g_run.peak_reset_works)
        reset_peak_rss();
    g_run.calls = g_alloc_calls;
    g_run.bytes = g_alloc_bytes;
    g_run.minflt = minor_faults();
}

static void after_run(bvb_state *st, void *user)
{
    (void)user;
    long minflt = minor_faults() - g_run.minflt;
    uint64_t peak = proc_kb("/proc/self/status", "VmHWM");
    /* Totals over the run, divided by the iteration count by the library. */
    bvb_counter(st, "alloc_bytes", (double)(g_alloc_bytes - g_run.bytes),
                BVB_COUNTER_AVG_ITERATIONS | BVB_COUNTER_1024);
    bvb_counter(st, "allocs", (double)(g_alloc_calls - g_run.calls), BVB_COUNTER_AVG_ITERATIONS);
    bvb_counter(st, "minflt", (double)minflt, BVB_COUNTER_AVG_ITERATIONS);
    bvb_counter(st, "peak_rss", (double)peak, BVB_COUNTER_1024);
}

/* ---- output file ----------------------------------------------------------------------- */

static char g_tmp_path[PATH_MAX];
static volatile sig_atomic_t g_tmp_active;

static void on_signal(int sig)
{
    /* An interrupted run leaves the previous results, not half a file. */
    if (g_tmp_active)
        unlink(g_tmp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static bool make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return false;
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return false;
            *p = '/';
        }
    }
    return mkdir(buf, 0777) == 0 || errno == EEXIST;
}

/* ---- context ----------------------------------------------------------------------------- */

static void add_context_u64(const char *key, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    bvb_add_context(key, buf);
}

static void add_machine_context(void)
{
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "model name", 10) == 0) {
                char *v = strchr(line, ':');
                if (v != NULL) {
                    v += 1 + strspn(v + 1, " \t");
                    v[strcspn(v, "\n")] = '\0';
                    bvb_add_context("cpu_model", v);
                }
                break;
            }
        }
        fclose(f);
    }
    add_context_u64("mem_total_bytes", mem_total());
    add_context_u64("mem_available_bytes", mem_available());
    struct utsname u;
    if (uname(&u) == 0) {
        snprintf(line, sizeof line, "%s %s %s", u.sysname, u.release, u.machine);
        bvb_add_context("kernel", line);
    }
    f = fopen("/etc/os-release", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
                char *v = line + 12;
                v[strcspn(v, "\n")] = '\0';
                if (*v == '"') {
                    v++;
                    v[strcspn(v, "\"")] = '\0';
                }
                bvb_add_context("os", v);
                break;
            }
        }
        fclose(f);
    }
    f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f != NULL) {
        if (fgets(line, sizeof line, f) != NULL) {
            line[strcspn(line, "\n")] = '\0';
            bvb_add_context("transparent_hugepage", line);
        }
        fclose(f);
    }
    bvb_add_context("glibc", gnu_get_libc_version());
    bvb_add_context("compiler", __VERSION__);
#if defined(__OPTIMIZE__)
    bvb_add_context("bufview_optimized", "true");
#else
    bvb_add_context("bufview_optimized", "false");
#endif
}

#if defined(__SANITIZE_ADDRESS__)
#define BENCH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BENCH_SANITIZED 1
#endif
#endif

/* ---- main ------------------------------------------------------------------------------ */

static void usage(const char *program)
{
    printf("usage: %s [options] [--benchmark_* flags]\n"
           "\n"
           "Options of bufview's benchmark programs:\n"
           "  --max-bytes=SIZE   largest dataset (K, M, G, T suffixes, binary: 4G = 4 GiB);\n"
           "                     also $BUFVIEW_MAX_BYTES. Default: the largest power of two\n"
           "                     such that dataset + one copy fit in half of MemAvailable,\n"
           "                     at most 8 GiB.\n"
           "  --quick            smoke run: at most 64 MiB, minimum time %s s.\n"
           "  --size-factor=N    sizes grow by 2 or 4 from 1 KiB to the top (default 4).\n"
           "  --out-dir=DIR      results go to DIR/results/%s.json (default: out, or\n"
           "                     $BUFVIEW_OUT_DIR). --benchmark_out=FILE replaces it.\n"
           "  --help             this text, then Google Benchmark's flags.\n"
           "Defaults passed to Google Benchmark (later flags override them):\n"
           "  --benchmark_min_time=%s --benchmark_min_warmup_time=%s\n"
           "  --benchmark_out=<results file> --benchmark_out_format=json\n"
           "Filter with --benchmark_filter=REGEX, e.g. --benchmark_filter='/view/'.\n\n",
           program, QUICK_MIN_TIME, program, DEFAULT_MIN_TIME, DEFAULT_WARMUP);
}

static uint64_t default_top(void)
{
    /* Dataset + one copy in half of what is available: the other half stays free for the
     * rest of the machine. */
    uint64_t budget = mem_available() / 4;
    uint64_t top = KIB;
    while (top * 2 <= budget && top * 2 <= DEFAULT_CAP)
        top *= 2;
    return top;
}

int bench_main(int argc, char **argv, const char *program, bool writable,
               const bench_case *cases, size_t ncases)
{
    char **gargv = NULL, **user = NULL;
    bench_ctx *ctxs = NULL;
    int rc = 2;
    uint64_t max_bytes = 0;
    bool quick = false, help = false, user_out = false, user_min_time = false, listing = false;
    bool user_warmup = false;
    unsigned factor = 4;
    const char *out_dir = getenv("BUFVIEW_OUT_DIR");
    const char *env_max = getenv("BUFVIEW_MAX_BYTES");
    if (out_dir == NULL || *out_dir == '\0')
        out_dir = "out";
    bool max_given = env_max != NULL && *env_max != '\0';
    if (max_given && !parse_size(env_max, &max_bytes)) {
        fprintf(stderr, "%s: BUFVIEW_MAX_BYTES=%s is not a size like 4G, 512M or 65536\n",
                program, env_max);
        goto out;
    }

    /* Our options out, the library's through; defaults first so the user's win. */
    gargv = calloc((size_t)argc + 8, sizeof *gargv);
    user = calloc((size_t)argc + 1, sizeof *user);
    if (gargv == NULL || user == NULL)
        goto out;
    int gargc = 0;
    gargv[gargc++] = argv[0];
    int nuser = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--max-bytes=", 12) == 0) {
            max_given = true;
            if (!parse_size(a + 12, &max_bytes)) {
                fprintf(stderr, "%s: --max-bytes=%s is not a size like 4G, 512M or 65536\n",
                        program, a + 12);
                goto out;
            }
        } else if (strcmp(a, "--quick") == 0) {
            quick = true;
        } else if (strncmp(a, "--size-factor=", 14) == 0) {
            factor = (unsigned)strtoul(a + 14, NULL, 10);
            if (factor != 2 && factor != 4) {
                fprintf(stderr, "%s: --size-factor must be 2 or 4\n", program);
                goto out;
            }
        } else if (strncmp(a, "--out-dir=", 10) == 0) {
            out_dir = a + 10;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help = true;
        } else {
            if (strncmp(a, "--benchmark_out=", 16) == 0)
                user_out = true;
            if (strncmp(a, "--benchmark_min_time=", 21) == 0)
                user_min_time = true;
            if (strncmp(a, "--benchmark_min_warmup_time=", 28) == 0)
                user_warmup = true;
            if (strncmp(a, "--benchmark_list_tests", 22) == 0 &&
                strcmp(a, "--benchmark_list_tests=false") != 0)
                listing = true;
            user[nuser++] = argv[i];
        }
    }
    if (help) {
        usage(program);
        char *hargv[] = {argv[0], (char *)"--help", NULL};
        int hargc = 2;
        bvb_run(&hargc, hargv, NULL, NULL);   /* prints the library's flags and exits */
        rc = 0;
        goto out;
    }

    /* A size given as 0 is a mistake, not a request for the default. */
    if (max_given && max_bytes < KIB) {
        fprintf(stderr, "%s: --max-bytes must be at least 1K (1024 bytes)\n", program);
        goto out;
    }
    uint64_t top = max_given ? max_bytes : default_top();
    if (quick && top > QUICK_CAP)
        top = QUICK_CAP;
    if (top < KIB) {
        fprintf(stderr, "%s: the largest size must be at least 1K\n", program);
        goto out;
    }
    if (top > (uint64_t)PTRDIFF_MAX / 2) {
        fprintf(stderr, "%s: --max-bytes is too large\n", program);
        goto out;
    }

    int64_t sizes[64];
    size_t nsizes = 0;
    for (uint64_t s = KIB; s < top && nsizes < 63; s *= factor)
        sizes[nsizes++] = (int64_t)s;
    sizes[nsizes++] = (int64_t)top;

    static const bv_allocator counting = {counting_malloc, counting_free, NULL};
    bv_allocator_set(&counting);
    g_ds.writable = writable;
    g_ds.program = program;
    g_run.peak_reset_works = reset_peak_rss();

    /* One bench_ctx per instance, registered size by size. */
    ctxs = calloc(ncases * (nsizes + 1), sizeof *ctxs);
    if (ctxs == NULL)
        goto out;
    size_t nctx = 0;
    for (size_t c = 0; c < ncases; c++) {
        if (cases[c].flags & BENCH_NO_SIZE) {
            bench_ctx *x = &ctxs[nctx++];
            x->c = &cases[c];
            bvb_bench *b = bvb_register(cases[c].name, cases[c].run, x);
            bvb_setup(b, case_setup, NULL);
        }
    }
    for (size_t s = 0; s < nsizes; s++) {
        for (size_t c = 0; c < ncases; c++) {
            if (cases[c].flags & BENCH_NO_SIZE)
                continue;
            bench_ctx *x = &ctxs[nctx++];
            x->c = &cases[c];
            x->n = (size_t)sizes[s];
            bvb_bench *b = bvb_register(cases[c].name, cases[c].run, x);
            bvb_arg(b, sizes[s]);
            /* Wall-clock time: what a caller waits for, faults and memory stalls included. */
            bvb_use_real_time(b);
            bvb_setup(b, case_setup, NULL);
        }
    }
    bvb_set_run_hooks(before_run, after_run, NULL);

    /* Context written into the JSON beside the library's own (CPU count, caches, ...). */
    char buf[1024];
    add_machine_context();
    bvb_add_context("bufview_program", program);
    add_context_u64("bufview_top_bytes", top);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t s = 0; s < nsizes; s++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%lld", s ? "," : "",
                                 (long long)sizes[s]);
    bvb_add_context("bufview_sizes", buf);
    add_context_u64("bufview_size_factor", factor);
    bvb_add_context("bufview_quick", quick ? "true" : "false");
    bvb_add_context("bufview_time_basis",
                    "real (wall-clock) time per iteration; names omit Google Benchmark's "
                    "/real_time suffix so the size is the last part");
    bvb_add_context("bufview_counters",
                    "bytes_per_second: bytes of data handed over per second of real time "
                    "(plain bytes/s here, binary GiB/s in the console); alloc_bytes, allocs, "
                    "minflt: per iteration; peak_rss: bytes, VmHWM of the run after a reset");
    bvb_add_context("bufview_peak_rss_reset", g_run.peak_reset_works
                                                  ? "per run via /proc/self/clear_refs"
                                                  : "unavailable: peak_rss is the process peak");
    bvb_add_context("bufview_library_build_note",
                    "Debian builds libbenchmark without NDEBUG (library_build_type debug); "
                    "this affects the library's bookkeeping between timed runs, not the "
                    "measured loops");

    /* Default flags, then the user's. */
    static char min_time_arg[64];
    snprintf(min_time_arg, sizeof min_time_arg, "--benchmark_min_time=%s",
             quick ? QUICK_MIN_TIME : DEFAULT_MIN_TIME);
    if (!user_min_time)
        gargv[gargc++] = min_time_arg;
    static char warmup_arg[64];
    snprintf(warmup_arg, sizeof warmup_arg, "--benchmark_min_warmup_time=%s",
             quick ? QUICK_WARMUP : DEFAULT_WARMUP);
    if (!user_warmup)
        gargv[gargc++] = warmup_arg;
    /* The effective values: the user's flag when given (the last one wins). */
    const char *eff_min = min_time_arg + 21, *eff_warm = warmup_arg + 28;
    for (int i = 0; i < nuser; i++) {
        if (strncmp(user[i], "--benchmark_min_time=", 21) == 0)
            eff_min = user[i] + 21;
        if (strncmp(user[i], "--benchmark_min_warmup_time=", 28) == 0)
            eff_warm = user[i] + 28;
    }
    bvb_add_context("bufview_min_time", eff_min);
    bvb_add_context("bufview_min_warmup_time", eff_warm);
    char final_path[PATH_MAX] = "";
    static char out_arg[PATH_MAX + 32];
    bool own_file = !user_out && !listing;
    if (own_file) {
        char results[PATH_MAX - 64];
        int r = snprintf(results, sizeof results, "%s/results", out_dir);
        if (r < 0 || (size_t)r >= sizeof results || !make_dirs(results)) {
            fprintf(stderr, "%s: cannot create %s: %s\n", program, results, strerror(errno));
            goto out;
        }
        int a = snprintf(final_path, sizeof final_path, "%s/%s.json", results, program);
        int b = snprintf(g_tmp_path, sizeof g_tmp_path, "%s/.%s.json.tmp.%ld", results,
                         program, (long)getpid());
        if (a < 0 || b < 0 || (size_t)a >= sizeof final_path || (size_t)b >= sizeof g_tmp_path) {
            fprintf(stderr, "%s: the output directory's path is too long\n", program);
            goto out;
        }
        snprintf(out_arg, sizeof out_arg, "--benchmark_out=%s", g_tmp_path);
        gargv[gargc++] = out_arg;
        gargv[gargc++] = (char *)"--benchmark_out_format=json";
        g_tmp_active = 1;
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGHUP, on_signal);
    }
    for (int i = 0; i < nuser; i++)
        gargv[gargc++] = user[i];
    gargv[gargc] = NULL;

    char top_s[32];
    fprintf(stderr, "%s: %zu sizes, 1 KiB to %s (x%u), minimum time %s s, warm-up %s s%s\n",
            program, nsizes, fmt_size(top_s, sizeof top_s, top), factor,
            user_min_time ? "as given" : (quick ? QUICK_MIN_TIME : DEFAULT_MIN_TIME),
            user_warmup ? "as given" : (quick ? QUICK_WARMUP : DEFAULT_WARMUP),
            quick ? " (--quick)" : "");
    fprintf(stderr,
            "%s: note: Google Benchmark's \"Library was built as DEBUG\" warning below is "
            "about Debian's build of the library (no NDEBUG): it affects the library's "
            "bookkeeping between timed runs, not the measured loops.\n",
            program);
#ifdef BENCH_SANITIZED
    fprintf(stderr, "%s: note: sanitizer build: the figures are not meaningful.\n", program);
#endif

    double t0 = now_seconds();
    bvb_run_options opts = {.plain_names = true};
    bvb_run_result res = {0, 0};
    bvb_run_status status = bvb_run(&gargc, gargv, &opts, &res);
    double elapsed = now_seconds() - t0;

    data_free();
    bv_allocator_set(NULL);

    rc = 0;
    if (own_file) {
        struct stat sb;
        if (status == BVB_RUN_OK && stat(g_tmp_path, &sb) == 0 && sb.st_size > 0) {
            if (rename(g_tmp_path, final_path) != 0) {
                fprintf(stderr, "%s: cannot rename %s to %s: %s\n", program, g_tmp_path,
                        final_path, strerror(errno));
                rc = 1;
            }
        } else {
            unlink(g_tmp_path);
        }
        g_tmp_active = 0;
    }
    if (status == BVB_RUN_BAD_ARGUMENTS) {
        rc = 2;
    } else if (status == BVB_RUN_NO_MATCH) {
        fprintf(stderr, "%s: no benchmark matched the filter\n", program);
        rc = 1;
    } else if (!listing) {
        fprintf(stderr, "%s: %zu benchmarks in %.1f s, %zu reported an error%s%s\n", program,
                res.matched, elapsed, res.errors, own_file ? "; wrote " : "",
                own_file ? final_path : "");
    }
out:
    free(ctxs);
    free(user);
    free(gargv);
    return rc;
}
