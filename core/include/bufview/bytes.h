/*
 * bufview/bytes.h: an immutable byte string exporter, like Python's bytes.
 *
 * Ownership: bv_bytes_new() copies the data into one allocation (header and bytes
 * together, as CPython does) and returns an object holding one reference, which the
 * caller drops with bv_bytes_decref(). Views and buffers taken from it hold references of
 * their own, so the bytes stay valid while any view is alive even after the creator's
 * reference is gone. A writable buffer request is refused with BufferError
 * "Object is not writable.".
 */
#ifndef BUFVIEW_BYTES_H
#define BUFVIEW_BYTES_H

#include <stddef.h>

#include "bufview/buffer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_bytes bv_bytes;

/* Copy len bytes from data (data may be NULL only when len is 0). Sizes beyond
 * PTRDIFF_MAX are MemoryError, as is allocation failure. *out is untouched on failure. */
bv_status bv_bytes_new(bv_bytes **out, const void *data, size_t len, bv_error *err);

const unsigned char *bv_bytes_data(const bv_bytes *b);
size_t bv_bytes_size(const bv_bytes *b);
bv_exporter *bv_bytes_exporter(bv_bytes *b);
void bv_bytes_decref(bv_bytes *b);   /* NULL is ignored */

#ifdef __cplusplus
}
#endif
#endif
