/*
 * view_compare.c: what compares a view's items with something else: ==, count/index and
 * hash (CPython's memory_richcompare, memoryview.count/index of 3.14, memory_hash).
 */
#include <string.h>

#include "bufview/memory.h"
#include "layout.h"
#include "view_private.h"

/* ---- equality ------------------------------------------------------------------------ */

static void array_of_view(bvi_array *a, const bv_view *v)
{
    a->buf = v->buf;
    a->ndim = v->ndim;
    a->shape = bvi_view_cshape(v);
    a->strides = bvi_view_cstrides(v);
    a->itemsize = v->itemsize;
    a->format = v->format;
}

/* How items are compared: by value through two native format characters, or (both 0)
 * through the struct module's values of their two formats. */
struct cmp_ctx {
    char fa, fb;
    const char *format_a, *format_b;
};

/* unpack_cmp(): native characters are unpacked as memoryview unpacks them (CPython's C
 * == for identical characters gives the same answers, NaN included); any other format
 * goes through struct's unpacking, as CPython's does. */
static bool items_equal(const char *a, const char *b, const struct cmp_ctx *c)
{
    if (c->fa == 0)
        return bvi_struct_items_equal(c->format_a, a, c->format_b, b);
    bv_value va, vb;
    if (bv_format_unpack(c->fa, a, &va, NULL) != BV_OK ||
        bv_format_unpack(c->fb, b, &vb, NULL) != BV_OK)
        return false;
    return bv_value_equal(va, vb);
}

/* One row of the comparison: non-zero (stop) at the first unequal pair. */
static int compare_row(char *a, ptrdiff_t astride, const char *b, ptrdiff_t bstride,
                       ptrdiff_t n, void *ctx)
{
    for (ptrdiff_t i = 0; i < n; i++) {
        if (!items_equal(bvi_cptr_add(a, astride * i), bvi_cptr_add(b, bstride * i), ctx))
            return 1;
    }
    return 0;
}

/* memory_richcompare() on two live descriptions. */
static bool arrays_equal(const bvi_array *a, const bvi_array *b)
{
    /* equiv_shape() */
    if (a->ndim != b->ndim)
        return false;
    for (int i = 0; i < a->ndim; i++) {
        if (a->shape[i] != b->shape[i])
            return false;
        if (a->shape[i] == 0)
            break;
    }
    struct cmp_ctx c = {bv_format_char(a->format), bv_format_char(b->format), a->format,
                        b->format};
    if (c.fa == 0 || c.fb == 0) {
        /* struct_get_unpacker() for each side: a format struct refuses makes the views
         * unequal, even when they hold no items. A format larger than its items (only a
         * lying exporter gives one) makes CPython's unpack_from raise struct.error;
         * bufview's ==, which never fails, calls such views unequal. */
        if (!bvi_struct_fits(a->format, a->itemsize) || !bvi_struct_fits(b->format, b->itemsize))
            return false;
        c.fa = c.fb = 0;
    }
    return bvi_layout_walk(a->ndim, a->shape, a->buf, a->strides, b->buf, b->strides,
                           compare_row, &c) == 0;
}

bv_status bv_view_equal(const bv_view *a, const bv_view *b, bool *out, bv_error *err)
{
    BVI_REQUIRE_NONNULL(a, err);
    BVI_REQUIRE_NONNULL(b, err);
    BVI_REQUIRE_NONNULL(out, err);
    if (a->mbuf == NULL || b->mbuf == NULL) {
        *out = a == b;
        return BV_OK;
    }
    bvi_array aa, bb;
    array_of_view(&aa, a);
    array_of_view(&bb, b);
    *out = arrays_equal(&aa, &bb);
    return BV_OK;
}

bv_status bv_view_equal_exporter(const bv_view *a, bv_exporter *obj, bool *out, bv_error *err)
{
    BVI_REQUIRE_NONNULL(a, err);
    BVI_REQUIRE_NONNULL(out, err);
    const bv_view *b = bvi_view_of_exporter(obj);
    if (b != NULL)
        return bv_view_equal(a, b, out, err);
    if (a->mbuf == NULL) {
        *out = false;
        return BV_OK;
    }
    bv_buffer buf;
    if (bv_buffer_get(obj, &buf, BV_BUF_FULL_RO, NULL) != BV_OK) {
        *out = false;   /* NotImplemented: == falls back to identity */
        return BV_OK;
    }
    bvi_array aa, bb;
    array_of_view(&aa, a);
    bvi_array_of_buffer(&bb, &buf);
    *out = arrays_equal(&aa, &bb);
    bv_buffer_release(&buf);
    return BV_OK;
}

/* ---- count and index ----------------------------------------------------------------- */

/* memoryview.index (CPython 3.14) has its own messages; count() iterates the view, so it
 * raises what iter(mv) raises, and checks the dimensions before the release. iter(mv)
 * checks the format at once; index() only when it reads an item (memory_item), so an
 * empty range finds nothing whatever the format: `item` is NULL for index(), whose
 * caller checks the format itself. Beyond CPython, byte-order formats ("<i") are searched
 * too (bvi_item_parse). */
static bv_status lookup_prelude(const bv_view *v, bool for_index, bvi_item *item, bv_error *err)
{
    if (for_index && v->mbuf == NULL)
        return bvi_view_error_released(err);
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, for_index ? "invalid lookup on 0-dim memory"
                                                          : "invalid indexing of 0-dim memory");
    if (v->ndim != 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                            for_index ? "multi-dimensional lookup is not implemented"
                                      : "multi-dimensional sub-views are not implemented");
    if (v->mbuf == NULL)
        return bvi_view_error_released(err);
    return item != NULL ? bvi_item_parse(v->format, item, err) : BV_OK;
}

/* Items [first, first + n) of a 1-D view: the first equal to value (its index in *found),
 * and how many are equal. Stops at the first when `first_only`. */
static void scan(const bv_view *v, const bvi_item *it, bv_value value, ptrdiff_t first,
                 ptrdiff_t n, bool first_only, ptrdiff_t *found, ptrdiff_t *count)
{
    const ptrdiff_t stride = v->strides_inline[0];
    *found = -1;
    *count = 0;
    for (ptrdiff_t i = first; i < first + n; i++) {
        bv_value item;
        bvi_item_unpack(it, bvi_ptr_add(v->buf, bvi_wrap_mul(stride, i)), &item);
        if (bv_value_equal(item, value)) {
            if (*found < 0)
                *found = i;
            ++*count;
            if (first_only)
                break;
        }
    }
}

bv_status bv_view_count(const bv_view *v, bv_value value, ptrdiff_t *out, bv_error *err)
{
    BVI_REQUIRE_NONNULL(v, err);
    bvi_item it;
    bv_status st = lookup_prelude(v, false, &it, err);
    if (st != BV_OK)
        return st;
    ptrdiff_t found, count;
    scan(v, &it, value, 0, v->shape_inline[0], false, &found, &count);
    if (out != NULL)
        *out = count;
    return BV_OK;
}

bv_status bv_view_index(const bv_view *v, bv_value value, ptrdiff_t start, ptrdiff_t stop,
                        ptrdiff_t *out, bv_error *err)
{
    BVI_REQUIRE_NONNULL(v, err);
    bv_status st = lookup_prelude(v, true, NULL, err);
    if (st != BV_OK)
        return st;
    ptrdiff_t first = 0, length = 0, found = -1, count;
    (void)bv_slice_adjust(bv_slice_range(start, stop), v->shape_inline[0], &first, NULL,
                          &length, NULL);
    if (length > 0) {
        bvi_item it;
        st = bvi_item_parse(v->format, &it, err);
        if (st != BV_OK)
            return st;
        scan(v, &it, value, first, length, true, &found, &count);
    }
    if (found < 0)
        return bv_error_set(err, BV_VALUE_ERROR, "memoryview.index(x): x not found");
    if (out != NULL)
        *out = found;
    return BV_OK;
}

/* ---- hashing ------------------------------------------------------------------------- */

bv_status bv_view_hash(bv_view *v, uint64_t *out, bv_error *err)
{
    BVI_REQUIRE_NONNULL(v, err);
    if (v->flags & BVI_VIEW_HASHED) {
        if (out != NULL)
            *out = v->hash_value;
        return BV_OK;
    }
    if (v->mbuf == NULL)
        return bvi_view_error_released(err);
    if (!(v->flags & BVI_VIEW_READONLY))
        return bv_error_set(err, BV_VALUE_ERROR, "cannot hash writable memoryview object");
    char c = bv_format_char(v->format);
    if (c != 'B' && c != 'b' && c != 'c')
        return bv_error_set(err, BV_VALUE_ERROR,
                            "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    /* CPython hashes the exporting object first (PyObject_Hash(view->obj)) and passes on
     * its TypeError: a read-only view of a mutable object is unhashable like the object. */
    const bv_exporter *obj = v->mbuf->master.obj;
    if (obj != NULL && obj->unhashable)
        return bv_error_set(err, BV_TYPE_ERROR, "unhashable type: '%s'", bv_exporter_type_name(obj));
    uint64_t h;
    if (v->flags & BVI_VIEW_C) {
        h = bv_hash_bytes(v->buf, (size_t)v->len);
    } else {
        char *tmp = bv_malloc((size_t)v->len);
        if (tmp == NULL)
            return bvi_error_nomem(err);
        bvi_view_copy_out(v, 'C', tmp);
        h = bv_hash_bytes(tmp, (size_t)v->len);
        bv_free(tmp);
    }
    v->hash_value = h;
    v->flags |= BVI_VIEW_HASHED;
    if (out != NULL)
        *out = h;
    return BV_OK;
}
