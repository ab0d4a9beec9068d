/*
 * A tiny reference model of CPython's memoryview rules for the fuzz harnesses, written
 * without calling bufview: Python values, item decoding and encoding for each native
 * format character (and, where bufview goes beyond CPython, for byte-order formats such
 * as "<i"), struct.calcsize and the values struct.unpack reads from a whole item,
 * Python's == between values, slice.indices() arithmetic and hex().
 * The harnesses compare bufview's answers with these and abort() on any difference.
 *
 * Kept independent on purpose: where bufview computes something one way (half floats by
 * frexp, slices with ptrdiff_t), the model does it another (a table of every half value,
 * 128-bit integers), so a shared mistake is unlikely.
 */
#ifndef BUFVIEW_FUZZ_MODEL_H
#define BUFVIEW_FUZZ_MODEL_H

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bufview/bufview.h"

typedef __int128 m_int;

/* Each harness uses a different subset of the model. */
#define M_FN static __attribute__((unused))

/* ---- failing loudly ----------------------------------------------------------------- */

M_FN __attribute__((noreturn, format(printf, 1, 2))) void m_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("MODEL MISMATCH: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

#define M_CHECK(cond, ...)            \
    do {                              \
        if (!(cond))                  \
            m_fail(__VA_ARGS__);      \
    } while (0)

/* An expected outcome: BV_OK or an error kind with CPython's message. */
typedef struct m_outcome {
    bv_status kind;
    char message[BV_ERROR_MESSAGE_MAX];
} m_outcome;

M_FN m_outcome m_ok(void)
{
    m_outcome o;
    memset(&o, 0, sizeof o);
    o.kind = BV_OK;
    return o;
}

M_FN __attribute__((format(printf, 2, 3))) m_outcome m_err(bv_status kind, const char *fmt, ...)
{
    m_outcome o;
    memset(&o, 0, sizeof o);
    o.kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o.message, sizeof o.message, fmt, ap);
    va_end(ap);
    return o;
}

/* With BV_FUZZ_STATS=1 in the environment, a harness prints how often each call
 * succeeded and failed, to show which paths the corpus reaches. */
typedef struct m_stat {
    const char *what;
    unsigned long ok, failed;
} m_stat;
static m_stat m_stats[64];

M_FN void m_stats_print(void)
{
    for (int k = 0; k < 64 && m_stats[k].what; k++)
        fprintf(stderr, "%-32s ok %10lu  error %10lu\n", m_stats[k].what, m_stats[k].ok,
                m_stats[k].failed);
}

M_FN void m_count_call(const char *what, bool ok)
{
    static int enabled = -1;
    if (enabled < 0) {
        enabled = getenv("BV_FUZZ_STATS") != NULL;
        if (enabled)
            atexit(m_stats_print);
    }
    if (!enabled)
        return;
    for (int k = 0; k < 64; k++) {
        if (m_stats[k].what == NULL)
            m_stats[k].what = what;
        if (strcmp(m_stats[k].what, what) == 0) {
            if (ok)
                m_stats[k].ok++;
            else
                m_stats[k].failed++;
            return;
        }
    }
}

/* The call returned st with err filled; it must be what the model predicted. */
M_FN void m_expect(const char *what, bv_status st, const bv_error *err, const m_outcome *want)
{
    m_count_call(what, st == BV_OK);
    if (st != want->kind)
        m_fail("%s: bufview returned %s (%s), model expects %s (%s)", what, bv_status_name(st),
               st != BV_OK ? err->message : "", bv_status_name(want->kind), want->message);
    if (st != BV_OK && (err->kind != st || strcmp(err->message, want->message) != 0))
        m_fail("%s: error %s \"%s\", model expects \"%s\"", what, bv_status_name(err->kind),
               err->message, want->message);
}

/* ---- Python values ------------------------------------------------------------------ */

enum { MV_INT, MV_FLOAT, MV_BOOL, MV_BYTES };

typedef struct m_value {
    int kind;
    bool from_unsigned;   /* an int read from an unsigned format (bufview says UINT) */
    m_int i;              /* MV_INT, and MV_BOOL as 0/1 */
    double f;
    size_t blen;          /* MV_BYTES */
    unsigned char bfirst;
    const unsigned char *bptr;   /* MV_BYTES from the struct model: all blen bytes */
} m_value;

M_FN m_value m_from_bv(bv_value v)
{
    m_value m;
    memset(&m, 0, sizeof m);
    switch (v.kind) {
    case BV_VALUE_INT: m.kind = MV_INT; m.i = v.as.i; break;
    case BV_VALUE_UINT: m.kind = MV_INT; m.i = (m_int)v.as.u; m.from_unsigned = true; break;
    case BV_VALUE_FLOAT: m.kind = MV_FLOAT; m.f = v.as.f; break;
    case BV_VALUE_BOOL: m.kind = MV_BOOL; m.i = v.as.b ? 1 : 0; break;
    default: m.kind = MV_BYTES; m.blen = v.as.bytes.len; m.bfirst = v.as.bytes.first; break;
    }
    return m;
}

M_FN bool m_truthy(const m_value *v)
{
    switch (v->kind) {
    case MV_INT:
    case MV_BOOL: return v->i != 0;
    case MV_FLOAT: return v->f != 0.0;   /* NaN is true */
    default: return v->blen != 0;
    }
}

M_FN bool m_is_int(const m_value *v)
{
    return v->kind == MV_INT || v->kind == MV_BOOL;
}

/* Python's int == float: only an integral float with exactly that value. */
M_FN bool m_int_eq_float(m_int i, double f)
{
    if (!isfinite(f) || f != trunc(f))
        return false;
    if (fabs(f) >= 0x1p126)
        return false;   /* beyond any value our ints take */
    return (m_int)f == i;
}

M_FN bool m_py_equal(const m_value *a, const m_value *b)
{
    if (m_is_int(a) && m_is_int(b))
        return a->i == b->i;
    if (m_is_int(a) && b->kind == MV_FLOAT)
        return m_int_eq_float(a->i, b->f);
    if (a->kind == MV_FLOAT && m_is_int(b))
        return m_int_eq_float(b->i, a->f);
    if (a->kind == MV_FLOAT && b->kind == MV_FLOAT)
        return a->f == b->f;
    if (a->kind == MV_BYTES && b->kind == MV_BYTES) {
        if (a->bptr != NULL && b->bptr != NULL)
            return a->blen == b->blen && (a->blen == 0 || memcmp(a->bptr, b->bptr, a->blen) == 0);
        return a->blen == b->blen && (a->blen == 0 || a->bfirst == b->bfirst);
    }
    return false;
}

/* ---- format characters -------------------------------------------------------------- */

/* Native item size (struct '@' mode) of a memoryview format character, 0 if none. */
M_FN int m_native_size(char c)
{
    switch (c) {
    case 'c': case 'b': case 'B': case '?': return 1;
    case 'h': case 'H': case 'e': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': case 'q': case 'Q': case 'n': case 'N': case 'd': case 'P': return 8;
    default: return 0;
    }
}

/* get_native_fmtchar(): "X" or "@X" with X native; 0 otherwise. NULL means "B". */
M_FN char m_native_char(const char *fmt)
{
    if (fmt == NULL)
        return 'B';
    if (fmt[0] == '@')
        fmt++;
    if (fmt[0] == '\0' || fmt[1] != '\0')
        return 0;
    return m_native_size(fmt[0]) ? fmt[0] : 0;
}

/* memoryview's adjust_fmt() for item access. */
M_FN m_outcome m_item_format(const char *fmt, char *c)
{
    if (fmt == NULL)
        fmt = "B";
    const char *f = fmt[0] == '@' ? fmt + 1 : fmt;
    if (f[0] == '\0' || f[1] != '\0')
        return m_err(BV_NOT_IMPLEMENTED_ERROR, "memoryview: unsupported format %s", fmt);
    if (!m_native_size(f[0]))
        return m_err(BV_NOT_IMPLEMENTED_ERROR, "memoryview: format %s not supported", f);
    *c = f[0];
    return m_ok();
}

M_FN bool m_is_signed_int(char c)
{
    return c == 'b' || c == 'h' || c == 'i' || c == 'l' || c == 'q' || c == 'n';
}
M_FN bool m_is_unsigned_int(char c)
{
    return c == 'B' || c == 'H' || c == 'I' || c == 'L' || c == 'Q' || c == 'N' || c == 'P';
}

/* ---- half floats: a table of every finite non-negative binary16 value ----------------- */

static double m_half_table[0x7c00];
static bool m_half_ready;

M_FN double m_half_decode(uint16_t h)
{
    int e = (h >> 10) & 31, f = h & 1023;
    double x;
    if (e == 31)
        x = f ? NAN : INFINITY;
    else if (e == 0)
        x = f * 0x1p-24;
    else
        x = (1024 + f) * pow(2.0, e - 25);
    return (h & 0x8000) ? -x : x;
}

M_FN void m_half_init(void)
{
    if (m_half_ready)
        return;
    for (unsigned h = 0; h < 0x7c00; h++)
        m_half_table[h] = m_half_decode((uint16_t)h);
    m_half_ready = true;
}

/* Nearest half, ties to even; false when it would round beyond 65504. */
M_FN bool m_half_encode(double x, uint16_t *out)
{
    m_half_init();
    uint16_t sign = signbit(x) ? 0x8000 : 0;
    if (isnan(x)) {
        *out = sign | 0x7e00;
        return true;
    }
    double a = fabs(x);
    if (isinf(a)) {
        *out = sign | 0x7c00;
        return true;
    }
    /* The "next" value after 65504 is 65536 (exponent 31, an even code): reaching it is
     * overflow, as PyFloat_Pack2 reports. */
    if (a > 65504.0) {
        double below = 65504.0 - a, above = 65536.0 - a;
        if (-below < above)
            *out = sign | 0x7bff;
        else
            return false;   /* nearer to (or tied with, even code) 65536 */
        return true;
    }
    unsigned lo = 0, hi = 0x7bff;   /* largest code with table[code] <= a */
    while (lo < hi) {
        unsigned mid = (lo + hi + 1) / 2;
        if (m_half_table[mid] <= a)
            lo = mid;
        else
            hi = mid - 1;
    }
    unsigned code = lo;
    if (m_half_table[code] != a && code < 0x7bff) {
        double dlo = a - m_half_table[code], dhi = m_half_table[code + 1] - a;
        if (dhi < dlo || (dhi == dlo && ((code + 1) & 1) == 0))
            code++;
    }
    *out = (uint16_t)(sign | code);
    return true;
}

/* ---- item decoding and encoding ----------------------------------------------------- */

M_FN m_int m_load_uint(const unsigned char *p, int size)
{
    uint64_t u = 0;
    for (int k = size - 1; k >= 0; k--)   /* little-endian, as on this machine */
        u = (u << 8) | p[k];
    return (m_int)u;
}

M_FN m_int m_load_int(const unsigned char *p, int size)
{
    m_int u = m_load_uint(p, size);
    m_int half = (m_int)1 << (8 * size - 1);
    return u >= half ? u - 2 * half : u;
}

M_FN void m_store_int(unsigned char *p, int size, m_int v)
{
    for (int k = 0; k < size; k++) {
        p[k] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* The Python value of character c stored in `size` little-endian bytes at p: memoryview's
 * native items (size = the native size) and struct's standard ones ("<l" is 4 bytes). */
M_FN m_value m_decode_sized(char c, int size, const unsigned char *p)
{
    m_value v;
    memset(&v, 0, sizeof v);
    if (m_is_signed_int(c)) {
        v.kind = MV_INT;
        v.i = m_load_int(p, size);
    } else if (m_is_unsigned_int(c)) {
        v.kind = MV_INT;
        v.from_unsigned = true;
        v.i = m_load_uint(p, size);
    } else if (c == '?') {
        v.kind = MV_BOOL;
        v.i = p[0] != 0;
    } else if (c == 'c') {
        v.kind = MV_BYTES;
        v.blen = 1;
        v.bfirst = p[0];
    } else if (c == 'f') {
        float f;
        memcpy(&f, p, 4);
        v.kind = MV_FLOAT;
        v.f = f;
    } else if (c == 'd') {
        v.kind = MV_FLOAT;
        memcpy(&v.f, p, 8);
    } else if (c == 'e') {
        v.kind = MV_FLOAT;
        v.f = m_half_decode((uint16_t)m_load_uint(p, 2));
    } else {
        m_fail("m_decode: not an item format '%c'", c);
    }
    return v;
}

/* The Python value memoryview reads at p for native character c. */
M_FN m_value m_decode(char c, const unsigned char *p)
{
    if (m_native_size(c) == 0)
        m_fail("m_decode: not a native format '%c'", c);
    return m_decode_sized(c, m_native_size(c), p);
}

/* What bufview handed back must be exactly the model's value, kind included. */
M_FN void m_expect_value(const char *what, bv_value got, const m_value *want)
{
    bool same = false;
    switch (got.kind) {
    case BV_VALUE_INT:
        same = want->kind == MV_INT && !want->from_unsigned && want->i == got.as.i;
        break;
    case BV_VALUE_UINT:
        same = want->kind == MV_INT && want->from_unsigned && want->i == (m_int)got.as.u;
        break;
    case BV_VALUE_FLOAT:
        same = want->kind == MV_FLOAT &&
               ((isnan(want->f) && isnan(got.as.f)) ||
                memcmp(&want->f, &got.as.f, sizeof(double)) == 0);
        break;
    case BV_VALUE_BOOL:
        same = want->kind == MV_BOOL && (want->i != 0) == got.as.b;
        break;
    case BV_VALUE_BYTES:
        same = want->kind == MV_BYTES && want->blen == got.as.bytes.len &&
               (want->blen == 0 || want->bfirst == got.as.bytes.first);
        break;
    }
    if (!same)
        m_fail("%s: value kind %d (i=%lld u=%llu f=%g) differs from the model (kind %d)", what,
               (int)got.kind, (long long)got.as.i, (unsigned long long)got.as.u, got.as.f,
               want->kind);
}

/* memoryview's pack_single() for character c in `size` little-endian bytes: the outcome
 * of writing v, and the bytes written. Messages quote `name`. nan_written tells the
 * caller that any NaN encoding is acceptable (payloads differ). */
M_FN m_outcome m_encode_sized(char c, int size, const char *name, const m_value *v,
                              unsigned char *out, bool *nan_written)
{
    *nan_written = false;
    if (c == '?') {
        out[0] = m_truthy(v) ? 1 : 0;
        return m_ok();
    }
    if (c == 'c') {
        if (v->kind != MV_BYTES)
            return m_err(BV_TYPE_ERROR, "memoryview: invalid type for format '%s'", name);
        if (v->blen != 1)
            return m_err(BV_VALUE_ERROR, "memoryview: invalid value for format '%s'", name);
        out[0] = v->bfirst;
        return m_ok();
    }
    if (c == 'f' || c == 'd' || c == 'e') {
        double d;
        if (v->kind == MV_FLOAT)
            d = v->f;
        else if (m_is_int(v))
            d = (double)v->i;
        else
            return m_err(BV_TYPE_ERROR, "memoryview: invalid type for format '%s'", name);
        *nan_written = isnan(d);
        if (c == 'd') {
            memcpy(out, &d, 8);
        } else if (c == 'f') {
            float f = (float)d;   /* IEEE 754 narrowing, defined by Annex F */
            memcpy(out, &f, 4);
        } else {
            uint16_t h;
            if (!m_half_encode(d, &h))
                return m_err(BV_VALUE_ERROR, "memoryview: invalid value for format '%s'", name);
            m_store_int(out, 2, h);
        }
        return m_ok();
    }
    if (!m_is_int(v))
        return m_err(BV_TYPE_ERROR, "memoryview: invalid type for format '%s'", name);
    m_int lo, hi;
    if (c == 'P') {
        lo = INT64_MIN;
        hi = (m_int)UINT64_MAX;
    } else if (m_is_signed_int(c)) {
        hi = ((m_int)1 << (8 * size - 1)) - 1;
        lo = -hi - 1;
    } else {
        lo = 0;
        hi = ((m_int)1 << (8 * size)) - 1;
    }
    if (v->i < lo || v->i > hi)
        return m_err(BV_VALUE_ERROR, "memoryview: invalid value for format '%s'", name);
    m_store_int(out, size, v->i);
    return m_ok();
}

M_FN m_outcome m_encode(char c, const m_value *v, unsigned char *out, bool *nan_written)
{
    *nan_written = false;
    int size = m_native_size(c);
    char name[2] = {c, '\0'};
    if (size == 0)
        return m_err(BV_NOT_IMPLEMENTED_ERROR, "memoryview: format %s not supported", name);
    return m_encode_sized(c, size, name, v, out, nan_written);
}

/* ---- struct.calcsize, written from the struct module's documentation ------------------ */

M_FN bool m_struct_entry(char c, bool native, int *size, int *align)
{
    static const char std_chars[] = "xcbB?hHeiIlLqQfd";
    static const int std_sizes[] = {1, 1, 1, 1, 1, 2, 2, 2, 4, 4, 4, 4, 8, 8, 4, 8};
    if (c == '\0')
        return false;
    if (native) {
        if (c == 'x' || c == 's' || c == 'p') {
            *size = 1;
            *align = 1;
            return true;
        }
        int n = m_native_size(c);
        if (n == 0)
            return false;
        *size = n;
        *align = (c == 'c' || c == 'b' || c == 'B' || c == '?') ? 1 : n;
        return true;
    }
    if (c == 's' || c == 'p') {
        *size = 1;
        *align = 1;
        return true;
    }
    const char *hit = strchr(std_chars, c);
    if (hit == NULL)
        return false;
    *size = std_sizes[hit - std_chars];
    *align = 1;
    return true;
}

/* One "<count><character>" of a struct format, where it starts in the item. */
typedef struct m_token {
    char c;
    m_int num, size, offset;
} m_token;

/* struct's grammar: the mode (native sizes and alignment, or standard sizes in big- or
 * little-endian order), the tokens (up to cap of them into toks, which may be NULL) and the
 * item's size; or struct's error. */
M_FN m_outcome m_struct_parse(const char *fmt, bool *native, bool *big, m_token *toks, int cap,
                              int *ntok, m_int *size_out)
{
    const m_int max = PTRDIFF_MAX;
    const char *s = fmt;
    *native = true;
    *big = false;
    *ntok = 0;
    if (*s == '@') {
        s++;
    } else if (*s == '<' || *s == '>' || *s == '!' || *s == '=') {
        *native = false;
        *big = *s == '>' || *s == '!';
        s++;
    }
    m_int size = 0;
    while (*s) {
        char c = *s++;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
            continue;
        m_int num = 1;
        if (c >= '0' && c <= '9') {
            num = c - '0';
            while (*s >= '0' && *s <= '9') {
                num = num * 10 + (*s++ - '0');
                if (num > max)
                    return m_err(BV_VALUE_ERROR, "total struct size too long");
            }
            if (*s == '\0')
                return m_err(BV_VALUE_ERROR, "repeat count given without format specifier");
            c = *s++;
        }
        int isize, align;
        if (!m_struct_entry(c, *native, &isize, &align))
            return m_err(BV_VALUE_ERROR, "bad char in struct format");
        if (size % align != 0)
            size += align - size % align;
        if (size > max)
            return m_err(BV_VALUE_ERROR, "total struct size too long");
        if (toks != NULL && *ntok < cap)
            toks[*ntok] = (m_token){c, num, isize, size};
        ++*ntok;
        size += num * isize;
        if (size > max)
            return m_err(BV_VALUE_ERROR, "total struct size too long");
    }
    *size_out = size;
    return m_ok();
}

M_FN m_outcome m_calcsize(const char *fmt, m_int *size_out)
{
    *size_out = fmt == NULL ? 1 : -1;
    bool native, big;
    int ntok;
    return fmt == NULL ? m_ok() : m_struct_parse(fmt, &native, &big, NULL, 0, &ntok, size_out);
}

/* ---- items with a byte order ('<', '>', '!', '='): bufview beyond CPython ------------ */

/* How bufview reads a view's items: memoryview's own formats, and one standard-size
 * character after a byte-order prefix (the sizes of the struct module's table). */
typedef struct m_item {
    char c;
    int size;
    bool big;            /* stored big-endian ('>' and '!'); this machine is little-endian */
    char name[8];        /* what messages quote */
} m_item;

M_FN int m_standard_size(char c)
{
    int size, align;
    if (c == 'x' || c == 's' || c == 'p' || !m_struct_entry(c, false, &size, &align))
        return 0;
    return size;
}

M_FN m_outcome m_item_of(const char *fmt, m_item *it)
{
    memset(it, 0, sizeof *it);
    if (fmt != NULL && fmt[0] != '\0' && strchr("<>!=", fmt[0]) != NULL && fmt[1] != '\0' &&
        fmt[2] == '\0' && m_standard_size(fmt[1]) != 0) {
        it->c = fmt[1];
        it->size = m_standard_size(fmt[1]);
        it->big = fmt[0] == '>' || fmt[0] == '!';
        memcpy(it->name, fmt, 3);
        return m_ok();
    }
    char c;
    m_outcome o = m_item_format(fmt, &c);
    if (o.kind != BV_OK)
        return o;
    it->c = c;
    it->size = m_native_size(c);
    it->name[0] = c;
    return m_ok();
}

/* The item's bytes in little-endian order. */
M_FN void m_item_bytes(const m_item *it, const unsigned char *p, unsigned char *le)
{
    for (int k = 0; k < it->size; k++)
        le[k] = it->big ? p[it->size - 1 - k] : p[k];
}

M_FN m_value m_item_decode(const m_item *it, const unsigned char *p)
{
    unsigned char le[8];
    m_item_bytes(it, p, le);
    return m_decode_sized(it->c, it->size, le);
}

/* Writing v: the bytes as they are stored (out), or the error. */
M_FN m_outcome m_item_encode(const m_item *it, const m_value *v, unsigned char *out,
                             bool *nan_written)
{
    unsigned char le[8];
    m_outcome o = m_encode_sized(it->c, it->size, it->name, v, le, nan_written);
    if (o.kind == BV_OK)
        m_item_bytes(it, le, out);   /* reversing twice is the identity */
    return o;
}

/* ---- the values struct.unpack reads from one item ------------------------------------- */

/* Up to `cap` values of the item at p with format fmt (which m_calcsize accepted); their
 * count. Bytes values (c, s, p) point into the item. */
M_FN int m_struct_values(const char *fmt, const unsigned char *p, m_value *out, int cap)
{
    bool native, big;
    m_token toks[64];
    int ntok;
    m_int size;
    if (m_struct_parse(fmt != NULL ? fmt : "B", &native, &big, toks, 64, &ntok, &size).kind !=
            BV_OK || ntok > 64)
        m_fail("m_struct_values: format %s was not checked", fmt);
    int n = 0;
    for (int t = 0; t < ntok; t++) {
        const m_token *k = &toks[t];
        const unsigned char *at = p + k->offset;
        if (k->c == 'x')
            continue;
        if (k->c == 's' || k->c == 'p') {
            M_CHECK(n < cap, "m_struct_values: too many values");
            m_value *v = &out[n++];
            memset(v, 0, sizeof *v);
            v->kind = MV_BYTES;
            m_int len = k->num;
            if (k->c == 'p') {   /* a Pascal string: the first byte is the length */
                len = k->num == 0 ? 0 : at[0];
                if (len > k->num - 1)
                    len = k->num > 0 ? k->num - 1 : 0;
                at++;
            }
            v->bptr = at;
            v->blen = (size_t)len;
            v->bfirst = v->blen ? at[0] : 0;
            continue;
        }
        for (m_int j = 0; j < k->num; j++, at += k->size) {
            M_CHECK(n < cap, "m_struct_values: too many values");
            m_item it = {k->c, (int)k->size, big, {k->c, 0}};
            m_value *v = &out[n++];
            *v = native ? m_decode(k->c, at) : m_item_decode(&it, at);
            if (v->kind == MV_BYTES) {
                v->bptr = at;
                v->blen = 1;
            }
        }
    }
    return n;
}

/* Python's == between struct.unpack_from(fa, a) and (fb, b), one-tuples unwrapped. */
M_FN bool m_struct_equal(const char *fa, const unsigned char *a, const char *fb,
                         const unsigned char *b)
{
    m_value va[64], vb[64];
    int na = m_struct_values(fa, a, va, 64), nb = m_struct_values(fb, b, vb, 64);
    if (na != nb)
        return false;
    for (int k = 0; k < na; k++)
        if (!m_py_equal(&va[k], &vb[k]))
            return false;
    return true;
}

/* ---- Python's slice.indices() on 128-bit integers ----------------------------------- */

typedef struct m_slice {
    m_int start, step, length;
} m_slice;

M_FN m_slice m_slice_indices(bv_slice s, ptrdiff_t len)
{
    m_int step = s.has_step ? s.step : 1;
    if (step < -(m_int)PTRDIFF_MAX)
        step = -(m_int)PTRDIFF_MAX;   /* PySlice_Unpack's clamp */
    m_int n = len;
    m_int lower = step < 0 ? -1 : 0, upper = step < 0 ? n - 1 : n;
    m_int start, stop;
    if (!s.has_start)
        start = step < 0 ? upper : lower;
    else if (s.start < 0)
        start = s.start + n < lower ? lower : s.start + n;
    else
        start = s.start > upper ? upper : s.start;
    if (!s.has_stop)
        stop = step < 0 ? lower : upper;
    else if (s.stop < 0)
        stop = s.stop + n < lower ? lower : s.stop + n;
    else
        stop = s.stop > upper ? upper : s.stop;
    m_int length = 0;
    if (step > 0 && stop > start)
        length = (stop - start + step - 1) / step;
    else if (step < 0 && start > stop)
        length = (start - stop + (-step) - 1) / (-step);
    m_slice r = {start, step, length};
    return r;
}

/* CPython is built with -fwrapv: stride * step and pointer offsets wrap. */
M_FN ptrdiff_t m_wrap_mul(ptrdiff_t a, m_int b)
{
    return (ptrdiff_t)(uint64_t)((uint64_t)a * (uint64_t)(int64_t)b);
}
M_FN ptrdiff_t m_wrap_add(ptrdiff_t a, ptrdiff_t b)
{
    return (ptrdiff_t)(uint64_t)((uint64_t)a + (uint64_t)b);
}

/* ---- layouts, contiguity and memoryview.cast() -------------------------------------- */

typedef struct m_layout {
    bool released;
    int ndim;
    const ptrdiff_t *shape, *strides;
    ptrdiff_t itemsize, len;
    const char *format;
} m_layout;

M_FN bool m_is_byte(char c)
{
    return c == 'B' || c == 'b' || c == 'c';
}

M_FN m_int m_count(int ndim, const ptrdiff_t *shape)
{
    m_int count = 1;
    for (int k = 0; k < ndim; k++)
        count *= shape[k];
    return count;
}

/* CPython's init_flags(): 1-D views use MV_CONTIGUOUS_NDIM1 (so an empty 1-D view with a
 * stride other than itemsize is not contiguous), N-D ones PyBuffer_IsContiguous. */
M_FN bool m_contig(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                   ptrdiff_t itemsize, char order)
{
    if (ndim == 0)
        return true;
    if (ndim == 1)
        return shape[0] == 1 || strides[0] == itemsize;
    if (m_count(ndim, shape) == 0)
        return true;
    m_int sd = itemsize;
    for (int j = 0; j < ndim; j++) {
        int k = order == 'C' ? ndim - 1 - j : j;
        if (shape[k] > 1 && strides[k] != sd)
            return false;
        sd *= shape[k];
    }
    return true;
}

/* memoryview_cast_impl(), cast_to_1D() and cast_to_ND() in CPython's order (a NULL format
 * stands for format=None, refused by argument parsing before the released check). */
M_FN m_outcome m_cast(const m_layout *src, const char *fmt, const ptrdiff_t *shape,
                      ptrdiff_t ndim, bool has_shape)
{
    if (fmt == NULL)
        return m_err(BV_TYPE_ERROR, "cast() argument 'format' must be str, not None");
    if (src->released)
        return m_err(BV_VALUE_ERROR, "operation forbidden on released memoryview object");
    if (!m_contig(src->ndim, src->shape, src->strides, src->itemsize, 'C'))
        return m_err(BV_TYPE_ERROR, "memoryview: casts are restricted to C-contiguous views");
    if (has_shape || src->ndim != 1)
        for (int k = 0; k < src->ndim; k++)
            if (src->shape[k] == 0)
                return m_err(BV_TYPE_ERROR,
                             "memoryview: cannot cast view with zeros in shape or strides");
    if (has_shape) {
        if (ndim < 0 || (ndim > 0 && shape == NULL))
            return m_err(BV_TYPE_ERROR, "shape must be a list or a tuple");
        if (ndim > 64)
            return m_err(BV_VALUE_ERROR, "memoryview: number of dimensions must not exceed 64");
        if (src->ndim != 1 && ndim != 1)
            return m_err(BV_TYPE_ERROR, "memoryview: cast must be 1D -> ND or ND -> 1D");
    }
    char dest = m_native_char(fmt);
    if (dest == 0)
        return m_err(BV_VALUE_ERROR, "memoryview: destination format must be a native single "
                                     "character format prefixed with an optional '@'");
    char srcc = m_native_char(src->format);
    if ((srcc == 0 || !m_is_byte(srcc)) && !m_is_byte(dest))
        return m_err(BV_TYPE_ERROR, "memoryview: cannot cast between two non-byte formats");
    int itemsize = m_native_size(dest);
    if (src->len % itemsize != 0)
        return m_err(BV_TYPE_ERROR, "memoryview: length is not a multiple of itemsize");
    if (has_shape) {
        m_int len = itemsize;
        for (ptrdiff_t k = 0; k < ndim; k++) {
            if (shape[k] <= 0)
                return m_err(BV_VALUE_ERROR,
                             "memoryview.cast(): elements of shape must be integers > 0");
            len *= shape[k];
            if (len > PTRDIFF_MAX)
                return m_err(BV_VALUE_ERROR, "memoryview.cast(): product(shape) > SSIZE_MAX");
        }
        if (len != src->len)
            return m_err(BV_TYPE_ERROR, "memoryview: product(shape) * itemsize != buffer size");
    }
    return m_ok();
}

/* ---- hex() -------------------------------------------------------------------------- */

/* bytes.hex(sep, bytes_per_sep): separators between groups of |bytes_per_sep| bytes,
 * groups counted from the right for positive values, from the left for negative ones.
 * Written as "split into groups, then join" rather than a per-byte test. out must hold
 * 3 * n + 1 chars. */
M_FN void m_hex(const unsigned char *data, size_t n, char sep, ptrdiff_t bytes_per_sep,
                  char *out)
{
    static const char digits[] = "0123456789abcdef";
    m_int group = bytes_per_sep < 0 ? -(m_int)bytes_per_sep : (m_int)bytes_per_sep;
    if (sep == 0 || group == 0 || group >= (m_int)n) {
        for (size_t k = 0; k < n; k++) {
            *out++ = digits[data[k] >> 4];
            *out++ = digits[data[k] & 15];
        }
        *out = '\0';
        return;
    }
    size_t g = (size_t)group;
    /* The first group is the short one when counting from the right. */
    size_t first = bytes_per_sep > 0 ? (n % g == 0 ? g : n % g) : g;
    size_t k = 0, in_group = 0, group_len = first;
    while (k < n) {
        if (in_group == group_len) {
            *out++ = sep;
            in_group = 0;
            group_len = g;
        }
        *out++ = digits[data[k] >> 4];
        *out++ = digits[data[k] & 15];
        in_group++;
        k++;
    }
    *out = '\0';
}

/* ---- reading fuzz input ------------------------------------------------------------- */

typedef struct m_input {
    const uint8_t *p;
    size_t n;
} m_input;

M_FN uint8_t in_u8(m_input *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

M_FN uint64_t in_u64(m_input *in)
{
    uint64_t v = 0;
    for (int k = 0; k < 8; k++)
        v = (v << 8) | in_u8(in);
    return v;
}

M_FN bool in_empty(const m_input *in)
{
    return in->n == 0;
}

/* A ptrdiff_t biased towards the values that break arithmetic. */
M_FN ptrdiff_t in_index(m_input *in, ptrdiff_t len)
{
    uint8_t sel = in_u8(in);
    switch (sel % 8) {
    case 0: return PTRDIFF_MIN + (sel >> 3) % 3;
    case 1: return PTRDIFF_MAX - (sel >> 3) % 3;
    case 2: return (ptrdiff_t)((m_int)-len - 1 + (sel >> 3) % 3);
    case 3: {
        m_int v = (m_int)len - 1 + (sel >> 3) % 3;
        return v > PTRDIFF_MAX ? PTRDIFF_MAX : (ptrdiff_t)v;
    }
    case 4: return (ptrdiff_t)in_u64(in);
    default: return (ptrdiff_t)(int8_t)in_u8(in);
    }
}

M_FN bv_slice in_slice(m_input *in, ptrdiff_t len)
{
    bv_slice s;
    uint8_t has = in_u8(in);
    s.has_start = has & 1;
    s.has_stop = has & 2;
    s.has_step = has & 4;
    s.start = s.has_start ? in_index(in, len) : 0;
    s.stop = s.has_stop ? in_index(in, len) : 0;
    if (s.has_step) {
        uint8_t k = in_u8(in);
        switch (k % 6) {
        case 0: s.step = PTRDIFF_MIN + (k >> 3) % 2; break;
        case 1: s.step = PTRDIFF_MAX; break;
        case 2: s.step = (ptrdiff_t)in_u64(in); break;
        default: s.step = (ptrdiff_t)(int8_t)in_u8(in) % 5; break;   /* includes 0 */
        }
    } else {
        s.step = 0;
    }
    return s;
}

M_FN bv_value in_value(m_input *in)
{
    static const int64_t ints[] = {0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768,
                                   -32768, -32769, 65535, 65536, INT32_MAX, (int64_t)INT32_MAX + 1,
                                   INT32_MIN, (int64_t)INT32_MIN - 1, UINT32_MAX,
                                   (int64_t)UINT32_MAX + 1, INT64_MAX, INT64_MIN, 2048, -2049};
    static const double floats[] = {0.0, -0.0, 1.0, -1.5, 0.1, 65504.0, 65519.99, 65520.0,
                                    -65520.0, 0x1p-24, 0x1p-25, 0x1.8p-25, 0x1p-14, 1e300,
                                    -1e300, 3.4028235677973366e38, 3.4028234663852886e38, 3.4028235e38,
                                    FLT_MIN, 5e-324, 4294967296.0, 9007199254740993.0, 128.0};
    uint8_t sel = in_u8(in);
    switch (sel % 5) {
    case 0:
        if (sel & 0x80)
            return bv_value_int((int64_t)in_u64(in));
        return bv_value_int(ints[in_u8(in) % (sizeof ints / sizeof ints[0])]);
    case 1:
        if (sel & 0x80)
            return bv_value_uint(in_u64(in));
        return bv_value_uint((uint64_t)ints[in_u8(in) % (sizeof ints / sizeof ints[0])]);
    case 2: {
        uint8_t k = in_u8(in);
        if (k < 24) {
            uint64_t bits = in_u64(in);
            double d;
            memcpy(&d, &bits, sizeof d);
            return bv_value_float(d);
        }
        if (k < 40)
            return bv_value_float(k & 1 ? INFINITY : -INFINITY);
        if (k < 56)
            return bv_value_float(NAN);
        return bv_value_float(floats[k % (sizeof floats / sizeof floats[0])]);
    }
    case 3:
        return bv_value_bool(sel & 0x40);
    default: {
        unsigned char b = in_u8(in);
        return bv_value_bytes(&b, (size_t)(sel >> 5) % 3);
    }
    }
}

#endif
