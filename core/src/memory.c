#include "bufview/memory.h"

#include <stdlib.h>

static void *default_malloc(size_t size, void *ctx)
{
    (void)ctx;
    return malloc(size);
}

static void default_free(void *ptr, void *ctx)
{
    (void)ctx;
    free(ptr);
}

static bv_allocator current = {default_malloc, default_free, NULL};

void bv_allocator_set(const bv_allocator *allocator)
{
    if (allocator == NULL || allocator->malloc_fn == NULL || allocator->free_fn == NULL) {
        current.malloc_fn = default_malloc;
        current.free_fn = default_free;
        current.ctx = NULL;
    } else {
        current = *allocator;
    }
}

void *bv_malloc(size_t size)
{
    /* malloc(0) may return NULL, which callers would mistake for failure. */
    return current.malloc_fn(size == 0 ? 1 : size, current.ctx);
}

void bv_free(void *ptr)
{
    if (ptr != NULL)
        current.free_fn(ptr, current.ctx);
}
