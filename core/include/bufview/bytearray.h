/*
 * bufview/bytearray.h: a mutable, resizable byte string exporter, like Python's bytearray.
 *
 * The export lock: every buffer taken from a bytearray (every view over it) counts as an
 * export. While the count is above zero, any call that would change the size (append,
 * extend, resize, clear) fails with BufferError "Existing exports of data: object cannot be
 * re-sized" and leaves the contents exactly as they were; a resize to the current size is
 * not a change and succeeds, as in CPython. Writing bytes in place is always allowed: that
 * is the point of a writable view.
 *
 * Ownership: bv_bytearray_new() returns an object holding one reference; drop it with
 * bv_bytearray_decref(). Each export holds its own reference, so the storage outlives the
 * creator's reference until the last view is released. The pointer from
 * bv_bytearray_data() is valid until the next successful size change.
 */
#ifndef BUFVIEW_BYTEARRAY_H
#define BUFVIEW_BYTEARRAY_H

#include <stddef.h>

#include "bufview/buffer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_bytearray bv_bytearray;

/* Copy len bytes from data; data NULL with len > 0 gives len zero bytes. */
bv_status bv_bytearray_new(bv_bytearray **out, const void *data, size_t len, bv_error *err);

unsigned char *bv_bytearray_data(bv_bytearray *ba);
size_t bv_bytearray_size(const bv_bytearray *ba);
ptrdiff_t bv_bytearray_exports(const bv_bytearray *ba);

/* byte outside 0..255: ValueError "byte must be in range(0, 256)". */
bv_status bv_bytearray_append(bv_bytearray *ba, int byte, bv_error *err);
bv_status bv_bytearray_extend(bv_bytearray *ba, const void *data, size_t len, bv_error *err);
/* Growing fills with zero bytes. */
bv_status bv_bytearray_resize(bv_bytearray *ba, size_t new_len, bv_error *err);
bv_status bv_bytearray_clear(bv_bytearray *ba, bv_error *err);

bv_exporter *bv_bytearray_exporter(bv_bytearray *ba);
void bv_bytearray_decref(bv_bytearray *ba);   /* NULL is ignored */

#ifdef __cplusplus
}
#endif
#endif
