/*
 * Shared test helpers: cmocka assertions about bv_error, and a counting allocator that
 * can also fail the Nth allocation. Include after <cmocka.h>'s prerequisites.
 */
#ifndef BUFVIEW_TEST_SUPPORT_H
#define BUFVIEW_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bufview/bufview.h"
#include "../typed_exporter.h"

/* Check a failed call: its status, err.kind and the exact message. */
#define assert_error(call_status, err, want_kind, want_message)                       \
    do {                                                                              \
        bv_status st_ = (call_status);                                                \
        assert_int_equal(st_, (want_kind));                                           \
        assert_int_equal((err).kind, (want_kind));                                    \
        assert_string_equal((err).message, (want_message));                           \
    } while (0)

#define assert_ok(call_status, err)                                                   \
    do {                                                                              \
        bv_status st_ = (call_status);                                                \
        if (st_ != BV_OK)                                                             \
            fail_msg("unexpected %s: %s", bv_status_name((err).kind), (err).message); \
    } while (0)

/* print(v.tolist()) must print want (through bv_repr_list). */
void assert_tolist(const bv_view *v, const char *want);

/* Counting allocator: installs itself through bv_allocator_set. */
typedef struct test_alloc_stats {
    size_t calls;        /* successful and failed malloc calls since install */
    size_t live;         /* allocations not yet freed */
    size_t bytes;        /* total bytes requested */
    size_t fail_at;      /* 1-based call number to fail; 0: never */
} test_alloc_stats;

extern test_alloc_stats test_alloc;
void test_alloc_install(size_t fail_at);   /* resets the counters */
void test_alloc_uninstall(void);           /* restores malloc/free */

/* A typed exporter (tests/typed_exporter.h, type name "typed", uncounted) over its own
 * copy of the data: views of formats no bufview object exports ("<i", ">d", "3h"...) and
 * of N-D shapes. Writable unless readonly; itemsize is given, so a test can also describe
 * a lying buffer. test_typed_free checks that every buffer was given back. */
typedef typed_exporter test_typed;
void test_typed_init(test_typed *t, const char *format, ptrdiff_t itemsize,
                     const ptrdiff_t *shape, int ndim, const void *data, bool readonly);
void test_typed_free(test_typed *t);

#endif
