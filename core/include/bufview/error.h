/*
 * bufview/error.h: how every fallible bufview call reports failure.
 *
 * Each fallible function returns a bv_status. BV_OK (0) means success; any other value
 * is the kind of error, named after the Python exception CPython raises in the same
 * situation, so a C program can print "TypeError: cannot modify read-only memory"
 * exactly as Python would.
 *
 * Ownership: a bv_error is a plain value owned by the caller, usually on the stack.
 * Functions take an optional `bv_error *err` as their last argument; NULL means "I only
 * want the status". Nothing in it needs releasing.
 *
 * The rule every function keeps: a call that fails leaves every object it was given
 * exactly as it was and writes none of its outputs; only *err is written. There is one
 * exception, CPython's own: a failed bv_buffer_get() zeroes its *view (buffer.h says why).
 *
 * A call that breaks the API's contract (NULL where an object is required, a negative
 * length...) fails the same way everywhere: TypeError "<function>() argument '<name>'
 * must not be NULL" (or another requirement in the same shape), as Python reports an
 * argument of the wrong type. Where NULL stands for Python's None (memoryview(None)), the
 * function documents the error Python raises instead.
 */
#ifndef BUFVIEW_ERROR_H
#define BUFVIEW_ERROR_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bv_status {
    BV_OK = 0,
    BV_INDEX_ERROR,
    BV_TYPE_ERROR,
    BV_VALUE_ERROR,
    BV_BUFFER_ERROR,
    BV_NOT_IMPLEMENTED_ERROR,
    BV_MEMORY_ERROR,
    BV_OVERFLOW_ERROR,
    /* File errors, as open() and mmap.mmap() raise them. */
    BV_FILE_NOT_FOUND_ERROR,
    BV_PERMISSION_ERROR,
    BV_OS_ERROR
} bv_status;

/* Long enough for every CPython message bufview reproduces plus a file path. */
#define BV_ERROR_MESSAGE_MAX 320

typedef struct bv_error {
    bv_status kind;
    char message[BV_ERROR_MESSAGE_MAX];
} bv_error;

/* "IndexError", "TypeError", ...; "OK" for BV_OK; "UnknownError" for other values. */
const char *bv_status_name(bv_status kind);

/* Fill *err (when err is not NULL) and return kind, so a failing path is one line:
 *     return bv_error_set(err, BV_TYPE_ERROR, "cannot modify read-only memory");     */
bv_status bv_error_set(bv_error *err, bv_status kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reset to BV_OK with an empty message. NULL is ignored. */
void bv_error_clear(bv_error *err);

/* Write "Kind: message\n", the last line of a Python traceback. Returns what fprintf does. */
int bv_error_print(const bv_error *err, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
