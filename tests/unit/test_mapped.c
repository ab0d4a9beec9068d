/*
 * test_mapped.c: the memory-mapped file exporter: read-only and read-write mappings of
 * real temporary files, writes reaching the file, the errors Python's open()/mmap raise
 * (missing, empty, directory, unreadable, not a regular file), close/flush rules, the
 * export count, buffer lifetime, and that no failure leaks memory or a file descriptor.
 */
#define _XOPEN_SOURCE 700   /* mkstemp, mkdtemp, ftruncate, pwrite under -std=c17 */

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CLOSED "mmap closed or invalid"

static int restore_allocator(void **state)
{
    (void)state;
    test_alloc_uninstall();
    return 0;
}

static bv_mapped *sentinel(void)
{
    return (bv_mapped *)(uintptr_t)0x1234;
}

static const char *tmp_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d != NULL && d[0] != '\0' ? d : "/tmp";
}

/* A new file in $TMPDIR holding len bytes of data; its path goes to path. */
static void make_file(char *path, size_t cap, const void *data, size_t len)
{
    int n = snprintf(path, cap, "%s/bv-mapped-XXXXXX", tmp_dir());
    assert_true(n > 0 && (size_t)n < cap);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (len > 0)
        assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

static void read_file(const char *path, void *out, size_t len)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, out, len), (ssize_t)len);
    close(fd);
}

/* The lowest free descriptor: if an error path leaked one, this number would go up. */
static int lowest_free_fd(void)
{
    int fd = dup(0);
    assert_true(fd >= 0);
    close(fd);
    return fd;
}

static void expect_open_error(const char *path, bool writable, bv_status kind,
                              const char *message)
{
    bv_error err;
    bv_mapped *m = sentinel();
    int fd = lowest_free_fd();
    test_alloc_install(0);
    assert_error(bv_mapped_open(&m, path, writable, &err), err, kind, message);
    assert_ptr_equal(m, sentinel());
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
    assert_int_equal(lowest_free_fd(), fd);
}

static void test_read_only_mapping(void **state)
{
    (void)state;
    char path[512];
    make_file(path, sizeof path, "hello, mapped", 13);
    bv_mapped *m;
    bv_error err;
    int fd = lowest_free_fd();
    assert_ok(bv_mapped_open(&m, path, false, &err), err);
    assert_int_equal(lowest_free_fd(), fd);   /* the descriptor is closed after mapping */
    assert_int_equal(bv_mapped_size(m), 13);
    assert_false(bv_mapped_writable(m));
    assert_memory_equal(bv_mapped_data(m), "hello, mapped", 13);
    assert_int_equal(bv_mapped_exports(m), 0);
    bv_exporter *ex = bv_mapped_exporter(m);
    assert_string_equal(bv_exporter_type_name(ex), "mmap.mmap");
    assert_int_equal(ex->refcount, 1);

    bv_buffer buf;
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_SIMPLE, &err), err);
    assert_ptr_equal(buf.buf, bv_mapped_data(m));
    assert_ptr_equal(buf.obj, ex);
    assert_int_equal(buf.len, 13);
    assert_int_equal(buf.readonly, 1);
    assert_int_equal(buf.itemsize, 1);
    assert_int_equal(buf.ndim, 1);
    assert_null(buf.format);
    assert_null(buf.shape);
    assert_null(buf.strides);
    assert_int_equal(bv_mapped_exports(m), 1);
    assert_int_equal(ex->refcount, 2);
    bv_buffer release_me = buf;
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_FULL_RO, &err), err);
    assert_string_equal(buf.format, "B");
    assert_int_equal(buf.shape[0], 13);
    assert_int_equal(buf.strides[0], 1);
    assert_int_equal(bv_mapped_exports(m), 2);
    bv_buffer_release(&buf);
    bv_buffer_release(&release_me);
    assert_int_equal(bv_mapped_exports(m), 0);

    /* A writable request on a read-only mapping is refused and counts nothing. */
    const int writable[] = {BV_BUF_WRITABLE, BV_BUF_CONTIG, BV_BUF_FULL};
    for (size_t i = 0; i < 3; i++) {
        assert_error(bv_buffer_get(ex, &buf, writable[i], &err), err, BV_BUFFER_ERROR,
                     "Object is not writable.");
        assert_null(buf.obj);
        assert_int_equal(bv_mapped_exports(m), 0);
        assert_int_equal(ex->refcount, 1);
    }

    /* mmap(ACCESS_READ).flush() is allowed and does nothing. */
    assert_ok(bv_mapped_flush(m, &err), err);
    bv_mapped_decref(m);
    unlink(path);
}

static void test_read_write_mapping_reaches_the_file(void **state)
{
    (void)state;
    char path[512];
    make_file(path, sizeof path, "abcdefgh", 8);
    bv_mapped *m;
    bv_error err;
    assert_ok(bv_mapped_open(&m, path, true, &err), err);
    assert_true(bv_mapped_writable(m));
    assert_int_equal(bv_mapped_size(m), 8);

    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_mapped_exporter(m), &buf, BV_BUF_CONTIG, &err), err);
    assert_int_equal(buf.readonly, 0);
    assert_int_equal(buf.shape[0], 8);
    memcpy(buf.buf, "XY", 2);
    ((unsigned char *)bv_mapped_data(m))[7] = 'Z';
    bv_buffer_release(&buf);
    assert_ok(bv_mapped_flush(m, &err), err);

    char got[8];
    read_file(path, got, 8);
    assert_memory_equal(got, "XYcdefgZ", 8);

    /* The mapping is shared: a write to the file shows through it too. */
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "Q", 1, 3), 1);
    close(fd);
    assert_int_equal(((unsigned char *)bv_mapped_data(m))[3], 'Q');
    bv_mapped_decref(m);
    unlink(path);
}

static void test_close(void **state)
{
    (void)state;
    char path[512];
    make_file(path, sizeof path, "0123456789", 10);
    bv_mapped *m;
    bv_error err;
    assert_ok(bv_mapped_open(&m, path, true, &err), err);
    bv_exporter *ex = bv_mapped_exporter(m);
    void *data = bv_mapped_data(m);

    bv_buffer buf;
    assert_ok(bv_buffer_get(ex, &buf, BV_BUF_SIMPLE, &err), err);
    assert_error(bv_mapped_close(m, &err), err, BV_BUFFER_ERROR,
                 "cannot close exported pointers exist");
    assert_ptr_equal(bv_mapped_data(m), data);
    assert_int_equal(bv_mapped_size(m), 10);
    assert_int_equal(bv_mapped_exports(m), 1);
    assert_memory_equal(buf.buf, "0123456789", 10);   /* still mapped */
    bv_buffer_release(&buf);

    assert_ok(bv_mapped_close(m, &err), err);
    assert_null(bv_mapped_data(m));
    assert_int_equal(bv_mapped_size(m), 0);
    assert_ok(bv_mapped_close(m, &err), err);   /* closing twice is fine, as in Python */

    memset(&buf, 0xab, sizeof buf);
    assert_error(bv_buffer_get(ex, &buf, BV_BUF_SIMPLE, &err), err, BV_VALUE_ERROR, CLOSED);
    assert_null(buf.obj);
    assert_int_equal(bv_mapped_exports(m), 0);
    assert_int_equal(ex->refcount, 1);
    assert_error(bv_mapped_flush(m, &err), err, BV_VALUE_ERROR, CLOSED);
    bv_mapped_decref(m);
    unlink(path);

    /* Read-only mappings close the same way. */
    make_file(path, sizeof path, "x", 1);
    assert_ok(bv_mapped_open(&m, path, false, &err), err);
    assert_ok(bv_mapped_close(m, &err), err);
    assert_error(bv_mapped_flush(m, &err), err, BV_VALUE_ERROR, CLOSED);
    bv_mapped_decref(m);
    unlink(path);
}

static void test_buffer_keeps_mapping_alive(void **state)
{
    (void)state;
    char path[512];
    make_file(path, sizeof path, "still here", 10);
    bv_mapped *m;
    bv_error err;
    test_alloc_install(0);
    assert_ok(bv_mapped_open(&m, path, true, &err), err);
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_mapped_exporter(m), &buf, BV_BUF_WRITABLE, &err), err);
    bv_mapped_decref(m);
    assert_int_equal(test_alloc.live, 1);
    assert_int_equal(buf.obj->refcount, 1);
    assert_memory_equal(buf.buf, "still here", 10);
    ((char *)buf.buf)[0] = 'S';
    bv_buffer_release(&buf);   /* the last reference: unmaps and frees */
    assert_int_equal(test_alloc.live, 0);
    char got[10];
    read_file(path, got, 10);   /* a MAP_SHARED write survives the unmap */
    assert_memory_equal(got, "Still here", 10);
    unlink(path);
}

static void test_missing_file(void **state)
{
    (void)state;
    char path[512], message[700];
    snprintf(path, sizeof path, "%s/bv-no-such-file", tmp_dir());
    unlink(path);
    snprintf(message, sizeof message, "[Errno 2] No such file or directory: '%s'", path);
    expect_open_error(path, false, BV_FILE_NOT_FOUND_ERROR, message);
    expect_open_error(path, true, BV_FILE_NOT_FOUND_ERROR, message);

    /* Quoted as Python's repr() quotes: a ' in the path switches to double quotes, and
     * control characters are escaped. */
    snprintf(path, sizeof path, "%s/it's missing", tmp_dir());
    snprintf(message, sizeof message, "[Errno 2] No such file or directory: \"%s\"", path);
    expect_open_error(path, false, BV_FILE_NOT_FOUND_ERROR, message);
    snprintf(path, sizeof path, "%s/tab\there\\", tmp_dir());
    snprintf(message, sizeof message, "[Errno 2] No such file or directory: '%s/tab\\there\\\\'",
             tmp_dir());
    expect_open_error(path, false, BV_FILE_NOT_FOUND_ERROR, message);
    snprintf(path, sizeof path, "%s/both'\"\n\r\x01\x7f", tmp_dir());
    snprintf(message, sizeof message,
             "[Errno 2] No such file or directory: '%s/both\\'\"\\n\\r\\x01\\x7f'",
             tmp_dir());
    expect_open_error(path, false, BV_FILE_NOT_FOUND_ERROR, message);
}

static void test_empty_file(void **state)
{
    (void)state;
    char path[512];
    make_file(path, sizeof path, NULL, 0);
    expect_open_error(path, false, BV_VALUE_ERROR, "cannot mmap an empty file");
    expect_open_error(path, true, BV_VALUE_ERROR, "cannot mmap an empty file");
    unlink(path);
}

static void test_directory(void **state)
{
    (void)state;
    char path[512], message[700];
    snprintf(path, sizeof path, "%s/bv-mapped-dir-XXXXXX", tmp_dir());
    assert_non_null(mkdtemp(path));
    /* python3: open(dir, 'rb') raises IsADirectoryError, an OSError with errno 21. */
    snprintf(message, sizeof message, "[Errno 21] Is a directory: '%s'", path);
    expect_open_error(path, false, BV_OS_ERROR, message);
    expect_open_error(path, true, BV_OS_ERROR, message);
    rmdir(path);
}

static void test_not_a_regular_file(void **state)
{
    (void)state;
    /* Nothing to take "the whole file" of: mmap(fd, 0) says EINVAL. */
    expect_open_error("/dev/null", false, BV_OS_ERROR,
                      "[Errno 22] Invalid argument: '/dev/null'");
    char path[512], message[700];
    snprintf(path, sizeof path, "%s/bv-mapped-fifo", tmp_dir());
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    /* A FIFO without a writer must not block the open. */
    snprintf(message, sizeof message, "[Errno 22] Invalid argument: '%s'", path);
    expect_open_error(path, false, BV_OS_ERROR, message);
    unlink(path);
}

/* A regular file the kernel cannot map: mmap(2) fails after the open succeeded, and the
 * error names the file like every other OSError here. */
static void test_mmap_refused(void **state)
{
    (void)state;
    const char *candidates[] = {"/sys/kernel/notes", "/sys/kernel/mm/transparent_hugepage/enabled",
                                "/sys/power/state"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        struct stat st;
        if (stat(candidates[i], &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
            access(candidates[i], R_OK) != 0)
            continue;
        char message[700];
        snprintf(message, sizeof message, "[Errno %d] %s: '%s'", ENODEV, strerror(ENODEV),
                 candidates[i]);
        expect_open_error(candidates[i], false, BV_OS_ERROR, message);
        return;
    }
    print_message("NOTICE: no readable sysfs file to provoke an mmap failure; skipped\n");
    skip();
}

static void test_permission_denied(void **state)
{
    (void)state;
    char path[512], message[700];
    make_file(path, sizeof path, "secret", 6);
    assert_int_equal(chmod(path, 0), 0);
    if (geteuid() == 0 || access(path, R_OK) == 0) {
        unlink(path);
        print_message("NOTICE: running as root (or with CAP_DAC_OVERRIDE): permission checks "
                      "are bypassed, so PermissionError cannot be provoked; skipped\n");
        skip();
    }
    snprintf(message, sizeof message, "[Errno 13] Permission denied: '%s'", path);
    expect_open_error(path, false, BV_PERMISSION_ERROR, message);
    /* Read-only file, read-write mapping: open(O_RDWR) is refused. */
    assert_int_equal(chmod(path, 0444), 0);
    expect_open_error(path, true, BV_PERMISSION_ERROR, message);
    bv_mapped *m;
    bv_error err;
    assert_ok(bv_mapped_open(&m, path, false, &err), err);
    bv_mapped_decref(m);
    unlink(path);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    bv_error err;
    bv_mapped *m = sentinel();
    test_alloc_install(0);
    assert_error(bv_mapped_open(&m, NULL, false, &err), err, BV_TYPE_ERROR,
                 "expected str, bytes or os.PathLike object, not NoneType");
    assert_error(bv_mapped_open(NULL, "/dev/null", false, &err), err, BV_TYPE_ERROR,
                 "bv_mapped_open() argument 'out' must not be NULL");
    assert_ptr_equal(m, sentinel());
    assert_int_equal(test_alloc.calls, 0);
}

static void test_allocation_failure(void **state)
{
    (void)state;
    char path[512];
    make_file(path, sizeof path, "data", 4);
    bv_mapped *m = sentinel();
    bv_error err;
    int fd = lowest_free_fd();
    size_t n = 1;
    for (;; n++) {
        test_alloc_install(n);
        bv_status st = bv_mapped_open(&m, path, true, &err);
        if (st == BV_OK)
            break;
        assert_error(st, err, BV_MEMORY_ERROR, "");
        assert_ptr_equal(m, sentinel());
        assert_int_equal(test_alloc.live, 0);
        assert_int_equal(lowest_free_fd(), fd);
    }
    assert_int_equal(n, 2);
    assert_memory_equal(bv_mapped_data(m), "data", 4);
    bv_mapped_decref(m);
    assert_int_equal(test_alloc.live, 0);
    unlink(path);
}

/* A file bigger than 4 GiB (sparse, so it costs no disk) maps without being read: the
 * size survives intact and a byte near the end is reachable. */
static void test_large_sparse_file(void **state)
{
    (void)state;
    const off_t size = (off_t)5 << 30;
    char path[512];
    make_file(path, sizeof path, NULL, 0);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    if (ftruncate(fd, size) != 0 || pwrite(fd, "end", 3, size - 3) != 3) {
        int e = errno;
        close(fd);
        unlink(path);
        print_message("NOTICE: cannot make a 5 GiB sparse file here (%s); skipped\n",
                      strerror(e));
        skip();
    }
    close(fd);
    bv_mapped *m;
    bv_error err;
    assert_ok(bv_mapped_open(&m, path, false, &err), err);
    assert_int_equal(bv_mapped_size(m), (size_t)size);
    bv_buffer buf;
    assert_ok(bv_buffer_get(bv_mapped_exporter(m), &buf, BV_BUF_ND, &err), err);
    assert_int_equal(buf.len, (ptrdiff_t)size);
    assert_int_equal(buf.shape[0], (ptrdiff_t)size);
    assert_memory_equal((char *)buf.buf + size - 3, "end", 3);
    assert_int_equal(((char *)buf.buf)[(size_t)1 << 32], 0);
    bv_buffer_release(&buf);
    bv_mapped_decref(m);
    unlink(path);
}

static void test_null_object(void **state)
{
    (void)state;
    bv_error err;
    assert_null(bv_mapped_data(NULL));
    assert_int_equal(bv_mapped_size(NULL), 0);
    assert_false(bv_mapped_writable(NULL));
    assert_int_equal(bv_mapped_exports(NULL), 0);
    assert_null(bv_mapped_exporter(NULL));
    bv_mapped_decref(NULL);
    assert_error(bv_mapped_flush(NULL, &err), err, BV_TYPE_ERROR,
                 "descriptor 'flush' for 'mmap.mmap' objects doesn't apply to a 'NoneType' "
                 "object");
    assert_error(bv_mapped_close(NULL, &err), err, BV_TYPE_ERROR,
                 "descriptor 'close' for 'mmap.mmap' objects doesn't apply to a 'NoneType' "
                 "object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_read_only_mapping, restore_allocator),
        cmocka_unit_test_teardown(test_read_write_mapping_reaches_the_file, restore_allocator),
        cmocka_unit_test_teardown(test_close, restore_allocator),
        cmocka_unit_test_teardown(test_buffer_keeps_mapping_alive, restore_allocator),
        cmocka_unit_test_teardown(test_missing_file, restore_allocator),
        cmocka_unit_test_teardown(test_empty_file, restore_allocator),
        cmocka_unit_test_teardown(test_directory, restore_allocator),
        cmocka_unit_test_teardown(test_not_a_regular_file, restore_allocator),
        cmocka_unit_test_teardown(test_mmap_refused, restore_allocator),
        cmocka_unit_test_teardown(test_permission_denied, restore_allocator),
        cmocka_unit_test_teardown(test_bad_arguments, restore_allocator),
        cmocka_unit_test_teardown(test_allocation_failure, restore_allocator),
        cmocka_unit_test_teardown(test_large_sparse_file, restore_allocator),
        cmocka_unit_test_teardown(test_null_object, restore_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
