/*
 * sysinfo.h: small readings of the machine that several parts of the benchmark harness
 * need (memory figures from /proc, one-line /sys files) and the size syntax shared by
 * every option. Internal to bench/common.
 *
 * Ownership: callers own every buffer they pass; nothing here allocates.
 */
#ifndef BUFVIEW_BENCH_SYSINFO_H
#define BUFVIEW_BENCH_SYSINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_KIB ((uint64_t)1024)
#define BENCH_MIB (BENCH_KIB * 1024)
#define BENCH_GIB (BENCH_MIB * 1024)
#define BENCH_PAGE ((size_t)4096)
#define BENCH_HUGE_PAGE ((size_t)2 * 1024 * 1024)

/* A "Key:   123 kB" line of a /proc file, in bytes; 0 when missing. */
uint64_t bench_sys_proc_kb(const char *path, const char *key);
uint64_t bench_sys_mem_available(void);
uint64_t bench_sys_mem_total(void);
/* The first line of a small file without its newline; false when unreadable. */
bool bench_sys_read_line(const char *path, char *buf, size_t cap);
/* "4 GiB", "1.5 MiB", "1000 B" into buf; returns buf. */
const char *bench_sys_fmt_size(char *buf, size_t cap, uint64_t bytes);
/* "4G", "64M", "512K", "1024", "4GiB", "4gb": binary multiples. */
bool bench_sys_parse_size(const char *s, uint64_t *out);
/* Seconds on the monotonic clock (for messages about untimed work only). */
double bench_sys_now(void);

#endif
