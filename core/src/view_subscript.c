/*
 * view_subscript.c: mv[key] and mv[key] = value: items, slices, NumPy-style subscripts
 * mixing integers, slices, an Ellipsis and newaxis, and assignment through them
 * (CPython's memory_subscript and memory_ass_sub, NumPy's mapping.c).
 *
 * Every sub-view is made by one function, apply_items: a tuple of slices (CPython's
 * checks first) and a NumPy subscript (NumPy's checks first) differ only in what they
 * refuse before it runs. The slice fast path lives here too, because it is the one call
 * on bufview's hot path: bvi_view_slice_fields is what the inline bv_view_slice compiles
 * to.
 */
#include <string.h>

#include "bufview/memory.h"
#include "layout.h"
#include "view_private.h"

/* ---- items --------------------------------------------------------------------------- */

/* lookup_dimension(): a negative index counts from the end of dimension dim. */
static bv_status lookup(const bv_view *v, char **ptr, int dim, ptrdiff_t index, bv_error *err)
{
    ptrdiff_t n = bvi_view_cshape(v)[dim];
    if (index < 0)
        index += n;
    if (index < 0 || index >= n)
        return bv_error_set(err, BV_INDEX_ERROR, "index out of bounds on dimension %d", dim + 1);
    *ptr = bvi_ptr_add(*ptr, bvi_view_cstrides(v)[dim] * index);
    return BV_OK;
}

/* memory_subscript()'s test for a tuple of ints, then ptr_from_tuple(): the address of
 * item [indices[0], ..., indices[n-1]]; fewer indices than dimensions would be a
 * sub-view. */
static bv_status item_pointer(const bv_view *v, const ptrdiff_t *indices, size_t n, char **ptr,
                              bv_error *err)
{
    if (n < (size_t)v->ndim)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    if (n > (size_t)v->ndim)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot index %d-dimension view with %zu-element tuple",
                            v->ndim, n);
    char *p = v->buf;
    for (size_t d = 0; d < n; d++) {
        bv_status st = lookup(v, &p, (int)d, indices[d], err);
        if (st != BV_OK)
            return st;
    }
    *ptr = p;
    return BV_OK;
}

/* What every store (mv[key] = x, del mv[key]) checks first, in memory_ass_sub()'s order:
 * the contract, released, the format (how items are written, in *item), read-only, then,
 * when the key indexes, that the view has a dimension to index. `function` names the
 * caller. */
static bv_status store_checks(const bv_view *v, bool indexes, const char *function,
                              bvi_item *item, bv_error *err)
{
    if (v == NULL)
        return bvi_error_arg(err, function, "v", "must not be NULL");
    if (v->mbuf == NULL)
        return bvi_view_error_released(err);
    bv_status st = bvi_item_parse(v->format, item, err);
    if (st != BV_OK)
        return st;
    if (v->flags & BVI_VIEW_READONLY)
        return bv_error_set(err, BV_TYPE_ERROR, "cannot modify read-only memory");
    if (indexes && v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    return BV_OK;
}

/* Unpack the item at p into *out (out may be NULL). */
static bv_status read_item(const bvi_item *it, const char *p, bv_value *out)
{
    if (out != NULL)
        bvi_item_unpack(it, p, out);
    return BV_OK;
}

bv_status bv_view_get(const bv_view *v, ptrdiff_t index, bv_value *out, bv_error *err)
{
    /* memory_subscript() refuses an integer key on a 0-dim view before memory_item()
     * looks at the format. */
    BVI_VIEW_CHECK(v, err);
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    bvi_item it;
    bv_status st = bvi_item_parse(v->format, &it, err);
    if (st != BV_OK)
        return st;
    if (v->ndim > 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                            "multi-dimensional sub-views are not implemented");
    char *p = v->buf;
    st = lookup(v, &p, 0, index, err);
    if (st != BV_OK)
        return st;
    return read_item(&it, p, out);
}

bv_status bv_view_set(bv_view *v, ptrdiff_t index, bv_value value, bv_error *err)
{
    bvi_item it;
    bv_status st = store_checks(v, true, __func__, &it, err);
    if (st != BV_OK)
        return st;
    if (v->ndim > 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    char *p = v->buf;
    st = lookup(v, &p, 0, index, err);
    if (st != BV_OK)
        return st;
    return bvi_item_pack(&it, p, value, err);
}

bv_status bv_view_get_at(const bv_view *v, const ptrdiff_t *indices, size_t n, bv_value *out,
                         bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    BVI_REQUIRE(indices != NULL || n == 0, err, "indices", "must not be NULL when n > 0");
    if (v->ndim == 0 && n != 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    bvi_item it;
    bv_status st = bvi_item_parse(v->format, &it, err);
    if (st != BV_OK)
        return st;
    char *p = NULL;   /* set by item_pointer on success (gcc cannot always see it) */
    st = item_pointer(v, indices, n, &p, err);
    if (st != BV_OK)
        return st;
    return read_item(&it, p, out);
}

bv_status bv_view_set_at(bv_view *v, const ptrdiff_t *indices, size_t n, bv_value value,
                         bv_error *err)
{
    bvi_item it;
    bv_status st = store_checks(v, n != 0, __func__, &it, err);
    if (st != BV_OK)
        return st;
    BVI_REQUIRE(indices != NULL || n == 0, err, "indices", "must not be NULL when n > 0");
    char *p = NULL;   /* set by item_pointer on success (gcc cannot always see it) */
    st = item_pointer(v, indices, n, &p, err);
    if (st != BV_OK)
        return st;
    return bvi_item_pack(&it, p, value, err);
}

bv_status bv_view_delete(bv_view *v, ptrdiff_t index, bv_error *err)
{
    (void)index;
    bvi_item it;
    bv_status st = store_checks(v, false, __func__, &it, err);
    if (st != BV_OK)
        return st;
    return bv_error_set(err, BV_TYPE_ERROR, "cannot delete memory");
}

bv_status bv_view_ellipsis(bv_view *out, const bv_view *v, bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    if (v->ndim != 0)
        return bv_error_set(err, BV_TYPE_ERROR, "memoryview: invalid slice key");
    return bv_view_from_view(out, v, err);
}

/* ---- sub-views ------------------------------------------------------------------------ */

/* The items of a subscript applied to v in order, as NumPy's get_view_from_index applies
 * them (slices with CPython's init_slice arithmetic, so an empty slice keeps
 * stride * step and its start, as in CPython): an integer drops its dimension, a slice
 * keeps it, newaxis adds one of length 1 and stride 0, the Ellipsis stands for
 * ndim - `taken` whole dimensions, and the dimensions after the last item are kept
 * whole. The checks that look at all items were done; the first bad index or zero step
 * stops here with its error. out gets the view only once it is complete. */
static bv_status apply_items(bv_view *out, const bv_view *v, const bv_index *items, size_t n,
                             size_t taken, bv_error *err)
{
    const ptrdiff_t *shape = bvi_view_cshape(v), *strides = bvi_view_cstrides(v);
    ptrdiff_t nshape[BV_MAXDIM], nstrides[BV_MAXDIM];
    char *buf = v->buf;
    int d = 0, r = 0;   /* the next dimension of v, and of the result */
    for (size_t k = 0; k < n; k++) {
        const bv_index *x = &items[k];
        if (x->kind == BV_INDEX_INT) {
            bv_status st = lookup(v, &buf, d++, x->i, err);
            if (st != BV_OK)
                return st;
        } else if (x->kind == BV_INDEX_SLICE) {
            ptrdiff_t start = 0, step = 1, len = 0;
            bv_status st = bv_slice_adjust(x->slice, shape[d], &start, &step, &len, err);
            if (st != BV_OK)
                return st;   /* ValueError "slice step cannot be zero" */
            buf = bvi_ptr_add(buf, bvi_wrap_mul(strides[d], start));
            nshape[r] = len;
            nstrides[r++] = bvi_wrap_mul(strides[d++], step);
        } else if (x->kind == BV_INDEX_NEWAXIS) {
            nshape[r] = 1;
            nstrides[r++] = 0;
        } else {
            for (size_t j = taken; j < (size_t)v->ndim; j++, d++, r++) {
                nshape[r] = shape[d];
                nstrides[r] = strides[d];
            }
        }
    }
    for (; d < v->ndim; d++, r++) {
        nshape[r] = shape[d];
        nstrides[r] = strides[d];
    }
    return bvi_view_new_layout(out, v, buf, r, nshape, nstrides, err);
}

/* The checks a tuple of slices gets first, in CPython's order (memory_subscript, then
 * init_slice's step for every slice): n slices apply to the first n dimensions. */
static bv_status slice_checks(const bv_view *v, const bv_slice *slices, size_t n, bv_error *err)
{
    if (v->ndim == 0)
        return bv_error_set(err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (n > (size_t)v->ndim)
        return bv_error_set(err, BV_TYPE_ERROR,
                            "cannot index %d-dimension view with %zu-element tuple", v->ndim, n);
    for (size_t d = 0; d < n; d++)
        if (slices[d].has_step && slices[d].step == 0)
            return bv_error_set(err, BV_VALUE_ERROR, "slice step cannot be zero");
    return BV_OK;
}

/* mv[s0, s1, ...]: CPython's checks, then the slices as the first n items. */
static bv_status slice_view(bv_view *out, const bv_view *v, const bv_slice *slices, size_t n,
                            bv_error *err)
{
    bv_status st = slice_checks(v, slices, n, err);
    if (st != BV_OK)
        return st;
    bv_index items[BV_MAXDIM];
    for (size_t d = 0; d < n; d++)
        items[d] = bv_index_slice(slices[d]);
    return apply_items(out, v, items, n, n, err);
}

/* mv[items] with NumPy's rules (prepare_index): the items in order, where an unknown kind
 * breaks the API contract and a second Ellipsis is an error; then too many indices; then
 * too many dimensions in the result. `function` names the public caller. */
static bv_status subscript_view(bv_view *out, const bv_view *v, const bv_index *items,
                                size_t n, const char *function, bv_error *err)
{
    size_t ellipses = 0, ints = 0, slices = 0, newaxes = 0;
    for (size_t k = 0; k < n; k++) {
        switch (items[k].kind) {
        case BV_INDEX_INT: ints++; break;
        case BV_INDEX_SLICE: slices++; break;
        case BV_INDEX_NEWAXIS: newaxes++; break;
        case BV_INDEX_ELLIPSIS:
            if (ellipses++ > 0)
                return bv_error_set(err, BV_INDEX_ERROR,
                                    "an index can only have a single ellipsis ('...')");
            break;
        default:
            return bvi_error_arg(err, function, "items",
                                 "must hold only bv_index_int, bv_index_slice, "
                                 "bv_index_ellipsis and bv_index_newaxis items");
        }
    }
    const size_t taken = ints + slices;
    if (taken > (size_t)v->ndim)
        return bv_error_set(err, BV_INDEX_ERROR,
                            "too many indices for array: array is %d-dimensional, but %zu "
                            "were indexed", v->ndim, taken);
    const size_t result_ndim = (size_t)v->ndim - ints + newaxes;
    if (result_ndim > BV_MAXDIM)
        return bv_error_set(err, BV_INDEX_ERROR,
                            "number of dimensions must be within [0, %d], indexing result "
                            "would have %zu", BV_MAXDIM, result_ndim);
    return apply_items(out, v, items, n, taken, err);
}

/* Everything but the common case: the contract, the checks with their messages, N-D and
 * spilled views. Never inlined, so the fast path stays small. */
static bv_status BVI_NOINLINE slice_general(bv_view *out, bool out_is_null, const bv_view *v,
                                            bv_slice s, bv_error *err)
{
    if (v == NULL)
        return bvi_error_arg(err, "bv_view_slice", "v", "must not be NULL");
    if (v->mbuf == NULL)
        return bvi_view_error_released(err);
    if (out_is_null)
        return bvi_error_arg(err, "bv_view_slice", "out", "must not be NULL");
    return slice_view(out, v, &s, 1, err);
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

bv_status bvi_view_slice_fields(bv_view *out, const bv_view *v, ptrdiff_t start_in,
                                ptrdiff_t stop_in, ptrdiff_t step_in, unsigned has_mask,
                                bv_error *err)
{
    const bv_slice s = {start_in, stop_in, step_in, (has_mask & BVI_SLICE_HAS_START) != 0,
                        (has_mask & BVI_SLICE_HAS_STOP) != 0, (has_mask & BVI_SLICE_HAS_STEP) != 0};
    /* The hot path of every copy-vs-view comparison: one dimension, no spill, a valid
     * step. It writes only the fields a 1-D view reads (the embedded exporter is stamped
     * by bv_view_exporter when needed) and bumps one count: no call, no allocation. */
    if (BVI_UNLIKELY(v == NULL || out == NULL || !(v->flags & BVI_VIEW_SIMPLE1D) ||
                     v->mbuf == NULL || (s.has_step && s.step == 0))) {
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
        (void)bv_slice_adjust(s, len, &start, &step, &n, NULL);
    }
    const ptrdiff_t stride = v->strides_inline[0], itemsize = v->itemsize;
    const ptrdiff_t new_stride = bvi_wrap_mul(stride, step);
    struct bvi_managed *m = v->mbuf;
    out->mbuf = m;
    out->buf = bvi_ptr_add(v->buf, bvi_wrap_mul(stride, start));
    out->len = bvi_wrap_mul(n, itemsize);
    out->itemsize = itemsize;
    out->format = v->format;
    out->ndim = 1;
    out->flags = (v->flags & BVI_VIEW_READONLY) | BVI_VIEW_SIMPLE1D |
                 ((n == 1 || new_stride == itemsize) ? (BVI_VIEW_C | BVI_VIEW_FORTRAN) : 0u);
    out->exports = 0;
    out->shape_inline[0] = n;
    out->strides_inline[0] = new_stride;
    m->views++;
    BVI_VIEW_ASSERT(out);
    return BV_OK;
}

bv_status bv_view_slice_nd(bv_view *out, const bv_view *v, const bv_slice *slices, size_t n,
                           bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    BVI_REQUIRE_NONNULL(out, err);
    BVI_REQUIRE(slices != NULL || n == 0, err, "slices", "must not be NULL when n > 0");
    return slice_view(out, v, slices, n, err);
}

bv_status bv_view_subscript(bv_view *out, const bv_view *v, const bv_index *items, size_t n,
                            bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    BVI_REQUIRE_NONNULL(out, err);
    BVI_REQUIRE(items != NULL || n == 0, err, "items", "must not be NULL when n > 0");
    return subscript_view(out, v, items, n, __func__, err);
}

/* ---- slice assignment ---------------------------------------------------------------- */

/* copy_single() with the source's buffer already taken: equal structure (equiv_structure:
 * format ignoring '@', itemsize, shape), then a copy that tolerates overlap. */
static bv_status assign_into(const bv_view *dest, const bv_buffer *src, bv_error *err)
{
    bvi_array from;
    bvi_array_of_buffer(&from, src);
    bool same = bvi_format_equal(dest->format, from.format) && dest->itemsize == from.itemsize &&
                dest->ndim == from.ndim;
    const ptrdiff_t *dshape = bvi_view_cshape(dest);
    for (int i = 0; same && i < dest->ndim; i++) {
        if (dshape[i] != from.shape[i])
            same = false;
        else if (dshape[i] == 0)
            break;
    }
    if (!same)
        return bv_error_set(err, BV_VALUE_ERROR,
                            "memoryview assignment: lvalue and rvalue have different structures");
    if (src->suboffsets != NULL)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "suboffsets are not supported");
    if (dest->len == 0)
        return BV_OK;
    /* Overlap is judged on the address ranges the two layouts touch: contiguous on both
     * sides is one memmove; anything else goes through a temporary contiguous copy, which
     * makes any overlap harmless (CPython does the same) and is the only allocation here. */
    if ((dest->flags & BVI_VIEW_C) &&
        bvi_layout_is_c_contiguous(from.ndim, from.shape, from.strides, from.itemsize)) {
        memmove(dest->buf, from.buf, (size_t)dest->len);
        return BV_OK;
    }
    char *tmp = bv_malloc((size_t)dest->len);
    if (tmp == NULL)
        return bvi_error_nomem(err);
    ptrdiff_t cst[BV_MAXDIM];
    bv_buffer_fill_contiguous_strides(dest->ndim, dshape, cst, dest->itemsize, 'C');
    bvi_layout_copy(tmp, cst, from.buf, from.strides, dest->ndim, dshape, dest->itemsize);
    bvi_layout_copy(dest->buf, bvi_view_cstrides(dest), tmp, cst, dest->ndim, dshape,
                    dest->itemsize);
    bv_free(tmp);
    return BV_OK;
}

/* The key of a store: a tuple of slices (CPython's rules) or a NumPy subscript. */
typedef struct store_key {
    bool numpy;                  /* items (NumPy's rules), else slices (CPython's) */
    const bv_slice *slices;
    const bv_index *items;
    size_t n;
    const char *function;        /* the public caller, for contract errors */
} store_key;

/* mv[key] = src after the lvalue's own checks (memory_ass_sub): CPython takes the
 * rvalue's buffer before it looks at the key, so a non-buffer rvalue is reported before a
 * bad key. The buffer is taken once, held through the copy, and given back. */
static bv_status assign_key(bv_view *v, const store_key *key, bv_exporter *src, bv_error *err)
{
    bv_buffer from;
    bv_status st = bv_buffer_get(src, &from, BV_BUF_FULL_RO, err);
    if (st != BV_OK)
        return st;
    bv_view dest;
    st = key->numpy ? subscript_view(&dest, v, key->items, key->n, key->function, err)
                    : slice_view(&dest, v, key->slices, key->n, err);
    if (st == BV_OK) {
        st = assign_into(&dest, &from, err);
        (void)bv_view_release(&dest, NULL);
    }
    bv_buffer_release(&from);
    return st;
}

bv_status bv_view_assign_slice(bv_view *v, bv_slice s, bv_exporter *src, bv_error *err)
{
    bvi_item it;
    bv_status st = store_checks(v, true, __func__, &it, err);
    if (st != BV_OK)
        return st;
    if (v->ndim != 1)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR,
                            "memoryview slice assignments are currently restricted to ndim = 1");
    const store_key key = {false, &s, NULL, 1, __func__};
    return assign_key(v, &key, src, err);
}

bv_status bv_view_assign_slice_nd(bv_view *v, const bv_slice *slices, size_t n,
                                  bv_exporter *src, bv_error *err)
{
    /* The same order as the 1-D assignment: the lvalue, the rvalue's buffer, then the
     * slices. */
    bvi_item it;
    bv_status st = store_checks(v, true, __func__, &it, err);
    if (st != BV_OK)
        return st;
    BVI_REQUIRE(slices != NULL || n == 0, err, "slices", "must not be NULL when n > 0");
    const store_key key = {false, slices, NULL, n, __func__};
    return assign_key(v, &key, src, err);
}

bv_status bv_view_assign_subscript(bv_view *v, const bv_index *items, size_t n,
                                   bv_exporter *src, bv_error *err)
{
    /* The lvalue (any ndim: (), ... and newaxis index a 0-dim view too), the rvalue's
     * buffer, the subscript, then the structure. */
    bvi_item it;
    bv_status st = store_checks(v, false, __func__, &it, err);
    if (st != BV_OK)
        return st;
    BVI_REQUIRE(items != NULL || n == 0, err, "items", "must not be NULL when n > 0");
    const store_key key = {true, NULL, items, n, __func__};
    return assign_key(v, &key, src, err);
}
