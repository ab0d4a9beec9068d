/*
 * bytearray.c: the mutable, resizable byte string exporter (Python's bytearray).
 *
 * Two things make it more than a malloc'd buffer: the export lock (a size change would
 * move or free memory a view still points at, so it is refused while any buffer is out)
 * and CPython's over-allocation, which makes a run of appends amortised O(1).
 */
#include "bufview/bytearray.h"

#include <stdint.h>
#include <string.h>

#include "bufview/memory.h"
#include "internal.h"

struct bv_bytearray {
    bv_exporter base;       /* first, so a bv_exporter * is a bv_bytearray * */
    unsigned char *bytes;   /* NULL while nothing is allocated (alloc == 0) */
    size_t len;
    size_t alloc;
    ptrdiff_t exports;
};

/* What an empty bytearray exports, like CPython's _PyByteArray_empty_string: a consumer
 * must get a real address even for zero bytes. Not const because the export is writable;
 * with len 0 nothing can ever be written through it. */
static unsigned char empty_storage[1];

static const char resize_locked[] = "Existing exports of data: object cannot be re-sized";

static bv_status not_a_bytearray(const char *method, bv_error *err)
{
    return bv_error_set(err, BV_TYPE_ERROR,
                        "descriptor '%s' for 'bytearray' objects doesn't apply to a "
                        "'NoneType' object",
                        method);
}

static unsigned char *storage(bv_bytearray *ba)
{
    return ba->bytes != NULL ? ba->bytes : empty_storage;
}

/*
 * Set the size to new_len, keeping the first min(len, new_len) bytes; bytes past the old
 * length are left for the caller to fill. This is PyByteArray_Resize: the same size is
 * never a change (so it passes the export lock), growth over-allocates the way CPython
 * does, and on any failure nothing has changed.
 */
static bv_status set_size(bv_bytearray *ba, size_t new_len, bv_error *err)
{
    if (new_len == ba->len)
        return BV_OK;
    if (ba->exports > 0)
        return bv_error_set(err, BV_BUFFER_ERROR, "%s", resize_locked);
    if (new_len > (size_t)PTRDIFF_MAX)
        return bvi_error_nomem(err);

    if (new_len <= ba->alloc) {
        if (new_len == 0) {
            bv_free(ba->bytes);
            ba->bytes = NULL;
            ba->alloc = 0;
        } else if (new_len < ba->alloc / 2) {
            /* A big shrink gives memory back, but only if that is possible: keeping the
             * larger block is always correct, so shrinking can never fail. */
            unsigned char *smaller = bv_malloc(new_len);
            if (smaller != NULL) {
                memcpy(smaller, ba->bytes, new_len);
                bv_free(ba->bytes);
                ba->bytes = smaller;
                ba->alloc = new_len;
            }
        }
        ba->len = new_len;
        return BV_OK;
    }

    size_t new_alloc = new_len;
    if (new_len <= ba->alloc + ba->alloc / 8) {
        /* A small step past the end is probably one of many (append in a loop): leave
         * room for about 1/8 more, as list_resize() and bytearray do. */
        size_t extra = (new_len >> 3) + (new_len < 9 ? 3 : 6);
        new_alloc = new_len > (size_t)PTRDIFF_MAX - extra ? (size_t)PTRDIFF_MAX
                                                          : new_len + extra;
    }
    /* A big jump (extend with a large block, resize) is taken exactly: most programs
     * that do it are done growing. */
    unsigned char *bigger = bv_malloc(new_alloc);
    if (bigger == NULL)
        return bvi_error_nomem(err);
    if (ba->len > 0)
        memcpy(bigger, ba->bytes, ba->len);
    bv_free(ba->bytes);
    ba->bytes = bigger;
    ba->alloc = new_alloc;
    ba->len = new_len;
    return BV_OK;
}

static bv_status bytearray_getbuffer(bv_exporter *self, bv_buffer *view, int flags,
                                     bv_error *err)
{
    bv_bytearray *ba = (bv_bytearray *)self;
    bv_status st = bv_buffer_fill_info(view, self, storage(ba), (ptrdiff_t)ba->len, false,
                                       flags, err);
    if (st == BV_OK)
        ba->exports++;
    return st;
}

static void bytearray_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    bv_bytearray *ba = (bv_bytearray *)self;
    if (ba->exports > 0)
        ba->exports--;
}

static void bytearray_destroy(bv_exporter *self)
{
    bv_bytearray *ba = (bv_bytearray *)self;
    bv_free(ba->bytes);
    bv_free(ba);
}

static const bv_exporter_type bytearray_type = {
    .name = "bytearray",
    .getbuffer = bytearray_getbuffer,
    .releasebuffer = bytearray_releasebuffer,
    .destroy = bytearray_destroy,
};

bv_status bv_bytearray_new(bv_bytearray **out, const void *data, size_t len, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    if (len > (size_t)PTRDIFF_MAX)
        return bvi_error_nomem(err);

    bv_bytearray *ba = bv_malloc(sizeof *ba);
    if (ba == NULL)
        return bvi_error_nomem(err);
    bv_exporter_init(&ba->base, &bytearray_type, BV_EXPORTER_COUNTED | BV_EXPORTER_UNHASHABLE);
    ba->bytes = NULL;
    ba->len = 0;
    ba->alloc = 0;
    ba->exports = 0;
    if (len > 0) {
        /* Exact size: bytearray(b"...") is usually not appended to. */
        ba->bytes = bv_malloc(len);
        if (ba->bytes == NULL) {
            bv_free(ba);
            return bvi_error_nomem(err);
        }
        if (data != NULL)
            memcpy(ba->bytes, data, len);
        else
            memset(ba->bytes, 0, len);
        ba->len = len;
        ba->alloc = len;
    }
    *out = ba;
    return BV_OK;
}

unsigned char *bv_bytearray_data(bv_bytearray *ba)
{
    return ba == NULL ? NULL : storage(ba);
}

size_t bv_bytearray_size(const bv_bytearray *ba)
{
    return ba == NULL ? 0 : ba->len;
}

ptrdiff_t bv_bytearray_exports(const bv_bytearray *ba)
{
    return ba == NULL ? 0 : ba->exports;
}

bv_status bv_bytearray_append(bv_bytearray *ba, int byte, bv_error *err)
{
    if (ba == NULL)
        return not_a_bytearray("append", err);
    /* The value is checked before the lock, as bytearray.append converts its argument
     * before resizing. */
    if (byte < 0 || byte > 255)
        return bv_error_set(err, BV_VALUE_ERROR, "byte must be in range(0, 256)");
    size_t old_len = ba->len;
    bv_status st = set_size(ba, old_len + 1, err);
    if (st != BV_OK)
        return st;
    ba->bytes[old_len] = (unsigned char)byte;
    return BV_OK;
}

bv_status bv_bytearray_extend(bv_bytearray *ba, const void *data, size_t len, bv_error *err)
{
    if (ba == NULL)
        return not_a_bytearray("extend", err);
    if (data == NULL && len > 0)
        return bv_error_set(err, BV_TYPE_ERROR, "can't extend bytearray with NoneType");
    if (len == 0)
        return BV_OK;   /* a resize to the same size: allowed even while exported */
    if (len > (size_t)PTRDIFF_MAX - ba->len)
        return bvi_error_nomem(err);

    /* b.extend(b) is legal: if data lies inside our own storage, growing may move it,
     * so remember where it was relative to the block. (Compared as integers: relational
     * comparison of pointers into different objects is undefined.) */
    uintptr_t start = (uintptr_t)ba->bytes, at = (uintptr_t)data;
    bool aliased = ba->bytes != NULL && at >= start && at - start < ba->alloc;
    size_t offset = aliased ? (size_t)(at - start) : 0;

    size_t old_len = ba->len;
    bv_status st = set_size(ba, old_len + len, err);
    if (st != BV_OK)
        return st;
    const unsigned char *src = aliased ? ba->bytes + offset : data;
    memmove(ba->bytes + old_len, src, len);
    return BV_OK;
}

bv_status bv_bytearray_resize(bv_bytearray *ba, size_t new_len, bv_error *err)
{
    if (ba == NULL)
        return not_a_bytearray("resize", err);
    size_t old_len = ba->len;
    bv_status st = set_size(ba, new_len, err);
    if (st != BV_OK)
        return st;
    if (new_len > old_len)
        memset(ba->bytes + old_len, 0, new_len - old_len);
    return BV_OK;
}

bv_status bv_bytearray_clear(bv_bytearray *ba, bv_error *err)
{
    if (ba == NULL)
        return not_a_bytearray("clear", err);
    return set_size(ba, 0, err);
}

bv_exporter *bv_bytearray_exporter(bv_bytearray *ba)
{
    return ba == NULL ? NULL : &ba->base;
}

void bv_bytearray_decref(bv_bytearray *ba)
{
    if (ba != NULL)
        bv_exporter_decref(&ba->base);
}
