/*
 * hash.c: SipHash-1-3 (CPython's bytes hash since 3.11) with a fixed key; hash.h says why
 * the key is fixed.
 */
#include "bufview/hash.h"

static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

/* One SipRound: the algorithm's whole mixing step. */
#define SIPROUND(v0, v1, v2, v3)                   \
    do {                                           \
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;     \
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;     \
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
    } while (0)

uint64_t bv_hash_bytes(const void *data, size_t len)
{
    const uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    const unsigned char *p = data;
    size_t blocks = len / 8;
    /* Compression: one round per little-endian 8-byte word ("1" of SipHash-1-3). */
    for (size_t i = 0; i < blocks; i++, p += 8) {
        uint64_t m = 0;
        for (int j = 0; j < 8; j++)
            m |= (uint64_t)p[j] << (8 * j);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    /* The last word carries the tail bytes and the length. */
    uint64_t b = (uint64_t)len << 56;
    for (size_t j = 0; j < len % 8; j++)
        b |= (uint64_t)p[j] << (8 * j);
    v3 ^= b;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= b;
    /* Finalisation: three rounds ("3" of SipHash-1-3). */
    v2 ^= 0xff;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}
