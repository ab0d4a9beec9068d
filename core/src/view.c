/*
 * view.c: a view's life (from an exporter, derived, released), its attributes, and the
 * view as an exporter itself.
 *
 * The order of checks in each operation follows CPython's memoryobject.c so that the
 * same mistake raises the same exception in both; comments name the CPython function a
 * block mirrors where that order matters. view_private.h lists the other view sources.
 */
#include <stdint.h>
#include <string.h>

#include "bufview/memory.h"
#include "layout.h"
#include "view_private.h"

bv_status bvi_view_error_released(bv_error *err)
{
    return bv_error_set(err, BV_VALUE_ERROR, "operation forbidden on released memoryview object");
}

/* ---- exporting a view ---------------------------------------------------------------- */

static bv_view *view_of_exporter(bv_exporter *e)
{
    return (bv_view *)(void *)((char *)e - offsetof(bv_view, exporter));
}

/* memory_getbuf(): start from the whole description and strip or refuse what the
 * request leaves out, with CPython's checks in CPython's order. */
static bv_status view_getbuffer(bv_exporter *self, bv_buffer *out, int flags, bv_error *err)
{
    bv_view *v = view_of_exporter(self);
    if (v->mbuf == NULL)
        return bvi_view_error_released(err);
    const unsigned vf = v->flags;
    if ((flags & BV_BUF_WRITABLE) && (vf & BVI_VIEW_READONLY))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not writable");
    const char *format = (flags & BV_BUF_FORMAT) ? v->format : NULL;
    if ((flags & BV_BUF_C_CONTIGUOUS) == BV_BUF_C_CONTIGUOUS && !(vf & BVI_VIEW_C))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not C-contiguous");
    if ((flags & BV_BUF_F_CONTIGUOUS) == BV_BUF_F_CONTIGUOUS && !(vf & BVI_VIEW_FORTRAN))
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "memoryview: underlying buffer is not Fortran contiguous");
    if ((flags & BV_BUF_ANY_CONTIGUOUS) == BV_BUF_ANY_CONTIGUOUS &&
        !(vf & (BVI_VIEW_C | BVI_VIEW_FORTRAN)))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not contiguous");
    bool strides = (flags & BV_BUF_STRIDES) == BV_BUF_STRIDES;
    if (!strides && !(vf & BVI_VIEW_C))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not C-contiguous");
    bool shape = (flags & BV_BUF_ND) == BV_BUF_ND;
    if (!shape && format != NULL)
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "memoryview: cannot cast to unsigned bytes if the format flag is present");
    memset(out, 0, sizeof *out);
    out->buf = v->buf;
    out->len = v->len;
    out->itemsize = v->itemsize;
    out->readonly = (vf & BVI_VIEW_READONLY) ? 1 : 0;
    out->format = format;
    /* Without ND the consumer sees len bytes of one dimension, as in CPython. */
    out->ndim = shape ? v->ndim : 1;
    out->shape = shape ? bvi_view_shape(v) : NULL;
    out->strides = strides ? bvi_view_strides(v) : NULL;
    v->exports++;
    return BV_OK;
}

static void view_releasebuffer(bv_exporter *self, bv_buffer *buf)
{
    (void)buf;
    view_of_exporter(self)->exports--;
}

static const bv_exporter_type view_exporter_type = {
    .name = "memoryview",
    .getbuffer = view_getbuffer,
    .releasebuffer = view_releasebuffer,
    .destroy = NULL,
};

bv_exporter *bv_view_exporter(bv_view *v)
{
    if (v == NULL)
        return NULL;
    /* Re-stamped on every call: the view is a plain value and may have been moved. */
    bv_exporter_init(&v->exporter, &view_exporter_type, 0);
    return &v->exporter;
}

bv_view *bvi_view_of_exporter(bv_exporter *e)
{
    return e != NULL && e->type == &view_exporter_type ? view_of_exporter(e) : NULL;
}

ptrdiff_t bv_view_exports(const bv_view *v)
{
    return v == NULL || v->mbuf == NULL ? 0 : v->exports;
}

bool bv_view_shares_buffer(const bv_view *a, const bv_view *b)
{
    return a != NULL && b != NULL && a->mbuf != NULL && a->mbuf == b->mbuf;
}

/* ---- flags and construction ---------------------------------------------------------- */

/* init_flags() in CPython: 1-D views use the cheap test, N-D ones the full rule. */
static unsigned layout_flags(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                             ptrdiff_t itemsize, ptrdiff_t len)
{
    if (ndim == 0)
        return BVI_VIEW_C | BVI_VIEW_FORTRAN;
    if (ndim == 1)
        return (shape[0] == 1 || strides[0] == itemsize) ? (BVI_VIEW_C | BVI_VIEW_FORTRAN) : 0;
    if (len == 0)
        return BVI_VIEW_C | BVI_VIEW_FORTRAN;
    unsigned f = 0;
    if (bvi_layout_is_c_contiguous(ndim, shape, strides, itemsize))
        f |= BVI_VIEW_C;
    if (bvi_layout_is_f_contiguous(ndim, shape, strides, itemsize))
        f |= BVI_VIEW_FORTRAN;
    return f;
}

void bvi_view_refresh_flags(bv_view *v)
{
    unsigned keep = v->flags & BVI_VIEW_READONLY;
    v->flags = keep |
               layout_flags(v->ndim, bvi_view_cshape(v), bvi_view_cstrides(v), v->itemsize,
                            v->len) |
               (v->ndim == 1 ? BVI_VIEW_SIMPLE1D : 0u);
}

bool bvi_view_consistent(const bv_view *v)
{
    if (v->mbuf == NULL)
        return true;   /* a released view keeps only what release, repr and == read */
    if (v->ndim < 0 || v->ndim > BV_MAXDIM || v->itemsize <= 0 || v->format == NULL ||
        v->exports < 0 || v->mbuf->views < 1 || (bvi_view_spilled(v) && v->spill == NULL))
        return false;
    const ptrdiff_t *shape = bvi_view_cshape(v);
    if (v->len != bvi_nbytes(v->ndim, shape, v->itemsize))
        return false;
    unsigned want = layout_flags(v->ndim, shape, bvi_view_cstrides(v), v->itemsize, v->len) |
                    (v->ndim == 1 ? BVI_VIEW_SIMPLE1D : 0u);
    return (v->flags & ~(unsigned)(BVI_VIEW_READONLY | BVI_VIEW_HASHED)) == want;
}

bv_status bvi_view_init_dims(bv_view *out, int ndim, bv_error *err)
{
    out->ndim = ndim;
    out->spill = NULL;
    if (ndim > BV_VIEW_INLINE_DIMS) {
        out->spill = bv_malloc(sizeof(ptrdiff_t) * 2 * (size_t)ndim);
        if (out->spill == NULL)
            return bvi_error_nomem(err);
    }
    return BV_OK;
}

void bvi_view_register(bv_view *out, struct bvi_managed *m)
{
    out->flags &= ~(unsigned)BVI_VIEW_HASHED;   /* a new view has not been hashed */
    out->mbuf = m;
    out->exports = 0;
    bv_exporter_init(&out->exporter, &view_exporter_type, 0);
    m->views++;
}

static inline void managed_drop(struct bvi_managed *m)
{
    if (BVI_UNLIKELY(--m->views == 0)) {
        bv_buffer_release(&m->master);
        bv_free(m);
    }
}

/* An exporter outside the core may hand back anything; views index memory with these
 * numbers, so every product and extent must be checked before the first view exists. */
static bool buffer_is_consistent(const bv_buffer *b)
{
    if (b->ndim < 0 || b->ndim > BV_MAXDIM || b->itemsize <= 0 || b->len < 0 ||
        b->suboffsets != NULL || (b->buf == NULL && b->len > 0))
        return false;
    if (b->ndim > 1 && b->shape == NULL)
        return false;
    /* The format must describe items of exactly itemsize bytes. */
    const char *format = b->format != NULL ? b->format : "B";
    char c = bv_format_char(format);
    ptrdiff_t want = c != 0 ? bv_format_itemsize(c) : 0;
    if (want == 0)
        want = bv_format_calcsize(format, NULL);
    if (want != b->itemsize)
        return false;
    if (b->ndim == 0)
        return b->len == b->itemsize;
    if (b->shape == NULL)   /* 1-D without shape: len bytes of whole items */
        return b->len % b->itemsize == 0 && b->strides == NULL;
    ptrdiff_t items = 1;
    for (int i = 0; i < b->ndim; i++) {
        if (b->shape[i] < 0)
            return false;
        if (b->shape[i] > 0 && items > PTRDIFF_MAX / b->shape[i])
            return false;
        items *= b->shape[i];
    }
    if (items > PTRDIFF_MAX / b->itemsize || items * b->itemsize != b->len)
        return false;
    if (b->strides != NULL && items > 0) {
        for (int i = 0; i < b->ndim; i++) {
            ptrdiff_t extent = b->shape[i] - 1, st = b->strides[i];
            if (extent == 0)
                continue;   /* a stride nothing ever multiplies */
            if (st == PTRDIFF_MIN || (st < 0 ? -st : st) > PTRDIFF_MAX / extent)
                return false;
        }
    }
    return true;
}

/* The first view of a managed buffer whose master has just been taken and checked. */
static bv_status view_of_master(bv_view *out, struct bvi_managed *m, bv_error *err)
{
    const bv_buffer *b = &m->master;
    bv_view v;
    memset(&v, 0, sizeof v);
    bv_status st = bvi_view_init_dims(&v, b->ndim, err);
    if (st != BV_OK)
        return st;
    v.buf = b->buf;
    v.itemsize = b->itemsize;
    v.format = b->format != NULL ? b->format : "B";
    v.flags = b->readonly ? BVI_VIEW_READONLY : 0;
    ptrdiff_t *shape = bvi_view_shape(&v), *strides = bvi_view_strides(&v);
    if (b->ndim == 1 && b->shape == NULL) {
        shape[0] = b->len / b->itemsize;
    } else {
        for (int i = 0; i < b->ndim; i++)
            shape[i] = b->shape[i];
    }
    if (b->strides == NULL)
        bv_buffer_fill_contiguous_strides(b->ndim, shape, strides, b->itemsize, 'C');
    else
        for (int i = 0; i < b->ndim; i++)
            strides[i] = b->strides[i];
    v.len = bvi_nbytes(v.ndim, shape, v.itemsize);
    bvi_view_refresh_flags(&v);
    bvi_view_register(&v, m);
    BVI_VIEW_ASSERT(&v);
    *out = v;
    return BV_OK;
}

bv_status bv_view_from(bv_view *out, bv_exporter *obj, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    if (obj == NULL || obj->type == NULL || obj->type->getbuffer == NULL)
        return bv_error_set(err, BV_TYPE_ERROR,
                            "memoryview: a bytes-like object is required, not '%s'",
                            bv_exporter_type_name(obj));
    bv_view *src = bvi_view_of_exporter(obj);
    if (src != NULL)
        return bv_view_from_view(out, src, err);

    struct bvi_managed *m = bv_malloc(sizeof *m);
    if (m == NULL)
        return bvi_error_nomem(err);
    m->views = 0;
    bv_status st = bv_buffer_get(obj, &m->master, BV_BUF_FULL_RO, err);
    if (st == BV_OK && !buffer_is_consistent(&m->master))
        st = bv_error_set(err, BV_BUFFER_ERROR,
                          "exporter '%s' returned a buffer bufview cannot represent",
                          bv_exporter_type_name(obj));
    if (st == BV_OK)
        st = view_of_master(out, m, err);
    if (st != BV_OK) {
        bv_buffer_release(&m->master);   /* a failed get left it zeroed: a no-op then */
        bv_free(m);
    }
    return st;
}

bv_status bvi_view_derive(bv_view *out, const bv_view *src, bv_error *err)
{
    *out = *src;
    if (bvi_view_spilled(src)) {
        bv_status st = bvi_view_init_dims(out, src->ndim, err);
        if (st != BV_OK)
            return st;
        memcpy(out->spill, src->spill, sizeof(ptrdiff_t) * 2 * (size_t)src->ndim);
    }
    bvi_view_register(out, src->mbuf);
    return BV_OK;
}

bv_status bvi_view_new_layout(bv_view *out, const bv_view *like, char *buf, int ndim,
                              const ptrdiff_t *shape, const ptrdiff_t *strides, bv_error *err)
{
    bv_view tmp = *like;
    bv_status st = bvi_view_init_dims(&tmp, ndim, err);
    if (st != BV_OK)
        return st;
    if (ndim > 0) {
        memcpy(bvi_view_shape(&tmp), shape, sizeof(ptrdiff_t) * (size_t)ndim);
        memcpy(bvi_view_strides(&tmp), strides, sizeof(ptrdiff_t) * (size_t)ndim);
    }
    tmp.buf = buf;
    tmp.len = bvi_nbytes(ndim, shape, tmp.itemsize);
    bvi_view_refresh_flags(&tmp);
    bvi_view_register(&tmp, like->mbuf);
    BVI_VIEW_ASSERT(&tmp);
    *out = tmp;
    return BV_OK;
}

/* A derived view, read-only or not, written to out only once it is complete. */
static bv_status view_copy(bv_view *out, const bv_view *src, bool readonly, bv_error *err)
{
    bv_view tmp;
    bv_status st = bvi_view_derive(&tmp, src, err);
    if (st != BV_OK)
        return st;
    if (readonly)
        tmp.flags |= BVI_VIEW_READONLY;
    BVI_VIEW_ASSERT(&tmp);
    *out = tmp;
    return BV_OK;
}

bv_status bv_view_from_view(bv_view *out, const bv_view *src, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    BVI_VIEW_CHECK(src, err);
    return view_copy(out, src, false, err);
}

bv_status bv_view_toreadonly(bv_view *out, const bv_view *v, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    BVI_VIEW_CHECK(v, err);
    return view_copy(out, v, true, err);
}

static bv_status BVI_NOINLINE release_exported(const bv_view *v, bv_error *err)
{
    return bv_error_set(err, BV_BUFFER_ERROR, "memoryview has %td exported buffer%s", v->exports,
                        v->exports == 1 ? "" : "s");
}

bv_status bv_view_release(bv_view *v, bv_error *err)
{
    BVI_REQUIRE_NONNULL(v, err);
    struct bvi_managed *m = v->mbuf;
    if (m == NULL)
        return BV_OK;
    if (BVI_UNLIKELY(v->exports > 0))
        return release_exported(v, err);
    v->mbuf = NULL;
    /* The count goes down before the spill is freed: with nothing between a slice's bump
     * and this drop, an inlined slice-then-release pair cancels out. */
    managed_drop(m);
    /* Testing ndim rather than the pointer lets the compiler drop this branch for a
     * 1-D slice it has just built. */
    if (bvi_view_spilled(v) && v->spill != NULL) {
        bv_free(v->spill);
        v->spill = NULL;
    }
    return BV_OK;
}

bool bv_view_is_released(const bv_view *v)
{
    return v == NULL || v->mbuf == NULL;
}

/* ---- attributes ---------------------------------------------------------------------- */

/* Each attribute of CPython's memoryview: released check, then the value (out may be
 * NULL when only the check is wanted). */
#define ATTRIBUTE(name, type, expr)                                       \
    bv_status bv_view_##name(const bv_view *v, type *out, bv_error *err)  \
    {                                                                     \
        BVI_VIEW_CHECK(v, err);                                           \
        if (out != NULL)                                                  \
            *out = (expr);                                                \
        return BV_OK;                                                     \
    }

ATTRIBUTE(obj, bv_exporter *, v->mbuf->master.obj)
ATTRIBUTE(buf, char *, v->buf)
ATTRIBUTE(nbytes, ptrdiff_t, v->len)
ATTRIBUTE(readonly, bool, (v->flags & BVI_VIEW_READONLY) != 0)
ATTRIBUTE(itemsize, ptrdiff_t, v->itemsize)
ATTRIBUTE(format, const char *, v->format)
ATTRIBUTE(ndim, int, v->ndim)
ATTRIBUTE(shape, const ptrdiff_t *, bvi_view_cshape(v))
ATTRIBUTE(strides, const ptrdiff_t *, bvi_view_cstrides(v))
ATTRIBUTE(suboffsets, ptrdiff_t, 0)
ATTRIBUTE(c_contiguous, bool, (v->flags & BVI_VIEW_C) != 0)
ATTRIBUTE(f_contiguous, bool, (v->flags & BVI_VIEW_FORTRAN) != 0)
ATTRIBUTE(contiguous, bool, (v->flags & (BVI_VIEW_C | BVI_VIEW_FORTRAN)) != 0)

bv_status bv_view_len(const bv_view *v, ptrdiff_t *out, bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "0-dim memory has no length");
    if (out != NULL)
        *out = bvi_view_cshape(v)[0];
    return BV_OK;
}
