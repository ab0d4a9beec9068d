/*
 * alloc.c: the benchmarks' allocator (see alloc.h): glibc below the threshold, placed
 * anonymous mappings above it, with a one-block cache for the recycled mode.
 */
#define _GNU_SOURCE

#include "alloc.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bufview/bufview.h"
#include "sysinfo.h"

/* A large block and the mapping it lives in. */
typedef struct mapping {
    char *block;
    char *map;
    size_t len;
} mapping;

/* Live large blocks: a benchmark holds one or two at a time (a copy and, for a bytearray,
 * its object's data), so a short table searched linearly costs nothing next to a system
 * call. */
#define MAX_LIVE 32

static struct {
    bench_mem mode;
    size_t offset;          /* page offset of each large block's first byte */
    mapping live[MAX_LIVE];
    size_t nlive;
    mapping cached;         /* RECYCLED: the block freed last, still mapped */
    const void *last;
    uint64_t calls, bytes;
} g_alloc;

static size_t round_up(size_t v, size_t to)
{
    return (v + to - 1) / to * to;
}

static void unmap(mapping *m)
{
    if (m->map != NULL)
        munmap(m->map, m->len);
    memset(m, 0, sizeof *m);
}

/* A fresh mapping holding `size` bytes from page offset g_alloc.offset. */
static bool map_block(size_t size, bool huge, mapping *out)
{
    size_t len = round_up(g_alloc.offset + size, huge ? BENCH_HUGE_PAGE : BENCH_PAGE);
    size_t extra = huge ? BENCH_HUGE_PAGE : 0;   /* room to align the start */
    char *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        return false;
    char *map = p;
    if (huge) {
        map = (char *)round_up((size_t)p, BENCH_HUGE_PAGE);
        if (map > p)
            munmap(p, (size_t)(map - p));
        if (map + len < p + len + extra)
            munmap(map + len, (size_t)(p + len + extra - (map + len)));
        /* Advice only: where it is refused the pages are 4 KiB and the benchmark's fault
         * counter shows it. */
        madvise(map, len, MADV_HUGEPAGE);
    }
    *out = (mapping){map + g_alloc.offset, map, len};
    return true;
}

void *bench_malloc(size_t size)
{
    g_alloc.calls++;
    g_alloc.bytes += size;
    if (size < BENCH_ALLOC_THRESHOLD || g_alloc.nlive == MAX_LIVE) {
        void *p = malloc(size);
        g_alloc.last = p;
        return p;
    }
    mapping m;
    size_t need = round_up(g_alloc.offset + size, BENCH_PAGE);
    if (g_alloc.mode == BENCH_MEM_RECYCLED && g_alloc.cached.map != NULL &&
        g_alloc.cached.len >= need &&
        (size_t)(g_alloc.cached.block - g_alloc.cached.map) == g_alloc.offset) {
        m = g_alloc.cached;
        memset(&g_alloc.cached, 0, sizeof g_alloc.cached);
    } else if (!map_block(size, g_alloc.mode == BENCH_MEM_THP, &m)) {
        return NULL;
    }
    g_alloc.live[g_alloc.nlive++] = m;
    g_alloc.last = m.block;
    return m.block;
}

void bench_free(void *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < g_alloc.nlive; i++) {
        if (g_alloc.live[i].block != p)
            continue;
        mapping m = g_alloc.live[i];
        g_alloc.live[i] = g_alloc.live[--g_alloc.nlive];
        if (g_alloc.mode == BENCH_MEM_RECYCLED) {
            unmap(&g_alloc.cached);
            g_alloc.cached = m;
        } else {
            unmap(&m);
        }
        return;
    }
    free(p);
}

void bench_alloc_prime(size_t size)
{
    if (g_alloc.mode != BENCH_MEM_RECYCLED || size < BENCH_ALLOC_THRESHOLD)
        return;
    uint64_t calls = g_alloc.calls, bytes = g_alloc.bytes;
    char *p = bench_malloc(size);
    if (p != NULL) {
        /* One write per page: a new block gets its pages, a kept one gets back any the
         * host took away meanwhile. */
        for (size_t i = 0; i < size; i += BENCH_PAGE)
            ((volatile char *)p)[i] = 0;
        bench_free(p);
    }
    /* Not the benchmark's allocation: keep the counts as they were. */
    g_alloc.calls = calls;
    g_alloc.bytes = bytes;
}

static void *hook_malloc(size_t size, void *ctx)
{
    (void)ctx;
    return bench_malloc(size);
}

static void hook_free(void *p, void *ctx)
{
    (void)ctx;
    bench_free(p);
}

void bench_alloc_init(void)
{
    /* A fixed threshold also stops glibc's dynamic adjustment (glibc's mallopt(3)). */
    mallopt(M_MMAP_THRESHOLD, (int)BENCH_ALLOC_THRESHOLD);
    static const bv_allocator hooks = {hook_malloc, hook_free, NULL};
    bv_allocator_set(&hooks);
}

void bench_alloc_shutdown(void)
{
    unmap(&g_alloc.cached);
    bv_allocator_set(NULL);
}

void bench_alloc_configure(bench_mem mode, size_t dst_page_offset, size_t header)
{
    /* The recycled block stays mapped while other benchmarks run: making it again would
     * cost a fault per page, seconds at the largest sizes, before every run of a
     * recycled benchmark. It is dropped when a block at another offset is wanted. */
    size_t offset = (dst_page_offset + BENCH_PAGE - header % BENCH_PAGE) % BENCH_PAGE;
    if (offset != g_alloc.offset && g_alloc.cached.map != NULL &&
        (size_t)(g_alloc.cached.block - g_alloc.cached.map) != offset)
        unmap(&g_alloc.cached);
    g_alloc.mode = mode;
    g_alloc.offset = offset;
}

const void *bench_alloc_last(void)
{
    return g_alloc.last;
}

void bench_alloc_totals(uint64_t *calls, uint64_t *bytes)
{
    *calls = g_alloc.calls;
    *bytes = g_alloc.bytes;
}

bool bench_thp_available(char *why, size_t cap)
{
    char mode[128];
    if (!bench_sys_read_line("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof mode)) {
        snprintf(why, cap, "skipped: transparent huge pages are not available "
                           "(no /sys/kernel/mm/transparent_hugepage/enabled)");
        return false;
    }
    if (strstr(mode, "[never]") != NULL) {
        snprintf(why, cap, "skipped: transparent huge pages are off (enabled: %s)", mode);
        return false;
    }
    return true;
}

const char *bench_mem_name(bench_mem mode)
{
    switch (mode) {
    case BENCH_MEM_RECYCLED: return "recycled";
    case BENCH_MEM_THP: return "thp";
    default: return "fresh";
    }
}
