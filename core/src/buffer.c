/*
 * The buffer protocol: exporter reference counting, acquiring and releasing buffers,
 * and the layout helpers every consumer needs (contiguity, item addresses, copies
 * between strided and contiguous memory).
 */
#include "bufview/buffer.h"

#include <string.h>

#include "internal.h"

void bv_exporter_init(bv_exporter *self, const bv_exporter_type *type, bool counted)
{
    self->type = type;
    self->refcount = counted ? 1 : -1;
}

void bv_exporter_incref(bv_exporter *self)
{
    if (self != NULL && self->refcount >= 0)
        self->refcount++;
}

void bv_exporter_decref(bv_exporter *self)
{
    if (self == NULL || self->refcount < 0)
        return;
    if (--self->refcount == 0 && self->type != NULL && self->type->destroy != NULL)
        self->type->destroy(self);
}

const char *bv_exporter_type_name(const bv_exporter *self)
{
    if (self == NULL)
        return "NoneType";
    if (self->type == NULL || self->type->name == NULL)
        return "object";
    return self->type->name;
}

bv_status bv_buffer_get(bv_exporter *obj, bv_buffer *view, int flags, bv_error *err)
{
    if (view == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "bv_buffer_get: view must not be NULL");
    if (obj == NULL || obj->type == NULL || obj->type->getbuffer == NULL) {
        memset(view, 0, sizeof *view);
        return bv_error_set(err, BV_TYPE_ERROR, "a bytes-like object is required, not '%s'",
                            bv_exporter_type_name(obj));
    }
    bv_buffer tmp;
    memset(&tmp, 0, sizeof tmp);
    bv_status st = obj->type->getbuffer(obj, view, flags, err);
    if (st != BV_OK) {
        *view = tmp;
        return st;
    }
    view->obj = obj;
    bv_exporter_incref(obj);
    return BV_OK;
}

void bv_buffer_release(bv_buffer *view)
{
    if (view == NULL)
        return;
    bv_exporter *obj = view->obj;
    if (obj != NULL) {
        if (obj->type != NULL && obj->type->releasebuffer != NULL)
            obj->type->releasebuffer(obj, view);
        bv_exporter_decref(obj);
    }
    memset(view, 0, sizeof *view);
}

bv_status bv_buffer_fill_info(bv_buffer *view, bv_exporter *obj, void *buf, ptrdiff_t len,
                              bool readonly, int flags, bv_error *err)
{
    if (view == NULL)
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "PyBuffer_FillInfo: view==NULL argument is obsolete");
    if (len < 0 || (buf == NULL && len > 0))
        return bv_error_set(err, BV_VALUE_ERROR, "bv_buffer_fill_info: invalid memory");
    if ((flags & BV_BUF_WRITABLE) && readonly)
        return bv_error_set(err, BV_BUFFER_ERROR, "Object is not writable.");
    view->obj = obj;
    view->buf = buf;
    view->len = len;
    view->readonly = readonly ? 1 : 0;
    view->itemsize = 1;
    view->format = (flags & BV_BUF_FORMAT) == BV_BUF_FORMAT ? "B" : NULL;
    view->ndim = 1;
    view->shape = (flags & BV_BUF_ND) == BV_BUF_ND ? &view->len : NULL;
    view->strides = (flags & BV_BUF_STRIDES) == BV_BUF_STRIDES ? &view->itemsize : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return BV_OK;
}

bool bv_layout_is_c_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                               ptrdiff_t itemsize)
{
    ptrdiff_t expected = itemsize;
    for (int i = ndim - 1; i >= 0; i--) {
        if (shape[i] > 1 && strides[i] != expected)
            return false;
        expected = (ptrdiff_t)((size_t)expected * (size_t)shape[i]);
    }
    return true;
}

bool bv_layout_is_f_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                               ptrdiff_t itemsize)
{
    ptrdiff_t expected = itemsize;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] > 1 && strides[i] != expected)
            return false;
        expected = (ptrdiff_t)((size_t)expected * (size_t)shape[i]);
    }
    return true;
}

bool bv_buffer_is_contiguous(const bv_buffer *view, char order)
{
    if (view == NULL || view->suboffsets != NULL)
        return false;
    if (view->len == 0 || view->strides == NULL || view->shape == NULL)
        return order == 'C' || order == 'F' || order == 'A';
    bool c = bv_layout_is_c_contiguous(view->ndim, view->shape, view->strides, view->itemsize);
    switch (order) {
    case 'C':
        return c;
    case 'F':
        return bv_layout_is_f_contiguous(view->ndim, view->shape, view->strides, view->itemsize);
    case 'A':
        return c || bv_layout_is_f_contiguous(view->ndim, view->shape, view->strides,
                                              view->itemsize);
    default:
        return false;
    }
}

void *bv_buffer_get_pointer(const bv_buffer *view, const ptrdiff_t *indices)
{
    char *p = view->buf;
    for (int i = 0; i < view->ndim; i++) {
        p = bv_ptr_add(p, view->strides[i] * indices[i]);
        if (view->suboffsets != NULL && view->suboffsets[i] >= 0)
            p = bv_ptr_add(*(char **)p, view->suboffsets[i]);
    }
    return p;
}

void bv_buffer_fill_contiguous_strides(int ndim, const ptrdiff_t *shape, ptrdiff_t *strides,
                                       ptrdiff_t itemsize, char order)
{
    ptrdiff_t sd = itemsize;
    if (order == 'F') {
        for (int i = 0; i < ndim; i++) {
            strides[i] = sd;
            sd *= shape[i];
        }
    } else {
        for (int i = ndim - 1; i >= 0; i--) {
            strides[i] = sd;
            sd *= shape[i];
        }
    }
}

/* Copy one inner row of n items. Fixed-size memcpy compiles to plain loads and stores,
 * so strided copies of small items run as a tight loop with no call per item. */
static void copy_row(char *dst, ptrdiff_t dstride, const char *src, ptrdiff_t sstride,
                     ptrdiff_t n, ptrdiff_t itemsize)
{
    if (dstride == itemsize && sstride == itemsize) {
        memcpy(dst, src, (size_t)(n * itemsize));
        return;
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
}

void bv_layout_copy(char *dst, const ptrdiff_t *dstrides, const char *src,
                    const ptrdiff_t *sstrides, int ndim, const ptrdiff_t *shape,
                    ptrdiff_t itemsize)
{
    if (ndim == 0) {
        memcpy(dst, src, (size_t)itemsize);
        return;
    }
    for (int i = 0; i < ndim; i++)
        if (shape[i] == 0)
            return;
    if (ndim == 1) {
        copy_row(dst, dstrides[0], src, sstrides[0], shape[0], itemsize);
        return;
    }
    /* Odometer over the outer dimensions; the last dimension is one copy_row. */
    ptrdiff_t index[BV_MAXDIM];
    memset(index, 0, sizeof(ptrdiff_t) * (size_t)ndim);
    const int last = ndim - 1;
    for (;;) {
        copy_row(dst, dstrides[last], src, sstrides[last], shape[last], itemsize);
        int d = last - 1;
        while (d >= 0) {
            index[d]++;
            dst = bv_ptr_add(dst, dstrides[d]);
            src = bv_ptr_add((char *)src, sstrides[d]);
            if (index[d] < shape[d])
                break;
            dst = bv_ptr_add(dst, bv_wrap_mul(dstrides[d], -shape[d]));
            src = bv_ptr_add((char *)src, bv_wrap_mul(sstrides[d], -shape[d]));
            index[d] = 0;
            d--;
        }
        if (d < 0)
            return;
    }
}

static bv_status check_order(char order, bv_error *err)
{
    if (order != 'C' && order != 'F' && order != 'A')
        return bv_error_set(err, BV_VALUE_ERROR, "order must be 'C', 'F' or 'A'");
    return BV_OK;
}

/* The strides of the contiguous side: a buffer without shape/strides is one run of bytes. */
static bv_status contiguous_side(const bv_buffer *view, char order, ptrdiff_t *shape_out,
                                 const ptrdiff_t **shape, const ptrdiff_t **strides,
                                 ptrdiff_t *contig_strides, int *ndim, bv_error *err)
{
    if (view->suboffsets != NULL)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "suboffsets are not supported");
    if (view->shape == NULL || view->strides == NULL) {
        shape_out[0] = view->itemsize > 0 ? view->len / view->itemsize : 0;
        contig_strides[BV_MAXDIM] = view->itemsize;
        *shape = shape_out;
        *strides = &contig_strides[BV_MAXDIM];
        *ndim = 1;
    } else {
        *shape = view->shape;
        *strides = view->strides;
        *ndim = view->ndim;
    }
    char layout = order;
    if (order == 'A')
        layout = bv_buffer_is_contiguous(view, 'F') ? 'F' : 'C';
    bv_buffer_fill_contiguous_strides(*ndim, *shape, contig_strides, view->itemsize, layout);
    return BV_OK;
}

bv_status bv_buffer_to_contiguous(void *dst, const bv_buffer *src, ptrdiff_t len, char order,
                                  bv_error *err)
{
    if (dst == NULL || src == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "bv_buffer_to_contiguous: NULL argument");
    if (check_order(order, err) != BV_OK)
        return BV_VALUE_ERROR;
    if (len != src->len)
        return bv_error_set(err, BV_VALUE_ERROR, "PyBuffer_ToContiguous: len != view->len");
    if (bv_buffer_is_contiguous(src, order)) {
        memcpy(dst, src->buf, (size_t)len);
        return BV_OK;
    }
    ptrdiff_t shape1[1], cstrides[BV_MAXDIM + 1];
    const ptrdiff_t *shape = NULL, *strides = NULL;
    int ndim = 0;
    bv_status st = contiguous_side(src, order, shape1, &shape, &strides, cstrides, &ndim, err);
    if (st != BV_OK)
        return st;
    bv_layout_copy(dst, cstrides, src->buf, strides, ndim, shape, src->itemsize);
    return BV_OK;
}

bv_status bv_buffer_from_contiguous(const bv_buffer *dst, const void *src, ptrdiff_t len,
                                    char order, bv_error *err)
{
    if (dst == NULL || src == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "bv_buffer_from_contiguous: NULL argument");
    if (check_order(order, err) != BV_OK)
        return BV_VALUE_ERROR;
    if (dst->readonly)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot modify read-only memory");
    if (len != dst->len)
        return bv_error_set(err, BV_VALUE_ERROR, "PyBuffer_FromContiguous: len != view->len");
    if (bv_buffer_is_contiguous(dst, order)) {
        memmove(dst->buf, src, (size_t)len);
        return BV_OK;
    }
    ptrdiff_t shape1[1], cstrides[BV_MAXDIM + 1];
    const ptrdiff_t *shape = NULL, *strides = NULL;
    int ndim = 0;
    bv_status st = contiguous_side(dst, order, shape1, &shape, &strides, cstrides, &ndim, err);
    if (st != BV_OK)
        return st;
    bv_layout_copy(dst->buf, strides, src, cstrides, ndim, shape, dst->itemsize);
    return BV_OK;
}
