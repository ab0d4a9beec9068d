/*
 * bv_view, 1-D: the article's examples, items, slices, slice assignment, ownership and
 * the export lock, released views, and every error path with its CPython message.
 */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bv_bytearray *ba_of(const char *s)
{
    bv_bytearray *ba = NULL;
    bv_error err;
    assert_ok(bv_bytearray_new(&ba, s, strlen(s), &err), err);
    return ba;
}

static bv_bytes *bytes_of(const char *s)
{
    bv_bytes *b = NULL;
    bv_error err;
    assert_ok(bv_bytes_new(&b, s, strlen(s), &err), err);
    return b;
}

static void assert_ba_equals(bv_bytearray *ba, const char *want)
{
    assert_int_equal(bv_bytearray_size(ba), strlen(want));
    assert_memory_equal(bv_bytearray_data(ba), want, strlen(want));
}

static void assert_int_value(bv_value v, int64_t want)
{
    if (v.kind == BV_VALUE_INT)
        assert_int_equal(v.as.i, want);
    else if (v.kind == BV_VALUE_UINT)
        assert_true(want >= 0 && v.as.u == (uint64_t)want);
    else
        fail_msg("value kind %d is not an int", (int)v.kind);
}

static char *repr_of_list(const bv_list *l)
{
    bv_str s = {0};
    bv_error err;
    assert_ok(bv_repr_list(&s, l, &err), err);
    return s.data;
}

/* The article's Example 1: memoryview(bytearray(b'ABC')). */
static void test_article_example1(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("ABC");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);

    bv_value item;
    assert_ok(bv_view_get(&mv, 0, &item, &err), err);
    assert_int_value(item, 65);

    bv_view part;
    assert_ok(bv_view_slice(&part, &mv, bv_slice_range(0, 2), &err), err);
    bv_bytes *b = NULL;
    assert_ok(bv_view_tobytes(&part, 'C', &b, &err), err);
    bv_str s = {0};
    assert_ok(bv_repr_bytes(&s, bv_bytes_data(b), bv_bytes_size(b), &err), err);
    assert_string_equal(s.data, "b'AB'");
    bv_str_free(&s);
    bv_bytes_decref(b);

    bv_list list;
    assert_ok(bv_view_tolist(&mv, &list, &err), err);
    char *text = repr_of_list(&list);
    assert_string_equal(text, "[65, 66, 67]");
    bv_free(text);
    bv_list_free(&list);

    assert_ok(bv_view_release(&part, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytearray_decref(ba);
}

/* The article's Example 2: mv[1] = 90 changes the bytearray itself. */
static void test_article_example2(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("ABC");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);
    assert_ok(bv_view_set(&mv, 1, bv_value_int(90), &err), err);
    bv_str s = {0};
    assert_ok(bv_repr_bytearray(&s, bv_bytearray_data(ba), bv_bytearray_size(ba), &err), err);
    assert_string_equal(s.data, "bytearray(b'AZC')");
    bv_str_free(&s);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytearray_decref(ba);
}

static void test_attributes(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = bytes_of("abcdef");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    ptrdiff_t n;
    bool flag;
    int ndim;
    const char *fmt;
    const ptrdiff_t *shape, *strides;
    bv_exporter *obj;
    assert_ok(bv_view_nbytes(&mv, &n, &err), err);
    assert_int_equal(n, 6);
    assert_ok(bv_view_itemsize(&mv, &n, &err), err);
    assert_int_equal(n, 1);
    assert_ok(bv_view_len(&mv, &n, &err), err);
    assert_int_equal(n, 6);
    assert_ok(bv_view_readonly(&mv, &flag, &err), err);
    assert_true(flag);
    assert_ok(bv_view_format(&mv, &fmt, &err), err);
    assert_string_equal(fmt, "B");
    assert_ok(bv_view_ndim(&mv, &ndim, &err), err);
    assert_int_equal(ndim, 1);
    assert_ok(bv_view_shape(&mv, &shape, &err), err);
    assert_int_equal(shape[0], 6);
    assert_ok(bv_view_strides(&mv, &strides, &err), err);
    assert_int_equal(strides[0], 1);
    assert_ok(bv_view_suboffsets(&mv, &n, &err), err);
    assert_int_equal(n, 0);
    assert_ok(bv_view_obj(&mv, &obj, &err), err);
    assert_ptr_equal(obj, bv_bytes_exporter(b));
    assert_ok(bv_view_c_contiguous(&mv, &flag, &err), err);
    assert_true(flag);
    assert_ok(bv_view_f_contiguous(&mv, &flag, &err), err);
    assert_true(flag);
    assert_ok(bv_view_contiguous(&mv, &flag, &err), err);
    assert_true(flag);

    /* mv[::2]: strided, no longer contiguous; CPython's 1-D rule keeps an empty strided
     * slice non-contiguous too (memoryview(b'abcdef')[::2][3:].c_contiguous is False). */
    bv_view odd, empty;
    assert_ok(bv_view_slice(&odd, &mv, bv_slice_make(0, 6, 2), &err), err);
    assert_ok(bv_view_strides(&odd, &strides, &err), err);
    assert_int_equal(strides[0], 2);
    assert_ok(bv_view_c_contiguous(&odd, &flag, &err), err);
    assert_false(flag);
    assert_ok(bv_view_slice(&empty, &odd, (bv_slice){.start = 3, .has_start = true}, &err), err);
    assert_ok(bv_view_len(&empty, &n, &err), err);
    assert_int_equal(n, 0);
    assert_ok(bv_view_contiguous(&empty, &flag, &err), err);
    assert_false(flag);
    assert_ok(bv_view_release(&empty, &err), err);
    assert_ok(bv_view_release(&odd, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytes_decref(b);
}

static void test_items_negative_and_bounds(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("ABC");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);
    bv_value v;
    assert_ok(bv_view_get(&mv, -1, &v, &err), err);
    assert_int_value(v, 'C');
    assert_ok(bv_view_get(&mv, -3, &v, &err), err);
    assert_int_value(v, 'A');
    const ptrdiff_t bad[] = {3, -4, PTRDIFF_MAX, PTRDIFF_MIN, PTRDIFF_MIN + 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bv_value untouched = bv_value_int(-7);
        assert_error(bv_view_get(&mv, bad[i], &untouched, &err), err, BV_INDEX_ERROR,
                     "index out of bounds on dimension 1");
        assert_int_equal(untouched.as.i, -7);
        assert_error(bv_view_set(&mv, bad[i], bv_value_int(1), &err), err, BV_INDEX_ERROR,
                     "index out of bounds on dimension 1");
    }
    assert_ok(bv_view_set(&mv, -1, bv_value_int(0x7a), &err), err);
    assert_ba_equals(ba, "ABz");
    /* Wrong kinds and ranges leave the data alone. */
    assert_error(bv_view_set(&mv, 0, bv_value_int(256), &err), err, BV_VALUE_ERROR,
                 "memoryview: invalid value for format 'B'");
    assert_error(bv_view_set(&mv, 0, bv_value_int(-1), &err), err, BV_VALUE_ERROR,
                 "memoryview: invalid value for format 'B'");
    assert_error(bv_view_set(&mv, 0, bv_value_float(1.0), &err), err, BV_TYPE_ERROR,
                 "memoryview: invalid type for format 'B'");
    assert_error(bv_view_set(&mv, 0, bv_value_bytes("x", 1), &err), err, BV_TYPE_ERROR,
                 "memoryview: invalid type for format 'B'");
    assert_error(bv_view_delete(&mv, 0, &err), err, BV_TYPE_ERROR, "cannot delete memory");
    assert_ba_equals(ba, "ABz");
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytearray_decref(ba);
}

static void test_readonly_refusal(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = bytes_of("ABC");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    /* Read-only is checked before the key: even a bad index reports read-only. */
    assert_error(bv_view_set(&mv, 1, bv_value_int(90), &err), err, BV_TYPE_ERROR,
                 "cannot modify read-only memory");
    assert_error(bv_view_set(&mv, 99, bv_value_int(90), &err), err, BV_TYPE_ERROR,
                 "cannot modify read-only memory");
    assert_error(bv_view_assign_slice(&mv, bv_slice_range(0, 1), bv_bytes_exporter(b), &err), err,
                 BV_TYPE_ERROR, "cannot modify read-only memory");
    assert_error(bv_view_delete(&mv, 0, &err), err, BV_TYPE_ERROR, "cannot modify read-only memory");
    assert_memory_equal(bv_bytes_data(b), "ABC", 3);

    /* toreadonly over writable memory refuses writes while the original still writes. */
    bv_bytearray *ba = ba_of("xyz");
    bv_view w, ro;
    assert_ok(bv_view_from(&w, bv_bytearray_exporter(ba), &err), err);
    assert_ok(bv_view_toreadonly(&ro, &w, &err), err);
    assert_error(bv_view_set(&ro, 0, bv_value_int(1), &err), err, BV_TYPE_ERROR,
                 "cannot modify read-only memory");
    assert_ok(bv_view_set(&w, 0, bv_value_int('X'), &err), err);
    bv_value v;
    assert_ok(bv_view_get(&ro, 0, &v, &err), err);
    assert_int_value(v, 'X');
    assert_ok(bv_view_release(&ro, &err), err);
    assert_ok(bv_view_release(&w, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytearray_decref(ba);
    bv_bytes_decref(b);
}

/* Slices against Python's own arithmetic, computed with python3 for "abcdefghij". */
static void test_slices(void **state)
{
    (void)state;
    static const struct {
        bv_slice s;
        const char *want;
    } cases[] = {
        {{2, 7, 1, true, true, false}, "cdefg"},
        {{0, 0, -1, false, false, true}, "jihgfedcba"},
        {{0, 0, 3, false, false, true}, "adgj"},
        {{-3, 0, 1, true, false, false}, "hij"},
        {{-100, 100, 1, true, true, false}, "abcdefghij"},
        {{8, 2, -2, true, true, true}, "ige"},
        {{5, 5, 1, true, true, false}, ""},
        {{7, 2, 1, true, true, false}, ""},
        {{PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MAX, true, true, true}, "a"},
        {{PTRDIFF_MAX, PTRDIFF_MIN, PTRDIFF_MIN, true, true, true}, "j"},
        {{-1, -11, -4, true, true, true}, "jfb"},
    };
    bv_error err;
    bv_bytes *b = bytes_of("abcdefghij");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bv_view sl;
        assert_ok(bv_view_slice(&sl, &mv, cases[i].s, &err), err);
        char buf[16] = {0};
        assert_ok(bv_view_tobytes_into(&sl, 'C', buf, sizeof buf, &err), err);
        ptrdiff_t n;
        assert_ok(bv_view_nbytes(&sl, &n, &err), err);
        assert_int_equal(n, (ptrdiff_t)strlen(cases[i].want));
        assert_string_equal(buf, cases[i].want);
        /* A slice shares memory: its first item lives inside the source. */
        if (n > 0)
            assert_true(sl.buf >= mv.buf && sl.buf < mv.buf + 10);
        assert_ok(bv_view_release(&sl, &err), err);
    }
    bv_view out;
    memset(&out, 0x5a, sizeof out);
    bv_view before = out;
    assert_error(bv_view_slice(&out, &mv, bv_slice_make(0, 5, 0), &err), err, BV_VALUE_ERROR,
                 "slice step cannot be zero");
    assert_memory_equal(&out, &before, sizeof out);
    assert_error(bv_view_slice(NULL, &mv, bv_slice_all(), &err), err, BV_TYPE_ERROR,
                 "bv_view_slice() argument 'out' must not be NULL");
    assert_error(bv_view_slice(&out, NULL, bv_slice_all(), &err), err, BV_TYPE_ERROR,
                 "bv_view_slice() argument 'v' must not be NULL");
    assert_memory_equal(&out, &before, sizeof out);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytes_decref(b);
}

static void test_slice_assignment(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("abcdefgh");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);

    bv_bytes *xy = bytes_of("XY");
    assert_ok(bv_view_assign_slice(&mv, bv_slice_range(2, 4), bv_bytes_exporter(xy), &err), err);
    assert_ba_equals(ba, "abXYefgh");
    assert_ok(bv_view_assign_slice(&mv, bv_slice_make(7, 0, -6), bv_bytes_exporter(xy), &err), err);
    assert_ba_equals(ba, "aYXYefgX");

    /* Length mismatch and format mismatch: nothing changes. */
    assert_error(bv_view_assign_slice(&mv, bv_slice_range(0, 3), bv_bytes_exporter(xy), &err), err,
                 BV_VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    bv_array *arr = NULL;
    const int16_t items[] = {1};
    assert_ok(bv_array_new(&arr, 'h', items, 1, &err), err);
    assert_error(bv_view_assign_slice(&mv, bv_slice_range(0, 2), bv_array_exporter(arr), &err), err,
                 BV_VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    assert_ba_equals(ba, "aYXYefgX");
    assert_error(bv_view_assign_slice(&mv, bv_slice_make(0, 2, 0), bv_bytes_exporter(xy), &err), err,
                 BV_VALUE_ERROR, "slice step cannot be zero");
    assert_error(bv_view_assign_slice(&mv, bv_slice_range(0, 2), NULL, &err), err, BV_TYPE_ERROR,
                 "a bytes-like object is required, not 'NoneType'");
    assert_ba_equals(ba, "aYXYefgX");

    /* Overlap: mv[1:8] = mv[0:7] shifts right like memmove; reversed overlap too. */
    bv_view src;
    assert_ok(bv_view_slice(&src, &mv, bv_slice_range(0, 7), &err), err);
    assert_ok(bv_view_assign_slice(&mv, bv_slice_range(1, 8), bv_view_exporter(&src), &err), err);
    assert_ba_equals(ba, "aaYXYefg");
    assert_ok(bv_view_release(&src, &err), err);
    /* mv[:] = mv[::-1] reverses in place (a strided overlap goes through a temporary). */
    bv_view rev;
    assert_ok(bv_view_slice(&rev, &mv, (bv_slice){.step = -1, .has_step = true}, &err), err);
    assert_ok(bv_view_assign_slice(&mv, bv_slice_all(), bv_view_exporter(&rev), &err), err);
    assert_ba_equals(ba, "gfeYXYaa");
    /* While rev is exported for the assignment it cannot be released; afterwards it can. */
    assert_int_equal(bv_view_exports(&rev), 0);
    assert_ok(bv_view_release(&rev, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_array_decref(arr);
    bv_bytes_decref(xy);
    bv_bytearray_decref(ba);
}


/* The export lock: resizing fails while any view (or slice of one) is alive. */
static void test_export_lock(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("ABC");
    bv_view mv, part;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);
    assert_int_equal(bv_bytearray_exports(ba), 1);
    assert_ok(bv_view_slice(&part, &mv, bv_slice_range(1, 3), &err), err);
    /* One export for the managed buffer, however many views share it. */
    assert_int_equal(bv_bytearray_exports(ba), 1);
    const char *msg = "Existing exports of data: object cannot be re-sized";
    assert_error(bv_bytearray_append(ba, 'D', &err), err, BV_BUFFER_ERROR, msg);
    assert_error(bv_bytearray_extend(ba, "DE", 2, &err), err, BV_BUFFER_ERROR, msg);
    assert_error(bv_bytearray_resize(ba, 1, &err), err, BV_BUFFER_ERROR, msg);
    assert_error(bv_bytearray_clear(ba, &err), err, BV_BUFFER_ERROR, msg);
    assert_ba_equals(ba, "ABC");
    /* In-place writes are what views are for. */
    assert_ok(bv_view_set(&part, 0, bv_value_int('Z'), &err), err);
    assert_ba_equals(ba, "AZC");

    assert_ok(bv_view_release(&mv, &err), err);
    assert_error(bv_bytearray_append(ba, 'D', &err), err, BV_BUFFER_ERROR, msg);
    assert_int_equal(bv_bytearray_exports(ba), 1);
    assert_ok(bv_view_release(&part, &err), err);
    assert_int_equal(bv_bytearray_exports(ba), 0);
    assert_ok(bv_bytearray_append(ba, 'D', &err), err);
    assert_ba_equals(ba, "AZCD");
    bv_bytearray_decref(ba);
}

/* A view keeps its exporter alive after the creator drops its reference. */
static void test_view_keeps_exporter_alive(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = bytes_of("keep me");
    bv_view mv, tail;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    bv_bytes_decref(b);   /* only the view holds it now */
    assert_ok(bv_view_slice(&tail, &mv, bv_slice_range(5, 7), &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    char buf[2];
    assert_ok(bv_view_tobytes_into(&tail, 'C', buf, sizeof buf, &err), err);
    assert_memory_equal(buf, "me", 2);
    assert_ok(bv_view_release(&tail, &err), err);   /* frees the bytes (ASan checks) */
}

/* After release every operation but release, repr and == is ValueError. */
static void test_released_view(void **state)
{
    (void)state;
    bv_error err;
    const char *msg = "operation forbidden on released memoryview object";
    bv_bytearray *ba = ba_of("ABC");
    bv_view mv, other;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);   /* idempotent */
    assert_true(bv_view_is_released(&mv));
    assert_int_equal(bv_bytearray_exports(ba), 0);

    bv_value v;
    ptrdiff_t n;
    bool flag;
    int ndim;
    const char *fmt;
    const ptrdiff_t *p;
    bv_exporter *obj;
    bv_bytes *bytes;
    bv_list list;
    char *hex;
    char buf[4];
    assert_error(bv_view_get(&mv, 0, &v, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_set(&mv, 0, bv_value_int(1), &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_get_at(&mv, NULL, 0, &v, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_set_at(&mv, NULL, 0, v, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_delete(&mv, 0, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_slice(&other, &mv, bv_slice_all(), &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_slice_nd(&other, &mv, NULL, 0, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_assign_slice(&mv, bv_slice_all(), bv_bytearray_exporter(ba), &err), err,
                 BV_VALUE_ERROR, msg);
    assert_error(bv_view_from_view(&other, &mv, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_from(&other, bv_view_exporter(&mv), &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_toreadonly(&other, &mv, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_cast(&other, &mv, "B", &err), err, BV_VALUE_ERROR, msg);
    /* mv.cast(None): Python rejects the argument before it looks at the view. */
    assert_error(bv_view_cast(&other, &mv, NULL, &err), err, BV_TYPE_ERROR,
                 "cast() argument 'format' must be str, not None");
    assert_error(bv_view_tobytes(&mv, 'C', &bytes, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_tobytes_into(&mv, 'C', buf, sizeof buf, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_tolist(&mv, &list, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_hex(&mv, NULL, 1, &hex, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_count(&mv, v, &n, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_index(&mv, v, 0, PTRDIFF_MAX, &n, &err), err, BV_VALUE_ERROR, msg);
    uint64_t h;
    assert_error(bv_view_hash(&mv, &h, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_obj(&mv, &obj, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_nbytes(&mv, &n, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_readonly(&mv, &flag, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_itemsize(&mv, &n, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_format(&mv, &fmt, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_ndim(&mv, &ndim, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_shape(&mv, &p, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_strides(&mv, &p, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_suboffsets(&mv, &n, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_c_contiguous(&mv, &flag, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_f_contiguous(&mv, &flag, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_contiguous(&mv, &flag, &err), err, BV_VALUE_ERROR, msg);
    assert_error(bv_view_len(&mv, &n, &err), err, BV_VALUE_ERROR, msg);

    /* repr and == still work: a released view equals only itself. */
    bv_str s = {0};
    assert_ok(bv_repr_view(&s, &mv, &err), err);
    assert_true(strncmp(s.data, "<released memory at 0x", 22) == 0);
    bv_str_free(&s);
    assert_ok(bv_view_equal(&mv, &mv, &flag, &err), err);
    assert_true(flag);
    bv_view live;
    assert_ok(bv_view_from(&live, bv_bytearray_exporter(ba), &err), err);
    assert_ok(bv_view_equal(&mv, &live, &flag, &err), err);
    assert_false(flag);
    assert_ok(bv_view_equal(&live, &mv, &flag, &err), err);
    assert_false(flag);
    assert_ok(bv_view_release(&live, &err), err);

    /* A zero-initialised view counts as released, not as garbage. */
    bv_view zero;
    memset(&zero, 0, sizeof zero);
    assert_error(bv_view_get(&zero, 0, &v, &err), err, BV_VALUE_ERROR, msg);
    assert_ok(bv_view_release(&zero, &err), err);
    bv_bytearray_decref(ba);
}

/* release() of a view with live exports fails and changes nothing. */
static void test_release_with_exports(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("ABC");
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);
    bv_buffer b1, b2;
    assert_ok(bv_buffer_get(bv_view_exporter(&mv), &b1, BV_BUF_FULL_RO, &err), err);
    assert_error(bv_view_release(&mv, &err), err, BV_BUFFER_ERROR, "memoryview has 1 exported buffer");
    assert_ok(bv_buffer_get(bv_view_exporter(&mv), &b2, BV_BUF_SIMPLE, &err), err);
    assert_error(bv_view_release(&mv, &err), err, BV_BUFFER_ERROR, "memoryview has 2 exported buffers");
    assert_false(bv_view_is_released(&mv));
    bv_value v;
    assert_ok(bv_view_get(&mv, 2, &v, &err), err);
    assert_int_value(v, 'C');
    assert_ptr_equal(b1.buf, bv_bytearray_data(ba));
    bv_buffer_release(&b1);
    bv_buffer_release(&b2);
    assert_ok(bv_view_release(&mv, &err), err);
    assert_int_equal(bv_bytearray_exports(ba), 0);
    bv_bytearray_decref(ba);
}

static void test_constructor_errors(void **state)
{
    (void)state;
    bv_error err;
    bv_view out;
    memset(&out, 0x33, sizeof out);
    bv_view before = out;
    assert_error(bv_view_from(&out, NULL, &err), err, BV_TYPE_ERROR,
                 "memoryview: a bytes-like object is required, not 'NoneType'");
    assert_memory_equal(&out, &before, sizeof out);
    /* A writable request on bytes is refused by the exporter; memoryview asks read-only. */
    bv_bytes *b = bytes_of("x");
    bv_buffer buf;
    assert_error(bv_buffer_get(bv_bytes_exporter(b), &buf, BV_BUF_WRITABLE, &err), err,
                 BV_BUFFER_ERROR, "Object is not writable.");
    bv_bytes_decref(b);
}

/* Slicing allocates nothing, whatever the size: 1 KiB and an 8 GiB sparse mapping. */
static void test_slices_allocate_nothing(void **state)
{
    (void)state;
    bv_error err;
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/bv_sparse_XXXXXX", dir != NULL ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const off_t big = (off_t)8 << 30;
    assert_int_equal(ftruncate(fd, big), 0);
    close(fd);

    bv_bytearray *small = NULL;
    assert_ok(bv_bytearray_new(&small, NULL, 1024, &err), err);
    bv_mapped *m = NULL;
    assert_ok(bv_mapped_open(&m, path, false, &err), err);
    bv_view vs, vb;
    assert_ok(bv_view_from(&vs, bv_bytearray_exporter(small), &err), err);
    assert_ok(bv_view_from(&vb, bv_mapped_exporter(m), &err), err);

    test_alloc_install(0);
    for (int i = 0; i < 1000; i++) {
        bv_view a, b;
        assert_ok(bv_view_slice(&a, &vs, bv_slice_range(1, 1023), &err), err);
        assert_ok(bv_view_slice(&b, &vb, bv_slice_range(1, (ptrdiff_t)big - 1), &err), err);
        assert_ok(bv_view_release(&a, &err), err);
        assert_ok(bv_view_release(&b, &err), err);
    }
    assert_int_equal(test_alloc.calls, 0);
    assert_int_equal(test_alloc.bytes, 0);
    test_alloc_uninstall();

    ptrdiff_t n;
    bv_view b;
    assert_ok(bv_view_slice(&b, &vb, bv_slice_range(1, (ptrdiff_t)big - 1), &err), err);
    assert_ok(bv_view_nbytes(&b, &n, &err), err);
    assert_int_equal(n, (ptrdiff_t)big - 2);
    assert_ok(bv_view_release(&b, &err), err);
    assert_ok(bv_view_release(&vb, &err), err);
    assert_ok(bv_view_release(&vs, &err), err);
    bv_mapped_decref(m);
    bv_bytearray_decref(small);
    unlink(path);
}

/* Every allocation a view path makes can fail; each failure is MemoryError, leaks nothing
 * and leaves the output untouched. */
static void test_view_from_allocation_failure(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_of("ABC");
    for (size_t fail = 1;; fail++) {
        bv_view mv;
        memset(&mv, 0x44, sizeof mv);
        test_alloc_install(fail);
        bv_status st = bv_view_from(&mv, bv_bytearray_exporter(ba), &err);
        size_t calls = test_alloc.calls;
        if (st == BV_OK) {
            assert_ok(bv_view_release(&mv, &err), err);
            assert_int_equal(test_alloc.live, 0);
            test_alloc_uninstall();
            assert_true(calls < fail);
            break;
        }
        assert_int_equal(st, BV_MEMORY_ERROR);
        assert_int_equal(err.kind, BV_MEMORY_ERROR);
        assert_int_equal(test_alloc.live, 0);
        assert_int_equal(bv_bytearray_exports(ba), 0);
        test_alloc_uninstall();
    }
    bv_bytearray_decref(ba);
}

static void test_tobytes_and_hex_1d(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = bytes_of("abcde");
    bv_view mv, rev;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    assert_ok(bv_view_slice(&rev, &mv, (bv_slice){.step = -2, .has_step = true}, &err), err);
    bv_bytes *out = NULL;
    assert_ok(bv_view_tobytes(&rev, 0, &out, &err), err);
    assert_int_equal(bv_bytes_size(out), 3);
    assert_memory_equal(bv_bytes_data(out), "eca", 3);
    bv_bytes_decref(out);
    out = NULL;
    assert_error(bv_view_tobytes(&rev, 'X', &out, &err), err, BV_VALUE_ERROR,
                 "order must be 'C', 'F' or 'A'");
    assert_null(out);
    char small[2];
    assert_int_equal(bv_view_tobytes_into(&rev, 'C', small, sizeof small, &err), BV_VALUE_ERROR);

    char *hex = NULL;
    assert_ok(bv_view_hex(&mv, ":", 2, &hex, &err), err);
    assert_string_equal(hex, "61:6263:6465");
    bv_free(hex);
    assert_ok(bv_view_hex(&mv, ":", -2, &hex, &err), err);
    assert_string_equal(hex, "6162:6364:65");
    bv_free(hex);
    assert_ok(bv_view_hex(&rev, NULL, 1, &hex, &err), err);
    assert_string_equal(hex, "656361");
    bv_free(hex);
    hex = NULL;
    assert_error(bv_view_hex(&mv, "::", 2, &hex, &err), err, BV_VALUE_ERROR, "sep must be length 1.");
    assert_error(bv_view_hex(&mv, "\xc3\xa9", 2, &hex, &err), err, BV_VALUE_ERROR, "sep must be ASCII.");
    assert_null(hex);
    assert_ok(bv_view_release(&rev, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytes_decref(b);
}

static void test_typed_array_view(void **state)
{
    (void)state;
    bv_error err;
    const int32_t items[] = {10, -20, 30, -40};
    bv_array *arr = NULL;
    assert_ok(bv_array_new(&arr, 'i', items, 4, &err), err);
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_array_exporter(arr), &err), err);
    const char *fmt;
    ptrdiff_t n;
    assert_ok(bv_view_format(&mv, &fmt, &err), err);
    assert_string_equal(fmt, "i");
    assert_ok(bv_view_itemsize(&mv, &n, &err), err);
    assert_int_equal(n, 4);
    assert_ok(bv_view_len(&mv, &n, &err), err);
    assert_int_equal(n, 4);
    bv_value v;
    assert_ok(bv_view_get(&mv, -1, &v, &err), err);
    assert_int_value(v, -40);
    assert_ok(bv_view_set(&mv, 0, bv_value_int(INT32_MIN), &err), err);
    assert_error(bv_view_set(&mv, 0, bv_value_int((int64_t)INT32_MAX + 1), &err), err,
                 BV_VALUE_ERROR, "memoryview: invalid value for format 'i'");
    assert_int_equal(((int32_t *)bv_array_data(arr))[0], INT32_MIN);
    bv_list list;
    assert_ok(bv_view_tolist(&mv, &list, &err), err);
    char *text = repr_of_list(&list);
    assert_string_equal(text, "[-2147483648, -20, 30, -40]");
    bv_free(text);
    bv_list_free(&list);
    assert_error(bv_array_append(arr, bv_value_int(1), &err), err, BV_BUFFER_ERROR,
                 "cannot resize an array that is exporting buffers");
    assert_ok(bv_view_release(&mv, &err), err);
    bv_array_decref(arr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_example1),
        cmocka_unit_test(test_article_example2),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_items_negative_and_bounds),
        cmocka_unit_test(test_readonly_refusal),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_slice_assignment),
        cmocka_unit_test(test_export_lock),
        cmocka_unit_test(test_view_keeps_exporter_alive),
        cmocka_unit_test(test_released_view),
        cmocka_unit_test(test_release_with_exports),
        cmocka_unit_test(test_constructor_errors),
        cmocka_unit_test(test_slices_allocate_nothing),
        cmocka_unit_test(test_view_from_allocation_failure),
        cmocka_unit_test(test_tobytes_and_hex_1d),
        cmocka_unit_test(test_typed_array_view),
    };
    return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
