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

void assert_tolist(const bv_view *v, const char *want)
{
    bv_error err;
    bv_list l;
    assert_ok(bv_view_tolist(v, &l, &err), err);
    bv_str s = {0};
    assert_ok(bv_repr_list(&s, &l, &err), err);
    assert_string_equal(bv_str_cstr(&s), want);
    bv_str_free(&s);
    bv_list_free(&l);
}

static const bv_exporter_type typed_type = {"typed", typed_getbuffer, typed_releasebuffer, NULL};

void test_typed_init(test_typed *t, const char *format, ptrdiff_t itemsize,
                     const ptrdiff_t *shape, int ndim, const void *data, bool readonly)
{
    ptrdiff_t len = itemsize;
    for (int k = 0; k < ndim; k++)
        len *= shape[k];
    unsigned char *mem = malloc(len > 0 ? (size_t)len : 1);
    if (len > 0)
        memcpy(mem, data, (size_t)len);
    typed_exporter_init(t, &typed_type, 0, format, itemsize, shape, ndim, mem, readonly);
}

void test_typed_free(test_typed *t)
{
    assert_int_equal(t->exports, 0);
    free(t->mem);
    t->mem = NULL;
}
