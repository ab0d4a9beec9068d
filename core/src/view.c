/*
 * bv_view: CPython's memoryview over a shared, reference-counted managed buffer.
 *
 * The order of checks in each operation follows CPython's memoryobject.c so that the
 * same mistake raises the same exception in both; comments name the CPython function a
 * block mirrors where that order matters.
 */
#include "bufview/view.h"

#include <stdint.h>
#include <string.h>

#include "bufview/memory.h"
#include "internal.h"

struct bv_managed {
    bv_buffer master;      /* the one buffer taken from the exporter */
    ptrdiff_t views;       /* views sharing it (CPython: mbuf->exports) */
};

static const char RELEASED_MSG[] = "operation forbidden on released memoryview object";

#define CHECK_RELEASED(v, err)                                                 \
    do {                                                                       \
        if ((v) == NULL)                                                       \
            return bv_error_set((err), BV_TYPE_ERROR, "view must not be NULL"); \
        if ((v)->mbuf == NULL)                                                 \
            return bv_error_set((err), BV_VALUE_ERROR, RELEASED_MSG);          \
    } while (0)

/* Views of up to BV_VIEW_INLINE_DIMS dimensions keep shape and strides inline and never
 * read `spill`, so the slice fast path need not write it. */
static inline bool spilled(const bv_view *v)
{
    return v->ndim > BV_VIEW_INLINE_DIMS;
}
static inline ptrdiff_t *shape_of(bv_view *v)
{
    return spilled(v) ? v->spill : v->shape_inline;
}
static inline ptrdiff_t *strides_of(bv_view *v)
{
    return spilled(v) ? v->spill + v->ndim : v->strides_inline;
}
static inline const ptrdiff_t *cshape(const bv_view *v)
{
    return spilled(v) ? v->spill : v->shape_inline;
}
static inline const ptrdiff_t *cstrides(const bv_view *v)
{
    return spilled(v) ? v->spill + v->ndim : v->strides_inline;
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
    CHECK_RELEASED(v, err);
    const unsigned vf = v->flags;
    if ((flags & BV_BUF_WRITABLE) && (vf & BV_VIEW_READONLY))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not writable");
    const char *format = (flags & BV_BUF_FORMAT) ? v->format : NULL;
    if ((flags & BV_BUF_C_CONTIGUOUS) == BV_BUF_C_CONTIGUOUS && !(vf & BV_VIEW_C))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not C-contiguous");
    if ((flags & BV_BUF_F_CONTIGUOUS) == BV_BUF_F_CONTIGUOUS && !(vf & BV_VIEW_FORTRAN))
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "memoryview: underlying buffer is not Fortran contiguous");
    if ((flags & BV_BUF_ANY_CONTIGUOUS) == BV_BUF_ANY_CONTIGUOUS &&
        !(vf & (BV_VIEW_C | BV_VIEW_FORTRAN)))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not contiguous");
    bool strides = (flags & BV_BUF_STRIDES) == BV_BUF_STRIDES;
    if (!strides && !(vf & BV_VIEW_C))
        return bv_error_set(err, BV_BUFFER_ERROR, "memoryview: underlying buffer is not C-contiguous");
    bool shape = (flags & BV_BUF_ND) == BV_BUF_ND;
    if (!shape && format != NULL)
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "memoryview: cannot cast to unsigned bytes if the format flag is present");
    memset(out, 0, sizeof *out);
    out->buf = v->buf;
    out->len = v->len;
    out->itemsize = v->itemsize;
    out->readonly = (vf & BV_VIEW_READONLY) ? 1 : 0;
    out->format = format;
    /* Without ND the consumer sees len bytes of one dimension, as in CPython. */
    out->ndim = shape ? v->ndim : 1;
    out->shape = shape ? shape_of(v) : NULL;
    out->strides = strides ? strides_of(v) : NULL;
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
    /* Re-stamped on every call: the view is a plain value and may have been copied. */
    bv_exporter_init(&v->exporter, &view_exporter_type, false);
    return &v->exporter;
}

/* ---- flags and construction ---------------------------------------------------------- */

/* init_flags() in CPython: 1-D views use the cheap test, N-D ones the full rule. */
static unsigned layout_flags(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                             ptrdiff_t itemsize, ptrdiff_t len)
{
    if (ndim == 0)
        return BV_VIEW_SCALAR | BV_VIEW_C | BV_VIEW_FORTRAN;
    if (ndim == 1)
        return (shape[0] == 1 || strides[0] == itemsize) ? (BV_VIEW_C | BV_VIEW_FORTRAN) : 0;
    if (len == 0)
        return BV_VIEW_C | BV_VIEW_FORTRAN;
    unsigned f = 0;
    if (bv_layout_is_c_contiguous(ndim, shape, strides, itemsize))
        f |= BV_VIEW_C;
    if (bv_layout_is_f_contiguous(ndim, shape, strides, itemsize))
        f |= BV_VIEW_FORTRAN;
    return f;
}

static void refresh_flags(bv_view *v)
{
    unsigned keep = v->flags & BV_VIEW_READONLY;
    v->flags = keep | layout_flags(v->ndim, cshape(v), cstrides(v), v->itemsize, v->len) |
               (v->ndim == 1 ? BV_VIEW_SIMPLE1D : 0u);
}

/* product(shape) * itemsize, wrapping like CPython's init_len on absurd shapes. */
static ptrdiff_t nbytes_of(int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize)
{
    ptrdiff_t len = 1;
    for (int i = 0; i < ndim; i++)
        len = bv_wrap_mul(len, shape[i]);
    return bv_wrap_mul(len, itemsize);
}

/* Prepare `out` as a view with ndim dimensions sharing v's managed buffer: the only
 * allocation is a spill for more than BV_VIEW_INLINE_DIMS dimensions. */
static bv_status view_init_dims(bv_view *out, int ndim, bv_error *err)
{
    out->ndim = ndim;
    out->spill = NULL;
    if (ndim > BV_VIEW_INLINE_DIMS) {
        out->spill = bv_malloc(sizeof(ptrdiff_t) * 2 * (size_t)ndim);
        if (out->spill == NULL)
            return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    }
    return BV_OK;
}

static void view_register(bv_view *out, bv_managed *m)
{
    out->flags &= ~(unsigned)BV_VIEW_HASHED;   /* a new view has not been hashed */
    out->mbuf = m;
    out->exports = 0;
    bv_exporter_init(&out->exporter, &view_exporter_type, false);
    m->views++;
}

static inline void managed_drop(bv_managed *m)
{
    if (__builtin_expect(--m->views == 0, 0)) {
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

bv_status bv_view_from(bv_view *out, bv_exporter *obj, bv_error *err)
{
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    if (obj == NULL || obj->type == NULL || obj->type->getbuffer == NULL)
        return bv_error_set(err, BV_TYPE_ERROR,
                            "memoryview: a bytes-like object is required, not '%s'",
                            bv_exporter_type_name(obj));
    if (obj->type == &view_exporter_type)
        return bv_view_from_view(out, view_of_exporter(obj), err);

    bv_managed *m = bv_malloc(sizeof *m);
    if (m == NULL)
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    m->views = 0;
    bv_status st = bv_buffer_get(obj, &m->master, BV_BUF_FULL_RO, err);
    if (st != BV_OK) {
        bv_free(m);
        return st;
    }
    const bv_buffer *b = &m->master;
    if (!buffer_is_consistent(b)) {
        bv_buffer_release(&m->master);
        bv_free(m);
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "exporter '%s' returned a buffer bufview cannot represent",
                            bv_exporter_type_name(obj));
    }
    bv_view v;
    memset(&v, 0, sizeof v);
    st = view_init_dims(&v, b->ndim, err);
    if (st != BV_OK) {
        bv_buffer_release(&m->master);
        bv_free(m);
        return st;
    }
    v.buf = b->buf;
    v.itemsize = b->itemsize;
    v.format = b->format != NULL ? b->format : "B";
    v.flags = b->readonly ? BV_VIEW_READONLY : 0;
    ptrdiff_t *shape = shape_of(&v), *strides = strides_of(&v);
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
    v.len = nbytes_of(v.ndim, shape, v.itemsize);
    refresh_flags(&v);
    view_register(&v, m);
    *out = v;
    return BV_OK;
}

/* mbuf_add_view(): a copy of src's description on the same managed buffer. */
static bv_status view_derive(bv_view *out, const bv_view *src, bv_error *err)
{
    *out = *src;
    if (spilled(src)) {
        out->spill = NULL;
        if (view_init_dims(out, src->ndim, err) != BV_OK)
            return BV_MEMORY_ERROR;
        memcpy(out->spill, src->spill, sizeof(ptrdiff_t) * 2 * (size_t)src->ndim);
    }
    view_register(out, src->mbuf);
    return BV_OK;
}

bv_status bv_view_from_view(bv_view *out, const bv_view *src, bv_error *err)
{
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    CHECK_RELEASED(src, err);
    bv_view v;
    if (view_derive(&v, src, err) != BV_OK)
        return BV_MEMORY_ERROR;
    *out = v;
    return BV_OK;
}

static bv_status __attribute__((noinline)) release_exported(const bv_view *v, bv_error *err)
{
    return bv_error_set(err, BV_BUFFER_ERROR, "memoryview has %td exported buffer%s", v->exports,
                        v->exports == 1 ? "" : "s");
}

bv_status bv_view_release(bv_view *v, bv_error *err)
{
    if (__builtin_expect(v == NULL, 0))
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    bv_managed *m = v->mbuf;
    if (m == NULL)
        return BV_OK;
    if (__builtin_expect(v->exports > 0, 0))
        return release_exported(v, err);
    v->mbuf = NULL;
    /* The count goes down before the spill is freed: with nothing between a slice's bump
     * and this drop, an inlined slice-then-release pair cancels out. */
    managed_drop(m);
    /* Testing ndim rather than the pointer lets the compiler drop this branch for a
     * 1-D slice it has just built. */
    if (spilled(v) && v->spill != NULL) {
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

bv_status bv_view_obj(const bv_view *v, bv_exporter **out, bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (out != NULL)
        *out = v->mbuf->master.obj;
    return BV_OK;
}

#define SIMPLE_ATTRIBUTE(name, type, expr)                                \
    bv_status bv_view_##name(const bv_view *v, type *out, bv_error *err)  \
    {                                                                     \
        CHECK_RELEASED(v, err);                                           \
        if (out != NULL)                                                  \
            *out = (expr);                                                \
        return BV_OK;                                                     \
    }

SIMPLE_ATTRIBUTE(nbytes, ptrdiff_t, v->len)
SIMPLE_ATTRIBUTE(readonly, bool, (v->flags & BV_VIEW_READONLY) != 0)
SIMPLE_ATTRIBUTE(itemsize, ptrdiff_t, v->itemsize)
SIMPLE_ATTRIBUTE(format, const char *, v->format)
SIMPLE_ATTRIBUTE(ndim, int, v->ndim)
SIMPLE_ATTRIBUTE(shape, const ptrdiff_t *, cshape(v))
SIMPLE_ATTRIBUTE(strides, const ptrdiff_t *, cstrides(v))
SIMPLE_ATTRIBUTE(suboffsets, ptrdiff_t, 0)
SIMPLE_ATTRIBUTE(c_contiguous, bool, (v->flags & BV_VIEW_C) != 0)
SIMPLE_ATTRIBUTE(f_contiguous, bool, (v->flags & BV_VIEW_FORTRAN) != 0)
SIMPLE_ATTRIBUTE(contiguous, bool, (v->flags & (BV_VIEW_C | BV_VIEW_FORTRAN)) != 0)

bv_status bv_view_len(const bv_view *v, ptrdiff_t *out, bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "0-dim memory has no length");
    if (out != NULL)
        *out = cshape(v)[0];
    return BV_OK;
}

/* ---- items --------------------------------------------------------------------------- */

/* adjust_fmt(): item access needs a single native character after an optional '@'. */
static bv_status item_format(const bv_view *v, char *c, bv_error *err)
{
    return bv_format_check(v->format, c, err);
}

/* lookup_dimension() */
static bv_status lookup(const bv_view *v, char **ptr, int dim, ptrdiff_t index, bv_error *err)
{
    ptrdiff_t n = cshape(v)[dim];
    if (index < 0)
        index += n;
    if (index < 0 || index >= n)
        return bv_error_set(err, BV_INDEX_ERROR, "index out of bounds on dimension %d", dim + 1);
    *ptr = bv_ptr_add(*ptr, cstrides(v)[dim] * index);
    return BV_OK;
}

/* ptr_from_tuple() */
static bv_status item_pointer(const bv_view *v, const ptrdiff_t *indices, size_t n, char **ptr,
                              bv_error *err)
{
    if (n > (size_t)v->ndim)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot index %d-dimension view with %zu-element tuple",
                            v->ndim, n);
    if (n > 0 && indices == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "indices must not be NULL");
    char *p = v->buf;
    for (size_t d = 0; d < n; d++) {
        bv_status st = lookup(v, &p, (int)d, indices[d], err);
        if (st != BV_OK)
            return st;
    }
    *ptr = p;
    return BV_OK;
}

bv_status bv_view_get(const bv_view *v, ptrdiff_t index, bv_value *out, bv_error *err)
{
    CHECK_RELEASED(v, err);
    char c;
    bv_status st = item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (v->ndim > 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                            "multi-dimensional sub-views are not implemented");
    char *p = v->buf;
    st = lookup(v, &p, 0, index, err);
    if (st != BV_OK)
        return st;
    bv_value tmp;
    st = bv_format_unpack(c, p, &tmp, err);
    if (st == BV_OK && out != NULL)
        *out = tmp;
    return st;
}

/* memory_ass_sub(): released, format, read-only, then the key. */
static bv_status writable_item_format(const bv_view *v, char *c, bv_error *err)
{
    CHECK_RELEASED(v, err);
    bv_status st = item_format(v, c, err);
    if (st != BV_OK)
        return st;
    if (v->flags & BV_VIEW_READONLY)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot modify read-only memory");
    return BV_OK;
}

bv_status bv_view_set(bv_view *v, ptrdiff_t index, bv_value value, bv_error *err)
{
    char c;
    bv_status st = writable_item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (v->ndim > 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    char *p = v->buf;
    st = lookup(v, &p, 0, index, err);
    if (st != BV_OK)
        return st;
    return bv_format_pack(c, p, value, err);
}

bv_status bv_view_get_at(const bv_view *v, const ptrdiff_t *indices, size_t n, bv_value *out,
                         bv_error *err)
{
    CHECK_RELEASED(v, err);
    char c;
    bv_status st;
    if (v->ndim == 0 && n != 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    st = item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    if (n < (size_t)v->ndim)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    char *p;
    st = item_pointer(v, indices, n, &p, err);
    if (st != BV_OK)
        return st;
    bv_value tmp;
    st = bv_format_unpack(c, p, &tmp, err);
    if (st == BV_OK && out != NULL)
        *out = tmp;
    return st;
}

bv_status bv_view_set_at(bv_view *v, const ptrdiff_t *indices, size_t n, bv_value value,
                         bv_error *err)
{
    char c;
    bv_status st = writable_item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    if (v->ndim == 0 && n != 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (n < (size_t)v->ndim)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    char *p;
    st = item_pointer(v, indices, n, &p, err);
    if (st != BV_OK)
        return st;
    return bv_format_pack(c, p, value, err);
}

bv_status bv_view_delete(bv_view *v, ptrdiff_t index, bv_error *err)
{
    (void)index;
    char c;
    bv_status st = writable_item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    return bv_error_set(err, BV_TYPE_ERROR, "cannot delete memory");
}

bv_status bv_view_ellipsis(bv_view *out, const bv_view *v, bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (v->ndim != 0)
        return bv_error_set(err, BV_TYPE_ERROR, "memoryview: invalid slice key");
    return bv_view_from_view(out, v, err);
}

/* ---- slices -------------------------------------------------------------------------- */


static inline bv_status slice_adjust(bv_slice s, ptrdiff_t len, ptrdiff_t *start_out,
                                    ptrdiff_t *step_out, ptrdiff_t *slicelength, bv_error *err)
{
    /* PySlice_Unpack */
    ptrdiff_t step = 1, start, stop;
    if (s.has_step) {
        step = s.step;
        if (step == 0)
            return bv_error_set(err, BV_VALUE_ERROR, "slice step cannot be zero");
        if (step < -PTRDIFF_MAX)
            step = -PTRDIFF_MAX;
    }
    start = s.has_start ? s.start : (step < 0 ? PTRDIFF_MAX : 0);
    stop = s.has_stop ? s.stop : (step < 0 ? PTRDIFF_MIN : PTRDIFF_MAX);
    /* PySlice_AdjustIndices */
    if (start < 0) {
        start += len;
        if (start < 0)
            start = step < 0 ? -1 : 0;
    } else if (start >= len) {
        start = step < 0 ? len - 1 : len;
    }
    if (stop < 0) {
        stop += len;
        if (stop < 0)
            stop = step < 0 ? -1 : 0;
    } else if (stop >= len) {
        stop = step < 0 ? len - 1 : len;
    }
    ptrdiff_t n = 0;
    if (step < 0) {
        if (stop < start)
            n = (start - stop - 1) / (-step) + 1;
    } else if (start < stop) {
        n = (stop - start - 1) / step + 1;
    }
    if (start_out)
        *start_out = start;
    if (step_out)
        *step_out = step;
    if (slicelength)
        *slicelength = n;
    return BV_OK;
}

bv_status bv_slice_adjust(bv_slice s, ptrdiff_t len, ptrdiff_t *start_out, ptrdiff_t *step_out,
                          ptrdiff_t *slicelength, bv_error *err)
{
    return slice_adjust(s, len, start_out, step_out, slicelength, err);
}

/* init_slice() on dimension dim of a view being built. */
static bv_status slice_dim(bv_view *v, int dim, bv_slice s, bv_error *err)
{
    ptrdiff_t *shape = shape_of(v), *strides = strides_of(v);
    ptrdiff_t start = 0, step = 1, n = 0;
    bv_status st = slice_adjust(s, shape[dim], &start, &step, &n, err);
    if (st != BV_OK)
        return st;
    v->buf = bv_ptr_add(v->buf, bv_wrap_mul(strides[dim], start));
    shape[dim] = n;
    strides[dim] = bv_wrap_mul(strides[dim], step);
    return BV_OK;
}

/* Everything but the common case: checks with their messages, N-D and spilled views. */
static bv_status __attribute__((noinline))
slice_general(bv_view *out, bool out_is_null, const bv_view *v, bv_slice s, bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (out_is_null)
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (s.has_step && s.step == 0)
        return bv_error_set(err, BV_VALUE_ERROR, "slice step cannot be zero");
    bv_view tmp;
    if (view_derive(&tmp, v, err) != BV_OK)
        return BV_MEMORY_ERROR;
    (void)slice_dim(&tmp, 0, s, NULL);
    tmp.len = nbytes_of(tmp.ndim, shape_of(&tmp), tmp.itemsize);
    refresh_flags(&tmp);
    *out = tmp;
    return BV_OK;
}

/* PySlice_AdjustIndices for step 1, without its division. */
static inline ptrdiff_t clamp_index(ptrdiff_t i, ptrdiff_t len)
{
    if (i < 0) {
        i += len;
        return i < 0 ? 0 : i;
    }
    return i > len ? len : i;
}

bv_status bv_view_slice_fields(bv_view *out, const bv_view *v, ptrdiff_t start_in,
                               ptrdiff_t stop_in, ptrdiff_t step_in, unsigned has_mask,
                               bv_error *err)
{
    const bv_slice s = {start_in, stop_in, step_in, (has_mask & BV_SLICE_HAS_START) != 0,
                        (has_mask & BV_SLICE_HAS_STOP) != 0, (has_mask & BV_SLICE_HAS_STEP) != 0};
    /* The hot path of every copy-vs-view comparison: one dimension, no spill, a valid
     * step. It writes only the fields a 1-D view reads (the embedded exporter is stamped
     * by bv_view_exporter when needed) and bumps one count: no call, no allocation. */
    if (__builtin_expect(v == NULL || out == NULL || !(v->flags & BV_VIEW_SIMPLE1D) ||
                             v->mbuf == NULL || (s.has_step && s.step == 0),
                         0)) {
        /* The slow path fills a view of its own, copied out on success: had it been given
         * `out`, the caller's view would count as escaped, and the compiler would have to
         * keep every store of the fast path in memory and could not cancel the count
         * bump against a release inlined after it. */
        bv_view tmp;
        bv_status st = slice_general(&tmp, out == NULL, v, s, err);
        if (st == BV_OK)
            *out = tmp;
        return st;
    }
    const ptrdiff_t len = v->shape_inline[0];
    ptrdiff_t start, step, n;
    if (!s.has_step || s.step == 1) {
        start = s.has_start ? clamp_index(s.start, len) : 0;
        ptrdiff_t stop = s.has_stop ? clamp_index(s.stop, len) : len;
        step = 1;
        n = stop > start ? stop - start : 0;
    } else {
        (void)slice_adjust(s, len, &start, &step, &n, NULL);
    }
    const ptrdiff_t stride = v->strides_inline[0], itemsize = v->itemsize;
    const ptrdiff_t new_stride = bv_wrap_mul(stride, step);
    bv_managed *m = v->mbuf;
    out->mbuf = m;
    out->buf = bv_ptr_add(v->buf, bv_wrap_mul(stride, start));
    out->len = bv_wrap_mul(n, itemsize);
    out->itemsize = itemsize;
    out->format = v->format;
    out->ndim = 1;
    out->flags = (v->flags & BV_VIEW_READONLY) | BV_VIEW_SIMPLE1D |
                 ((n == 1 || new_stride == itemsize) ? (BV_VIEW_C | BV_VIEW_FORTRAN) : 0u);
    out->exports = 0;
    out->shape_inline[0] = n;
    out->strides_inline[0] = new_stride;
    m->views++;
    return BV_OK;
}

bv_status bv_view_slice_nd(bv_view *out, const bv_view *v, const bv_slice *slices, size_t n,
                           bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (out == NULL || (slices == NULL && n > 0))
        return bv_error_set(err, BV_TYPE_ERROR, "view and slices must not be NULL");
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (n > (size_t)v->ndim)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot index %d-dimension view with %zu-element tuple",
                            v->ndim, n);
    for (size_t d = 0; d < n; d++)
        if (slices[d].has_step && slices[d].step == 0)
            return bv_error_set(err, BV_VALUE_ERROR, "slice step cannot be zero");
    bv_view tmp;
    if (view_derive(&tmp, v, err) != BV_OK)
        return BV_MEMORY_ERROR;
    for (size_t d = 0; d < n; d++)
        (void)slice_dim(&tmp, (int)d, slices[d], NULL);
    tmp.len = nbytes_of(tmp.ndim, shape_of(&tmp), tmp.itemsize);
    refresh_flags(&tmp);
    *out = tmp;
    return BV_OK;
}

static const char *strip_at(const char *f)
{
    return f[0] == '@' ? f + 1 : f;
}

/* copy_single(): equal structure, then a copy that tolerates overlap. */
static bv_status assign_into(const bv_view *dest, bv_exporter *src_obj, bv_error *err)
{
    bv_buffer src;
    bv_status st = bv_buffer_get(src_obj, &src, BV_BUF_FULL_RO, err);
    if (st != BV_OK)
        return st;
    const char *sfmt = src.format != NULL ? src.format : "B";
    ptrdiff_t sshape1 = src.itemsize > 0 ? src.len / src.itemsize : 0;
    const ptrdiff_t *sshape = src.shape != NULL ? src.shape : &sshape1;
    ptrdiff_t sstride1 = src.itemsize;
    const ptrdiff_t *sstrides = src.strides != NULL ? src.strides : &sstride1;
    bool same = strcmp(strip_at(dest->format), strip_at(sfmt)) == 0 &&
                dest->itemsize == src.itemsize && dest->ndim == src.ndim;
    const ptrdiff_t *dshape = cshape(dest);
    for (int i = 0; same && i < dest->ndim; i++) {
        if (dshape[i] != sshape[i])
            same = false;
        else if (dshape[i] == 0)
            break;
    }
    if (!same) {
        bv_buffer_release(&src);
        return bv_error_set(err, BV_VALUE_ERROR,
                            "memoryview assignment: lvalue and rvalue have different structures");
    }
    if (src.suboffsets != NULL) {
        bv_buffer_release(&src);
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "suboffsets are not supported");
    }
    ptrdiff_t nbytes = dest->len;
    /* Overlap is judged on the address ranges the two layouts touch. */
    bool contiguous_both = (dest->flags & BV_VIEW_C) &&
                           bv_layout_is_c_contiguous(src.ndim, sshape, sstrides, src.itemsize);
    if (nbytes > 0) {
        if (contiguous_both) {
            memmove(dest->buf, src.buf, (size_t)nbytes);
        } else {
            /* A temporary contiguous copy makes any overlap harmless (CPython does the
             * same); it is the only allocation on this path. */
            char *tmp = bv_malloc((size_t)nbytes);
            if (tmp == NULL) {
                bv_buffer_release(&src);
                return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
            }
            ptrdiff_t cst[BV_MAXDIM];
            bv_buffer_fill_contiguous_strides(dest->ndim, dshape, cst, dest->itemsize, 'C');
            bv_layout_copy(tmp, cst, src.buf, sstrides, dest->ndim, dshape, dest->itemsize);
            bv_layout_copy(dest->buf, cstrides(dest), tmp, cst, dest->ndim, dshape,
                           dest->itemsize);
            bv_free(tmp);
        }
    }
    bv_buffer_release(&src);
    return BV_OK;
}


bv_status bv_view_assign_slice(bv_view *v, bv_slice s, bv_exporter *src, bv_error *err)
{
    char c;
    bv_status st = writable_item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (v->ndim != 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                            "memoryview slice assignments are currently restricted to ndim = 1");
    /* CPython takes the rvalue's buffer before looking at the slice. */
    bv_buffer probe;
    st = bv_buffer_get(src, &probe, BV_BUF_FULL_RO, err);
    if (st != BV_OK)
        return st;
    bv_buffer_release(&probe);
    bv_view dest = *v;
    dest.spill = NULL;
    st = slice_dim(&dest, 0, s, err);
    if (st != BV_OK)
        return st;
    dest.len = nbytes_of(1, dest.shape_inline, dest.itemsize);
    refresh_flags(&dest);
    return assign_into(&dest, src, err);
}

bv_status bv_view_assign_slice_nd(bv_view *v, const bv_slice *slices, size_t n,
                                  bv_exporter *src, bv_error *err)
{
    char c;
    bv_status st = writable_item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    /* The same order as the 1-D assignment: the lvalue's shape, the rvalue's buffer,
     * then the slices. */
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    bv_buffer probe;
    st = bv_buffer_get(src, &probe, BV_BUF_FULL_RO, err);
    if (st != BV_OK)
        return st;
    bv_buffer_release(&probe);
    bv_view dest;
    st = bv_view_slice_nd(&dest, v, slices, n, err);
    if (st != BV_OK)
        return st;
    st = assign_into(&dest, src, err);
    bv_view_release(&dest, NULL);
    return st;
}

/* ---- methods ------------------------------------------------------------------------- */

static bv_status parse_order(char order, char *out, bv_error *err)
{
    if (order == 0)
        order = 'C';
    if (order != 'C' && order != 'F' && order != 'A')
        return bv_error_set(err, BV_VALUE_ERROR, "order must be 'C', 'F' or 'A'");
    *out = order;
    return BV_OK;
}

static void copy_out(const bv_view *v, char order, char *dst)
{
    if (v->len == 0)
        return;
    if (order == 'A')
        order = (v->flags & BV_VIEW_FORTRAN) && !(v->flags & BV_VIEW_C) ? 'F' : 'C';
    if ((order == 'C' && (v->flags & BV_VIEW_C)) || (order == 'F' && (v->flags & BV_VIEW_FORTRAN))) {
        memcpy(dst, v->buf, (size_t)v->len);
        return;
    }
    ptrdiff_t cst[BV_MAXDIM];
    bv_buffer_fill_contiguous_strides(v->ndim, cshape(v), cst, v->itemsize, order);
    bv_layout_copy(dst, cst, v->buf, cstrides(v), v->ndim, cshape(v), v->itemsize);
}

bv_status bv_view_tobytes_into(const bv_view *v, char order, void *dst, size_t cap, bv_error *err)
{
    CHECK_RELEASED(v, err);
    char o;
    bv_status st = parse_order(order, &o, err);
    if (st != BV_OK)
        return st;
    if (dst == NULL && v->len > 0)
        return bv_error_set(err, BV_TYPE_ERROR, "destination must not be NULL");
    if (cap < (size_t)v->len)
        return bv_error_set(err, BV_VALUE_ERROR, "destination holds %zu bytes, the view %td",
                            cap, v->len);
    copy_out(v, o, dst);
    return BV_OK;
}

bv_status bv_view_tobytes(const bv_view *v, char order, bv_bytes **out, bv_error *err)
{
    CHECK_RELEASED(v, err);
    char o;
    bv_status st = parse_order(order, &o, err);
    if (st != BV_OK)
        return st;
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "out must not be NULL");
    if (v->flags & (o == 'F' ? BV_VIEW_FORTRAN : BV_VIEW_C) || v->len == 0 ||
        (o == 'A' && (v->flags & (BV_VIEW_C | BV_VIEW_FORTRAN))))
        return bv_bytes_new(out, v->buf, (size_t)v->len, err);
    char *tmp = bv_malloc((size_t)v->len);
    if (tmp == NULL)
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    copy_out(v, o, tmp);
    st = bv_bytes_new(out, tmp, (size_t)v->len, err);
    bv_free(tmp);
    return st;
}

void bv_list_free(bv_list *list)
{
    if (list == NULL)
        return;
    bv_free(list->shape);
    bv_free(list->items);
    memset(list, 0, sizeof *list);
}

/* Visit every item in C order; stops at the first failing callback. */
typedef bv_status (*item_fn)(const char *p, void *ctx, bv_error *err);

static bv_status for_each_item(const bv_view *v, item_fn fn, void *ctx, bv_error *err)
{
    const ptrdiff_t *shape = cshape(v), *strides = cstrides(v);
    if (v->ndim == 0)
        return fn(v->buf, ctx, err);
    for (int i = 0; i < v->ndim; i++)
        if (shape[i] == 0)
            return BV_OK;
    ptrdiff_t index[BV_MAXDIM];
    memset(index, 0, sizeof(ptrdiff_t) * (size_t)v->ndim);
    const int last = v->ndim - 1;
    const char *row = v->buf;
    for (;;) {
        const char *p = row;
        for (ptrdiff_t i = 0; i < shape[last]; i++, p = bv_ptr_add((char *)p, strides[last])) {
            bv_status st = fn(p, ctx, err);
            if (st != BV_OK)
                return st;
        }
        int d = last - 1;
        while (d >= 0) {
            index[d]++;
            row = bv_ptr_add((char *)row, strides[d]);
            if (index[d] < shape[d])
                break;
            row = bv_ptr_add((char *)row, bv_wrap_mul(strides[d], -shape[d]));
            index[d] = 0;
            d--;
        }
        if (d < 0)
            return BV_OK;
    }
}

struct collect_ctx {
    char fmt;
    bv_value *items;
    ptrdiff_t n;
};

static bv_status collect_item(const char *p, void *vctx, bv_error *err)
{
    struct collect_ctx *c = vctx;
    return bv_format_unpack(c->fmt, p, &c->items[c->n++], err);
}

bv_status bv_view_tolist(const bv_view *v, bv_list *out, bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "out must not be NULL");
    char c;
    bv_status st = item_format(v, &c, err);
    if (st != BV_OK)
        return st;
    ptrdiff_t count = 1;
    for (int i = 0; i < v->ndim; i++)
        count *= cshape(v)[i];
    if ((size_t)count > SIZE_MAX / sizeof(bv_value))
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    bv_list list = {v->ndim, NULL, count, NULL};
    list.shape = bv_malloc(sizeof(ptrdiff_t) * (size_t)(v->ndim > 0 ? v->ndim : 1));
    list.items = bv_malloc(sizeof(bv_value) * (size_t)(count > 0 ? count : 1));
    if (list.shape == NULL || list.items == NULL) {
        bv_list_free(&list);
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    }
    if (v->ndim > 0)
        memcpy(list.shape, cshape(v), sizeof(ptrdiff_t) * (size_t)v->ndim);
    struct collect_ctx ctx = {c, list.items, 0};
    st = for_each_item(v, collect_item, &ctx, err);
    if (st != BV_OK) {
        bv_list_free(&list);
        return st;
    }
    *out = list;
    return BV_OK;
}

bv_status bv_view_toreadonly(bv_view *out, const bv_view *v, bv_error *err)
{
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    CHECK_RELEASED(v, err);
    bv_view tmp;
    if (view_derive(&tmp, v, err) != BV_OK)
        return BV_MEMORY_ERROR;
    tmp.flags |= BV_VIEW_READONLY;
    *out = tmp;
    return BV_OK;
}

static bool is_byte_format(char c)
{
    return c == 'B' || c == 'b' || c == 'c';
}

/* get_native_fmtchar(): the character of "X" or "@X" when X is a native format. */
static char native_char(const char *format)
{
    char c = bv_format_char(format);
    return (c != 0 && bv_format_itemsize(c) > 0) ? c : 0;
}

/* get_native_fmtstr(): a format string that outlives every view (the caller's does not). */
static const char *static_format(const char *format)
{
    static const char chars[] = "cbBhHiIlLqQnNfde?P";
    static const char plain[][2] = {"c", "b", "B", "h", "H", "i", "I", "l", "L",
                                    "q", "Q", "n", "N", "f", "d", "e", "?", "P"};
    static const char at[][3] = {"@c", "@b", "@B", "@h", "@H", "@i", "@I", "@l", "@L",
                                 "@q", "@Q", "@n", "@N", "@f", "@d", "@e", "@?", "@P"};
    char c = native_char(format);
    const char *hit = c != 0 ? strchr(chars, c) : NULL;
    if (hit == NULL)
        return NULL;
    size_t i = (size_t)(hit - chars);
    return format[0] == '@' ? at[i] : plain[i];
}

static bv_status cast_impl(bv_view *out, const bv_view *v, const char *format,
                           const ptrdiff_t *shape, ptrdiff_t ndim, bool has_shape, bv_error *err)
{
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    /* Python parses cast()'s arguments before it looks at the view, so a missing format
     * is a TypeError even on a released view. */
    if (format == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "cast() argument 'format' must be str, not None");
    CHECK_RELEASED(v, err);
    if (!(v->flags & BV_VIEW_C))
        return bv_error_set(err, BV_TYPE_ERROR, "memoryview: casts are restricted to C-contiguous views");
    if (has_shape || v->ndim != 1) {
        for (int i = 0; i < v->ndim; i++)
            if (cshape(v)[i] == 0)
                return bv_error_set(err, BV_TYPE_ERROR,
                                    "memoryview: cannot cast view with zeros in shape or strides");
    }
    if (has_shape) {
        if (ndim < 0 || (ndim > 0 && shape == NULL))
            return bv_error_set(err, BV_TYPE_ERROR, "shape must be a list or a tuple");
        if (ndim > BV_MAXDIM)
            return bv_error_set(err, BV_VALUE_ERROR,
                                "memoryview: number of dimensions must not exceed 64");
        if (v->ndim != 1 && ndim != 1)
            return bv_error_set(err, BV_TYPE_ERROR, "memoryview: cast must be 1D -> ND or ND -> 1D");
    }
    /* cast_to_1D() */
    char dest = native_char(format);
    if (dest == 0)
        return bv_error_set(err, BV_VALUE_ERROR,
                            "memoryview: destination format must be a native single character "
                            "format prefixed with an optional '@'");
    char src = native_char(v->format);
    if ((src == 0 || !is_byte_format(src)) && !is_byte_format(dest))
        return bv_error_set(err, BV_TYPE_ERROR, "memoryview: cannot cast between two non-byte formats");
    ptrdiff_t itemsize = bv_format_itemsize(dest);
    if (v->len % itemsize != 0)
        return bv_error_set(err, BV_TYPE_ERROR, "memoryview: length is not a multiple of itemsize");
    int out_ndim = has_shape ? (int)ndim : 1;
    /* cast_to_ND(): copy_shape() */
    ptrdiff_t len = itemsize;
    if (has_shape && out_ndim > 0) {
        for (int i = 0; i < out_ndim; i++) {
            if (shape[i] <= 0)
                return bv_error_set(err, BV_VALUE_ERROR,
                                    "memoryview.cast(): elements of shape must be integers > 0");
            if (shape[i] > PTRDIFF_MAX / len)
                return bv_error_set(err, BV_VALUE_ERROR,
                                    "memoryview.cast(): product(shape) > SSIZE_MAX");
            len *= shape[i];
        }
        if (len != v->len)
            return bv_error_set(err, BV_TYPE_ERROR,
                                "memoryview: product(shape) * itemsize != buffer size");
    } else if (has_shape && out_ndim == 0 && v->len != itemsize) {
        return bv_error_set(err, BV_TYPE_ERROR,
                            "memoryview: product(shape) * itemsize != buffer size");
    }
    bv_view tmp = *v;
    tmp.spill = NULL;
    if (view_init_dims(&tmp, out_ndim, err) != BV_OK)
        return BV_MEMORY_ERROR;
    tmp.format = static_format(format);
    tmp.itemsize = itemsize;
    ptrdiff_t *tshape = shape_of(&tmp), *tstrides = strides_of(&tmp);
    if (has_shape) {
        for (int i = 0; i < out_ndim; i++)
            tshape[i] = shape[i];
    } else {
        tshape[0] = v->len / itemsize;
    }
    bv_buffer_fill_contiguous_strides(out_ndim, tshape, tstrides, itemsize, 'C');
    tmp.len = v->len;
    refresh_flags(&tmp);
    view_register(&tmp, v->mbuf);
    *out = tmp;
    return BV_OK;
}

bv_status bv_view_cast(bv_view *out, const bv_view *v, const char *format, bv_error *err)
{
    return cast_impl(out, v, format, NULL, 1, false, err);
}

bv_status bv_view_cast_shape(bv_view *out, const bv_view *v, const char *format,
                             const ptrdiff_t *shape, ptrdiff_t ndim, bv_error *err)
{
    return cast_impl(out, v, format, shape, ndim, true, err);
}

bv_status bv_view_hex(const bv_view *v, const char *sep, ptrdiff_t bytes_per_sep, char **out,
                      bv_error *err)
{
    CHECK_RELEASED(v, err);
    if (out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "out must not be NULL");
    char sepc = 0;
    if (sep != NULL) {
        size_t chars = 0;
        for (const unsigned char *s = (const unsigned char *)sep; *s; s++)
            if ((*s & 0xC0) != 0x80)
                chars++;
        if (chars != 1)
            return bv_error_set(err, BV_VALUE_ERROR, "sep must be length 1.");
        if ((unsigned char)sep[0] >= 0x80)
            return bv_error_set(err, BV_VALUE_ERROR, "sep must be ASCII.");
        sepc = sep[0];
    }
    size_t n = (size_t)v->len;
    size_t group = 0;
    if (sepc != 0 && bytes_per_sep != 0)
        group = bytes_per_sep < 0 ? (size_t)(-(bytes_per_sep + 1)) + 1 : (size_t)bytes_per_sep;
    size_t seps = (group != 0 && n > 0) ? (n - 1) / group : 0;
    if (n > (SIZE_MAX - 1 - seps) / 2)
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    char *text = bv_malloc(2 * n + seps + 1);
    if (text == NULL)
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    unsigned char *bytes = NULL;
    const unsigned char *src = (const unsigned char *)v->buf;
    if (!(v->flags & BV_VIEW_C) && n > 0) {
        /* memory_hex(): non-contiguous views are read in C order through a copy. */
        bytes = bv_malloc(n);
        if (bytes == NULL) {
            bv_free(text);
            return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
        }
        copy_out(v, 'C', (char *)bytes);
        src = bytes;
    }
    static const char digits[] = "0123456789abcdef";
    char *p = text;
    for (size_t i = 0; i < n; i++) {
        *p++ = digits[src[i] >> 4];
        *p++ = digits[src[i] & 0xF];
        if (group != 0 && i + 1 < n) {
            bool boundary = bytes_per_sep > 0 ? (n - 1 - i) % group == 0 : (i + 1) % group == 0;
            if (boundary)
                *p++ = sepc;
        }
    }
    *p = '\0';
    bv_free(bytes);
    *out = text;
    return BV_OK;
}

/* memoryview.index (CPython 3.14) has its own messages; count() iterates the view, so it
 * raises what iter(mv) raises. */
static bv_status lookup_prelude(const bv_view *v, bool for_index, char *c, bv_error *err)
{
    if (v == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "view must not be NULL");
    if (for_index)
        CHECK_RELEASED(v, err);
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, for_index ? "invalid lookup on 0-dim memory"
                                                          : "invalid indexing of 0-dim memory");
    if (v->ndim != 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                            for_index ? "multi-dimensional lookup is not implemented"
                                      : "multi-dimensional sub-views are not implemented");
    CHECK_RELEASED(v, err);
    return item_format(v, c, err);
}

bv_status bv_view_count(const bv_view *v, bv_value value, ptrdiff_t *out, bv_error *err)
{
    char c;
    bv_status st = lookup_prelude(v, false, &c, err);
    if (st != BV_OK)
        return st;
    ptrdiff_t n = v->shape_inline[0], stride = v->strides_inline[0], count = 0;
    const char *p = v->buf;
    for (ptrdiff_t i = 0; i < n; i++, p = bv_ptr_add((char *)p, stride)) {
        bv_value item;
        st = bv_format_unpack(c, p, &item, err);
        if (st != BV_OK)
            return st;
        count += bv_value_equal(item, value);
    }
    if (out != NULL)
        *out = count;
    return BV_OK;
}

bv_status bv_view_index(const bv_view *v, bv_value value, ptrdiff_t start, ptrdiff_t stop,
                        ptrdiff_t *out, bv_error *err)
{
    char c;
    bv_status st = lookup_prelude(v, true, &c, err);
    if (st != BV_OK)
        return st;
    ptrdiff_t n = v->shape_inline[0], stride = v->strides_inline[0];
    bv_slice s = bv_slice_range(start, stop);
    ptrdiff_t first = 0, step = 1, length = 0;
    (void)bv_slice_adjust(s, n, &first, &step, &length, NULL);
    for (ptrdiff_t i = first; i < first + length; i++) {
        bv_value item;
        st = bv_format_unpack(c, bv_ptr_add(v->buf, stride * i), &item, err);
        if (st != BV_OK)
            return st;
        if (bv_value_equal(item, value)) {
            if (out != NULL)
                *out = i;
            return BV_OK;
        }
    }
    return bv_error_set(err, BV_VALUE_ERROR, "memoryview.index(x): x not found");
}

/* ---- equality and hashing ------------------------------------------------------------ */

struct cmp_side {
    const char *buf;
    const ptrdiff_t *strides;
    const char *format;
    ptrdiff_t itemsize;
};

/* unpack_cmp(): identical native formats compare with C ==; otherwise unpacked values. */
static bool items_equal(const char *a, const char *b, char fa, char fb, const struct cmp_side *sa)
{
    if (fa == 0 || fb == 0)   /* both the same non-native format: raw item bytes */
        return memcmp(a, b, (size_t)sa->itemsize) == 0;
    bv_value va, vb;
    if (bv_format_unpack(fa, a, &va, NULL) != BV_OK || bv_format_unpack(fb, b, &vb, NULL) != BV_OK)
        return false;
    return bv_value_equal(va, vb);
}

static bool cmp_rec(const char *a, const char *b, int dim, int ndim, const ptrdiff_t *shape,
                    const struct cmp_side *sa, const struct cmp_side *sb, char fa, char fb)
{
    if (ndim == 0)
        return items_equal(a, b, fa, fb, sa);
    for (ptrdiff_t i = 0; i < shape[dim]; i++) {
        const char *pa = bv_ptr_add((char *)a, sa->strides[dim] * i);
        const char *pb = bv_ptr_add((char *)b, sb->strides[dim] * i);
        bool eq = dim == ndim - 1 ? items_equal(pa, pb, fa, fb, sa)
                                  : cmp_rec(pa, pb, dim + 1, ndim, shape, sa, sb, fa, fb);
        if (!eq)
            return false;
    }
    return true;
}

static bool compare_layouts(const bv_view *a, const bv_buffer *b)
{
    const ptrdiff_t *ashape = cshape(a);
    ptrdiff_t bshape1 = b->itemsize > 0 ? b->len / b->itemsize : 0, bstride1 = b->itemsize;
    const ptrdiff_t *bshape = b->shape != NULL ? b->shape : &bshape1;
    const ptrdiff_t *bstrides = b->strides != NULL ? b->strides : &bstride1;
    /* equiv_shape() */
    if (a->ndim != b->ndim)
        return false;
    for (int i = 0; i < a->ndim; i++) {
        if (ashape[i] != bshape[i])
            return false;
        if (ashape[i] == 0)
            break;
    }
    const char *bformat = b->format != NULL ? b->format : "B";
    char fa = native_char(a->format), fb = native_char(bformat);
    if (fa == 0 || fb == 0) {
        /* CPython hands these to the struct module; bufview only compares identical
         * non-native formats, item by item, and calls anything else unequal. */
        if (strcmp(a->format, bformat) != 0 || a->itemsize != b->itemsize)
            return false;
        fa = fb = 0;
    }
    struct cmp_side sa = {a->buf, cstrides(a), a->format, a->itemsize};
    struct cmp_side sb = {b->buf, bstrides, bformat, b->itemsize};
    if (a->ndim == 0)
        return items_equal(a->buf, b->buf, fa, fb, &sa);
    for (int i = 0; i < a->ndim; i++)
        if (ashape[i] == 0)
            return true;
    return cmp_rec(a->buf, b->buf, 0, a->ndim, ashape, &sa, &sb, fa, fb);
}

bv_status bv_view_equal(const bv_view *a, const bv_view *b, bool *out, bv_error *err)
{
    if (a == NULL || b == NULL || out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "arguments must not be NULL");
    if (a->mbuf == NULL || b->mbuf == NULL) {
        *out = a == b;
        return BV_OK;
    }
    bv_buffer bb;
    memset(&bb, 0, sizeof bb);
    bb.buf = b->buf;
    bb.len = b->len;
    bb.itemsize = b->itemsize;
    bb.ndim = b->ndim;
    bb.format = b->format;
    bb.shape = (ptrdiff_t *)cshape(b);
    bb.strides = (ptrdiff_t *)cstrides(b);
    *out = compare_layouts(a, &bb);
    return BV_OK;
}

bv_status bv_view_equal_exporter(const bv_view *a, bv_exporter *obj, bool *out, bv_error *err)
{
    if (a == NULL || out == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "arguments must not be NULL");
    if (obj != NULL && obj->type == &view_exporter_type)
        return bv_view_equal(a, view_of_exporter(obj), out, err);
    if (a->mbuf == NULL) {
        *out = false;
        return BV_OK;
    }
    bv_buffer b;
    if (bv_buffer_get(obj, &b, BV_BUF_FULL_RO, NULL) != BV_OK) {
        *out = false;   /* NotImplemented: == falls back to identity */
        return BV_OK;
    }
    *out = compare_layouts(a, &b);
    bv_buffer_release(&b);
    return BV_OK;
}

/* SipHash-1-3 (CPython's bytes hash since 3.11) with a fixed key. */
static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3)                   \
    do {                                           \
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;     \
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;     \
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
    } while (0)

uint64_t bv_hash_bytes(const void *data, size_t len)
{
    const uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    const unsigned char *p = data;
    size_t blocks = len / 8;
    for (size_t i = 0; i < blocks; i++, p += 8) {
        uint64_t m = 0;
        for (int j = 0; j < 8; j++)
            m |= (uint64_t)p[j] << (8 * j);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t j = 0; j < len % 8; j++)
        b |= (uint64_t)p[j] << (8 * j);
    v3 ^= b;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

bv_status bv_view_hash(bv_view *v, uint64_t *out, bv_error *err)
{
    if (v != NULL && (v->flags & BV_VIEW_HASHED)) {
        if (out != NULL)
            *out = v->hash_value;
        return BV_OK;
    }
    CHECK_RELEASED(v, err);
    if (!(v->flags & BV_VIEW_READONLY))
        return bv_error_set(err, BV_VALUE_ERROR, "cannot hash writable memoryview object");
    char c = native_char(v->format);
    if (c == 0 || !is_byte_format(c))
        return bv_error_set(err, BV_VALUE_ERROR,
                            "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    const bv_exporter *obj = v->mbuf->master.obj;
    if (obj != NULL && obj->type != NULL && obj->type->unhashable)
        return bv_error_set(err, BV_TYPE_ERROR, "unhashable type: '%s'", bv_exporter_type_name(obj));
    uint64_t h;
    if (v->flags & BV_VIEW_C) {
        h = bv_hash_bytes(v->buf, (size_t)v->len);
    } else {
        char *tmp = bv_malloc((size_t)v->len);
        if (tmp == NULL)
            return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
        copy_out(v, 'C', tmp);
        h = bv_hash_bytes(tmp, (size_t)v->len);
        bv_free(tmp);
    }
    v->hash_value = h;
    v->flags |= BV_VIEW_HASHED;
    if (out != NULL)
        *out = h;
    return BV_OK;
}
