/*
 * bufview/hash.h: the hash of a byte string, as hash(bytes) computes it in CPython.
 *
 * Why: hash(memoryview) must equal hash(mv.tobytes()) (CPython's rule), so views and
 * whatever else hashes bytes in a program share one function. It is SipHash-1-3, CPython's
 * algorithm since 3.11, but with a fixed key: CPython draws its key at random per process,
 * so the values differ from Python's while keeping the algorithm's quality.
 *
 * Ownership: none; the data is only read during the call.
 */
#ifndef BUFVIEW_HASH_H
#define BUFVIEW_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint64_t bv_hash_bytes(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
