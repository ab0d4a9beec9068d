/*
 * libFuzzer harness for format strings and cast parameters: struct.calcsize, memoryview's
 * format check, item pack/unpack, value equality, slice.indices(), hex() and
 * memoryview.cast() with arbitrary formats and shapes (up to 70 dimensions, huge, zero and
 * negative extents) over views of bytes, bytearray, array and a test exporter with
 * arbitrary (but truthful) layouts. Every answer is checked against model.h; a difference
 * aborts. All memory bufview may touch is allocated to the exact size, so ASan reports
 * any read or write past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bufview/bufview.h"
#include "model.h"

/* ---- an exact-size, NUL-terminated copy of fuzz bytes ------------------------------- */

static char *in_string(m_input *in, size_t max)
{
    size_t n = in_u8(in) % (max + 1);
    char *s = malloc(n + 1);
    for (size_t k = 0; k < n; k++)
        s[k] = (char)in_u8(in);
    s[n] = '\0';
    return s;
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    memcpy(d, s, n + 1);
    return d;
}

/* Item bytes from a short seed: the layout, not the bytes, is what the input should steer;
 * one selector byte picks a pattern rich in NaNs, zeros or 0xff bytes. */
static void fill_bytes(unsigned char *p, size_t n, m_input *in)
{
    uint64_t x = in_u64(in) | 1;
    uint8_t style = in_u8(in) % 4;
    for (size_t k = 0; k < n; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        switch (style) {
        case 0: p[k] = (unsigned char)x; break;
        case 1: p[k] = (x & 3) ? 0xff : 0x7f; break;   /* NaNs and -1s */
        case 2: p[k] = (x & 1) ? 0 : (unsigned char)x; break;
        default: p[k] = (unsigned char)k; break;
        }
    }
}

static void fuzz_format_string(m_input *in)
{
    char *fmt = in_u8(in) == 0xff ? NULL : in_string(in, 24);
    bv_error err;
    m_int want_size;
    m_outcome want = m_calcsize(fmt, &want_size);
    ptrdiff_t got = bv_format_calcsize(fmt, &err);
    m_expect("bv_format_calcsize", got < 0 ? err.kind : BV_OK, &err, &want);
    M_CHECK(want.kind != BV_OK || got == want_size, "calcsize(%s) = %td, model %lld", fmt, got,
            (long long)want_size);

    char c = 0, mc = 0;
    want = m_item_format(fmt, &mc);
    m_expect("bv_format_check", bv_format_check(fmt, &c, &err), &err, &want);
    M_CHECK(want.kind != BV_OK || c == mc, "bv_format_check char %d, model %d", c, mc);
    M_CHECK(bv_format_char(fmt) == m_native_char(fmt), "bv_format_char(%s)", fmt);
    if (fmt != NULL)
        M_CHECK(bv_format_itemsize(fmt[0]) == m_native_size(fmt[0]), "bv_format_itemsize(%d)",
                fmt[0]);
    free(fmt);
}

/* ---- pack, unpack and value equality ------------------------------------------------- */

static void fuzz_pack(m_input *in)
{
    char c = (char)in_u8(in);
    if (in_u8(in) & 1) {   /* mostly a real format character */
        static const char chars[] = "cbBhHiIlLqQnNfde?P";
        c = chars[(unsigned char)c % (sizeof chars - 1)];
    }
    bv_value v = in_value(in);
    m_value mv = m_from_bv(v);
    int size = m_native_size(c) ? m_native_size(c) : 1;
    unsigned char *p = malloc((size_t)size);
    unsigned char before[8], want_bytes[8];
    memset(p, 0xa5, (size_t)size);
    memcpy(before, p, (size_t)size);
    memcpy(want_bytes, p, (size_t)size);
    bool nan_written;
    m_outcome want = m_encode(c, &mv, want_bytes, &nan_written);
    bv_error err;
    m_expect("bv_format_pack", bv_format_pack(c, p, v, &err), &err, &want);
    if (want.kind != BV_OK) {
        M_CHECK(memcmp(p, before, (size_t)size) == 0, "failed pack('%c') wrote memory", c);
    } else if (nan_written) {
        m_value back = m_decode(c, p);
        M_CHECK(back.kind == MV_FLOAT && isnan(back.f), "pack('%c', nan) wrote a non-NaN", c);
    } else {
        M_CHECK(memcmp(p, want_bytes, (size_t)size) == 0, "pack('%c') wrote other bytes", c);
    }
    if (want.kind == BV_OK) {
        bv_value got;
        m_expect("bv_format_unpack", bv_format_unpack(c, p, &got, &err), &err, &want);
        m_value model = m_decode(c, p);
        m_expect_value("unpack after pack", got, &model);
    }
    free(p);
}

static void fuzz_unpack(m_input *in)
{
    char c = (char)in_u8(in);
    int size = m_native_size(c) ? m_native_size(c) : 1;
    unsigned char *p = malloc((size_t)size);
    for (int k = 0; k < size; k++)
        p[k] = in_u8(in);
    bv_value got;
    bv_error err;
    bv_status st = bv_format_unpack(c, p, &got, &err);
    if (m_native_size(c) == 0) {
        char s[2] = {c, '\0'};
        m_outcome want = m_err(BV_NOT_IMPLEMENTED_ERROR, "memoryview: format %s not supported", s);
        m_expect("bv_format_unpack", st, &err, &want);
    } else {
        m_outcome want = m_ok();
        m_expect("bv_format_unpack", st, &err, &want);
        m_value model = m_decode(c, p);
        m_expect_value("bv_format_unpack", got, &model);
    }
    free(p);
}

static void fuzz_value_equal(m_input *in)
{
    bv_value a = in_value(in), b = in_value(in);
    m_value ma = m_from_bv(a), mb = m_from_bv(b);
    M_CHECK(bv_value_equal(a, b) == m_py_equal(&ma, &mb), "bv_value_equal kinds %d %d", a.kind,
            b.kind);
    M_CHECK(bv_value_truthy(a) == m_truthy(&ma), "bv_value_truthy kind %d", a.kind);
}

/* ---- slice.indices() ------------------------------------------------------------------ */

static void fuzz_slice_adjust(m_input *in)
{
    uint8_t sel = in_u8(in);
    ptrdiff_t len = sel & 1 ? (ptrdiff_t)(in_u64(in) & (uint64_t)PTRDIFF_MAX) : (ptrdiff_t)(sel >> 1);
    bv_slice s = in_slice(in, len);
    ptrdiff_t start = -7, step = -7, n = -7;
    bv_error err;
    bv_status st = bv_slice_adjust(s, len, &start, &step, &n, &err);
    if (s.has_step && s.step == 0) {
        m_outcome want = m_err(BV_VALUE_ERROR, "slice step cannot be zero");
        m_expect("bv_slice_adjust", st, &err, &want);
        return;
    }
    m_outcome ok = m_ok();
    m_expect("bv_slice_adjust", st, &err, &ok);
    m_slice m = m_slice_indices(s, len);
    M_CHECK(m.step == step && m.length == n && m.start == start,
            "slice(%td,%td,%td)[has %d%d%d].indices(%td): bufview start %td step %td n %td, "
            "model %lld %lld %lld",
            s.start, s.stop, s.step, s.has_start, s.has_stop, s.has_step, len, start, step, n,
            (long long)m.start, (long long)m.step, (long long)m.length);
    M_CHECK(n >= 0 && n <= len, "slice length %td outside [0, %td]", n, len);
    if (n > 0) {   /* every index the slice yields is inside the sequence */
        m_int last = (m_int)start + (m_int)(n - 1) * step;
        M_CHECK(start >= 0 && start < len && last >= 0 && last < len,
                "slice indices leave the sequence");
    }
}

/* ---- a test exporter with arbitrary, truthful layouts -------------------------------- */

typedef struct fz_exporter {
    bv_exporter base;
    unsigned char *mem;     /* exactly the bytes the layout touches */
    bv_buffer tmpl;
    ptrdiff_t shape[5], strides[5];
    char format[8];
    int exports;
} fz_exporter;

static bv_status fz_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    fz_exporter *e = (fz_exporter *)self;
    if ((flags & BV_BUF_WRITABLE) && e->tmpl.readonly)
        return bv_error_set(err, BV_BUFFER_ERROR, "Object is not writable.");
    *view = e->tmpl;
    e->exports++;
    return BV_OK;
}

static void fz_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    ((fz_exporter *)self)->exports--;
}

static const bv_exporter_type fz_type = {"fuzzbuf", fz_getbuffer, fz_releasebuffer, NULL};

/* Builds a layout and says whether bufview should take it: bv_view_from refuses a format
 * whose item size it cannot work out, since it cannot check it against itemsize. */
static bool fz_build(fz_exporter *e, m_input *in)
{
    static const char *formats[] = {"B", "b", "c", "h", "@i", "l", "d", "e", "?", "P",
                                    "3i", "<hh", "2s", "x", "Zd", "Q", "f", "N", "@B", "q"};
    memset(e, 0, sizeof *e);
    bv_exporter_init(&e->base, &fz_type, 0);
    const char *f = formats[in_u8(in) % (sizeof formats / sizeof formats[0])];
    strcpy(e->format, f);
    m_int calc;
    bool sized = m_calcsize(f, &calc).kind == BV_OK;
    ptrdiff_t itemsize = sized ? (ptrdiff_t)calc : 3;
    int ndim = in_u8(in) % 5;
    uint8_t layout = in_u8(in) % 3;
    m_int lo = 0, hi = 0, count = 1;
    ptrdiff_t sd = itemsize;
    for (int k = 0; k < ndim; k++)
        e->shape[k] = in_u8(in) % 5;
    for (int k = 0; k < ndim; k++) {
        int d = layout == 1 ? k : ndim - 1 - k;   /* F order walks forwards */
        if (layout == 2)
            e->strides[d] = (ptrdiff_t)((int)(in_u8(in) % 9) - 4) * itemsize;
        else
            e->strides[d] = sd;
        sd *= e->shape[d] > 0 ? e->shape[d] : 1;
    }
    for (int k = 0; k < ndim; k++) {
        count *= e->shape[k];
        if (e->shape[k] > 0) {
            m_int reach = (m_int)e->strides[k] * (e->shape[k] - 1);
            if (reach < 0)
                lo += reach;
            else
                hi += reach;
        }
    }
    size_t span = count == 0 ? 1 : (size_t)(hi - lo + itemsize);
    if (count == 0)
        lo = 0;   /* nothing is ever addressed: buf is the (one byte) block itself */
    e->mem = malloc(span);
    fill_bytes(e->mem, span, in);
    e->tmpl.buf = e->mem + (size_t)(-lo);
    e->tmpl.len = (ptrdiff_t)(count * itemsize);
    e->tmpl.itemsize = itemsize;
    e->tmpl.readonly = in_u8(in) & 1;
    e->tmpl.ndim = ndim;
    e->tmpl.format = e->format;
    bool bare = ndim == 1 && layout == 0 && (in_u8(in) & 1);   /* shape from len */
    e->tmpl.shape = ndim > 0 && !bare ? e->shape : NULL;
    e->tmpl.strides = ndim > 0 && !bare ? e->strides : NULL;
    return sized;
}

static void fz_free(fz_exporter *e)
{
    M_CHECK(e->exports == 0, "test exporter still has %d exports", e->exports);
    free(e->mem);
}

/* ---- memoryview.cast() ---------------------------------------------------------------- */

/* Shape and strides through the public accessors: NULL for a released view. */
static const ptrdiff_t *v_shape(const bv_view *v)
{
    const ptrdiff_t *p = NULL;
    return bv_view_shape(v, &p, NULL) == BV_OK ? p : NULL;
}
static const ptrdiff_t *v_strides(const bv_view *v)
{
    const ptrdiff_t *p = NULL;
    return bv_view_strides(v, &p, NULL) == BV_OK ? p : NULL;
}

/* A flag attribute of a live view (false for a released one). */
static bool v_flag(bv_status (*attribute)(const bv_view *, bool *, bv_error *), const bv_view *v)
{
    bool b = false;
    return attribute(v, &b, NULL) == BV_OK && b;
}

/* The model's picture of a view, read from its public fields and attributes. */
static m_layout layout_of(const bv_view *v)
{
    m_layout l = {bv_view_is_released(v), v->ndim, v_shape(v), v_strides(v), v->itemsize, v->len,
                  v->format};
    return l;
}

/* Read every item of a C-contiguous view through bufview and through the model. */
static void check_items(const bv_view *v, char c)
{
    const ptrdiff_t *shape = v_shape(v);
    m_int count = 1;
    for (int k = 0; k < v->ndim; k++)
        count *= shape[k];
    if (count > 512)
        count = 512;
    ptrdiff_t idx[BV_MAXDIM];
    for (m_int n = 0; n < count; n++) {
        m_int rest = n, offset = 0, stride = v->itemsize;
        for (int k = v->ndim - 1; k >= 0; k--) {
            idx[k] = (ptrdiff_t)(rest % shape[k]);
            rest /= shape[k];
            offset += idx[k] * stride;
            stride *= shape[k];
        }
        bv_value got;
        bv_error err;
        m_outcome ok = m_ok();
        m_expect("bv_view_get_at after cast", bv_view_get_at(v, idx, (size_t)v->ndim, &got, &err),
                 &err, &ok);
        M_CHECK(offset + v->itemsize <= v->len, "model: item beyond nbytes");
        m_value want = m_decode(c, (const unsigned char *)v->buf + offset);
        m_expect_value("item after cast", got, &want);
    }
}

static void check_cast_result(const bv_view *src, const bv_view *out, const char *fmt,
                              const ptrdiff_t *shape, ptrdiff_t ndim, bool has_shape)
{
    char dest = m_native_char(fmt);
    int want_ndim = has_shape ? (int)ndim : 1;
    M_CHECK(bv_view_shares_buffer(out, src), "cast does not share the managed buffer");
    M_CHECK(out->buf == src->buf, "cast moved buf");
    M_CHECK(out->len == src->len, "cast changed nbytes");
    M_CHECK(out->itemsize == m_native_size(dest), "cast itemsize");
    M_CHECK(out->ndim == want_ndim, "cast ndim %d, want %d", out->ndim, want_ndim);
    M_CHECK(v_flag(bv_view_readonly, out) == v_flag(bv_view_readonly, src), "cast readonly");
    M_CHECK(out->format[0] == (fmt[0] == '@' ? '@' : dest) &&
                strcmp(out->format + (fmt[0] == '@'), (char[]){dest, 0}) == 0,
            "cast format \"%s\" for \"%s\"", out->format, fmt);
    const ptrdiff_t *oshape = v_shape(out), *ostrides = v_strides(out);
    M_CHECK(want_ndim == 0 || (oshape != NULL && ostrides != NULL), "no shape for %d dims",
            want_ndim);
    m_int sd = out->itemsize, product = out->itemsize;
    for (int k = want_ndim - 1; k >= 0; k--) {
        ptrdiff_t want = has_shape ? shape[k] : src->len / out->itemsize;
        M_CHECK(oshape[k] == want, "cast shape[%d] = %td, want %td", k, oshape[k], want);
        M_CHECK(ostrides[k] == sd, "cast strides[%d] = %td, want %lld", k, ostrides[k],
                (long long)sd);
        sd *= oshape[k];
        product *= oshape[k];
    }
    M_CHECK(product == out->len, "product(shape) * itemsize != nbytes after cast");
    M_CHECK(v_flag(bv_view_c_contiguous, out), "cast result not C-contiguous");
    check_items(out, dest);

    bv_bytes *b = NULL;
    bv_error err;
    m_outcome ok = m_ok();
    m_expect("tobytes after cast", bv_view_tobytes(out, 'C', &b, &err), &err, &ok);
    M_CHECK(bv_bytes_size(b) == (size_t)out->len &&
                (out->len == 0 || memcmp(bv_bytes_data(b), out->buf, (size_t)out->len) == 0),
            "tobytes after cast differs from the memory");
    bv_bytes_decref(b);
}

static const char *cast_formats[] = {"B", "b", "c", "h", "H", "i", "I", "l", "L", "q", "Q",
                                     "n", "N", "f", "d", "e", "?", "P", "@B", "@c", "@h", "@d",
                                     "@e", "@?", "", "@", "BB", "B@", "@@B", "x", "s", "<B",
                                     "=b", "2B", "Z", "\xff"};

/* A shape whose product is items (so the cast can succeed), or raw extremes. */
static ptrdiff_t *in_shape(m_input *in, ptrdiff_t items, ptrdiff_t *ndim_out, bool *null_shape)
{
    static const ptrdiff_t raw[] = {0, -1, 1, 2, 3, PTRDIFF_MAX, PTRDIFF_MIN,
                                    (PTRDIFF_MAX >> 1) + 1, 1L << 32, 4611686018427387904L,
                                    3074457345618258603L};
    uint8_t sel = in_u8(in);
    ptrdiff_t ndim;
    switch (sel % 8) {
    case 0: ndim = 64; break;
    case 1: ndim = 65 + in_u8(in) % 6; break;
    case 2: ndim = (sel & 0x80) ? PTRDIFF_MAX - (sel >> 3 & 1) : -(ptrdiff_t)(sel >> 3 & 3) - 1; break;
    case 3: ndim = PTRDIFF_MIN; break;
    default: ndim = in_u8(in) % 7; break;
    }
    *ndim_out = ndim;
    *null_shape = (in_u8(in) & 0x1f) == 0;
    size_t alloc = ndim >= 0 && ndim <= 70 ? (size_t)ndim : 1;
    ptrdiff_t *shape = malloc((alloc > 0 ? alloc : 1) * sizeof *shape);
    if (ndim < 0 || ndim > 70)
        return shape;   /* must not be read: bufview refuses first */
    bool smart = in_u8(in) & 1;
    ptrdiff_t rest = items > 0 ? items : 1;
    for (size_t k = 0; k < alloc; k++) {
        if (!smart) {
            uint8_t r = in_u8(in);
            shape[k] = r < 0xc0 ? (ptrdiff_t)(r % 9) : raw[r % (sizeof raw / sizeof raw[0])];
            continue;
        }
        if (k + 1 == alloc) {
            shape[k] = rest;
            break;
        }
        /* A divisor of what is left, often 1 so that many dimensions still fit. */
        ptrdiff_t d = 1, want = in_u8(in) % 6;
        for (ptrdiff_t cand = 2; want > 0 && cand <= rest; cand++)
            if (rest % cand == 0) {
                d = cand;
                if (--want == 0)
                    break;
            }
        shape[k] = d;
        rest /= d;
    }
    return shape;
}

/* Build a source view: bytes, bytearray, array, the test exporter, or a released view;
 * then sometimes slice it, cast it to N-D, or make it read-only. */
typedef struct source {
    bv_bytes *bytes;
    bv_bytearray *ba;
    bv_array *arr;
    fz_exporter fz;
    bool has_fz;
    bv_view base, view;
} source;

static void source_build(source *s, m_input *in)
{
    memset(s, 0, sizeof *s);
    bv_error err;
    m_outcome ok = m_ok();
    uint8_t kind = in_u8(in) % 5;
    size_t n = in_u8(in) % 49;
    unsigned char data[64 * 8];
    fill_bytes(data, sizeof data, in);
    bv_exporter *obj = NULL;
    switch (kind) {
    case 0:
        m_expect("bv_bytes_new", bv_bytes_new(&s->bytes, data, n, &err), &err, &ok);
        obj = bv_bytes_exporter(s->bytes);
        break;
    case 1:
        m_expect("bv_bytearray_new", bv_bytearray_new(&s->ba, data, n, &err), &err, &ok);
        obj = bv_bytearray_exporter(s->ba);
        break;
    case 2: {
        static const char codes[] = "bBhHiIlLqQfd";
        char code = codes[in_u8(in) % (sizeof codes - 1)];
        m_expect("bv_array_new", bv_array_new(&s->arr, code, data, n % 17, &err), &err, &ok);
        obj = bv_array_exporter(s->arr);
        break;
    }
    default:
        s->has_fz = true;
        if (!fz_build(&s->fz, in)) {
            m_outcome refused = m_err(BV_BUFFER_ERROR, "exporter 'fuzzbuf' returned a buffer "
                                                       "bufview cannot represent");
            m_expect("bv_view_from(unsized format)", bv_view_from(&s->base, &s->fz.base, &err),
                     &err, &refused);
            M_CHECK(s->fz.exports == 0, "a refused buffer was not given back");
            fz_free(&s->fz);
            s->has_fz = false;
            m_expect("bv_bytes_new", bv_bytes_new(&s->bytes, data, n, &err), &err, &ok);
            obj = bv_bytes_exporter(s->bytes);
            break;
        }
        obj = &s->fz.base;
        break;
    }
    m_expect("bv_view_from", bv_view_from(&s->base, obj, &err), &err, &ok);
    switch (in_u8(in) % 6) {
    case 0: {   /* a slice: often not contiguous */
        bv_slice sl = in_slice(in, s->base.ndim > 0 ? v_shape(&s->base)[0] : 0);
        if (bv_view_slice(&s->view, &s->base, sl, NULL) == BV_OK)
            return;
        break;
    }
    case 1: {   /* N-D through a byte cast */
        bv_view bytes;
        if (bv_view_cast(&bytes, &s->base, "B", NULL) == BV_OK) {
            ptrdiff_t nd;
            bool null_shape;
            ptrdiff_t *shape = in_shape(in, bytes.len, &nd, &null_shape);
            bv_status st = bv_view_cast_shape(&s->view, &bytes, "B", shape, nd, NULL);
            free(shape);
            bv_view_release(&bytes, NULL);
            if (st == BV_OK)
                return;
        }
        break;
    }
    case 2:
        if (bv_view_toreadonly(&s->view, &s->base, NULL) == BV_OK)
            return;
        break;
    case 3:   /* released: every cast must say so */
        m_expect("bv_view_from_view", bv_view_from_view(&s->view, &s->base, &err), &err, &ok);
        m_expect("bv_view_release", bv_view_release(&s->view, &err), &err, &ok);
        return;
    default:
        break;
    }
    m_expect("bv_view_from_view", bv_view_from_view(&s->view, &s->base, &err), &err, &ok);
}

static void source_free(source *s)
{
    bv_error err;
    m_outcome ok = m_ok();
    m_expect("release source", bv_view_release(&s->view, &err), &err, &ok);
    m_expect("release base", bv_view_release(&s->base, &err), &err, &ok);
    if (s->ba)
        M_CHECK(bv_bytearray_exports(s->ba) == 0, "bytearray exports left");
    if (s->arr)
        M_CHECK(bv_array_exports(s->arr) == 0, "array exports left");
    bv_bytes_decref(s->bytes);
    bv_bytearray_decref(s->ba);
    bv_array_decref(s->arr);
    if (s->has_fz)
        fz_free(&s->fz);
}

static void try_cast(const bv_view *src, m_input *in, int depth)
{
    uint8_t sel = in_u8(in);
    char *fmt;
    if (sel < 0xe0)
        fmt = dup_string(cast_formats[sel % (sizeof cast_formats / sizeof cast_formats[0])]);
    else if (sel < 0xfe)
        fmt = in_string(in, 4);
    else
        fmt = NULL;
    bool has_shape = in_u8(in) & 1;
    ptrdiff_t ndim = 1;
    bool null_shape = false;
    char dc = m_native_char(fmt);
    ptrdiff_t items = dc ? src->len / m_native_size(dc) : src->len;
    ptrdiff_t *shape = has_shape ? in_shape(in, items, &ndim, &null_shape) : NULL;
    const ptrdiff_t *pass = null_shape ? NULL : shape;

    bv_view out;
    memset(&out, 0x5a, sizeof out);
    bv_view untouched = out;
    bv_error err;
    m_layout l = layout_of(src);
    m_outcome want = m_cast(&l, fmt, pass, ndim, has_shape);
    bv_status st = has_shape ? bv_view_cast_shape(&out, src, fmt, pass, ndim, &err)
                             : bv_view_cast(&out, src, fmt, &err);
    m_expect(has_shape ? "bv_view_cast_shape" : "bv_view_cast", st, &err, &want);
    if (st != BV_OK) {
        M_CHECK(memcmp(&out, &untouched, sizeof out) == 0, "failed cast wrote its out view");
    } else {
        check_cast_result(src, &out, fmt, pass, ndim, has_shape);
        if (depth < 2)
            try_cast(&out, in, depth + 1);   /* and back again, or further */
        m_outcome ok = m_ok();
        m_expect("release cast", bv_view_release(&out, &err), &err, &ok);
    }
    free(shape);
    free(fmt);
}

static void fuzz_cast(m_input *in)
{
    source s;
    source_build(&s, in);
    try_cast(&s.view, in, 0);
    source_free(&s);
}

/* ---- hex() ---------------------------------------------------------------------------- */

static void fuzz_hex(m_input *in)
{
    source s;
    source_build(&s, in);
    static const char *seps[] = {NULL, ":", " ", "", "ab", "\xc3\xa9", "\x80", "-", "\x7f"};
    uint8_t sel = in_u8(in);
    char *sep = sel < 0xf0 ? (seps[sel % 9] ? dup_string(seps[sel % 9]) : NULL) : in_string(in, 3);
    ptrdiff_t per = in_index(in, 3);
    const bv_view *v = &s.view;
    m_outcome want = m_ok();
    if (bv_view_is_released(v)) {
        want = m_err(BV_VALUE_ERROR, "operation forbidden on released memoryview object");
    } else if (sep != NULL) {
        size_t chars = 0;
        for (const unsigned char *p = (const unsigned char *)sep; *p; p++)
            chars += (*p & 0xc0) != 0x80;
        if (chars != 1)
            want = m_err(BV_VALUE_ERROR, "sep must be length 1.");
        else if ((unsigned char)sep[0] >= 0x80)
            want = m_err(BV_VALUE_ERROR, "sep must be ASCII.");
    }
    char *got = NULL;
    bv_error err;
    m_expect("bv_view_hex", bv_view_hex(v, sep, per, &got, &err), &err, &want);
    if (want.kind == BV_OK) {
        /* The bytes in C order, gathered by the model from the layout. */
        size_t n = (size_t)v->len;
        unsigned char *bytes = malloc(n + 1);
        const ptrdiff_t *shape = v_shape(v), *strides = v_strides(v);
        size_t items = n / (size_t)v->itemsize;
        for (size_t i = 0; i < items; i++) {
            size_t rest = i;
            m_int off = 0;
            for (int k = v->ndim - 1; k >= 0; k--) {
                off += (m_int)(rest % (size_t)shape[k]) * strides[k];
                rest /= (size_t)shape[k];
            }
            memcpy(bytes + i * (size_t)v->itemsize, v->buf + (ptrdiff_t)off, (size_t)v->itemsize);
        }
        char *model = malloc(3 * n + 1);
        m_hex(bytes, n, sep ? sep[0] : 0, per, model);
        M_CHECK(strcmp(got, model) == 0, "hex: \"%s\", model \"%s\"", got, model);
        free(model);
        free(bytes);
        bv_free(got);
    }
    free(sep);
    source_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    m_input in = {data, size};
    switch (in_u8(&in) % 8) {
    case 0: fuzz_format_string(&in); break;
    case 1: fuzz_pack(&in); break;
    case 2: fuzz_unpack(&in); break;
    case 3: fuzz_value_equal(&in); break;
    case 4: fuzz_slice_adjust(&in); break;
    case 5: fuzz_hex(&in); break;
    default: fuzz_cast(&in); break;
    }
    return 0;
}
