/*
 * dataset.c: the shared dataset and destination buffer (see dataset.h).
 */
#define _GNU_SOURCE

#include "dataset.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "sysinfo.h"

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

/* A mapping and the placed start inside it. */
typedef struct region {
    unsigned char *map;
    size_t len;
} region;

static struct {
    const char *program;
    size_t top;
    unsigned src_off, dst_off;
    bool have_src;
    region src_map, scratch_map;
    bench_data data;
    dataset_exporter exporter, exporter_rw;
} g_ds;

void bench_data_configure(const char *program, size_t top, unsigned src_page_offset,
                          unsigned dst_page_offset)
{
    g_ds.program = program;
    g_ds.top = top;
    g_ds.src_off = src_page_offset;
    g_ds.dst_off = dst_page_offset;
}

bool bench_memory_allows(uint64_t bytes, const char *what, char *why, size_t cap)
{
    uint64_t avail = bench_sys_mem_available();
    uint64_t reserve = bench_sys_mem_total() / 8;
    if (reserve < BENCH_GIB)
        reserve = BENCH_GIB;
    if (avail >= reserve && avail - reserve >= bytes)
        return true;
    char need[32], have[32], keep[32];
    snprintf(why, cap, "skipped: %s needs %s but MemAvailable is %s (keeping %s free)", what,
             bench_sys_fmt_size(need, sizeof need, bytes),
             bench_sys_fmt_size(have, sizeof have, avail),
             bench_sys_fmt_size(keep, sizeof keep, reserve));
    return false;
}

/* n bytes from page offset `off` in fresh anonymous memory, every page faulted in now
 * (MAP_POPULATE batches the faults). Plain 4 KiB pages, as malloc's memory has. */
static unsigned char *map_placed(size_t n, unsigned off, region *r)
{
    /* One page more than needed, so a caller may also start anywhere in the first page
     * (the layout family moves the destination). */
    size_t len = (off + n + BENCH_PAGE - 1) / BENCH_PAGE * BENCH_PAGE + BENCH_PAGE;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                   -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    r->map = p;
    r->len = len;
    return r->map + off;
}

static void unmap(region *r)
{
    if (r->map != NULL)
        munmap(r->map, r->len);
    r->map = NULL;
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

static void note_build(const char *what, size_t n, double seconds)
{
    /* Only the big ones: they take long enough that a silent pause looks like a hang. */
    if (n >= 64 * BENCH_MIB) {
        char sz[32];
        fprintf(stderr, "%s: %s of %s built and touched in %.2f s (not timed)\n", g_ds.program,
                what, bench_sys_fmt_size(sz, sizeof sz, n), seconds);
    }
}

/* Build the dataset of `size` bytes (replacing a smaller one). */
static bool build_source(bvb_state *st, size_t size)
{
    char why[400];
    if (!bench_memory_allows(size, "the dataset", why, sizeof why)) {
        bvb_skip_with_error(st, why);
        return false;
    }
    bench_data_free();
    double t0 = bench_sys_now();
    /* The slice [1:] starts at the source page offset, so the data starts one before. */
    unsigned off = (g_ds.src_off + (unsigned)BENCH_PAGE - 1) % (unsigned)BENCH_PAGE;
    unsigned char *src = map_placed(size, off, &g_ds.src_map);
    if (src == NULL) {
        snprintf(why, sizeof why, "skipped: cannot map the dataset: %s", strerror(errno));
        bvb_skip_with_error(st, why);
        return false;
    }
    fill_pattern(src, size);
    g_ds.exporter = (dataset_exporter){.buf = src, .n = size, .readonly = true};
    g_ds.exporter_rw = (dataset_exporter){.buf = src, .n = size, .readonly = false};
    bv_exporter_init(&g_ds.exporter.base, &bytes_like, 0);
    bv_exporter_init(&g_ds.exporter_rw.base, &bytearray_like, BV_EXPORTER_UNHASHABLE);
    bv_error err;
    bool have_base = bv_view_from(&g_ds.data.base, &g_ds.exporter.base, &err) == BV_OK;
    if (!have_base || bv_view_from(&g_ds.data.base_rw, &g_ds.exporter_rw.base, &err) != BV_OK) {
        snprintf(why, sizeof why, "bv_view_from(dataset) failed: %s: %s",
                 bv_status_name(err.kind), err.message);
        if (have_base)
            bv_view_release(&g_ds.data.base, NULL);
        unmap(&g_ds.src_map);
        bvb_skip_with_error(st, why);
        return false;
    }
    g_ds.data.src = src;
    g_ds.data.top = size;
    g_ds.data.exporter = &g_ds.exporter.base;
    g_ds.have_src = true;
    note_build("dataset", size, bench_sys_now() - t0);
    return true;
}

static bool build_scratch(bvb_state *st)
{
    char why[400];
    const size_t size = g_ds.data.top;
    if (!bench_memory_allows(size, "the destination buffer", why, sizeof why)) {
        bvb_skip_with_error(st, why);
        return false;
    }
    double t0 = bench_sys_now();
    unsigned char *p = map_placed(size, g_ds.dst_off, &g_ds.scratch_map);
    if (p == NULL) {
        snprintf(why, sizeof why, "skipped: cannot map the destination buffer: %s",
                 strerror(errno));
        bvb_skip_with_error(st, why);
        return false;
    }
    /* Written once, so the copies measured later never fault (and the hypervisor has
     * backed every page). */
    memset(g_ds.scratch_map.map, 0x5a, g_ds.scratch_map.len);
    g_ds.data.scratch = p;
    g_ds.data.scratch_page = g_ds.scratch_map.map;
    note_build("destination buffer", size, bench_sys_now() - t0);
    return true;
}

/* One touch per page of [p, p + n): read, or write when `write`. Returns the seconds. */
static double touch_pages(unsigned char *p, size_t n, bool write)
{
    double t0 = bench_sys_now();
    unsigned char acc = 0;
    for (size_t i = 0; i < n; i += BENCH_PAGE) {
        if (write)
            ((volatile unsigned char *)p)[i] = acc;
        else
            acc ^= ((const volatile unsigned char *)p)[i];
    }
    return bench_sys_now() - t0;
}

/* A pass over resident memory costs tens of ns per page; one that costs more met pages the
 * host had taken away, and the host takes them a few milliseconds after memory elsewhere
 * was freed, so one pass right after a free can be fast and the next slow (a 2 GiB buffer:
 * 0.014 s, then 1.2 s). Passes repeat until one is fast, four at most. */
#define WARM_FAST_NS_PER_PAGE 100.0
#define WARM_MAX_PASSES 4

static void warm_region(unsigned char *p, size_t n, bool write)
{
    double pages = (double)((n + BENCH_PAGE - 1) / BENCH_PAGE);
    for (int pass = 0; pass < WARM_MAX_PASSES; pass++)
        if (touch_pages(p, n, write) * 1e9 / pages < WARM_FAST_NS_PER_PAGE)
            break;
}

void bench_data_warm(const bench_data *d, size_t n, bool scratch)
{
    warm_region(d->src, n, false);
    if (scratch && d->scratch_page != NULL)
        warm_region(d->scratch_page, n + BENCH_PAGE, true);
}

bench_data *bench_data_acquire(bvb_state *st, size_t n, bool scratch)
{
    /* Normally the first call builds the top size and every later one uses it. Where the
     * top size does not fit in memory, the dataset is only as large as the instances that
     * do fit: an instance that needs more is skipped with the reason. */
    if (!g_ds.have_src || g_ds.data.top < n) {
        char why[400];
        size_t size = bench_memory_allows(g_ds.top, "the dataset", why, sizeof why) ? g_ds.top : n;
        if (!build_source(st, size))
            return NULL;
    }
    if (scratch && g_ds.data.scratch == NULL && !build_scratch(st))
        return NULL;
    return &g_ds.data;
}

void bench_data_free(void)
{
    if (g_ds.have_src) {
        bv_view_release(&g_ds.data.base, NULL);
        bv_view_release(&g_ds.data.base_rw, NULL);
    }
    unmap(&g_ds.src_map);
    unmap(&g_ds.scratch_map);
    memset(&g_ds.data, 0, sizeof g_ds.data);
    g_ds.have_src = false;
}
