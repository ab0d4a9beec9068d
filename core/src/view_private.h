/*
 * view_private.h: what the view sources share and nothing else may use: the managed
 * buffer, the meaning of bv_view's private fields, and the helpers that build views.
 *
 * The view is split by concept, as NumPy splits its array type and CPython its
 * memoryview's neighbours:
 *   view.c           lifecycle, attributes, the view as an exporter
 *   view_subscript.c items, slices, NumPy-style subscripts and assignment through them
 *                    (mv[...] and mv[...] = x)
 *   view_convert.c   tobytes, tolist, hex, cast
 *   view_compare.c   ==, count/index, hash
 *
 * Ownership: a managed buffer is owned jointly by the live views that point at it;
 * `views` counts them. bvi_view_register adds a view, bv_view_release removes one, and
 * the last one gives the master buffer back to the exporter and frees the managed buffer.
 */
#ifndef BUFVIEW_VIEW_PRIVATE_H
#define BUFVIEW_VIEW_PRIVATE_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>

#include "bufview/view.h"
#include "internal.h"

struct bvi_managed {
    bv_buffer master;      /* the one buffer taken from the exporter */
    ptrdiff_t views;       /* views sharing it (CPython: mbuf->exports) */
};

/* bv_view.flags: answers cached when a view is made, so the hot paths test one bit. */
enum {
    BVI_VIEW_READONLY = 0x1,
    BVI_VIEW_C = 0x2,         /* C-contiguous */
    BVI_VIEW_FORTRAN = 0x4,   /* Fortran-contiguous */
    BVI_VIEW_HASHED = 0x8,    /* hash_value holds hash(mv) (CPython caches it, even past
                                 release) */
    BVI_VIEW_SIMPLE1D = 0x10  /* live, one dimension, no spill: the slice fast path applies */
};

/* Views of up to BV_VIEW_INLINE_DIMS dimensions keep shape and strides inline and never
 * read `spill`, so the slice fast path need not write it. */
static inline bool bvi_view_spilled(const bv_view *v)
{
    return v->ndim > BV_VIEW_INLINE_DIMS;
}
static inline ptrdiff_t *bvi_view_shape(bv_view *v)
{
    return bvi_view_spilled(v) ? v->spill : v->shape_inline;
}
static inline ptrdiff_t *bvi_view_strides(bv_view *v)
{
    return bvi_view_spilled(v) ? v->spill + v->ndim : v->strides_inline;
}
static inline const ptrdiff_t *bvi_view_cshape(const bv_view *v)
{
    return bvi_view_spilled(v) ? v->spill : v->shape_inline;
}
static inline const ptrdiff_t *bvi_view_cstrides(const bv_view *v)
{
    return bvi_view_spilled(v) ? v->spill + v->ndim : v->strides_inline;
}

/* ValueError "operation forbidden on released memoryview object". */
bv_status bvi_view_error_released(bv_error *err) BVI_COLD;

/* The first check of almost every public view function: the contract (v not NULL), then
 * CPython's CHECK_RELEASED. */
#define BVI_VIEW_CHECK(v, err)                                                     \
    do {                                                                           \
        BVI_REQUIRE_NONNULL(v, err);                                               \
        if (BVI_UNLIKELY((v)->mbuf == NULL))                                       \
            return bvi_view_error_released(err);                                   \
    } while (0)

/* The view behind a bv_exporter, when it is a view's own (bv_view_exporter); else NULL. */
bv_view *bvi_view_of_exporter(bv_exporter *e);

/* Recompute the cached layout flags after shape, strides, ndim or len changed. */
void bvi_view_refresh_flags(bv_view *v);
/* Set out's ndim and allocate its spill when ndim > BV_VIEW_INLINE_DIMS. */
bv_status bvi_view_init_dims(bv_view *out, int ndim, bv_error *err);
/* Make out a live view of m: counts it and stamps its exporter; not yet hashed. */
void bvi_view_register(bv_view *out, struct bvi_managed *m);
/* A new view on like's managed buffer, with like's format, itemsize and read-only flag
 * and the given layout (item [0,...,0] at buf); written to out only once complete. Only
 * a view of more than BV_VIEW_INLINE_DIMS dimensions allocates (its spill). */
bv_status bvi_view_new_layout(bv_view *out, const bv_view *like, char *buf, int ndim,
                              const ptrdiff_t *shape, const ptrdiff_t *strides, bv_error *err);
/* mbuf_add_view(): out becomes a copy of src's description on the same managed buffer. */
bv_status bvi_view_derive(bv_view *out, const bv_view *src, bv_error *err);

/* Copy the view's bytes to dst in 'C' or 'F' order ('A': Fortran when the view is
 * Fortran- but not C-contiguous), dst holding v->len bytes. */
void bvi_view_copy_out(const bv_view *v, char order, char *dst);

/* Whether the private fields agree with each other and with the public ones: the cached
 * flags with shape and strides, the spill with ndim, len with the shape. Debug builds
 * assert it wherever a view is made (BVI_VIEW_ASSERT), which is how the fuzz harnesses
 * check bufview's private state without reading it. */
bool bvi_view_consistent(const bv_view *v);
#ifdef NDEBUG
#define BVI_VIEW_ASSERT(v) ((void)0)
#else
#define BVI_VIEW_ASSERT(v) assert(bvi_view_consistent(v))
#endif

#endif
