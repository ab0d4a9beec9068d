/*
 * sysinfo.c: /proc and /sys readings and the size syntax (see sysinfo.h).
 */
#define _GNU_SOURCE

#include "sysinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_sys_proc_kb(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[256];
    size_t klen = strlen(key);
    uint64_t value = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            value = strtoull(line + klen + 1, NULL, 10) * BENCH_KIB;
            break;
        }
    }
    fclose(f);
    return value;
}

uint64_t bench_sys_mem_available(void)
{
    return bench_sys_proc_kb("/proc/meminfo", "MemAvailable");
}

uint64_t bench_sys_mem_total(void)
{
    return bench_sys_proc_kb("/proc/meminfo", "MemTotal");
}

bool bench_sys_read_line(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return false;
    bool ok = fgets(buf, (int)cap, f) != NULL;
    fclose(f);
    if (ok)
        buf[strcspn(buf, "\n")] = '\0';
    return ok;
}

const char *bench_sys_fmt_size(char *buf, size_t cap, uint64_t bytes)
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

bool bench_sys_parse_size(const char *s, uint64_t *out)
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
    case 'k': case 'K': mult = BENCH_KIB; end++; break;
    case 'm': case 'M': mult = BENCH_MIB; end++; break;
    case 'g': case 'G': mult = BENCH_GIB; end++; break;
    case 't': case 'T': mult = BENCH_GIB * 1024; end++; break;
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

double bench_sys_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
