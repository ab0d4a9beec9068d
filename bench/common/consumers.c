/*
 * consumers.c: what the benchmarks hand their data to (see bench_common.h). Plain C,
 * compiled once and never inlined, so a view and a copy of the same bytes make the same
 * call.
 */
#include <string.h>

#include "bench_common.h"

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

/* 16-byte vectors (SSE2 on any x86-64, NEON elsewhere) through GCC's vector extension. */
typedef uint64_t bench_v2 __attribute__((vector_size(16)));

__attribute__((noinline)) uint64_t bench_read_all(const unsigned char *p, size_t len)
{
    /* Four independent accumulators of 16 bytes: 64 bytes (one cache line) per step, one
     * XOR per 16 bytes, so the loop waits on loads, never on arithmetic. */
    bench_v2 a0 = {0, 0}, a1 = {0, 0}, a2 = {0, 0}, a3 = {0, 0};
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        bench_v2 x0, x1, x2, x3;
        memcpy(&x0, p + i, 16);
        memcpy(&x1, p + i + 16, 16);
        memcpy(&x2, p + i + 32, 16);
        memcpy(&x3, p + i + 48, 16);
        a0 ^= x0;
        a1 ^= x1;
        a2 ^= x2;
        a3 ^= x3;
    }
    bench_v2 a = a0 ^ a1 ^ a2 ^ a3;
    uint64_t t = a[0] ^ a[1];
    for (; i < len; i++)
        t ^= p[i];
    return t;
}
