/*
 * bufview/memory.h: the allocator hook every heap allocation in the core goes through.
 *
 * Why: tests count allocations (to prove a slice allocates nothing proportional to the
 * data) and fail the Nth one (to prove every path reports MemoryError and leaks nothing).
 *
 * Ownership: the hook is process-global and not thread-safe to change; install it before
 * creating objects and restore the default (bv_allocator_set(NULL)) only after every
 * object allocated through it has been freed, because memory is always freed through the
 * hook that is current at the time of the free.
 */
#ifndef BUFVIEW_MEMORY_H
#define BUFVIEW_MEMORY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bv_allocator {
    void *(*malloc_fn)(size_t size, void *ctx);  /* NULL on failure */
    void (*free_fn)(void *ptr, void *ctx);       /* ptr may be NULL */
    void *ctx;
} bv_allocator;

/* Install a hook (copied); NULL restores malloc/free. */
void bv_allocator_set(const bv_allocator *allocator);

/* The core's own entry points; exporters written outside the core may use them too. */
void *bv_malloc(size_t size);
void bv_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif
