/*
 * bytes.c: the immutable byte string exporter (Python's bytes).
 *
 * Header and data live in one allocation, as in CPython's PyBytesObject, so creating a
 * bytes object costs one malloc and its data sits next to its header in cache.
 */
#include "bufview/bytes.h"

#include <stdint.h>
#include <string.h>

#include "bufview/memory.h"
#include "internal.h"

struct bv_bytes {
    bv_exporter base;   /* first, so a bv_exporter * is a bv_bytes * */
    size_t len;
    /* len bytes plus a NUL that nothing exports: it keeps data[] non-empty for len 0 and
     * lets C code print short byte strings, as CPython's ob_sval does. */
    unsigned char data[];
};

static bv_status bytes_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    bv_bytes *b = (bv_bytes *)self;
    return bv_buffer_fill_info(view, self, b->data, (ptrdiff_t)b->len, true, flags, err);
}

static void bytes_destroy(bv_exporter *self)
{
    bv_free(self);
}

/* No releasebuffer: immutable data needs no export count. */
static const bv_exporter_type bytes_type = {
    .name = "bytes",
    .getbuffer = bytes_getbuffer,
    .releasebuffer = NULL,
    .destroy = bytes_destroy,
};

bv_status bv_bytes_new(bv_bytes **out, const void *data, size_t len, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    if (data == NULL && len > 0)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot convert 'NoneType' object to bytes");
    /* A size no allocation could satisfy is refused before asking, so header + len + 1
     * can never wrap around and a bv_buffer's ptrdiff_t len can always hold it. */
    if (len > (size_t)PTRDIFF_MAX - sizeof(bv_bytes) - 1)
        return bvi_error_nomem(err);

    bv_bytes *b = bv_malloc(sizeof(bv_bytes) + len + 1);
    if (b == NULL)
        return bvi_error_nomem(err);
    bv_exporter_init(&b->base, &bytes_type, BV_EXPORTER_COUNTED);
    b->len = len;
    if (len > 0)
        memcpy(b->data, data, len);
    b->data[len] = '\0';
    *out = b;
    return BV_OK;
}

const unsigned char *bv_bytes_data(const bv_bytes *b)
{
    return b == NULL ? NULL : b->data;
}

size_t bv_bytes_size(const bv_bytes *b)
{
    return b == NULL ? 0 : b->len;
}

bv_exporter *bv_bytes_exporter(bv_bytes *b)
{
    return b == NULL ? NULL : &b->base;
}

void bv_bytes_decref(bv_bytes *b)
{
    if (b != NULL)
        bv_exporter_decref(&b->base);
}
