/*
 * buffer.c: the buffer protocol: exporter reference counting, acquiring and releasing
 * buffers, and the helpers every consumer needs (contiguity, item addresses, copies
 * between strided and contiguous memory, built on layout.c).
 */
#include "bufview/buffer.h"

#include <string.h>

#include "internal.h"
#include "layout.h"

void bv_exporter_init(bv_exporter *self, const bv_exporter_type *type, unsigned flags)
{
    self->type = type;
    self->refcount = (flags & BV_EXPORTER_COUNTED) ? 1 : -1;
    self->unhashable = (flags & BV_EXPORTER_UNHASHABLE) != 0;
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
    BVI_REQUIRE_NONNULL(view, err);
    /* From here on a failure zeroes *view (error.h says why). */
    if (obj == NULL || obj->type == NULL || obj->type->getbuffer == NULL) {
        memset(view, 0, sizeof *view);
        return bv_error_set(err, BV_TYPE_ERROR, "a bytes-like object is required, not '%s'",
                            bv_exporter_type_name(obj));
    }
    bv_status st = obj->type->getbuffer(obj, view, flags, err);
    if (st != BV_OK) {
        memset(view, 0, sizeof *view);
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
    BVI_REQUIRE_NONNULL(view, err);
    BVI_REQUIRE(len >= 0, err, "len", "must not be negative");
    BVI_REQUIRE(buf != NULL || len == 0, err, "buf", "must not be NULL when len > 0");
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

bool bv_buffer_is_contiguous(const bv_buffer *view, char order)
{
    if (view == NULL || view->suboffsets != NULL)
        return false;
    if (view->len == 0 || view->strides == NULL || view->shape == NULL)
        return order == 'C' || order == 'F' || order == 'A';
    bool c = bvi_layout_is_c_contiguous(view->ndim, view->shape, view->strides, view->itemsize);
    switch (order) {
    case 'C':
        return c;
    case 'F':
        return bvi_layout_is_f_contiguous(view->ndim, view->shape, view->strides, view->itemsize);
    case 'A':
        return c || bvi_layout_is_f_contiguous(view->ndim, view->shape, view->strides,
                                              view->itemsize);
    default:
        return false;
    }
}

void *bv_buffer_get_pointer(const bv_buffer *view, const ptrdiff_t *indices)
{
    char *p = view->buf;
    for (int i = 0; i < view->ndim; i++) {
        p = bvi_ptr_add(p, view->strides[i] * indices[i]);
        if (view->suboffsets != NULL && view->suboffsets[i] >= 0)
            p = bvi_ptr_add(*(char **)p, view->suboffsets[i]);
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
            sd = bvi_wrap_mul(sd, shape[i]);   /* wraps, never UB, on absurd shapes */
        }
    } else {
        for (int i = ndim - 1; i >= 0; i--) {
            strides[i] = sd;
            sd = bvi_wrap_mul(sd, shape[i]);
        }
    }
}

bv_status bvi_check_order(char order, bv_error *err)
{
    if (order != 'C' && order != 'F' && order != 'A')
        return bv_error_set(err, BV_VALUE_ERROR, "order must be 'C', 'F' or 'A'");
    return BV_OK;
}

/* PyBuffer_ToContiguous (into to_mem) and PyBuffer_FromContiguous (from from_mem) after
 * their own checks: one memcpy (a memmove into the buffer, which may overlap from_mem)
 * when the layouts agree, else a strided copy against the contiguous strides of `order`
 * ('A': Fortran if the buffer is Fortran-contiguous, else C). */
static bv_status copy_contiguous(const bv_buffer *view, char *to_mem, const char *from_mem,
                                 ptrdiff_t len, char order, const char *who, bv_error *err)
{
    const bool into_view = from_mem != NULL;
    if (len != view->len)
        return bv_error_set(err, BV_VALUE_ERROR, "%s: len != view->len", who);
    if (bv_buffer_is_contiguous(view, order)) {
        if (into_view)
            memmove(view->buf, from_mem, (size_t)len);
        else
            memcpy(to_mem, view->buf, (size_t)len);
        return BV_OK;
    }
    if (view->suboffsets != NULL)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "suboffsets are not supported");
    /* Not contiguous, so it has shape and strides (bv_buffer_is_contiguous says so for a
     * buffer without them). */
    const int ndim = view->ndim;
    const ptrdiff_t *shape = view->shape, *strides = view->strides;
    char layout = order == 'A' ? (bv_buffer_is_contiguous(view, 'F') ? 'F' : 'C') : order;
    ptrdiff_t cstrides[BV_MAXDIM];
    bv_buffer_fill_contiguous_strides(ndim, shape, cstrides, view->itemsize, layout);
    if (into_view)
        bvi_layout_copy(view->buf, strides, from_mem, cstrides, ndim, shape, view->itemsize);
    else
        bvi_layout_copy(to_mem, cstrides, view->buf, strides, ndim, shape, view->itemsize);
    return BV_OK;
}

bv_status bv_buffer_to_contiguous(void *dst, const bv_buffer *src, ptrdiff_t len, char order,
                                  bv_error *err)
{
    BVI_REQUIRE_NONNULL(dst, err);
    BVI_REQUIRE_NONNULL(src, err);
    BVI_REQUIRE(src->ndim >= 0 && src->ndim <= BV_MAXDIM, err, "src", "must have 0..64 dimensions");
    bv_status st = bvi_check_order(order, err);
    if (st != BV_OK)
        return st;
    return copy_contiguous(src, dst, NULL, len, order, "PyBuffer_ToContiguous", err);
}

bv_status bv_buffer_from_contiguous(const bv_buffer *dst, const void *src, ptrdiff_t len,
                                    char order, bv_error *err)
{
    BVI_REQUIRE_NONNULL(dst, err);
    BVI_REQUIRE_NONNULL(src, err);
    BVI_REQUIRE(dst->ndim >= 0 && dst->ndim <= BV_MAXDIM, err, "dst", "must have 0..64 dimensions");
    bv_status st = bvi_check_order(order, err);
    if (st != BV_OK)
        return st;
    if (dst->readonly)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot modify read-only memory");
    return copy_contiguous(dst, NULL, src, len, order, "PyBuffer_FromContiguous", err);
}
