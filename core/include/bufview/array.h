/*
 * bufview/array.h: a typed array exporter, like Python's array.array.
 *
 * Items are native C values of one typecode: b B h H i I l L q Q f d. The buffer it
 * exports is 1-D with format equal to the typecode, so a view over it indexes typed items.
 * Like CPython's array, it refuses to change size while exported, with BufferError
 * "cannot resize an array that is exporting buffers".
 *
 * Ownership: bv_array_new() returns an object holding one reference; drop it with
 * bv_array_decref(). Each export holds its own reference.
 */
#ifndef BUFVIEW_ARRAY_H
#define BUFVIEW_ARRAY_H

#include <stddef.h>

#include "bufview/buffer.h"
#include "bufview/format.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_array bv_array;

/* count items copied from items (native layout); items NULL gives zeros. A typecode
 * outside the list is ValueError "bad typecode (must be b, B, u, w, h, H, i, I, l, L, q,
 * Q, f or d)" (CPython 3.13's wording; 'u' and 'w' are not supported here and get the same
 * error). Overflowing count * itemsize is MemoryError. */
bv_status bv_array_new(bv_array **out, char typecode, const void *items, size_t count,
                       bv_error *err);

char bv_array_typecode(const bv_array *a);
size_t bv_array_len(const bv_array *a);            /* items, not bytes */
ptrdiff_t bv_array_itemsize(const bv_array *a);
void *bv_array_data(bv_array *a);
ptrdiff_t bv_array_exports(const bv_array *a);

/* Item access with array's own messages: IndexError "array index out of range";
 * values are checked like struct packing (TypeError / OverflowError as array does). */
bv_status bv_array_get(const bv_array *a, ptrdiff_t index, bv_value *out, bv_error *err);
bv_status bv_array_append(bv_array *a, bv_value v, bv_error *err);

bv_exporter *bv_array_exporter(bv_array *a);
void bv_array_decref(bv_array *a);   /* NULL is ignored */

#ifdef __cplusplus
}
#endif
#endif
