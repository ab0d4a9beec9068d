/*
 * bufview/repr.h: print values exactly as Python's repr() does.
 *
 * Lessons compare their output byte for byte with CPython's, so these follow CPython:
 * bytes as b'...' with Python's escapes and choice of quote, bytearray(b'...'), ints,
 * floats with the shortest repr that round-trips (1e+16, 0.0001, 1e-05, inf, nan, -0.0),
 * True/False, nested lists "[[1, 2], [3, 4]]", and "<memory at 0x...>".
 *
 * Ownership: a bv_str is a growable NUL-terminated string the caller owns; start from
 * {0} (which reads as ""), append, read s.data, then bv_str_free(). Appending that fails
 * for lack of memory returns MemoryError and leaves the string as it was.
 */
#ifndef BUFVIEW_REPR_H
#define BUFVIEW_REPR_H

#include <stddef.h>
#include <stdio.h>

#include "bufview/error.h"
#include "bufview/format.h"
#include "bufview/view.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_str {
    char *data;   /* NUL-terminated once anything was appended; NULL for an empty {0} */
    size_t len;
    size_t cap;
} bv_str;

void bv_str_free(bv_str *s);
/* The text, "" for an empty string. */
const char *bv_str_cstr(const bv_str *s);
bv_status bv_str_append(bv_str *s, const char *text, size_t len, bv_error *err);

bv_status bv_repr_value(bv_str *s, bv_value v, bv_error *err);
bv_status bv_repr_float(bv_str *s, double d, bv_error *err);
bv_status bv_repr_bytes(bv_str *s, const void *data, size_t len, bv_error *err);
bv_status bv_repr_bytearray(bv_str *s, const void *data, size_t len, bv_error *err);
bv_status bv_repr_list(bv_str *s, const bv_list *list, bv_error *err);
/* "<memory at 0x7f...>" or "<released memory at 0x7f...>", with the view's address. */
bv_status bv_repr_view(bv_str *s, const bv_view *v, bv_error *err);

/* Conveniences for programs: print the repr to out with no newline. They return 0, or -1
 * when memory or output failed. */
int bv_print_value(FILE *out, bv_value v);
int bv_print_bytes(FILE *out, const void *data, size_t len);
int bv_print_bytearray(FILE *out, const void *data, size_t len);
int bv_print_list(FILE *out, const bv_list *list);

#ifdef __cplusplus
}
#endif
#endif
