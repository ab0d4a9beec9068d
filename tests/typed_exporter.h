/*
 * tests/typed_exporter.h: a test exporter of any struct format and any C-contiguous shape,
 * for the views no bufview object exports: byte-order formats ("<i", ">d"), formats of
 * several values ("3h", "<hh"), N-D and 0-dim exporters. The unit tests (support.c), the
 * fuzz harness (fuzz_ops.c) and bv_diff (run_c.c, as _testbuffer.ndarray's double) use it,
 * each with its own bv_exporter_type (name, reference counting, destroy).
 *
 * Ownership: the caller owns the typed_exporter and its memory; typed_exporter_init only
 * describes them. `exports` counts the buffers handed out and not yet released.
 */
#ifndef BUFVIEW_TESTS_TYPED_EXPORTER_H
#define BUFVIEW_TESTS_TYPED_EXPORTER_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bufview/bufview.h"

typedef struct typed_exporter {
    bv_exporter base;
    unsigned char *mem;
    char format[32];
    ptrdiff_t itemsize, len;     /* len: itemsize * product(shape) bytes of mem */
    int ndim;
    ptrdiff_t shape[BV_MAXDIM], strides[BV_MAXDIM];
    bool readonly;
    ptrdiff_t exports;
} typed_exporter;

/* The getbuffer of a typed exporter: everything the request asks for, a writable request
 * on read-only memory refused as PyBuffer_FillInfo refuses it. */
static inline bv_status typed_getbuffer(bv_exporter *self, bv_buffer *view, int flags,
                                        bv_error *err)
{
    typed_exporter *t = (typed_exporter *)self;
    if ((flags & BV_BUF_WRITABLE) && t->readonly)
        return bv_error_set(err, BV_BUFFER_ERROR, "Object is not writable.");
    memset(view, 0, sizeof *view);
    view->buf = t->mem;
    view->len = t->len;
    view->itemsize = t->itemsize;
    view->readonly = t->readonly;
    view->ndim = t->ndim;
    view->format = (flags & BV_BUF_FORMAT) ? t->format : NULL;
    view->shape = (flags & BV_BUF_ND) == BV_BUF_ND ? t->shape : NULL;
    view->strides = (flags & BV_BUF_STRIDES) == BV_BUF_STRIDES ? t->strides : NULL;
    t->exports++;
    return BV_OK;
}

static inline void typed_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    ((typed_exporter *)self)->exports--;
}

/* Describe mem as items of format (itemsize bytes each, which a test may make lie) in a
 * C-contiguous shape of ndim dimensions; flags as bv_exporter_init's. */
static inline void typed_exporter_init(typed_exporter *t, const bv_exporter_type *type,
                                       unsigned flags, const char *format, ptrdiff_t itemsize,
                                       const ptrdiff_t *shape, int ndim, unsigned char *mem,
                                       bool readonly)
{
    memset(t, 0, sizeof *t);
    bv_exporter_init(&t->base, type, flags);
    snprintf(t->format, sizeof t->format, "%s", format);
    t->itemsize = itemsize;
    t->ndim = ndim;
    t->len = itemsize;
    for (int k = 0; k < ndim; k++) {
        t->shape[k] = shape[k];
        t->len *= shape[k];
    }
    bv_buffer_fill_contiguous_strides(ndim, t->shape, t->strides, itemsize, 'C');
    t->mem = mem;
    t->readonly = readonly;
}

#endif
