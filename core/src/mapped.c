/*
 * mapped.c: the memory-mapped file exporter (Python's mmap.mmap over a whole file).
 *
 * The file is mapped, never read: opening a multi-GB file costs a few system calls and
 * pages are faulted in only when a view touches them. Errors reproduce what Python's
 * open() and mmap.mmap() raise for the same file.
 */
#define _XOPEN_SOURCE 700   /* open/fstat/mmap/msync under -std=c17 */

#include "bufview/mapped.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bufview/memory.h"
#include "internal.h"

struct bv_mapped {
    bv_exporter base;       /* first, so a bv_exporter * is a bv_mapped * */
    unsigned char *data;    /* NULL once closed */
    size_t size;
    bool writable;
    ptrdiff_t exports;
};

static const char closed_message[] = "mmap closed or invalid";

static bv_status not_a_mapped(const char *method, bv_error *err)
{
    return bv_error_set(err, BV_TYPE_ERROR,
                        "descriptor '%s' for 'mmap.mmap' objects doesn't apply to a "
                        "'NoneType' object",
                        method);
}

/*
 * Write repr(path) as Python prints it in an OSError: single quotes unless the path
 * contains ' and no ", backslash escapes for the quote, \\, \t, \n, \r and other control
 * characters. Bytes >= 0x80 pass through (a UTF-8 path prints as itself). Stops early
 * rather than overflow out; the caller's message is truncated then, which is acceptable.
 */
static void quote_path(char *out, size_t cap, const char *path)
{
    char quote = (strchr(path, '\'') != NULL && strchr(path, '"') == NULL) ? '"' : '\'';
    size_t n = 0;
#define PUT(c) do { if (n + 1 < cap) out[n++] = (c); } while (0)
    PUT(quote);
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
        unsigned char c = *p;
        if (c == (unsigned char)quote || c == '\\') {
            PUT('\\');
            PUT((char)c);
        } else if (c == '\t') {
            PUT('\\'); PUT('t');
        } else if (c == '\n') {
            PUT('\\'); PUT('n');
        } else if (c == '\r') {
            PUT('\\'); PUT('r');
        } else if (c < 0x20 || c == 0x7f) {
            static const char hex[] = "0123456789abcdef";
            PUT('\\'); PUT('x'); PUT(hex[c >> 4]); PUT(hex[c & 0xf]);
        } else {
            PUT((char)c);
        }
    }
    PUT(quote);
#undef PUT
    out[n] = '\0';
}

/* OSError and the subclasses Python picks for errno (PyErr_SetFromErrnoWithFilename). */
static bv_status errno_error(int errnum, const char *path, bv_error *err)
{
    bv_status kind = BV_OS_ERROR;
    if (errnum == ENOENT)
        kind = BV_FILE_NOT_FOUND_ERROR;
    else if (errnum == EACCES || errnum == EPERM)
        kind = BV_PERMISSION_ERROR;
    char quoted[BV_ERROR_MESSAGE_MAX];
    quote_path(quoted, sizeof quoted, path);
    return bv_error_set(err, kind, "[Errno %d] %s: %s", errnum, strerror(errnum), quoted);
}

static bv_status mapped_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    bv_mapped *m = (bv_mapped *)self;
    if (m->data == NULL)
        return bv_error_set(err, BV_VALUE_ERROR, "%s", closed_message);
    bv_status st = bv_buffer_fill_info(view, self, m->data, (ptrdiff_t)m->size, !m->writable,
                                       flags, err);
    if (st == BV_OK)
        m->exports++;
    return st;
}

static void mapped_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    bv_mapped *m = (bv_mapped *)self;
    if (m->exports > 0)
        m->exports--;
}

static void mapped_destroy(bv_exporter *self)
{
    bv_mapped *m = (bv_mapped *)self;
    if (m->data != NULL)
        munmap(m->data, m->size);
    bv_free(m);
}

static const bv_exporter_type mapped_type = {
    .name = "mmap.mmap",
    .getbuffer = mapped_getbuffer,
    .releasebuffer = mapped_releasebuffer,
    .destroy = mapped_destroy,
};

bv_status bv_mapped_open(bv_mapped **out, const char *path, bool writable, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    if (path == NULL)
        return bv_error_set(err, BV_TYPE_ERROR,
                            "expected str, bytes or os.PathLike object, not NoneType");

    /* Allocate first: running out of memory then leaves nothing open to undo. */
    bv_mapped *m = bv_malloc(sizeof *m);
    if (m == NULL)
        return bvi_error_nomem(err);

    /* O_NONBLOCK: opening a FIFO must not hang waiting for a writer (it is then refused
     * below); it changes nothing for regular files. */
    int fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        bv_free(m);
        return errno_error(e, path, err);
    }

    struct stat st;
    bv_status status = BV_OK;
    if (fstat(fd, &st) != 0) {
        status = errno_error(errno, path, err);
    } else if (S_ISDIR(st.st_mode)) {
        /* open(2) accepts a directory read-only; Python's open() refuses it itself. */
        status = errno_error(EISDIR, path, err);
    } else if (!S_ISREG(st.st_mode)) {
        /* A device or pipe has no size to map "the whole file" by; mmap(2) with length 0
         * says EINVAL, which is what mmap.mmap(fd, 0) reports for one. */
        status = errno_error(EINVAL, path, err);
    } else if (st.st_size == 0) {
        status = bv_error_set(err, BV_VALUE_ERROR, "cannot mmap an empty file");
    } else if ((uintmax_t)st.st_size > (uintmax_t)PTRDIFF_MAX ||
               (uintmax_t)st.st_size > (uintmax_t)SIZE_MAX) {
        /* Impossible with a 64-bit off_t and ptrdiff_t, but a bv_buffer's len must hold it. */
        status = bv_error_set(err, BV_VALUE_ERROR, "mmap length is too large");
    }
    if (status != BV_OK) {
        close(fd);
        bv_free(m);
        return status;
    }

    size_t size = (size_t)st.st_size;
    void *data = mmap(NULL, size, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, fd, 0);
    int map_errno = errno;
    /* The mapping keeps its own reference to the file. */
    close(fd);
    if (data == MAP_FAILED) {
        bv_free(m);
        return errno_error(map_errno, path, err);
    }

    bv_exporter_init(&m->base, &mapped_type, BV_EXPORTER_COUNTED);
    m->data = data;
    m->size = size;
    m->writable = writable;
    m->exports = 0;
    *out = m;
    return BV_OK;
}

void *bv_mapped_data(bv_mapped *m)
{
    return m == NULL ? NULL : m->data;
}

size_t bv_mapped_size(const bv_mapped *m)
{
    return m == NULL ? 0 : m->size;
}

bool bv_mapped_writable(const bv_mapped *m)
{
    return m != NULL && m->writable;
}

ptrdiff_t bv_mapped_exports(const bv_mapped *m)
{
    return m == NULL ? 0 : m->exports;
}

bv_status bv_mapped_flush(bv_mapped *m, bv_error *err)
{
    if (m == NULL)
        return not_a_mapped("flush", err);
    if (m->data == NULL)
        return bv_error_set(err, BV_VALUE_ERROR, "%s", closed_message);
    /* Nothing can be dirty in a read-only mapping; mmap.flush() returns None for it. */
    if (!m->writable)
        return BV_OK;
    if (msync(m->data, m->size, MS_SYNC) != 0) {
        int e = errno;
        return bv_error_set(err, BV_OS_ERROR, "[Errno %d] %s", e, strerror(e));
    }
    return BV_OK;
}

bv_status bv_mapped_close(bv_mapped *m, bv_error *err)
{
    if (m == NULL)
        return not_a_mapped("close", err);
    if (m->exports > 0)
        return bv_error_set(err, BV_BUFFER_ERROR, "cannot close exported pointers exist");
    if (m->data != NULL) {
        munmap(m->data, m->size);
        m->data = NULL;
        m->size = 0;
    }
    return BV_OK;
}

bv_exporter *bv_mapped_exporter(bv_mapped *m)
{
    return m == NULL ? NULL : &m->base;
}

void bv_mapped_decref(bv_mapped *m)
{
    if (m != NULL)
        bv_exporter_decref(&m->base);
}
