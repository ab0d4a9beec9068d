/*
 * lessons/lesson.h: the few helpers every lesson shares, so that each lesson's code is
 * about buffers and views, not about printing.
 *
 * The output convention (the same in every C lesson and its Python twin):
 * - a line that starts with '#' is narrative: explanations, addresses, timings, anything
 *   that may differ between C and Python or between two runs;
 * - every other line is a result, and must be byte for byte what the Python twin prints.
 *   The lesson tests compare only these lines (lessons/compare.sh).
 * An error a lesson shows on purpose is a result line, printed as the last line of a
 * Python traceback ("TypeError: cannot modify read-only memory").
 *
 * Lessons are demonstrations: an error they do not expect stops the program with a
 * message on stderr (lesson_check). Library code would return the bv_status instead.
 */
#ifndef BUFVIEW_LESSON_H
#define BUFVIEW_LESSON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bufview/bufview.h"

/* A narrative line: "# " + text. */
static inline void say(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static inline void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("# ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
}

/* An empty narrative line, to separate the parts of a lesson. */
static inline void say_break(void)
{
    puts("#");
}

/* A call the lesson expects to succeed. */
#define CHECK(call, errp) lesson_check((call), (errp), #call, __FILE__, __LINE__)

static inline void lesson_check(bv_status status, const bv_error *err, const char *what,
                                const char *file, int line)
{
    if (status == BV_OK)
        return;
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s failed unexpectedly: ", file, line, what);
    if (err != NULL)
        bv_error_print(err, stderr);
    else
        fprintf(stderr, "%s\n", bv_status_name(status));
    exit(EXIT_FAILURE);
}

/* A call the lesson expects to fail: print the error as Python's traceback would end.
 * If it unexpectedly succeeds, the line says so, and the comparison with the Python
 * twin fails, which is what we want. */
static inline void show_error(bv_status status, const bv_error *err)
{
    if (status == BV_OK)
        puts("no error (CPython raises one here)");
    else
        bv_error_print(err, stdout);
}

static inline const char *py_bool(bool b)
{
    return b ? "True" : "False";
}

/* A Python tuple of ints: "()", "(12,)", "(3, 4)". */
static inline void print_tuple(const ptrdiff_t *items, int n)
{
    fputc('(', stdout);
    for (int i = 0; i < n; i++)
        printf(i == 0 ? "%td" : ", %td", items[i]);
    fputs(n == 1 ? ",)" : ")", stdout);
}

/* "label" followed by the repr of a value, as print("label", value) would write it. */
static inline void print_labeled_value(const char *label, bv_value v)
{
    printf("%s ", label);
    bv_print_value(stdout, v);
    fputc('\n', stdout);
}

/* print(mv.tolist()) */
static inline void print_tolist(const bv_view *v)
{
    bv_error err;
    bv_list list = {0};
    CHECK(bv_view_tolist(v, &list, &err), &err);
    bv_print_list(stdout, &list);
    fputc('\n', stdout);
    bv_list_free(&list);
}

/* print(mv.tobytes(order)) */
static inline void print_tobytes(const bv_view *v, char order)
{
    bv_error err;
    bv_bytes *b = NULL;
    CHECK(bv_view_tobytes(v, order, &b, &err), &err);
    bv_print_bytes(stdout, bv_bytes_data(b), bv_bytes_size(b));
    fputc('\n', stdout);
    bv_bytes_decref(b);
}

/* print(ba), for a bytearray */
static inline void print_bytearray(bv_bytearray *ba)
{
    bv_print_bytearray(stdout, bv_bytearray_data(ba), bv_bytearray_size(ba));
    fputc('\n', stdout);
}

/* print(mv.shape) / print(mv.strides) in one line each, with a label. */
static inline void print_shape_strides(const bv_view *v)
{
    bv_error err;
    int ndim;
    const ptrdiff_t *shape, *strides;
    CHECK(bv_view_ndim(v, &ndim, &err), &err);
    CHECK(bv_view_shape(v, &shape, &err), &err);
    CHECK(bv_view_strides(v, &strides, &err), &err);
    fputs("shape ", stdout);
    print_tuple(shape, ndim);
    fputs(" strides ", stdout);
    print_tuple(strides, ndim);
    fputc('\n', stdout);
}

/* zlib.crc32(data, crc): the checksum the twins print with Python's zlib, so a C lesson
 * and its twin can show that they moved the same bytes without printing them all.
 * (Table-driven, as zlib's is, so a megabyte costs milliseconds even under valgrind.) */
static inline uint32_t lesson_crc32(uint32_t crc, const void *data, size_t len)
{
    static uint32_t table[256];
    if (table[1] == 0) {
        for (uint32_t n = 0; n < 256; n++) {
            uint32_t c = n;
            for (int bit = 0; bit < 8; bit++)
                c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
            table[n] = c;
        }
    }
    const unsigned char *p = data;
    crc = ~crc;
    for (size_t i = 0; i < len; i++)
        crc = (crc >> 8) ^ table[(crc ^ p[i]) & 0xFFu];
    return ~crc;
}

#endif
