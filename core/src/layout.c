/*
 * layout.c: contiguity tests, the strided walk and the strided copy built on it.
 *
 * Every operation that touches all items of a view (tobytes, tolist, ==, hashing a
 * strided view, slice assignment, PyBuffer_ToContiguous) goes through bvi_layout_walk, so
 * the odometer over the outer dimensions exists once; the work per innermost row is the
 * caller's, which keeps copies at memcpy speed and item-wise work free of per-item index
 * arithmetic.
 */
#include "layout.h"

#include <string.h>

#include "bufview/buffer.h"
#include "internal.h"

bool bvi_layout_is_c_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                                ptrdiff_t itemsize)
{
    ptrdiff_t expected = itemsize;
    for (int i = ndim - 1; i >= 0; i--) {
        if (shape[i] > 1 && strides[i] != expected)
            return false;
        expected = bvi_wrap_mul(expected, shape[i]);
    }
    return true;
}

bool bvi_layout_is_f_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                                ptrdiff_t itemsize)
{
    ptrdiff_t expected = itemsize;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] > 1 && strides[i] != expected)
            return false;
        expected = bvi_wrap_mul(expected, shape[i]);
    }
    return true;
}

void bvi_array_of_buffer(bvi_array *a, const bv_buffer *b)
{
    a->buf = b->buf;
    a->itemsize = b->itemsize;
    a->format = b->format != NULL ? b->format : "B";
    a->ndim = b->ndim;
    a->shape = b->shape;
    a->strides = b->strides;
    if (a->shape == NULL) {
        a->ndim = 1;
        a->defaults[0] = b->itemsize > 0 ? b->len / b->itemsize : 0;
        a->shape = &a->defaults[0];
    }
    if (a->strides == NULL && a->ndim >= 0 && a->ndim <= BV_MAXDIM) {
        bv_buffer_fill_contiguous_strides(a->ndim, a->shape, &a->defaults[1], a->itemsize, 'C');
        a->strides = &a->defaults[1];
    }
}

int bvi_layout_walk(int ndim, const ptrdiff_t *shape, char *a, const ptrdiff_t *astrides,
                    const char *b, const ptrdiff_t *bstrides, bvi_row_fn row, void *ctx)
{
    if (ndim == 0)
        return row(a, 0, b, 0, 1, ctx);
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0)
            return 0;
    const int last = ndim - 1;
    /* Odometer over the outer dimensions; the last dimension is one call of row. Moving
     * back after a carry subtracts what the carried dimension added (wrapping, as
     * CPython's strides may). */
    ptrdiff_t index[BV_MAXDIM];
    memset(index, 0, sizeof(ptrdiff_t) * (size_t)ndim);
    for (;;) {
        int stop = row(a, astrides[last], b, bstrides[last], shape[last], ctx);
        if (stop != 0)
            return stop;
        int d = last - 1;
        while (d >= 0) {
            index[d]++;
            a = bvi_ptr_add(a, astrides[d]);
            b = bvi_cptr_add(b, bstrides[d]);
            if (index[d] < shape[d])
                break;
            a = bvi_ptr_add(a, bvi_wrap_mul(astrides[d], -shape[d]));
            b = bvi_cptr_add(b, bvi_wrap_mul(bstrides[d], -shape[d]));
            index[d] = 0;
            d--;
        }
        if (d < 0)
            return 0;
    }
}

/* One row of n items. Fixed-size memcpy compiles to plain loads and stores, so strided
 * copies of small items run as a tight loop with no call per item. */
static int copy_row(char *dst, ptrdiff_t dstride, const char *src, ptrdiff_t sstride,
                    ptrdiff_t n, void *ctx)
{
    const ptrdiff_t itemsize = *(const ptrdiff_t *)ctx;
    if (dstride == itemsize && sstride == itemsize) {
        memcpy(dst, src, (size_t)(n * itemsize));
        return 0;
    }
    switch (itemsize) {
    case 1:
        for (ptrdiff_t i = 0; i < n; i++)
            dst[i * dstride] = src[i * sstride];
        break;
    case 2:
        for (ptrdiff_t i = 0; i < n; i++)
            memcpy(dst + i * dstride, src + i * sstride, 2);
        break;
    case 4:
        for (ptrdiff_t i = 0; i < n; i++)
            memcpy(dst + i * dstride, src + i * sstride, 4);
        break;
    case 8:
        for (ptrdiff_t i = 0; i < n; i++)
            memcpy(dst + i * dstride, src + i * sstride, 8);
        break;
    default:
        for (ptrdiff_t i = 0; i < n; i++)
            memcpy(dst + i * dstride, src + i * sstride, (size_t)itemsize);
        break;
    }
    return 0;
}

void bvi_layout_copy(char *dst, const ptrdiff_t *dstrides, const char *src,
                     const ptrdiff_t *sstrides, int ndim, const ptrdiff_t *shape,
                     ptrdiff_t itemsize)
{
    (void)bvi_layout_walk(ndim, shape, dst, dstrides, src, sstrides, copy_row, &itemsize);
}
