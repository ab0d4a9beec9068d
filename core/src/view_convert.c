/*
 * view_convert.c: a view turned into something else: bytes (tobytes, tobytes_into), a
 * list (tolist), text (hex), or another view of the same memory with another format and
 * shape (cast). NumPy keeps the same family in convert.c and shape.c.
 */
#include <string.h>

#include "bufview/memory.h"
#include "layout.h"
#include "view_private.h"

/* tobytes()'s order: 0 is the default, 'C'. */
static bv_status parse_order(char order, char *out, bv_error *err)
{
    if (order == 0)
        order = 'C';
    bv_status st = bvi_check_order(order, err);
    if (st == BV_OK)
        *out = order;
    return st;
}

void bvi_view_copy_out(const bv_view *v, char order, char *dst)
{
    if (v->len == 0)
        return;
    if (order == 'A')
        order = (v->flags & BVI_VIEW_FORTRAN) && !(v->flags & BVI_VIEW_C) ? 'F' : 'C';
    if ((order == 'C' && (v->flags & BVI_VIEW_C)) ||
        (order == 'F' && (v->flags & BVI_VIEW_FORTRAN))) {
        memcpy(dst, v->buf, (size_t)v->len);
        return;
    }
    ptrdiff_t cst[BV_MAXDIM];
    bv_buffer_fill_contiguous_strides(v->ndim, bvi_view_cshape(v), cst, v->itemsize, order);
    bvi_layout_copy(dst, cst, v->buf, bvi_view_cstrides(v), v->ndim, bvi_view_cshape(v),
                    v->itemsize);
}

bv_status bv_view_tobytes_into(const bv_view *v, char order, void *dst, size_t cap, bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    char o;
    bv_status st = parse_order(order, &o, err);
    if (st != BV_OK)
        return st;
    BVI_REQUIRE(dst != NULL || v->len == 0, err, "dst", "must not be NULL");
    if (cap < (size_t)v->len)
        return bv_error_set(err, BV_VALUE_ERROR, "destination holds %zu bytes, the view %td",
                            cap, v->len);
    bvi_view_copy_out(v, o, dst);
    return BV_OK;
}

bv_status bv_view_tobytes(const bv_view *v, char order, bv_bytes **out, bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    char o;
    bv_status st = parse_order(order, &o, err);
    if (st != BV_OK)
        return st;
    BVI_REQUIRE_NONNULL(out, err);
    /* Already in the requested order: one copy, straight into the new object. */
    if (v->flags & (o == 'F' ? BVI_VIEW_FORTRAN : BVI_VIEW_C) || v->len == 0 ||
        (o == 'A' && (v->flags & (BVI_VIEW_C | BVI_VIEW_FORTRAN))))
        return bv_bytes_new(out, v->buf, (size_t)v->len, err);
    char *tmp = bv_malloc((size_t)v->len);
    if (tmp == NULL)
        return bvi_error_nomem(err);
    bvi_view_copy_out(v, o, tmp);
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

struct collect_ctx {
    bvi_item item;
    bv_value *items;
    ptrdiff_t n;
};

/* One row of tolist(): unpack each item into the next slot, in C order. */
static int collect_row(char *p, ptrdiff_t stride, const char *same, ptrdiff_t same_stride,
                       ptrdiff_t n, void *vctx)
{
    (void)same;
    (void)same_stride;
    struct collect_ctx *c = vctx;
    for (ptrdiff_t i = 0; i < n; i++, p = bvi_ptr_add(p, stride))
        bvi_item_unpack(&c->item, p, &c->items[c->n++]);
    return 0;
}

/* Beyond CPython, byte-order formats ("<i") are listed too (bvi_item_parse). */
bv_status bv_view_tolist(const bv_view *v, bv_list *out, bv_error *err)
{
    BVI_VIEW_CHECK(v, err);
    BVI_REQUIRE_NONNULL(out, err);
    struct collect_ctx ctx;
    bv_status st = bvi_item_parse(v->format, &ctx.item, err);
    if (st != BV_OK)
        return st;
    const ptrdiff_t *shape = bvi_view_cshape(v), *strides = bvi_view_cstrides(v);
    ptrdiff_t count = 1;
    for (int i = 0; i < v->ndim; i++)
        count *= shape[i];
    if ((size_t)count > SIZE_MAX / sizeof(bv_value))
        return bvi_error_nomem(err);
    bv_list list = {v->ndim, NULL, count, NULL};
    list.shape = bv_malloc(sizeof(ptrdiff_t) * (size_t)(v->ndim > 0 ? v->ndim : 1));
    list.items = bv_malloc(sizeof(bv_value) * (size_t)(count > 0 ? count : 1));
    if (list.shape == NULL || list.items == NULL) {
        bv_list_free(&list);
        return bvi_error_nomem(err);
    }
    if (v->ndim > 0)
        memcpy(list.shape, shape, sizeof(ptrdiff_t) * (size_t)v->ndim);
    ctx.items = list.items;
    ctx.n = 0;
    (void)bvi_layout_walk(v->ndim, shape, v->buf, strides, v->buf, strides, collect_row, &ctx);
    *out = list;
    return BV_OK;
}

static bool is_byte_format(char c)
{
    return c == 'B' || c == 'b' || c == 'c';
}

/* memory_cast(): CPython's checks in CPython's order, then a new C-contiguous view of the
 * same managed buffer. has_shape false is cast(format): one dimension. */
static bv_status cast_impl(bv_view *out, const bv_view *v, const char *format,
                           const ptrdiff_t *shape, ptrdiff_t ndim, bool has_shape, bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    /* Python parses cast()'s arguments before it looks at the view, so a missing format
     * is a TypeError even on a released view. */
    if (format == NULL)
        return bv_error_set(err, BV_TYPE_ERROR, "cast() argument 'format' must be str, not None");
    BVI_VIEW_CHECK(v, err);
    if (!(v->flags & BVI_VIEW_C))
        return bv_error_set(err, BV_TYPE_ERROR, "memoryview: casts are restricted to C-contiguous views");
    if (has_shape || v->ndim != 1) {
        for (int i = 0; i < v->ndim; i++)
            if (bvi_view_cshape(v)[i] == 0)
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
    char dest = bv_format_char(format);
    if (dest == 0)
        return bv_error_set(err, BV_VALUE_ERROR,
                            "memoryview: destination format must be a native single character "
                            "format prefixed with an optional '@'");
    char src = bv_format_char(v->format);
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
    ptrdiff_t tshape[BV_MAXDIM], tstrides[BV_MAXDIM];
    if (has_shape) {
        for (int i = 0; i < out_ndim; i++)
            tshape[i] = shape[i];
    } else {
        tshape[0] = v->len / itemsize;
    }
    bv_buffer_fill_contiguous_strides(out_ndim, tshape, tstrides, itemsize, 'C');
    bv_view like = *v;
    like.format = bvi_format_static(format);
    like.itemsize = itemsize;
    return bvi_view_new_layout(out, &like, v->buf, out_ndim, tshape, tstrides, err);
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
    BVI_VIEW_CHECK(v, err);
    BVI_REQUIRE_NONNULL(out, err);
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
        return bvi_error_nomem(err);
    char *text = bv_malloc(2 * n + seps + 1);
    if (text == NULL)
        return bvi_error_nomem(err);
    unsigned char *bytes = NULL;
    const unsigned char *src = (const unsigned char *)v->buf;
    if (!(v->flags & BVI_VIEW_C) && n > 0) {
        /* memory_hex(): non-contiguous views are read in C order through a copy. */
        bytes = bv_malloc(n);
        if (bytes == NULL) {
            bv_free(text);
            return bvi_error_nomem(err);
        }
        bvi_view_copy_out(v, 'C', (char *)bytes);
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
