/*
 * consumers_test.c: the functions the pass, chunks and modify benchmarks hand data to must
 * compute what they claim (a fast sum that skipped bytes would make the O(n) figures
 * meaningless). Checked against plain byte loops at every alignment and many lengths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

int main(void)
{
    enum { N = 70000 };
    unsigned char *buf = malloc(N + 16), *copy = malloc(N + 16);
    if (buf == NULL || copy == NULL)
        return 1;
    for (size_t i = 0; i < N + 16; i++)
        buf[i] = (unsigned char)(i * 131u + 7u);
    int failures = 0;
    for (size_t off = 0; off < 8; off++) {
        for (size_t n = 0; n <= N; n += n < 300 ? 1 : 997) {
            uint64_t want = 0;
            for (size_t i = 0; i < n; i++)
                want += buf[off + i];
            if (bench_consume_sum(buf + off, n) != want) {
                fprintf(stderr, "sum wrong at offset %zu, length %zu\n", off, n);
                failures++;
            }
            memcpy(copy, buf, N + 16);
            bench_modify_bytes(copy + off, n);
            for (size_t i = 0; i < N + 16; i++) {
                unsigned char expect = buf[i];
                if (i >= off && i < off + n)
                    expect ^= 0x20;
                if (copy[i] != expect) {
                    fprintf(stderr, "modify wrong at offset %zu, length %zu, byte %zu\n", off, n,
                            i);
                    failures++;
                    break;
                }
            }
        }
    }
    /* All 0xff: the largest lane values, so any overflow of the 16-bit lanes shows. */
    memset(copy, 0xff, N);
    if (bench_consume_sum(copy, N) != (uint64_t)N * 255) {
        fprintf(stderr, "sum of 0xff bytes overflowed\n");
        failures++;
    }
    /* The header consumer depends on the length and the first 8 bytes only. */
    if (bench_consume_header(buf, 100) != bench_consume_header(buf, 100) ||
        bench_consume_header(buf, 100) == bench_consume_header(buf, 101) ||
        bench_consume_header(buf, 100) == bench_consume_header(buf + 1, 100)) {
        fprintf(stderr, "header consumer ignores its input\n");
        failures++;
    }
    memcpy(copy, buf, 100);
    copy[50] ^= 1;
    if (bench_consume_header(buf, 100) != bench_consume_header(copy, 100)) {
        fprintf(stderr, "header consumer read beyond the first 8 bytes\n");
        failures++;
    }
    free(buf);
    free(copy);
    if (failures != 0)
        return 1;
    printf("consumers_test: sum, modify and header consumers correct\n");
    return 0;
}
