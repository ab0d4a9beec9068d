/*
 * test_bytes.c: the immutable bytes exporter: construction, the single allocation, size
 * limits, MemoryError paths, the buffers it exports and their lifetime.
 */
#include "support.h"

#include <string.h>

/* A failed assertion must not leave a failing allocator behind for the next test. */
static int restore_allocator(void **state)
{
    (void)state;
    test_alloc_uninstall();
    return 0;
}

static bv_bytes *sentinel(void)
{
    return (bv_bytes *)(uintptr_t)0x1234;
}

static void test_new_copies_data_in_one_allocation(void **state)
{
    (void)state;
    char src[] = "hello";
    bv_bytes *b = NULL;
    bv_error err;
    test_alloc_install(0);
    assert_ok(bv_bytes_new(&b, src, 5, &err), err);
    assert_int_equal(test_alloc.calls, 1);   /* header and data together, as CPython */
    assert_int_equal(test_alloc.live, 1);
    assert_int_equal(bv_bytes_size(b), 5);
    assert_memory_equal(bv_bytes_data(b), "hello", 5);
    assert_int_equal(bv_bytes_data(b)[5], '\0');
    src[0] = 'J';   /* a copy, not a view of the caller's memory */
    assert_int_equal(bv_bytes_data(b)[0], 'h');
    assert_string_equal(bv_exporter_type_name(bv_bytes_exporter(b)), "bytes");
    assert_int_equal(bv_bytes_exporter(b)->refcount, 1);
    bv_bytes_decref(b);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
}

static void test_new_empty(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *a = NULL, *b = NULL;
    assert_ok(bv_bytes_new(&a, NULL, 0, &err), err);
    assert_ok(bv_bytes_new(&b, "xyz", 0, &err), err);
    assert_int_equal(bv_bytes_size(a), 0);
    assert_int_equal(bv_bytes_size(b), 0);
    assert_non_null(bv_bytes_data(a));
    assert_int_equal(bv_bytes_data(b)[0], '\0');

    /* An empty buffer still points at real memory. */
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_bytes_exporter(a), &buf, BV_BUF_FULL_RO, &err), err);
    assert_non_null(buf.buf);
    assert_int_equal(buf.len, 0);
    assert_int_equal(buf.shape[0], 0);
    bv_buffer_release(&buf);
    bv_bytes_decref(a);
    bv_bytes_decref(b);
}

static void test_new_bad_arguments(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = sentinel();
    test_alloc_install(0);
    assert_error(bv_bytes_new(&b, NULL, 3, &err), err, BV_TYPE_ERROR,
                 "cannot convert 'NoneType' object to bytes");
    assert_ptr_equal(b, sentinel());
    assert_error(bv_bytes_new(NULL, "abc", 3, &err), err, BV_TYPE_ERROR,
                 "bv_bytes_new() argument 'out' must not be NULL");
    /* err may be NULL: the status alone still says what happened. */
    assert_int_equal(bv_bytes_new(&b, NULL, 3, NULL), BV_TYPE_ERROR);
    assert_ptr_equal(b, sentinel());
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
}

static void test_new_too_large_refused_without_allocating(void **state)
{
    (void)state;
    const size_t sizes[] = {SIZE_MAX, (size_t)PTRDIFF_MAX + 1, (size_t)PTRDIFF_MAX,
                            (size_t)PTRDIFF_MAX - 8};
    test_alloc_install(0);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        bv_error err;
        bv_bytes *b = sentinel();
        /* data is never read: the size is refused first. */
        assert_error(bv_bytes_new(&b, "x", sizes[i], &err), err, BV_MEMORY_ERROR, "");
        assert_ptr_equal(b, sentinel());
    }
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
}

static void test_new_allocation_failure(void **state)
{
    (void)state;
    bv_bytes *b = sentinel();
    bv_error err;
    size_t n = 1;
    for (;; n++) {
        test_alloc_install(n);
        bv_status st = bv_bytes_new(&b, "abc", 3, &err);
        if (st == BV_OK)
            break;
        assert_error(st, err, BV_MEMORY_ERROR, "");
        assert_ptr_equal(b, sentinel());
        assert_int_equal(test_alloc.live, 0);
    }
    assert_int_equal(n, 2);   /* exactly one allocation could fail */
    assert_memory_equal(bv_bytes_data(b), "abc", 3);
    bv_bytes_decref(b);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
}

static void test_buffer_simple_request(void **state)
{
    (void)state;
    bv_bytes *b;
    bv_error err;
    assert_ok(bv_bytes_new(&b, "abcdef", 6, &err), err);
    bv_exporter *ex = bv_bytes_exporter(b);
    bv_buffer buf;
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_SIMPLE, &err), err);
    assert_ptr_equal(buf.buf, bv_bytes_data(b));   /* no copy */
    assert_ptr_equal(buf.obj, ex);
    assert_int_equal(buf.len, 6);
    assert_int_equal(buf.itemsize, 1);
    assert_int_equal(buf.readonly, 1);
    assert_int_equal(buf.ndim, 1);
    assert_null(buf.format);
    assert_null(buf.shape);
    assert_null(buf.strides);
    assert_null(buf.suboffsets);
    assert_int_equal(ex->refcount, 2);
    bv_buffer_release(&buf);
    assert_null(buf.obj);
    assert_null(buf.buf);
    assert_int_equal(ex->refcount, 1);
    bv_buffer_release(&buf);   /* released twice: no-op */
    assert_int_equal(ex->refcount, 1);
    bv_bytes_decref(b);
}

static void test_buffer_fields_follow_flags(void **state)
{
    (void)state;
    bv_bytes *b;
    bv_error err;
    assert_ok(bv_bytes_new(&b, "abcdef", 6, &err), err);
    bv_exporter *ex = bv_bytes_exporter(b);
    bv_buffer buf;

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_FORMAT, &err), err);
    assert_string_equal(buf.format, "B");
    assert_null(buf.shape);
    bv_buffer_release(&buf);

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_ND, &err), err);
    assert_null(buf.format);
    assert_non_null(buf.shape);
    assert_int_equal(buf.shape[0], 6);
    assert_null(buf.strides);
    bv_buffer_release(&buf);

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_STRIDES, &err), err);
    assert_int_equal(buf.shape[0], 6);
    assert_int_equal(buf.strides[0], 1);
    bv_buffer_release(&buf);

    const int all[] = {BV_BUF_FULL_RO, BV_BUF_RECORDS_RO, BV_BUF_C_CONTIGUOUS,
                       BV_BUF_F_CONTIGUOUS, BV_BUF_ANY_CONTIGUOUS};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        assert_ok(bv_buffer_get(ex, &buf, all[i], &err), err);
        assert_int_equal(buf.shape[0], 6);
        assert_int_equal(buf.strides[0], 1);
        assert_null(buf.suboffsets);
        assert_true(bv_buffer_is_contiguous(&buf, 'C'));
        bv_buffer_release(&buf);
    }
    assert_int_equal(ex->refcount, 1);
    bv_bytes_decref(b);
}

static void test_writable_request_refused(void **state)
{
    (void)state;
    bv_bytes *b;
    bv_error err;
    assert_ok(bv_bytes_new(&b, "abc", 3, &err), err);
    bv_exporter *ex = bv_bytes_exporter(b);
    const int writable[] = {BV_BUF_WRITABLE, BV_BUF_CONTIG, BV_BUF_STRIDED, BV_BUF_RECORDS,
                            BV_BUF_FULL};
    for (size_t i = 0; i < sizeof writable / sizeof writable[0]; i++) {
        bv_buffer buf;
        memset(&buf, 0xab, sizeof buf);
        assert_error(bv_buffer_get(ex, &buf, writable[i], &err), err, BV_BUFFER_ERROR,
                     "Object is not writable.");
        assert_null(buf.obj);   /* zeroed on failure */
        assert_null(buf.buf);
        assert_int_equal(ex->refcount, 1);
    }
    assert_memory_equal(bv_bytes_data(b), "abc", 3);
    bv_bytes_decref(b);
}

static void test_buffer_keeps_bytes_alive(void **state)
{
    (void)state;
    bv_bytes *b;
    bv_error err;
    test_alloc_install(0);
    assert_ok(bv_bytes_new(&b, "survivor", 8, &err), err);
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_bytes_exporter(b), &buf, BV_BUF_SIMPLE, &err), err);
    bv_bytes_decref(b);   /* the creator's reference is gone ... */
    assert_int_equal(test_alloc.live, 1);
    assert_int_equal(buf.obj->refcount, 1);
    assert_memory_equal(buf.buf, "survivor", 8);   /* ... the buffer's keeps it alive */
    bv_buffer_release(&buf);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
}

static void test_null_object(void **state)
{
    (void)state;
    assert_null(bv_bytes_data(NULL));
    assert_int_equal(bv_bytes_size(NULL), 0);
    assert_null(bv_bytes_exporter(NULL));
    bv_bytes_decref(NULL);
    bv_error err;
    bv_buffer buf;
    assert_error(bv_buffer_get(bv_bytes_exporter(NULL), &buf, BV_BUF_SIMPLE, &err), err,
                 BV_TYPE_ERROR, "a bytes-like object is required, not 'NoneType'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_new_copies_data_in_one_allocation, restore_allocator),
        cmocka_unit_test_teardown(test_new_empty, restore_allocator),
        cmocka_unit_test_teardown(test_new_bad_arguments, restore_allocator),
        cmocka_unit_test_teardown(test_new_too_large_refused_without_allocating, restore_allocator),
        cmocka_unit_test_teardown(test_new_allocation_failure, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_simple_request, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_fields_follow_flags, restore_allocator),
        cmocka_unit_test_teardown(test_writable_request_refused, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_keeps_bytes_alive, restore_allocator),
        cmocka_unit_test_teardown(test_null_object, restore_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
