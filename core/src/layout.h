/*
 * layout.h: strided memory layouts (shape, strides in bytes, itemsize), shared by the
 * buffer protocol's copies and every view operation that reads all items. Internal.
 *
 * Nothing here allocates or owns memory: callers pass the addresses and arrays, which
 * must describe valid memory for the given shape (views check that once, when a buffer
 * is taken from an exporter).
 */
#ifndef BUFVIEW_LAYOUT_H
#define BUFVIEW_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "bufview/buffer.h"

/* A strided array as the operations that read every item see it, whoever describes it (a
 * view or a buffer from any exporter): no pointer into it is owned, and nothing is cast
 * to build it. */
typedef struct bvi_array {
    char *buf;
    int ndim;
    const ptrdiff_t *shape;
    const ptrdiff_t *strides;
    ptrdiff_t itemsize;
    const char *format;           /* never NULL */
    ptrdiff_t defaults[1 + BV_MAXDIM];   /* what the buffer left out, filled in */
} bvi_array;

/* A buffer with the protocol's defaults filled in: format NULL is "B"; no shape is one
 * dimension of len / itemsize items; no strides is C-contiguous. A buffer with more than
 * BV_MAXDIM dimensions keeps strides NULL: no view can have its structure. */
void bvi_array_of_buffer(bvi_array *a, const bv_buffer *b);

/* CPython's contiguity rules: dimensions of extent <= 1 are ignored. */
bool bvi_layout_is_c_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                                ptrdiff_t itemsize);
bool bvi_layout_is_f_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                                ptrdiff_t itemsize);

/* Walk two arrays of one shape together in C order, one innermost row at a time: `row`
 * gets the row's start in a and in b, their strides along the row and its length (a 0-dim
 * array is one row of one item). A non-zero return stops the walk and is returned; an
 * array with no items calls nothing and returns 0. Operations that need only one array
 * pass it as both. */
typedef int (*bvi_row_fn)(char *a, ptrdiff_t astride, const char *b, ptrdiff_t bstride,
                          ptrdiff_t n, void *ctx);
int bvi_layout_walk(int ndim, const ptrdiff_t *shape, char *a, const ptrdiff_t *astrides,
                    const char *b, const ptrdiff_t *bstrides, bvi_row_fn row, void *ctx);

/* Copy every item between two strided layouts of one shape: a memcpy per contiguous row,
 * a tight loop otherwise. The two must not overlap. */
void bvi_layout_copy(char *dst, const ptrdiff_t *dstrides, const char *src,
                     const ptrdiff_t *sstrides, int ndim, const ptrdiff_t *shape,
                     ptrdiff_t itemsize);

#endif
