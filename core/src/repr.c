/*
 * repr.c: Python's repr() for the values bufview hands out, byte for byte, so lessons
 * can diff their output against CPython's; plus the growable string they are built in.
 *
 * Every bv_repr_* call either appends its whole text or leaves the string exactly as it
 * was: simple reprs reserve their full length before writing, nested ones are built in a
 * scratch string and appended in one step.
 */
#include "bufview/repr.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bufview/memory.h"
#include "internal.h"

/* ---- bv_str ----------------------------------------------------------------------- */

void bv_str_free(bv_str *s)
{
    if (s == NULL)
        return;
    bv_free(s->data);
    s->data = NULL;
    s->len = 0;
    s->cap = 0;
}

const char *bv_str_cstr(const bv_str *s)
{
    return s != NULL && s->data != NULL ? s->data : "";
}

/* Make room for extra more bytes plus the NUL. Only the capacity changes. When the text
 * moves to a bigger buffer the old one is handed back in *old for the caller to free
 * after copying, so appending a string's own text to itself stays valid. */
static bv_status str_reserve_keep(bv_str *s, size_t extra, char **old, bv_error *err)
{
    *old = NULL;
    if (s->len > SIZE_MAX - 1 || extra > SIZE_MAX - 1 - s->len)
        return bvi_error_nomem(err);
    size_t need = s->len + extra + 1;
    if (s->data != NULL && need <= s->cap)
        return BV_OK;
    /* Geometric growth keeps a run of appends linear; no realloc in the allocator hook. */
    size_t cap = s->cap < 32 ? 32 : s->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = bv_malloc(cap);
    if (data == NULL)
        return bvi_error_nomem(err);
    if (s->data != NULL)
        memcpy(data, s->data, s->len);
    data[s->len] = '\0';
    *old = s->data;
    s->data = data;
    s->cap = cap;
    return BV_OK;
}

/* Append after a successful str_reserve_keep: cannot fail. */
static void str_put(bv_str *s, const char *text, size_t len)
{
    if (len != 0)
        memmove(s->data + s->len, text, len);
    s->len += len;
    s->data[s->len] = '\0';
}

static void str_putc(bv_str *s, char c)
{
    str_put(s, &c, 1);
}

bv_status bv_str_append(bv_str *s, const char *text, size_t len, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    BVI_REQUIRE(text != NULL || len == 0, err, "text", "must not be NULL when len > 0");
    char *old;
    bv_status st = str_reserve_keep(s, len, &old, err);
    if (st != BV_OK)
        return st;
    str_put(s, text, len);
    bv_free(old);
    return BV_OK;
}

static bv_status append_cstr(bv_str *s, const char *text, bv_error *err)
{
    return bv_str_append(s, text, strlen(text), err);
}

/* ---- bytes ------------------------------------------------------------------------ */

/* bytes.__repr__: single quotes unless the data has ' and no ". */
static char bytes_quote(const unsigned char *p, size_t len)
{
    bool single = false, dbl = false;
    for (size_t k = 0; k < len; k++) {
        single = single || p[k] == '\'';
        dbl = dbl || p[k] == '"';
    }
    return single && !dbl ? '"' : '\'';
}

/* bytes escapes the quote it chose; bytearray's repr (CPython's own quirk) escapes ' even
 * inside double quotes: bytearray(b"\'"). Either way `escaped` is the quote to backslash. */
static size_t byte_repr_len(unsigned char b, char escaped)
{
    if (b == (unsigned char)escaped || b == '\\' || b == '\t' || b == '\n' || b == '\r')
        return 2;
    if (b < 0x20 || b >= 0x7f)
        return 4;
    return 1;
}

static void put_byte_repr(bv_str *s, unsigned char b, char escaped)
{
    static const char hex[] = "0123456789abcdef";
    char esc[4] = {'\\', 0, 0, 0};
    if (b == (unsigned char)escaped || b == '\\') {
        esc[1] = (char)b;
        str_put(s, esc, 2);
    } else if (b == '\t' || b == '\n' || b == '\r') {
        esc[1] = b == '\t' ? 't' : b == '\n' ? 'n' : 'r';
        str_put(s, esc, 2);
    } else if (b < 0x20 || b >= 0x7f) {
        esc[1] = 'x';
        esc[2] = hex[b >> 4];
        esc[3] = hex[b & 0xf];
        str_put(s, esc, 4);
    } else {
        str_putc(s, (char)b);
    }
}

/* prefix + b'...' + suffix, reserved in one go so failure leaves s as it was. */
static bv_status repr_bytes_wrapped(bv_str *s, bool bytearray, const void *data, size_t len,
                                    bv_error *err)
{
    bv_status st;
    const unsigned char *p = data;
    char quote = bytes_quote(p, len);
    char escaped = bytearray ? '\'' : quote;
    const char *prefix = bytearray ? "bytearray(" : "";
    const char *suffix = bytearray ? ")" : "";
    size_t plen = strlen(prefix), slen = strlen(suffix);
    size_t total = plen + 3 + slen;  /* b, two quotes */
    for (size_t k = 0; k < len; k++) {
        size_t add = byte_repr_len(p[k], escaped);
        if (total > SIZE_MAX - add)
            return bvi_error_nomem(err);
        total += add;
    }
    char *old;  /* data may be s's own text: keep it alive until it is copied */
    if ((st = str_reserve_keep(s, total, &old, err)) != BV_OK)
        return st;
    str_put(s, prefix, plen);
    str_putc(s, 'b');
    str_putc(s, quote);
    for (size_t k = 0; k < len; k++)
        put_byte_repr(s, p[k], escaped);
    str_putc(s, quote);
    str_put(s, suffix, slen);
    bv_free(old);
    return BV_OK;
}

bv_status bv_repr_bytes(bv_str *s, const void *data, size_t len, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    BVI_REQUIRE(data != NULL || len == 0, err, "data", "must not be NULL when len > 0");
    return repr_bytes_wrapped(s, false, data, len, err);
}

bv_status bv_repr_bytearray(bv_str *s, const void *data, size_t len, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    BVI_REQUIRE(data != NULL || len == 0, err, "data", "must not be NULL when len > 0");
    return repr_bytes_wrapped(s, true, data, len, err);
}

/* ---- floats ----------------------------------------------------------------------- */

/* Whether M * 10**E reads back (strtod is correctly rounded) as a. */
static bool reads_back(uint64_t m, int e, double a)
{
    char text[48];
    snprintf(text, sizeof text, "%" PRIu64 "e%d", m, e);
    return strtod(text, NULL) == a;
}

/* The shortest decimal M * 10**E that reads back as a > 0 (finite), and among those the
 * closest to a, as David Gay's dtoa mode 0 (CPython's repr) picks it. glibc's printf is
 * correctly rounded, so for each number of digits the nearest candidate is "%.*e"; at a
 * power of two the interval that reads back is lopsided and the nearest candidate can
 * fall just outside it while its neighbour on the wide side is inside, so that neighbour
 * is tried too (only one of the two can be inside when the nearest is not). */
static void shortest_digits(double a, uint64_t *mant, int *exp_last)
{
    for (int prec = 0; prec <= 16; prec++) {
        char sci[40];
        snprintf(sci, sizeof sci, "%.*e", prec, a);
        const char *e = strchr(sci, 'e');
        if (e == NULL)
            break;
        uint64_t m = 0;
        /* Only digits: the decimal point printf writes depends on the locale. */
        for (const char *q = sci; q < e; q++)
            if (*q >= '0' && *q <= '9')
                m = m * 10 + (uint64_t)(*q - '0');
        int last = atoi(e + 1) - prec;
        if (reads_back(m, last, a) || prec == 16) {
            *mant = m;
            *exp_last = last;
            return;
        }
        if (reads_back(m + 1, last, a)) {
            *mant = m + 1;
            *exp_last = last;
            return;
        }
        if (m > 1 && reads_back(m - 1, last, a)) {
            *mant = m - 1;
            *exp_last = last;
            return;
        }
    }
    /* Not reached for finite a: 17 significant digits always read back. */
    *mant = 0;
    *exp_last = 0;
}

/* float.__repr__ (PyOS_double_to_string with mode 'r' and Py_DTSF_ADD_DOT_0) into buf. */
static void format_float(double d, char *buf, size_t cap)
{
    if (isnan(d)) {
        snprintf(buf, cap, "nan");  /* Python prints NaN unsigned, whatever its sign bit */
        return;
    }
    if (isinf(d)) {
        snprintf(buf, cap, d < 0 ? "-inf" : "inf");
        return;
    }
    if (d == 0.0) {
        snprintf(buf, cap, signbit(d) ? "-0.0" : "0.0");
        return;
    }

    uint64_t mant;
    int exp_last;
    bool negative = d < 0;
    shortest_digits(fabs(d), &mant, &exp_last);
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, mant);
    size_t ndigits = n > 0 ? (size_t)n : 0;
    while (ndigits > 1 && digits[ndigits - 1] == '0') {
        ndigits--;
        exp_last++;
    }
    int exp10 = exp_last + (int)ndigits - 1;  /* exponent of the first digit */

    /* decpt: position of the decimal point relative to the digits (value = 0.DIGITS * 10**decpt).
     * CPython switches to exponent notation when decpt <= -4 or decpt > 16. */
    int decpt = exp10 + 1;
    char *out = buf;
    char *end = buf + cap - 1;
#define PUT(ch) do { if (out < end) *out++ = (ch); } while (0)
    if (negative)
        PUT('-');
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            PUT('0');
            PUT('.');
            for (int k = 0; k < -decpt; k++)
                PUT('0');
            for (size_t k = 0; k < ndigits; k++)
                PUT(digits[k]);
        } else if ((size_t)decpt < ndigits) {
            for (size_t k = 0; k < ndigits; k++) {
                if (k == (size_t)decpt)
                    PUT('.');
                PUT(digits[k]);
            }
        } else {
            for (size_t k = 0; k < ndigits; k++)
                PUT(digits[k]);
            for (size_t k = ndigits; k < (size_t)decpt; k++)
                PUT('0');
            PUT('.');
            PUT('0');
        }
        *out = '\0';
    } else {
        PUT(digits[0]);
        if (ndigits > 1) {
            PUT('.');
            for (size_t k = 1; k < ndigits; k++)
                PUT(digits[k]);
        }
        *out = '\0';
        size_t used = (size_t)(out - buf);
        snprintf(out, cap - used, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    }
#undef PUT
}

bv_status bv_repr_float(bv_str *s, double d, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    char buf[48];
    format_float(d, buf, sizeof buf);
    return append_cstr(s, buf, err);
}

/* ---- values ----------------------------------------------------------------------- */

bv_status bv_repr_value(bv_str *s, bv_value v, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    char buf[32];
    switch (v.kind) {
    case BV_VALUE_INT:
        snprintf(buf, sizeof buf, "%" PRId64, v.as.i);
        return append_cstr(s, buf, err);
    case BV_VALUE_UINT:
        snprintf(buf, sizeof buf, "%" PRIu64, v.as.u);
        return append_cstr(s, buf, err);
    case BV_VALUE_FLOAT:
        return bv_repr_float(s, v.as.f, err);
    case BV_VALUE_BOOL:
        return append_cstr(s, bv_value_truthy(v) ? "True" : "False", err);
    case BV_VALUE_BYTES:
        /* Only the first byte is kept, so longer bytes cannot be shown faithfully. */
        if (v.as.bytes.len > 1)
            return bv_error_set(err, BV_VALUE_ERROR,
                                "cannot repr a bytes value of length %zu: only its first byte "
                                "is kept", v.as.bytes.len);
        return bv_repr_bytes(s, &v.as.bytes.first, v.as.bytes.len, err);
    }
    return bv_error_set(err, BV_VALUE_ERROR, "unknown bv_value kind %d", (int)v.kind);
}

/* ---- lists ------------------------------------------------------------------------ */

/* Items [*next, ...) of one sub-list at dimension dim, in C order. */
static bv_status repr_level(bv_str *s, const bv_list *list, int dim, ptrdiff_t *next,
                            bv_error *err)
{
    bv_status st = bv_str_append(s, "[", 1, err);
    for (ptrdiff_t k = 0; st == BV_OK && k < list->shape[dim]; k++) {
        if (k > 0)
            st = bv_str_append(s, ", ", 2, err);
        if (st != BV_OK)
            break;
        if (dim + 1 < list->ndim)
            st = repr_level(s, list, dim + 1, next, err);
        else
            st = bv_repr_value(s, list->items[(*next)++], err);
    }
    if (st == BV_OK)
        st = bv_str_append(s, "]", 1, err);
    return st;
}

bv_status bv_repr_list(bv_str *s, const bv_list *list, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    BVI_REQUIRE_NONNULL(list, err);
    if (list->ndim < 0 || (list->ndim > 0 && list->shape == NULL) ||
        (list->count > 0 && list->items == NULL))
        return bv_error_set(err, BV_VALUE_ERROR, "malformed bv_list");
    /* The items must be exactly product(shape), or the walk would read out of bounds. */
    ptrdiff_t want = 1;
    for (int k = 0; k < list->ndim; k++) {
        ptrdiff_t n = list->shape[k];
        if (n < 0)
            return bv_error_set(err, BV_VALUE_ERROR, "malformed bv_list");
        if (want != 0 && n > PTRDIFF_MAX / want)
            return bv_error_set(err, BV_VALUE_ERROR, "malformed bv_list");
        want *= n;
    }
    if (list->count != want)
        return bv_error_set(err, BV_VALUE_ERROR, "malformed bv_list");

    if (list->ndim == 0)
        return bv_repr_value(s, list->items[0], err);

    bv_str scratch = {0};
    ptrdiff_t next = 0;
    bv_status st = repr_level(&scratch, list, 0, &next, err);
    if (st == BV_OK)
        st = bv_str_append(s, scratch.data, scratch.len, err);
    bv_str_free(&scratch);
    return st;
}

/* ---- views ------------------------------------------------------------------------ */

bv_status bv_repr_view(bv_str *s, const bv_view *v, bv_error *err)
{
    BVI_REQUIRE_NONNULL(s, err);
    BVI_REQUIRE_NONNULL(v, err);
    char buf[64];
    /* CPython formats the object's address with %p; glibc's %p is 0x + lowercase hex. */
    snprintf(buf, sizeof buf, "<%smemory at %p>", bv_view_is_released(v) ? "released " : "",
             (const void *)v);
    return append_cstr(s, buf, err);
}

/* ---- printing --------------------------------------------------------------------- */

static int print_str(FILE *out, bv_str *s, bv_status st)
{
    int rc = -1;
    if (st == BV_OK && fputs(bv_str_cstr(s), out) >= 0)
        rc = 0;
    bv_str_free(s);
    return rc;
}

int bv_print_value(FILE *out, bv_value v)
{
    if (out == NULL)
        return -1;
    bv_str s = {0};
    return print_str(out, &s, bv_repr_value(&s, v, NULL));
}

int bv_print_bytes(FILE *out, const void *data, size_t len)
{
    if (out == NULL)
        return -1;
    bv_str s = {0};
    return print_str(out, &s, bv_repr_bytes(&s, data, len, NULL));
}

int bv_print_bytearray(FILE *out, const void *data, size_t len)
{
    if (out == NULL)
        return -1;
    bv_str s = {0};
    return print_str(out, &s, bv_repr_bytearray(&s, data, len, NULL));
}

int bv_print_list(FILE *out, const bv_list *list)
{
    if (out == NULL)
        return -1;
    bv_str s = {0};
    return print_str(out, &s, bv_repr_list(&s, list, NULL));
}
