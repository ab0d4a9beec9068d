/*
 * test_array.c: the typed array exporter: typecodes and native item sizes, item access
 * with array.array's own TypeError/OverflowError messages, the buffer it exports for each
 * request, the export lock, amortised growth, MemoryError paths and buffer lifetime.
 */
#include "support.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#define LOCKED "cannot resize an array that is exporting buffers"
#define FLOAT_NOT_INT "'float' object cannot be interpreted as an integer"
#define BYTES_NOT_INT "'bytes' object cannot be interpreted as an integer"

static int restore_allocator(void **state)
{
    (void)state;
    test_alloc_uninstall();
    return 0;
}

static void fail_nth(size_t n)
{
    test_alloc.fail_at = test_alloc.calls + n;
}

static bv_array *sentinel(void)
{
    return (bv_array *)(uintptr_t)0x1234;
}

static bv_array *new_array(char typecode, const void *items, size_t count)
{
    bv_array *a = NULL;
    bv_error err;
    assert_ok(bv_array_new(&a, typecode, items, count, &err), err);
    return a;
}

static int64_t get_int(bv_array *a, ptrdiff_t i)
{
    bv_value v;
    bv_error err;
    assert_ok(bv_array_get(a, i, &v, &err), err);
    assert_int_equal(v.kind, BV_VALUE_INT);
    return v.as.i;
}

static uint64_t get_uint(bv_array *a, ptrdiff_t i)
{
    bv_value v;
    bv_error err;
    assert_ok(bv_array_get(a, i, &v, &err), err);
    assert_int_equal(v.kind, BV_VALUE_UINT);
    return v.as.u;
}

static double get_float(bv_array *a, ptrdiff_t i)
{
    bv_value v;
    bv_error err;
    assert_ok(bv_array_get(a, i, &v, &err), err);
    assert_int_equal(v.kind, BV_VALUE_FLOAT);
    return v.as.f;
}

static void test_typecodes_and_itemsizes(void **state)
{
    (void)state;
    const struct { char code; size_t size; } codes[] = {
        {'b', sizeof(signed char)}, {'B', sizeof(unsigned char)},
        {'h', sizeof(short)},       {'H', sizeof(unsigned short)},
        {'i', sizeof(int)},         {'I', sizeof(unsigned int)},
        {'l', sizeof(long)},        {'L', sizeof(unsigned long)},
        {'q', sizeof(long long)},   {'Q', sizeof(unsigned long long)},
        {'f', sizeof(float)},       {'d', sizeof(double)},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        bv_array *a = new_array(codes[i].code, NULL, 3);
        assert_int_equal(bv_array_typecode(a), codes[i].code);
        assert_int_equal(bv_array_itemsize(a), codes[i].size);
        assert_int_equal(bv_array_len(a), 3);
        assert_int_equal(bv_array_exports(a), 0);
        /* NULL items: zeros, as array(tc, bytes(n)) */
        const unsigned char zeros[24] = {0};
        assert_memory_equal(bv_array_data(a), zeros, 3 * codes[i].size);
        assert_string_equal(bv_exporter_type_name(bv_array_exporter(a)), "array.array");
        assert_int_equal(bv_array_exporter(a)->refcount, 1);
        bv_array_decref(a);
    }
}

static void test_new_copies_items(void **state)
{
    (void)state;
    short src[] = {1, -2, 300};
    bv_array *a = new_array('h', src, 3);
    src[0] = 99;
    assert_int_equal(get_int(a, 0), 1);
    assert_int_equal(get_int(a, 1), -2);
    assert_int_equal(get_int(a, 2), 300);
    assert_int_equal(get_int(a, -1), 300);
    assert_int_equal(get_int(a, -3), 1);
    bv_array_decref(a);

    bv_array *e = new_array('d', NULL, 0);
    assert_int_equal(bv_array_len(e), 0);
    assert_non_null(bv_array_data(e));
    bv_array_decref(e);
}

static void test_new_errors(void **state)
{
    (void)state;
    bv_error err;
    bv_array *a = sentinel();
    test_alloc_install(0);
    const char bad[] = {'u', 'w', 'z', 'c', 'e', '?', 'n', 'N', 'P', 'x', '@', '\0'};
    for (size_t i = 0; i < sizeof bad; i++)
        assert_error(bv_array_new(&a, bad[i], NULL, 1, &err), err, BV_VALUE_ERROR,
                     "bad typecode (must be b, B, u, w, h, H, i, I, l, L, q, Q, f or d)");
    assert_error(bv_array_new(NULL, 'b', NULL, 1, &err), err, BV_TYPE_ERROR,
                 "bv_array_new() argument 'out' must not be NULL");
    /* count * itemsize beyond PTRDIFF_MAX (or beyond SIZE_MAX): refused before asking. */
    assert_error(bv_array_new(&a, 'd', NULL, (size_t)PTRDIFF_MAX / 8 + 1, &err), err,
                 BV_MEMORY_ERROR, "");
    assert_error(bv_array_new(&a, 'd', NULL, SIZE_MAX / 4, &err), err, BV_MEMORY_ERROR, "");
    assert_error(bv_array_new(&a, 'b', NULL, (size_t)PTRDIFF_MAX + 1, &err), err,
                 BV_MEMORY_ERROR, "");
    assert_error(bv_array_new(&a, 'b', NULL, SIZE_MAX, &err), err, BV_MEMORY_ERROR, "");
    assert_ptr_equal(a, sentinel());
    assert_int_equal(test_alloc.calls, 0);
}

static void test_new_allocation_failure(void **state)
{
    (void)state;
    const int src[] = {7, 8, 9};
    const size_t counts[] = {3, 0};
    const size_t allocations[] = {2, 1};
    for (size_t c = 0; c < 2; c++) {
        bv_error err;
        bv_array *a = sentinel();
        size_t n = 1;
        for (;; n++) {
            test_alloc_install(n);
            bv_status st = bv_array_new(&a, 'i', src, counts[c], &err);
            if (st == BV_OK)
                break;
            assert_error(st, err, BV_MEMORY_ERROR, "");
            assert_ptr_equal(a, sentinel());
            assert_int_equal(test_alloc.live, 0);
        }
        assert_int_equal(n, allocations[c] + 1);
        assert_int_equal(bv_array_len(a), counts[c]);
        bv_array_decref(a);
        assert_int_equal(test_alloc.live, 0);
    }
}

static void test_get_index_errors(void **state)
{
    (void)state;
    bv_error err;
    const long long src[] = {10, 20};
    bv_array *a = new_array('q', src, 2);
    const ptrdiff_t bad[] = {2, 3, -3, PTRDIFF_MAX, PTRDIFF_MIN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bv_value v = bv_value_int(-7);
        assert_error(bv_array_get(a, bad[i], &v, &err), err, BV_INDEX_ERROR,
                     "array index out of range");
        assert_int_equal(v.kind, BV_VALUE_INT);   /* *out untouched */
        assert_int_equal(v.as.i, -7);
    }
    assert_error(bv_array_get(a, 0, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_array_get() argument 'out' must not be NULL");
    bv_array_decref(a);

    bv_array *e = new_array('B', NULL, 0);
    bv_value v;
    assert_error(bv_array_get(e, 0, &v, &err), err, BV_INDEX_ERROR, "array index out of range");
    assert_error(bv_array_get(e, -1, &v, &err), err, BV_INDEX_ERROR, "array index out of range");
    bv_array_decref(e);
}

/* One integer typecode's limits and CPython 3.11's messages for them (from python3:
 * array('b').append(128) and so on). */
typedef struct int_case {
    char code;
    bool is_signed;
    int64_t min;
    uint64_t max;
    const char *too_big;     /* NULL: no bv_value is beyond max */
    const char *too_small;   /* NULL: no bv_value is below min */
} int_case;

static bv_value int_value(bool negative, int64_t i, uint64_t u)
{
    return negative ? bv_value_int(i) : bv_value_uint(u);
}

static void check_int_typecode(const int_case *c)
{
    bv_error err;
    bv_array *a = new_array(c->code, NULL, 0);
    ptrdiff_t size = bv_array_itemsize(a);

    /* The extremes go in and come back out as ints of the right kind. */
    assert_ok(bv_array_append(a, bv_value_uint(c->max), &err), err);
    if (c->is_signed) {
        assert_ok(bv_array_append(a, bv_value_int(c->min), &err), err);
        assert_int_equal(get_int(a, 0), (int64_t)c->max);
        assert_int_equal(get_int(a, 1), c->min);
    } else {
        assert_ok(bv_array_append(a, bv_value_int(0), &err), err);
        assert_int_equal(get_uint(a, 0), c->max);
        assert_int_equal(get_uint(a, 1), 0);
    }
    /* INT and UINT of the same small value are the same Python int; bool is an int. */
    assert_ok(bv_array_append(a, bv_value_int(5), &err), err);
    assert_ok(bv_array_append(a, bv_value_bool(true), &err), err);
    assert_ok(bv_array_append(a, bv_value_bool(false), &err), err);
    if (c->is_signed) {
        assert_int_equal(get_int(a, 2), 5);
        assert_int_equal(get_int(a, 3), 1);
        assert_int_equal(get_int(a, -1), 0);
    } else {
        assert_int_equal(get_uint(a, 2), 5);
        assert_int_equal(get_uint(a, 3), 1);
        assert_int_equal(get_uint(a, -1), 0);
    }

    unsigned char before[5 * 8];
    memcpy(before, bv_array_data(a), (size_t)(5 * size));
#define UNCHANGED()                                                                    \
    do {                                                                               \
        assert_int_equal(bv_array_len(a), 5);                                          \
        assert_memory_equal(bv_array_data(a), before, (size_t)(5 * size));             \
    } while (0)

    if (c->too_big != NULL) {
        bv_value over = c->max < (uint64_t)INT64_MAX ? bv_value_int((int64_t)c->max + 1)
                                                     : bv_value_uint(c->max + 1);
        assert_error(bv_array_append(a, over, &err), err, BV_OVERFLOW_ERROR, c->too_big);
        UNCHANGED();
        /* array converts b B h H i through a C long first (and 'b' through short, 'H'
         * through int), so the widest values hit those messages first, as in CPython. */
        const char *huge = strchr("bBhHi", c->code) != NULL
                               ? "Python int too large to convert to C long"
                               : c->too_big;
        assert_error(bv_array_append(a, bv_value_uint(UINT64_MAX), &err), err,
                     BV_OVERFLOW_ERROR, huge);
        UNCHANGED();
    }
    if (c->too_small != NULL) {
        bv_value under = c->is_signed ? int_value(true, c->min - 1, 0) : bv_value_int(-1);
        assert_error(bv_array_append(a, under, &err), err, BV_OVERFLOW_ERROR, c->too_small);
        UNCHANGED();
        const char *tiny = c->code == 'b'   ? "signed short integer is less than minimum"
                           : c->code == 'H' ? "signed integer is less than minimum"
                                            : c->too_small;
        assert_error(bv_array_append(a, bv_value_int(INT64_MIN), &err), err,
                     BV_OVERFLOW_ERROR, tiny);
        UNCHANGED();
    }
    assert_error(bv_array_append(a, bv_value_float(1.0), &err), err, BV_TYPE_ERROR,
                 FLOAT_NOT_INT);
    UNCHANGED();
    assert_error(bv_array_append(a, bv_value_bytes("x", 1), &err), err, BV_TYPE_ERROR,
                 BYTES_NOT_INT);
    assert_error(bv_array_append(a, bv_value_bytes("", 0), &err), err, BV_TYPE_ERROR,
                 BYTES_NOT_INT);
    UNCHANGED();
#undef UNCHANGED
    bv_array_decref(a);
}

static void test_append_integer_conversion(void **state)
{
    (void)state;
    const bool long64 = sizeof(long) == 8;
    const int_case cases[] = {
        {'b', true, SCHAR_MIN, SCHAR_MAX, "signed char is greater than maximum",
         "signed char is less than minimum"},
        {'B', false, 0, UCHAR_MAX, "unsigned byte integer is greater than maximum",
         "unsigned byte integer is less than minimum"},
        {'h', true, SHRT_MIN, SHRT_MAX, "signed short integer is greater than maximum",
         "signed short integer is less than minimum"},
        {'H', false, 0, USHRT_MAX, "unsigned short is greater than maximum",
         "unsigned short is less than minimum"},
        {'i', true, INT_MIN, INT_MAX, "signed integer is greater than maximum",
         "signed integer is less than minimum"},
        {'I', false, 0, UINT_MAX, "unsigned int is greater than maximum",
         "can't convert negative value to unsigned int"},
        {'l', true, LONG_MIN, LONG_MAX, "Python int too large to convert to C long",
         long64 ? NULL : "Python int too large to convert to C long"},
        {'L', false, 0, ULONG_MAX,
         long64 ? NULL : "Python int too large to convert to C unsigned long",
         "can't convert negative value to unsigned int"},
        {'q', true, LLONG_MIN, LLONG_MAX, "int too big to convert", NULL},
        {'Q', false, 0, ULLONG_MAX, NULL, "can't convert negative int to unsigned"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("typecode %c\n", cases[i].code);
        check_int_typecode(&cases[i]);
    }
}

static void test_append_float_conversion(void **state)
{
    (void)state;
    bv_error err;
    const char codes[] = {'f', 'd'};
    for (size_t c = 0; c < 2; c++) {
        bv_array *a = new_array(codes[c], NULL, 0);
        assert_ok(bv_array_append(a, bv_value_float(1.5), &err), err);
        assert_ok(bv_array_append(a, bv_value_int(-3), &err), err);
        assert_ok(bv_array_append(a, bv_value_uint(UINT64_MAX), &err), err);
        assert_ok(bv_array_append(a, bv_value_bool(true), &err), err);
        assert_ok(bv_array_append(a, bv_value_float(NAN), &err), err);
        assert_ok(bv_array_append(a, bv_value_float(-INFINITY), &err), err);
        assert_ok(bv_array_append(a, bv_value_float(0.1), &err), err);
        assert_true(get_float(a, 0) == 1.5);
        assert_true(get_float(a, 1) == -3.0);
        assert_true(get_float(a, 2) == 18446744073709551616.0);
        assert_true(get_float(a, 3) == 1.0);
        assert_true(isnan(get_float(a, 4)));
        assert_true(get_float(a, 5) == -INFINITY);
        /* 'f' stores a C float: 0.1 comes back as float(0.1f), as array('f') does */
        assert_true(get_float(a, 6) == (codes[c] == 'f' ? (double)0.1f : 0.1));

        assert_error(bv_array_append(a, bv_value_bytes("x", 1), &err), err, BV_TYPE_ERROR,
                     "must be real number, not bytes");
        assert_int_equal(bv_array_len(a), 7);
        bv_array_decref(a);
    }
    /* Beyond float's range rounds to infinity: array('f', [1e300]) is array('f', [inf]). */
    bv_array *f = new_array('f', NULL, 0);
    assert_ok(bv_array_append(f, bv_value_float(1e300), &err), err);
    assert_ok(bv_array_append(f, bv_value_float(-1e300), &err), err);
    assert_true(get_float(f, 0) == INFINITY);
    assert_true(get_float(f, 1) == -INFINITY);
    bv_array_decref(f);
}

static void test_append_is_amortised(void **state)
{
    (void)state;
    bv_error err;
    test_alloc_install(0);
    bv_array *a = new_array('i', NULL, 0);
    for (int i = 0; i < 100000; i++)
        assert_ok(bv_array_append(a, bv_value_int(i - 50000), &err), err);
    /* ~1/16 growth per reallocation: about 170 allocations, not 100000 */
    assert_in_range(test_alloc.calls, 2, 300);
    assert_int_equal(test_alloc.live, 2);
    assert_int_equal(bv_array_len(a), 100000);
    const int *items = bv_array_data(a);
    for (int i = 0; i < 100000; i++)
        if (items[i] != i - 50000)
            fail_msg("item %d is %d", i, items[i]);
    bv_array_decref(a);
    assert_int_equal(test_alloc.live, 0);
}

static void test_append_allocation_failure(void **state)
{
    (void)state;
    bv_error err;
    const double src[] = {1.0, 2.0};
    test_alloc_install(0);
    bv_array *a = new_array('d', src, 2);   /* exactly full: the next append must grow */
    size_t live = test_alloc.live;
    size_t n = 1;
    for (;; n++) {
        fail_nth(n);
        bv_status st = bv_array_append(a, bv_value_float(3.0), &err);
        if (st == BV_OK)
            break;
        assert_error(st, err, BV_MEMORY_ERROR, "");
        assert_int_equal(bv_array_len(a), 2);
        assert_memory_equal(bv_array_data(a), src, sizeof src);
        assert_int_equal(test_alloc.live, live);
    }
    test_alloc.fail_at = 0;
    assert_int_equal(n, 2);
    assert_int_equal(test_alloc.live, live);
    assert_int_equal(bv_array_len(a), 3);
    assert_true(get_float(a, 2) == 3.0);
    assert_true(get_float(a, 0) == 1.0);
    bv_array_decref(a);
    assert_int_equal(test_alloc.live, 0);
}

static void test_buffer_follows_flags(void **state)
{
    (void)state;
    bv_error err;
    const short src[] = {1, 2, 3};
    bv_array *a = new_array('h', src, 3);
    bv_exporter *ex = bv_array_exporter(a);
    bv_buffer buf;

    /* No FORMAT, ND or STRIDES: CPython still says itemsize 2 and ndim 1, but leaves
     * format, shape and strides NULL. */
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_SIMPLE, &err), err);
    assert_ptr_equal(buf.buf, bv_array_data(a));
    assert_ptr_equal(buf.obj, ex);
    assert_int_equal(buf.len, 6);
    assert_int_equal(buf.itemsize, 2);
    assert_int_equal(buf.ndim, 1);
    assert_int_equal(buf.readonly, 0);
    assert_null(buf.format);
    assert_null(buf.shape);
    assert_null(buf.strides);
    assert_null(buf.suboffsets);
    assert_int_equal(bv_array_exports(a), 1);
    assert_int_equal(ex->refcount, 2);
    bv_buffer_release(&buf);
    assert_int_equal(bv_array_exports(a), 0);
    assert_int_equal(ex->refcount, 1);

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_FORMAT, &err), err);
    assert_string_equal(buf.format, "h");
    assert_null(buf.shape);
    bv_buffer_release(&buf);

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_ND, &err), err);
    assert_null(buf.format);
    assert_int_equal(buf.shape[0], 3);
    assert_null(buf.strides);
    bv_buffer_release(&buf);

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_STRIDES, &err), err);
    assert_int_equal(buf.shape[0], 3);
    assert_int_equal(buf.strides[0], 2);
    bv_buffer_release(&buf);

    /* Writable and every contiguity request are met: an array is always C-contiguous. */
    const int full[] = {BV_BUF_FULL, BV_BUF_RECORDS, BV_BUF_C_CONTIGUOUS | BV_BUF_FORMAT,
                        BV_BUF_F_CONTIGUOUS | BV_BUF_FORMAT,
                        BV_BUF_ANY_CONTIGUOUS | BV_BUF_FORMAT};
    for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
        assert_ok(bv_buffer_get(ex, &buf, full[i], &err), err);
        assert_string_equal(buf.format, "h");
        assert_int_equal(buf.shape[0], 3);
        assert_int_equal(buf.strides[0], 2);
        assert_true(bv_buffer_is_contiguous(&buf, 'C'));
        bv_buffer_release(&buf);
    }

    /* Writing through the buffer changes the items. */
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_CONTIG, &err), err);
    short v = -9;
    memcpy((char *)buf.buf + 2, &v, sizeof v);
    bv_buffer_release(&buf);
    assert_int_equal(get_int(a, 1), -9);
    bv_array_decref(a);
}

static void test_buffer_of_each_typecode(void **state)
{
    (void)state;
    const char codes[] = "bBhHiIlLqQfd";
    for (size_t i = 0; codes[i] != '\0'; i++) {
        bv_error err;
        bv_array *a = new_array(codes[i], NULL, 5);
        bv_buffer buf;
        assert_ok(bv_buffer_get(bv_array_exporter(a), &buf, BV_BUF_FULL, &err), err);
        char want[2] = {codes[i], '\0'};
        assert_string_equal(buf.format, want);
        assert_int_equal(buf.itemsize, bv_array_itemsize(a));
        assert_int_equal(buf.len, 5 * bv_array_itemsize(a));
        assert_int_equal(buf.strides[0], bv_array_itemsize(a));
        assert_int_equal(buf.shape[0], 5);
        bv_buffer_release(&buf);
        bv_array_decref(a);
    }
}

static void test_empty_array_exports_real_pointer(void **state)
{
    (void)state;
    bv_error err;
    bv_array *a = new_array('q', NULL, 0);
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_array_exporter(a), &buf, BV_BUF_FULL, &err), err);
    assert_non_null(buf.buf);
    assert_int_equal(buf.len, 0);
    assert_int_equal(buf.shape[0], 0);
    assert_int_equal(buf.strides[0], 8);
    bv_buffer_release(&buf);
    bv_array_decref(a);
}

static void test_export_lock(void **state)
{
    (void)state;
    bv_error err;
    const int src[] = {1, 2};
    bv_array *a = new_array('i', src, 2);
    bv_exporter *ex = bv_array_exporter(a);
    bv_buffer b1, b2;
    assert_ok(bv_buffer_get(ex, &b1, BV_BUF_SIMPLE, &err), err);
    assert_ok(bv_buffer_get(ex, &b2, BV_BUF_FULL, &err), err);
    assert_int_equal(bv_array_exports(a), 2);
    assert_int_equal(ex->refcount, 3);

    test_alloc_install(0);
    assert_error(bv_array_append(a, bv_value_int(3), &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
    /* A bad value is reported as such first, as array's ins1() converts before resizing. */
    assert_error(bv_array_append(a, bv_value_float(3.0), &err), err, BV_TYPE_ERROR,
                 FLOAT_NOT_INT);
    assert_error(bv_array_append(a, bv_value_uint(1ull << 40), &err), err,
                 BV_OVERFLOW_ERROR, "signed integer is greater than maximum");
    assert_int_equal(bv_array_len(a), 2);
    assert_memory_equal(bv_array_data(a), src, sizeof src);
    assert_int_equal(bv_array_exports(a), 2);

    bv_buffer_release(&b1);
    assert_error(bv_array_append(a, bv_value_int(3), &err), err, BV_BUFFER_ERROR, LOCKED);
    bv_buffer_release(&b2);
    assert_int_equal(bv_array_exports(a), 0);
    assert_int_equal(ex->refcount, 1);
    assert_ok(bv_array_append(a, bv_value_int(3), &err), err);
    assert_int_equal(get_int(a, 2), 3);
    bv_array_decref(a);
}

static void test_buffer_keeps_array_alive(void **state)
{
    (void)state;
    bv_error err;
    test_alloc_install(0);
    const double src[] = {2.5, -1.0};
    bv_array *a = new_array('d', src, 2);
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_array_exporter(a), &buf, BV_BUF_FULL_RO, &err), err);
    bv_array_decref(a);
    assert_int_equal(test_alloc.live, 2);
    assert_int_equal(buf.obj->refcount, 1);
    assert_memory_equal(buf.buf, src, sizeof src);
    assert_string_equal(buf.format, "d");
    assert_int_equal(buf.shape[0], 2);
    bv_buffer_release(&buf);
    assert_int_equal(test_alloc.live, 0);
}

static void test_null_object(void **state)
{
    (void)state;
    bv_error err;
    bv_value v;
    assert_int_equal(bv_array_typecode(NULL), '\0');
    assert_int_equal(bv_array_len(NULL), 0);
    assert_int_equal(bv_array_itemsize(NULL), 0);
    assert_null(bv_array_data(NULL));
    assert_int_equal(bv_array_exports(NULL), 0);
    assert_null(bv_array_exporter(NULL));
    bv_array_decref(NULL);
    assert_error(bv_array_get(NULL, 0, &v, &err), err, BV_TYPE_ERROR,
                 "descriptor '__getitem__' for 'array.array' objects doesn't apply to a "
                 "'NoneType' object");
    assert_error(bv_array_append(NULL, bv_value_int(1), &err), err, BV_TYPE_ERROR,
                 "descriptor 'append' for 'array.array' objects doesn't apply to a "
                 "'NoneType' object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_typecodes_and_itemsizes, restore_allocator),
        cmocka_unit_test_teardown(test_new_copies_items, restore_allocator),
        cmocka_unit_test_teardown(test_new_errors, restore_allocator),
        cmocka_unit_test_teardown(test_new_allocation_failure, restore_allocator),
        cmocka_unit_test_teardown(test_get_index_errors, restore_allocator),
        cmocka_unit_test_teardown(test_append_integer_conversion, restore_allocator),
        cmocka_unit_test_teardown(test_append_float_conversion, restore_allocator),
        cmocka_unit_test_teardown(test_append_is_amortised, restore_allocator),
        cmocka_unit_test_teardown(test_append_allocation_failure, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_follows_flags, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_of_each_typecode, restore_allocator),
        cmocka_unit_test_teardown(test_empty_array_exports_real_pointer, restore_allocator),
        cmocka_unit_test_teardown(test_export_lock, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_keeps_array_alive, restore_allocator),
        cmocka_unit_test_teardown(test_null_object, restore_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
