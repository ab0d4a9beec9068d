/*
 * test_error.c: the rules error.h states for every call, checked across the API:
 * - a failed call writes none of its outputs and changes none of its inputs (only *err);
 * - the one exception, a failed bv_buffer_get, zeroes *view, even when the exporter had
 *   already written into it, so that a release afterwards is harmless;
 * - a broken API contract is always TypeError "<function>() argument '<name>' ...".
 */
#include "support.h"

#include <string.h>

/* An exporter that scribbles over the request, then refuses it. */
static bv_status scribble_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    (void)flags;
    memset(view, 0x77, sizeof *view);
    view->obj = self;
    return bv_error_set(err, BV_BUFFER_ERROR, "refused after writing");
}

static const bv_exporter_type scribble_type = {"scribbler", scribble_getbuffer, NULL, NULL};

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            return false;
    return true;
}

static void test_failed_get_zeroes_view(void **state)
{
    (void)state;
    bv_error err;
    bv_exporter scribbler;
    bv_exporter_init(&scribbler, &scribble_type, BV_EXPORTER_COUNTED);
    bv_bytes *b = NULL;
    assert_ok(bv_bytes_new(&b, "abc", 3, &err), err);
    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "abc", 3, &err), err);

    struct {
        bv_exporter *obj;
        int flags;
        bv_status kind;
        const char *message;
    } cases[] = {
        {&scribbler, BV_BUF_SIMPLE, BV_BUFFER_ERROR, "refused after writing"},
        {bv_bytes_exporter(b), BV_BUF_WRITABLE, BV_BUFFER_ERROR, "Object is not writable."},
        {NULL, BV_BUF_SIMPLE, BV_TYPE_ERROR, "a bytes-like object is required, not 'NoneType'"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        bv_buffer view;
        memset(&view, 0xab, sizeof view);
        assert_error(bv_buffer_get(cases[k].obj, &view, cases[k].flags, &err), err,
                     cases[k].kind, cases[k].message);
        assert_true(all_zero(&view, sizeof view));
        bv_buffer_release(&view);   /* harmless: nothing is given back */
        assert_true(all_zero(&view, sizeof view));
    }
    /* The exporters are as they were: no reference, no export taken. */
    assert_int_equal(scribbler.refcount, 1);
    assert_int_equal(bv_bytes_exporter(b)->refcount, 1);
    assert_int_equal(bv_bytearray_exports(ba), 0);
    bv_bytes_decref(b);
    bv_bytearray_decref(ba);
}

static void test_failed_calls_write_nothing(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "abcdef", 6, &err), err);
    bv_view mv, ro;
    assert_ok(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), err);
    assert_ok(bv_view_toreadonly(&ro, &mv, &err), err);
    bv_view before_mv, before_ro;
    memcpy(&before_mv, &mv, sizeof mv);
    memcpy(&before_ro, &ro, sizeof ro);

    bv_view out;
    memset(&out, 0x5a, sizeof out);
    unsigned char pattern[sizeof out];
    memcpy(pattern, &out, sizeof out);
    bv_value value = bv_value_int(-1);
    bv_bytes *bytes = (bv_bytes *)(uintptr_t)0x1234;

    assert_error(bv_view_slice(&out, &mv, bv_slice_make(0, 6, 0), &err), err, BV_VALUE_ERROR,
                 "slice step cannot be zero");
    assert_error(bv_view_cast(&out, &mv, "x", &err), err, BV_VALUE_ERROR,
                 "memoryview: destination format must be a native single character format "
                 "prefixed with an optional '@'");
    assert_memory_equal(&out, pattern, sizeof out);
    assert_error(bv_view_get(&mv, 6, &value, &err), err, BV_INDEX_ERROR,
                 "index out of bounds on dimension 1");
    assert_int_equal(value.as.i, -1);
    assert_error(bv_view_set(&ro, 0, bv_value_int(1), &err), err, BV_TYPE_ERROR,
                 "cannot modify read-only memory");
    assert_error(bv_view_set(&mv, 0, bv_value_int(256), &err), err, BV_VALUE_ERROR,
                 "memoryview: invalid value for format 'B'");
    assert_error(bv_view_tobytes(&mv, 'X', &bytes, &err), err, BV_VALUE_ERROR,
                 "order must be 'C', 'F' or 'A'");
    assert_ptr_equal(bytes, (bv_bytes *)(uintptr_t)0x1234);
    /* Without an err the status alone says it. */
    assert_int_equal(bv_view_get(&mv, 6, &value, NULL), BV_INDEX_ERROR);

    assert_memory_equal(&mv, &before_mv, sizeof mv);
    assert_memory_equal(&ro, &before_ro, sizeof ro);
    assert_memory_equal(bv_bytearray_data(ba), "abcdef", 6);
    assert_int_equal(bv_bytearray_exports(ba), 1);
    assert_ok(bv_view_release(&ro, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytearray_decref(ba);
}

/* Every module answers a NULL where an object is required the same way. */
static void test_contract_errors_have_one_shape(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = NULL;
    assert_ok(bv_bytes_new(&b, "ab", 2, &err), err);
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    bv_view other;
    bv_buffer buf;
    bv_str s = {0};
    bv_value v = bv_value_int(0);

    assert_error(bv_buffer_get(bv_bytes_exporter(b), NULL, BV_BUF_SIMPLE, &err), err,
                 BV_TYPE_ERROR, "bv_buffer_get() argument 'view' must not be NULL");
    assert_error(bv_buffer_fill_info(&buf, NULL, NULL, -1, true, 0, &err), err, BV_TYPE_ERROR,
                 "bv_buffer_fill_info() argument 'len' must not be negative");
    assert_error(bv_bytes_new(NULL, "x", 1, &err), err, BV_TYPE_ERROR,
                 "bv_bytes_new() argument 'out' must not be NULL");
    assert_error(bv_view_from(NULL, bv_bytes_exporter(b), &err), err, BV_TYPE_ERROR,
                 "bv_view_from() argument 'out' must not be NULL");
    assert_error(bv_view_get(NULL, 0, &v, &err), err, BV_TYPE_ERROR,
                 "bv_view_get() argument 'v' must not be NULL");
    assert_error(bv_view_set(NULL, 0, v, &err), err, BV_TYPE_ERROR,
                 "bv_view_set() argument 'v' must not be NULL");
    assert_error(bv_view_release(NULL, &err), err, BV_TYPE_ERROR,
                 "bv_view_release() argument 'v' must not be NULL");
    assert_error(bv_view_tolist(&mv, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_view_tolist() argument 'out' must not be NULL");
    assert_error(bv_view_equal(&mv, NULL, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_view_equal() argument 'b' must not be NULL");
    assert_error(bv_view_hash(NULL, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_view_hash() argument 'v' must not be NULL");
    assert_error(bv_view_slice_nd(&other, &mv, NULL, 1, &err), err, BV_TYPE_ERROR,
                 "bv_view_slice_nd() argument 'slices' must not be NULL when n > 0");
    assert_error(bv_repr_view(&s, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_repr_view() argument 'v' must not be NULL");
    /* Where C's NULL stands for Python's None, Python's own error comes instead. */
    assert_error(bv_view_from(&mv, NULL, &err), err, BV_TYPE_ERROR,
                 "memoryview: a bytes-like object is required, not 'NoneType'");
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytes_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_get_zeroes_view),
        cmocka_unit_test(test_failed_calls_write_nothing),
        cmocka_unit_test(test_contract_errors_have_one_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
