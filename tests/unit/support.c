#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

test_alloc_stats test_alloc;

static void *counting_malloc(size_t size, void *ctx)
{
    (void)ctx;
    test_alloc.calls++;
    if (test_alloc.fail_at != 0 && test_alloc.calls == test_alloc.fail_at)
        return NULL;
    void *p = malloc(size);
    if (p != NULL) {
        test_alloc.live++;
        test_alloc.bytes += size;
    }
    return p;
}

static void counting_free(void *ptr, void *ctx)
{
    (void)ctx;
    if (ptr != NULL)
        test_alloc.live--;
    free(ptr);
}

void test_alloc_install(size_t fail_at)
{
    test_alloc.calls = 0;
    test_alloc.live = 0;
    test_alloc.bytes = 0;
    test_alloc.fail_at = fail_at;
    bv_allocator allocator = {counting_malloc, counting_free, NULL};
    bv_allocator_set(&allocator);
}

void test_alloc_uninstall(void)
{
    bv_allocator_set(NULL);
}

static bv_status typed_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    test_typed *t = (test_typed *)self;
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

static void typed_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    ((test_typed *)self)->exports--;
}

static const bv_exporter_type typed_type = {"typed", typed_getbuffer, typed_releasebuffer, NULL};

void test_typed_init(test_typed *t, const char *format, ptrdiff_t itemsize,
                     const ptrdiff_t *shape, int ndim, const void *data, bool readonly)
{
    memset(t, 0, sizeof *t);
    bv_exporter_init(&t->base, &typed_type, 0);
    snprintf(t->format, sizeof t->format, "%s", format);
    t->itemsize = itemsize;
    t->ndim = ndim;
    t->len = itemsize;
    for (int k = 0; k < ndim; k++) {
        t->shape[k] = shape[k];
        t->len *= shape[k];
    }
    bv_buffer_fill_contiguous_strides(ndim, t->shape, t->strides, itemsize, 'C');
    t->mem = malloc(t->len > 0 ? (size_t)t->len : 1);
    if (t->len > 0)
        memcpy(t->mem, data, (size_t)t->len);
    t->readonly = readonly;
}

void test_typed_free(test_typed *t)
{
    assert_int_equal(t->exports, 0);
    free(t->mem);
    t->mem = NULL;
}
