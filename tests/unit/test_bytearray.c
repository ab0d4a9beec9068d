/*
 * test_bytearray.c: the mutable bytearray exporter: construction, append/extend/resize/
 * clear, the export lock taken through bv_buffer_get/bv_buffer_release, amortised growth,
 * MemoryError paths that change nothing, and buffer lifetime.
 */
#include "support.h"

#include <string.h>

#define LOCKED "Existing exports of data: object cannot be re-sized"

static bv_bytearray *new_ba(const char *s)
{
    bv_bytearray *ba = NULL;
    bv_error err;
    assert_ok(bv_bytearray_new(&ba, s, strlen(s), &err), err);
    return ba;
}

static void assert_contents(bv_bytearray *ba, const char *want)
{
    assert_int_equal(bv_bytearray_size(ba), strlen(want));
    assert_memory_equal(bv_bytearray_data(ba), want, strlen(want));
}

/* Fail the nth allocation from now on (1 = the next one). */
static void fail_nth(size_t n)
{
    test_alloc.fail_at = test_alloc.calls + n;
}

/* A failed assertion must not leave a failing allocator behind for the next test. */
static int restore_allocator(void **state)
{
    (void)state;
    test_alloc_uninstall();
    return 0;
}

static bv_bytearray *sentinel(void)
{
    return (bv_bytearray *)(uintptr_t)0x1234;
}

static void test_new(void **state)
{
    (void)state;
    bv_error err;
    char src[] = "abc";
    bv_bytearray *ba = new_ba(src);
    src[0] = 'x';
    assert_contents(ba, "abc");
    assert_int_equal(bv_bytearray_exports(ba), 0);
    assert_string_equal(bv_exporter_type_name(bv_bytearray_exporter(ba)), "bytearray");
    assert_int_equal(bv_bytearray_exporter(ba)->refcount, 1);
    bv_bytearray_decref(ba);

    /* NULL data: that many zero bytes, as bytearray(4). */
    assert_ok(bv_bytearray_new(&ba, NULL, 4, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 4);
    assert_memory_equal(bv_bytearray_data(ba), "\0\0\0\0", 4);
    bv_bytearray_decref(ba);

    assert_ok(bv_bytearray_new(&ba, NULL, 0, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 0);
    assert_non_null(bv_bytearray_data(ba));
    bv_bytearray_decref(ba);
}

static void test_new_errors(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = sentinel();
    test_alloc_install(0);
    assert_error(bv_bytearray_new(NULL, "a", 1, &err), err, BV_TYPE_ERROR,
                 "bv_bytearray_new() argument 'out' must not be NULL");
    assert_error(bv_bytearray_new(&ba, NULL, (size_t)PTRDIFF_MAX + 1, &err), err,
                 BV_MEMORY_ERROR, "");
    assert_error(bv_bytearray_new(&ba, NULL, SIZE_MAX, &err), err, BV_MEMORY_ERROR, "");
    assert_ptr_equal(ba, sentinel());
    assert_int_equal(test_alloc.calls, 0);

    /* Two allocations (object, storage): fail each in turn. */
    size_t n = 1;
    for (;; n++) {
        test_alloc_install(n);
        bv_status st = bv_bytearray_new(&ba, "hello", 5, &err);
        if (st == BV_OK)
            break;
        assert_error(st, err, BV_MEMORY_ERROR, "");
        assert_ptr_equal(ba, sentinel());
        assert_int_equal(test_alloc.live, 0);
    }
    assert_int_equal(n, 3);
    assert_contents(ba, "hello");
    bv_bytearray_decref(ba);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
}

static void test_append(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("");
    assert_ok(bv_bytearray_append(ba, 'a', &err), err);
    assert_ok(bv_bytearray_append(ba, 0, &err), err);
    assert_ok(bv_bytearray_append(ba, 255, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 3);
    assert_memory_equal(bv_bytearray_data(ba), "a\0\xff", 3);

    const int bad[] = {-1, 256, 1000, -256, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_error(bv_bytearray_append(ba, bad[i], &err), err, BV_VALUE_ERROR,
                     "byte must be in range(0, 256)");
        assert_int_equal(bv_bytearray_size(ba), 3);
        assert_memory_equal(bv_bytearray_data(ba), "a\0\xff", 3);
    }
    bv_bytearray_decref(ba);
}

static void test_append_is_amortised(void **state)
{
    (void)state;
    bv_error err;
    test_alloc_install(0);
    bv_bytearray *ba = new_ba("");
    for (int i = 0; i < 100000; i++)
        assert_ok(bv_bytearray_append(ba, i & 0xff, &err), err);
    /* Growing by ~1/8 each time: about 90 reallocations for 100000 appends, not 100000. */
    assert_in_range(test_alloc.calls, 2, 200);
    assert_int_equal(test_alloc.live, 2);   /* the object and its storage */
    assert_int_equal(bv_bytearray_size(ba), 100000);
    const unsigned char *d = bv_bytearray_data(ba);
    for (int i = 0; i < 100000; i++)
        if (d[i] != (unsigned char)(i & 0xff))
            fail_msg("byte %d is %u", i, d[i]);
    bv_bytearray_decref(ba);
    assert_int_equal(test_alloc.live, 0);
}

static void test_extend(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("ab");
    assert_ok(bv_bytearray_extend(ba, "cde", 3, &err), err);
    assert_contents(ba, "abcde");
    assert_ok(bv_bytearray_extend(ba, NULL, 0, &err), err);
    assert_ok(bv_bytearray_extend(ba, "zzz", 0, &err), err);
    assert_contents(ba, "abcde");

    assert_error(bv_bytearray_extend(ba, NULL, 2, &err), err, BV_TYPE_ERROR,
                 "can't extend bytearray with NoneType");
    assert_contents(ba, "abcde");
    assert_error(bv_bytearray_extend(ba, "x", SIZE_MAX, &err), err, BV_MEMORY_ERROR, "");
    assert_error(bv_bytearray_extend(ba, "x", (size_t)PTRDIFF_MAX - 4, &err), err,
                 BV_MEMORY_ERROR, "");
    assert_contents(ba, "abcde");
    bv_bytearray_decref(ba);
}

static void test_extend_with_itself(void **state)
{
    (void)state;
    bv_error err;
    /* Storage is exactly 3 bytes, so this extend must move the data it copies from
     * (b.extend(b) in Python); ASan would catch a read from the freed block. */
    bv_bytearray *ba = new_ba("abc");
    assert_ok(bv_bytearray_extend(ba, bv_bytearray_data(ba), 3, &err), err);
    assert_contents(ba, "abcabc");
    assert_ok(bv_bytearray_extend(ba, bv_bytearray_data(ba) + 1, 4, &err), err);
    assert_contents(ba, "abcabcbcab");
    bv_bytearray_decref(ba);
}

static void test_resize_and_clear(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("abc");
    assert_ok(bv_bytearray_resize(ba, 6, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 6);
    assert_memory_equal(bv_bytearray_data(ba), "abc\0\0\0", 6);
    assert_ok(bv_bytearray_resize(ba, 2, &err), err);
    assert_contents(ba, "ab");
    /* Growing again after a shrink zero-fills: the old bytes do not come back. */
    assert_ok(bv_bytearray_resize(ba, 4, &err), err);
    assert_memory_equal(bv_bytearray_data(ba), "ab\0\0", 4);
    assert_ok(bv_bytearray_resize(ba, 4, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 4);

    assert_error(bv_bytearray_resize(ba, (size_t)PTRDIFF_MAX + 1, &err), err,
                 BV_MEMORY_ERROR, "");
    assert_error(bv_bytearray_resize(ba, SIZE_MAX, &err), err, BV_MEMORY_ERROR, "");
    assert_memory_equal(bv_bytearray_data(ba), "ab\0\0", 4);

    assert_ok(bv_bytearray_clear(ba, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 0);
    assert_non_null(bv_bytearray_data(ba));
    assert_ok(bv_bytearray_clear(ba, &err), err);
    assert_ok(bv_bytearray_append(ba, 'q', &err), err);
    assert_contents(ba, "q");
    assert_ok(bv_bytearray_resize(ba, 0, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 0);
    bv_bytearray_decref(ba);
}

static void test_shrinking_never_fails(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba;
    test_alloc_install(0);
    assert_ok(bv_bytearray_new(&ba, NULL, 1000, &err), err);
    memset(bv_bytearray_data(ba), 'x', 1000);
    /* A big shrink tries to give memory back; when that allocation fails it keeps the
     * larger block instead of reporting an error. */
    size_t calls = test_alloc.calls;
    fail_nth(1);
    assert_ok(bv_bytearray_resize(ba, 10, &err), err);
    assert_int_equal(test_alloc.calls, calls + 1);
    assert_int_equal(test_alloc.live, 2);
    assert_int_equal(bv_bytearray_size(ba), 10);
    assert_memory_equal(bv_bytearray_data(ba), "xxxxxxxxxx", 10);
    /* And when it succeeds the smaller block replaces the old one. */
    test_alloc.fail_at = 0;
    assert_ok(bv_bytearray_resize(ba, 3, &err), err);
    assert_int_equal(test_alloc.calls, calls + 2);
    assert_int_equal(test_alloc.live, 2);
    assert_contents(ba, "xxx");
    /* A small shrink keeps the block: no allocation at all. */
    assert_ok(bv_bytearray_resize(ba, 2, &err), err);
    assert_int_equal(test_alloc.calls, calls + 2);
    assert_contents(ba, "xx");
    bv_bytearray_decref(ba);
    assert_int_equal(test_alloc.live, 0);
}

/* Every size-changing call with the allocator failing at its nth allocation, for n = 1..
 * until the call succeeds: each failure is MemoryError, changes nothing and leaks
 * nothing (test_alloc.live back to its value before the call). */
static void test_growth_allocation_failure(void **state)
{
    (void)state;
    test_alloc_install(0);
    for (int op = 0; op < 3; op++) {
        bv_bytearray *ba = new_ba("abcd");
        bv_error err;
        size_t live = test_alloc.live;
        size_t n = 1;
        for (;; n++) {
            fail_nth(n);
            bv_status st;
            if (op == 0)
                st = bv_bytearray_append(ba, 'e', &err);
            else if (op == 1)
                st = bv_bytearray_extend(ba, "efgh", 4, &err);
            else
                st = bv_bytearray_resize(ba, 100, &err);
            if (st == BV_OK)
                break;
            assert_error(st, err, BV_MEMORY_ERROR, "");
            assert_contents(ba, "abcd");
            assert_int_equal(test_alloc.live, live);
        }
        test_alloc.fail_at = 0;
        assert_int_equal(n, 2);   /* one allocation, and failing it was reported */
        assert_int_equal(test_alloc.live, live);   /* the new block replaced the old */
        if (op == 0)
            assert_contents(ba, "abcde");
        else if (op == 1)
            assert_contents(ba, "abcdefgh");
        else
            assert_int_equal(bv_bytearray_size(ba), 100);
        bv_bytearray_decref(ba);
        assert_int_equal(test_alloc.live, 0);
    }
}

static void test_buffer_fields(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("hello");
    bv_exporter *ex = bv_bytearray_exporter(ba);
    bv_buffer buf;
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_SIMPLE, &err), err);
    assert_ptr_equal(buf.buf, bv_bytearray_data(ba));
    assert_ptr_equal(buf.obj, ex);
    assert_int_equal(buf.len, 5);
    assert_int_equal(buf.readonly, 0);
    assert_int_equal(buf.itemsize, 1);
    assert_int_equal(buf.ndim, 1);
    assert_null(buf.format);
    assert_null(buf.shape);
    assert_null(buf.strides);
    assert_null(buf.suboffsets);
    bv_buffer_release(&buf);

    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_FULL, &err), err);
    assert_string_equal(buf.format, "B");
    assert_int_equal(buf.shape[0], 5);
    assert_int_equal(buf.strides[0], 1);
    assert_int_equal(buf.readonly, 0);
    bv_buffer_release(&buf);
    assert_int_equal(bv_bytearray_exports(ba), 0);
    assert_int_equal(ex->refcount, 1);
    bv_bytearray_decref(ba);
}

static void test_empty_exports_real_pointer(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("");
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_bytearray_exporter(ba), &buf, BV_BUF_FULL, &err), err);
    assert_non_null(buf.buf);
    assert_int_equal(buf.len, 0);
    assert_int_equal(buf.shape[0], 0);
    assert_int_equal(bv_bytearray_exports(ba), 1);
    /* Same size: clearing an empty exported bytearray is not a resize. */
    assert_ok(bv_bytearray_clear(ba, &err), err);
    assert_error(bv_bytearray_append(ba, 1, &err), err, BV_BUFFER_ERROR, LOCKED);
    bv_buffer_release(&buf);
    assert_int_equal(bv_bytearray_exports(ba), 0);
    bv_bytearray_decref(ba);
}

static void test_export_lock(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("abcd");
    bv_exporter *ex = bv_bytearray_exporter(ba);
    bv_buffer b1, b2;
    assert_ok(bv_buffer_get(ex, &b1, BV_BUF_CONTIG, &err), err);
    assert_int_equal(bv_bytearray_exports(ba), 1);
    assert_int_equal(ex->refcount, 2);

    test_alloc_install(0);   /* a refused size change must not even allocate */
    assert_error(bv_bytearray_append(ba, 'e', &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_error(bv_bytearray_extend(ba, "ef", 2, &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_error(bv_bytearray_resize(ba, 8, &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_error(bv_bytearray_resize(ba, 2, &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_error(bv_bytearray_resize(ba, 0, &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_error(bv_bytearray_resize(ba, SIZE_MAX, &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_error(bv_bytearray_clear(ba, &err), err, BV_BUFFER_ERROR, LOCKED);
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
    assert_contents(ba, "abcd");
    assert_ptr_equal(b1.buf, bv_bytearray_data(ba));
    assert_int_equal(bv_bytearray_exports(ba), 1);

    /* Not size changes: allowed while exported. */
    assert_ok(bv_bytearray_resize(ba, 4, &err), err);
    assert_ok(bv_bytearray_extend(ba, "", 0, &err), err);
    /* The value is checked before the lock, as bytearray.append does. */
    assert_error(bv_bytearray_append(ba, 256, &err), err, BV_VALUE_ERROR,
                 "byte must be in range(0, 256)");
    assert_error(bv_bytearray_extend(ba, NULL, 1, &err), err, BV_TYPE_ERROR,
                 "can't extend bytearray with NoneType");

    /* Writing in place through the buffer is the point of a writable export. */
    ((unsigned char *)b1.buf)[0] = 'A';
    assert_contents(ba, "Abcd");

    assert_ok(bv_buffer_get(ex, &b2, BV_BUF_SIMPLE, &err), err);
    assert_int_equal(bv_bytearray_exports(ba), 2);
    bv_buffer_release(&b1);
    assert_int_equal(bv_bytearray_exports(ba), 1);
    assert_error(bv_bytearray_append(ba, 'e', &err), err, BV_BUFFER_ERROR, LOCKED);
    bv_buffer_release(&b2);
    bv_buffer_release(&b2);   /* a second release of the same buffer changes nothing */
    assert_int_equal(bv_bytearray_exports(ba), 0);
    assert_int_equal(ex->refcount, 1);

    assert_ok(bv_bytearray_append(ba, 'e', &err), err);
    assert_ok(bv_bytearray_clear(ba, &err), err);
    assert_int_equal(bv_bytearray_size(ba), 0);
    bv_bytearray_decref(ba);
}

static void test_failed_get_does_not_count(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = new_ba("ab");
    assert_error(bv_buffer_get(bv_bytearray_exporter(ba), NULL, BV_BUF_SIMPLE, &err), err,
                 BV_TYPE_ERROR, "bv_buffer_get() argument 'view' must not be NULL");
    assert_int_equal(bv_bytearray_exports(ba), 0);
    assert_int_equal(bv_bytearray_exporter(ba)->refcount, 1);
    assert_ok(bv_bytearray_append(ba, 'c', &err), err);
    bv_bytearray_decref(ba);
}

static void test_buffer_keeps_bytearray_alive(void **state)
{
    (void)state;
    bv_error err;
    test_alloc_install(0);
    bv_bytearray *ba = new_ba("alive");
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_bytearray_exporter(ba), &buf, BV_BUF_WRITABLE, &err), err);
    bv_bytearray_decref(ba);
    assert_int_equal(test_alloc.live, 2);
    assert_memory_equal(buf.buf, "alive", 5);
    ((unsigned char *)buf.buf)[4] = 'E';
    assert_memory_equal(buf.buf, "alivE", 5);
    bv_buffer_release(&buf);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
}

static void test_null_object(void **state)
{
    (void)state;
    bv_error err;
    assert_null(bv_bytearray_data(NULL));
    assert_int_equal(bv_bytearray_size(NULL), 0);
    assert_int_equal(bv_bytearray_exports(NULL), 0);
    assert_null(bv_bytearray_exporter(NULL));
    bv_bytearray_decref(NULL);
    assert_error(bv_bytearray_append(NULL, 1, &err), err, BV_TYPE_ERROR,
                 "descriptor 'append' for 'bytearray' objects doesn't apply to a 'NoneType' "
                 "object");
    assert_error(bv_bytearray_extend(NULL, "a", 1, &err), err, BV_TYPE_ERROR,
                 "descriptor 'extend' for 'bytearray' objects doesn't apply to a 'NoneType' "
                 "object");
    assert_error(bv_bytearray_resize(NULL, 1, &err), err, BV_TYPE_ERROR,
                 "descriptor 'resize' for 'bytearray' objects doesn't apply to a 'NoneType' "
                 "object");
    assert_error(bv_bytearray_clear(NULL, &err), err, BV_TYPE_ERROR,
                 "descriptor 'clear' for 'bytearray' objects doesn't apply to a 'NoneType' "
                 "object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_new, restore_allocator),
        cmocka_unit_test_teardown(test_new_errors, restore_allocator),
        cmocka_unit_test_teardown(test_append, restore_allocator),
        cmocka_unit_test_teardown(test_append_is_amortised, restore_allocator),
        cmocka_unit_test_teardown(test_extend, restore_allocator),
        cmocka_unit_test_teardown(test_extend_with_itself, restore_allocator),
        cmocka_unit_test_teardown(test_resize_and_clear, restore_allocator),
        cmocka_unit_test_teardown(test_shrinking_never_fails, restore_allocator),
        cmocka_unit_test_teardown(test_growth_allocation_failure, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_fields, restore_allocator),
        cmocka_unit_test_teardown(test_empty_exports_real_pointer, restore_allocator),
        cmocka_unit_test_teardown(test_export_lock, restore_allocator),
        cmocka_unit_test_teardown(test_failed_get_does_not_count, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_keeps_bytearray_alive, restore_allocator),
        cmocka_unit_test_teardown(test_null_object, restore_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
