/*
 * Helpers shared by the core's sources; not part of the public API.
 */
#ifndef BUFVIEW_INTERNAL_H
#define BUFVIEW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pointer arithmetic that may leave the object (an empty slice one past a strided end,
 * or CPython's wrapped strides): done on integers, so it is defined behaviour; such
 * pointers are never dereferenced. */
static inline char *bv_ptr_add(char *p, ptrdiff_t off)
{
    return (char *)((uintptr_t)p + (uintptr_t)off);
}

/* CPython is built with -fwrapv; these reproduce its wrapping arithmetic without UB. */
static inline ptrdiff_t bv_wrap_mul(ptrdiff_t a, ptrdiff_t b)
{
    return (ptrdiff_t)((uint64_t)a * (uint64_t)b);
}

bool bv_layout_is_c_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                               ptrdiff_t itemsize);
bool bv_layout_is_f_contiguous(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                               ptrdiff_t itemsize);
/* Copy every item of an ndim array of this shape between two strided layouts. The two
 * must not overlap. */
void bv_layout_copy(char *dst, const ptrdiff_t *dstrides, const char *src,
                    const ptrdiff_t *sstrides, int ndim, const ptrdiff_t *shape,
                    ptrdiff_t itemsize);

#endif
