/*
 * bufview/format.h: struct-module format characters and the values items hold.
 *
 * memoryview reads and writes single items whose format is one native struct character
 * (c b B h H i I l L q Q n N f d e ? P), optionally prefixed with '@'. A bv_value is
 * what Python would hand you for such an item: an int, a float, a bool or a bytes object
 * of length 1. Packing applies CPython's memoryview rules: the wrong kind of value is
 * TypeError "memoryview: invalid type for format '%s'", a value out of range for the
 * format is ValueError "memoryview: invalid value for format '%s'".
 *
 * Ownership: bv_value is a plain value with no pointers into anything; copy it freely.
 * Format strings passed in are only read during the call.
 */
#ifndef BUFVIEW_FORMAT_H
#define BUFVIEW_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bufview/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bv_value_kind {
    BV_VALUE_INT,    /* Python int that fits int64_t: field i */
    BV_VALUE_UINT,   /* Python int read from an unsigned format (or > INT64_MAX): field u */
    BV_VALUE_FLOAT,  /* Python float: field f */
    BV_VALUE_BOOL,   /* Python bool: field b */
    BV_VALUE_BYTES   /* Python bytes: bytes.len and, when len >= 1, its first byte */
} bv_value_kind;

typedef struct bv_value {
    bv_value_kind kind;
    union {
        int64_t i;
        uint64_t u;
        double f;
        bool b;
        struct {
            size_t len;
            unsigned char first;
        } bytes;
    } as;
} bv_value;

bv_value bv_value_int(int64_t i);
bv_value bv_value_uint(uint64_t u);
bv_value bv_value_float(double f);
bv_value bv_value_bool(bool b);
/* A bytes value: only its length and first byte are kept, all that packing needs. */
bv_value bv_value_bytes(const void *data, size_t len);

/* Python's ==: ints compare mathematically across INT/UINT/BOOL; int vs float compares
 * exactly (as CPython does); NaN != NaN; bytes equal bytes of the same length and byte. */
bool bv_value_equal(bv_value a, bv_value b);

/* Python's truthiness (what '?' stores on assignment). */
bool bv_value_truthy(bv_value v);

/* The single format character of an item-accessible format: 'B' for "B" and "@B";
 * 0 for anything else (multi-character, or not native single-character). */
char bv_format_char(const char *format);

/* Byte size of one native item of format character c; 0 when c is not one of
 * c b B h H i I l L q Q n N f d e ? P. */
ptrdiff_t bv_format_itemsize(char c);

/* Item size of a whole struct format as CPython's struct.calcsize computes it for
 * native or standard formats with counts ("3i", "<hh", "2s"...): formats views carry and
 * compare through struct's values without indexing them. -1 and struct's ValueError
 * ("bad char in struct format", ...) on nonsense. */
ptrdiff_t bv_format_calcsize(const char *format, bv_error *err);

/* Check that format is usable for CPython's memoryview item access (views also read
 * byte-order formats such as "<i", beyond CPython: view.h), with memoryview's two messages:
 * NotImplementedError "memoryview: unsupported format %s" (not a single character after
 * an optional '@') and "memoryview: format %s not supported" (unknown character).
 * On success *c gets the character. */
bv_status bv_format_check(const char *format, char *c, bv_error *err);

/* Read the item at p (possibly unaligned) as format character c. */
bv_status bv_format_unpack(char c, const void *p, bv_value *out, bv_error *err);

/* Write v to p (possibly unaligned) as format character c with CPython's type and range
 * checks; p is untouched on failure. Messages quote c alone, as CPython's do ("@B" views
 * say 'B'). Floats accept ints and bools; ints accept bools but not floats; '?' takes any
 * value's truthiness; 'c' takes bytes of length 1; 'f' rounds like a C cast (overflow
 * gives inf), 'e' refuses finite values beyond the half-float range. */
bv_status bv_format_pack(char c, void *p, bv_value v, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
