#include "support.h"

#include <stdlib.h>

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
