/*
 * format.c: struct-module format characters (the "@X" grammar lives only here) and
 * memoryview's single-item pack/unpack rules (CPython's memoryview.c pack_single /
 * unpack_single), plus, beyond CPython, the same for one character with a byte-order
 * prefix ("<i", ">d": struct's standard sizes). Whole struct formats ("<hh", "3i") are
 * format_struct.c's; the values items hold are value.c's.
 *
 * Items may sit at any address (a strided or sliced view), so every access goes through
 * memcpy; and because the library runs under UBSan, no conversion here relies on what a
 * C cast does with an out-of-range value: ranges are checked before each cast.
 */
#include "bufview/format.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* ---- format characters ------------------------------------------------------------ */

ptrdiff_t bv_format_itemsize(char c)
{
    switch (c) {
    case 'c': case 'b': case 'B': return 1;
    case '?': return (ptrdiff_t)sizeof(bool);
    case 'h': case 'H': return (ptrdiff_t)sizeof(short);
    case 'i': case 'I': return (ptrdiff_t)sizeof(int);
    case 'l': case 'L': return (ptrdiff_t)sizeof(long);
    case 'q': case 'Q': return (ptrdiff_t)sizeof(long long);
    case 'n': return (ptrdiff_t)sizeof(ptrdiff_t);
    case 'N': return (ptrdiff_t)sizeof(size_t);
    case 'f': return (ptrdiff_t)sizeof(float);
    case 'd': return (ptrdiff_t)sizeof(double);
    case 'e': return 2;
    case 'P': return (ptrdiff_t)sizeof(void *);
    default: return 0;
    }
}

/* The "@X" grammar memoryview uses for item access: one optional '@' (native mode, the
 * default) before the rest. The only place bufview strips it. */
static const char *skip_at(const char *format)
{
    return format[0] == '@' ? format + 1 : format;
}

/* A NULL format means "B", as in the buffer protocol. */
char bv_format_char(const char *format)
{
    if (format == NULL)
        return 'B';
    format = skip_at(format);
    if (format[0] == '\0' || format[1] != '\0')
        return 0;
    return bv_format_itemsize(format[0]) != 0 ? format[0] : 0;
}

bv_status bv_format_check(const char *format, char *c, bv_error *err)
{
    if (format == NULL)
        format = "B";
    /* memoryview's adjust_fmt: strip one '@', then exactly one character must remain. */
    const char *f = skip_at(format);
    if (f[0] == '\0' || f[1] != '\0')
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "memoryview: unsupported format %s",
                            format);
    if (bv_format_itemsize(f[0]) == 0)
        return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "memoryview: format %s not supported",
                            f);
    if (c != NULL)
        *c = f[0];
    return BV_OK;
}

bool bvi_format_equal(const char *a, const char *b)
{
    return strcmp(skip_at(a != NULL ? a : "B"), skip_at(b != NULL ? b : "B")) == 0;
}

const char *bvi_format_static(const char *format)
{
    static const char chars[] = "cbBhHiIlLqQnNfde?P";
    static const char plain[][2] = {"c", "b", "B", "h", "H", "i", "I", "l", "L",
                                    "q", "Q", "n", "N", "f", "d", "e", "?", "P"};
    static const char at[][3] = {"@c", "@b", "@B", "@h", "@H", "@i", "@I", "@l", "@L",
                                 "@q", "@Q", "@n", "@N", "@f", "@d", "@e", "@?", "@P"};
    char c = bv_format_char(format);
    const char *hit = c != 0 ? strchr(chars, c) : NULL;
    if (hit == NULL)
        return NULL;
    size_t i = (size_t)(hit - chars);
    return format != NULL && format[0] == '@' ? at[i] : plain[i];
}

/* ---- half precision (IEEE 754 binary16), as PyFloat_Pack2/PyFloat_Unpack2 ---------- */

/* Round a non-negative q < 2**11 to an integer, ties to even, independent of the FPU's
 * rounding mode. */
static unsigned round_half_even(double q)
{
    unsigned n = (unsigned)q;
    double frac = q - (double)n;
    if (frac > 0.5 || (frac == 0.5 && (n & 1u)))
        n++;
    return n;
}

/* False when a finite x is too large for binary16 (CPython's OverflowError). */
static bool half_pack(double x, uint16_t *out)
{
    uint16_t sign = signbit(x) ? 0x8000u : 0;
    if (isnan(x)) {
        /* CPython writes the canonical quiet NaN, keeping only the sign. */
        *out = sign | 0x7e00u;
        return true;
    }
    if (isinf(x)) {
        *out = sign | 0x7c00u;
        return true;
    }
    double a = fabs(x);
    /* 65504 is the largest half; half-way to the next binade (65520) rounds to even,
     * which is upwards, out of range. */
    if (a >= 65520.0)
        return false;
    unsigned bits;
    if (a < 0x1p-14) {
        /* Subnormal or zero: the unit is 2**-24; scaling a double by a power of two is
         * exact, so only the final rounding happens. */
        bits = round_half_even(a * 0x1p24);  /* 1024 carries into the smallest normal */
    } else {
        int e;
        double m = frexp(a, &e);         /* a = m * 2**e, 0.5 <= m < 1 */
        int biased = e - 1 + 15;         /* 1..30 here */
        unsigned frac = round_half_even((2.0 * m - 1.0) * 1024.0);
        if (frac == 1024) {
            frac = 0;
            biased++;
        }
        if (biased >= 31)
            return false;
        bits = ((unsigned)biased << 10) | frac;
    }
    *out = (uint16_t)(sign | bits);
    return true;
}

static double half_unpack(uint16_t h)
{
    bool negative = (h & 0x8000u) != 0;
    unsigned e = (h >> 10) & 0x1fu;
    unsigned f = h & 0x3ffu;
    double x;
    if (e == 0x1f)
        x = f == 0 ? INFINITY : NAN;
    else if (e == 0)
        x = ldexp((double)f, -24);
    else
        x = ldexp((double)(f + 1024u), (int)e - 25);
    return negative ? -fabs(x) : fabs(x);
}

/* double -> float with IEEE round-to-nearest-even, also for finite values beyond
 * FLT_MAX, where a plain cast is undefined behaviour in C. */
static float double_to_float(double d)
{
    if (isnan(d) || fabs(d) <= (double)FLT_MAX)
        return (float)d;
    /* FLT_MAX is odd (all mantissa bits set), so the half-way point to 2**128 rounds
     * away: only values strictly below it come back to FLT_MAX. */
    const double limit = 0x1.ffffffp127;  /* FLT_MAX + half an ulp */
    if (fabs(d) < limit)
        return d < 0 ? -FLT_MAX : FLT_MAX;
    return d < 0 ? -INFINITY : INFINITY;
}

/* ---- pack / unpack ---------------------------------------------------------------- */

static bv_status unsupported_char(char c, bv_error *err)
{
    char s[2] = {c, '\0'};
    return bv_error_set(err, BV_NOT_IMPLEMENTED_ERROR, "memoryview: format %s not supported", s);
}

/* pack_single()'s two messages quote the format after adjust_fmt ("h" for "@h"); a
 * byte-order format is quoted whole ("<h"). */
static bv_status invalid_type(const char *name, bv_error *err)
{
    return bv_error_set(err, BV_TYPE_ERROR, "memoryview: invalid type for format '%s'", name);
}

static bv_status invalid_value(const char *name, bv_error *err)
{
    return bv_error_set(err, BV_VALUE_ERROR, "memoryview: invalid value for format '%s'", name);
}

bv_status bv_format_unpack(char c, const void *p, bv_value *out, bv_error *err)
{
    BVI_REQUIRE_NONNULL(p, err);
    BVI_REQUIRE_NONNULL(out, err);
    if (bv_format_itemsize(c) == 0)
        return unsupported_char(c, err);

#define UNPACK_AS(type, ctor, wide)                                                      \
    do {                                                                                \
        type x_;                                                                        \
        memcpy(&x_, p, sizeof x_);                                                      \
        *out = ctor((wide)x_);                                                          \
    } while (0)

    switch (c) {
    case 'b': UNPACK_AS(signed char, bv_value_int, int64_t); break;
    case 'h': UNPACK_AS(short, bv_value_int, int64_t); break;
    case 'i': UNPACK_AS(int, bv_value_int, int64_t); break;
    case 'l': UNPACK_AS(long, bv_value_int, int64_t); break;
    case 'q': UNPACK_AS(long long, bv_value_int, int64_t); break;
    case 'n': UNPACK_AS(ptrdiff_t, bv_value_int, int64_t); break;
    case 'B': UNPACK_AS(unsigned char, bv_value_uint, uint64_t); break;
    case 'H': UNPACK_AS(unsigned short, bv_value_uint, uint64_t); break;
    case 'I': UNPACK_AS(unsigned int, bv_value_uint, uint64_t); break;
    case 'L': UNPACK_AS(unsigned long, bv_value_uint, uint64_t); break;
    case 'Q': UNPACK_AS(unsigned long long, bv_value_uint, uint64_t); break;
    case 'N': UNPACK_AS(size_t, bv_value_uint, uint64_t); break;
    case 'P': UNPACK_AS(uintptr_t, bv_value_uint, uint64_t); break;
    case 'f': UNPACK_AS(float, bv_value_float, double); break;
    case 'd': UNPACK_AS(double, bv_value_float, double); break;
    case 'e': {
        uint16_t h;
        memcpy(&h, p, sizeof h);
        *out = bv_value_float(half_unpack(h));
        break;
    }
    case '?': {
        /* Any non-zero byte is true; loading a _Bool holding 2 would be undefined. */
        unsigned char bytes[sizeof(bool)];
        bool truth = false;
        memcpy(bytes, p, sizeof bytes);
        for (size_t k = 0; k < sizeof bytes; k++)
            truth = truth || bytes[k] != 0;
        *out = bv_value_bool(truth);
        break;
    }
    case 'c':
        *out = bv_value_bytes(p, 1);
        break;
    }
#undef UNPACK_AS
    return BV_OK;
}

/* The value as a Python int within [lo, hi] (lo <= 0), as pylong_as_* would see it. */
static bv_status int_in_range(const char *name, const bv_value *v, int64_t lo, uint64_t hi,
                              bool *negative, uint64_t *magnitude, bv_error *err)
{
    bvi_wide_int w;
    if (!bvi_value_as_wide_int(v, &w))
        return invalid_type(name, err);
    if (w.negative) {
        uint64_t lo_mag = (uint64_t)0 - (uint64_t)lo;
        if (w.magnitude > lo_mag)
            return invalid_value(name, err);
    } else if (w.magnitude > hi) {
        return invalid_value(name, err);
    }
    *negative = w.negative;
    *magnitude = w.magnitude;
    return BV_OK;
}

/* Two's-complement int64 from sign + magnitude, without overflowing on INT64_MIN. */
static int64_t to_int64(bool negative, uint64_t magnitude)
{
    if (!negative)
        return (int64_t)magnitude;
    if (magnitude == (uint64_t)INT64_MAX + 1)
        return INT64_MIN;
    return -(int64_t)magnitude;
}

/* pack_single() for a native character c, p untouched on failure; `name` is what the
 * messages quote. */
static bv_status pack_native(char c, const char *name, void *p, bv_value v, bv_error *err)
{
    /* Set by int_in_range before any use; initialised for gcc, which cannot always see
     * that once the library is compiled to machine code as well as to LTO IR. */
    bool negative = false;
    uint64_t mag = 0;
    bv_status st;

#define PACK_SIGNED(type, lo, hi)                                                        \
    do {                                                                                \
        if ((st = int_in_range(name, &v, (lo), (uint64_t)(hi), &negative, &mag, err)) != BV_OK) \
            return st;                                                                  \
        type x_ = (type)to_int64(negative, mag);                                        \
        memcpy(p, &x_, sizeof x_);                                                      \
    } while (0)
#define PACK_UNSIGNED(type, hi)                                                          \
    do {                                                                                \
        if ((st = int_in_range(name, &v, 0, (uint64_t)(hi), &negative, &mag, err)) != BV_OK) \
            return st;                                                                  \
        type x_ = (type)mag;                                                            \
        memcpy(p, &x_, sizeof x_);                                                      \
    } while (0)

    switch (c) {
    case 'b': PACK_SIGNED(signed char, SCHAR_MIN, SCHAR_MAX); break;
    case 'h': PACK_SIGNED(short, SHRT_MIN, SHRT_MAX); break;
    case 'i': PACK_SIGNED(int, INT_MIN, INT_MAX); break;
    case 'l': PACK_SIGNED(long, LONG_MIN, LONG_MAX); break;
    case 'q': PACK_SIGNED(long long, LLONG_MIN, LLONG_MAX); break;
    case 'n': PACK_SIGNED(ptrdiff_t, PTRDIFF_MIN, PTRDIFF_MAX); break;
    case 'B': PACK_UNSIGNED(unsigned char, UCHAR_MAX); break;
    case 'H': PACK_UNSIGNED(unsigned short, USHRT_MAX); break;
    case 'I': PACK_UNSIGNED(unsigned int, UINT_MAX); break;
    case 'L': PACK_UNSIGNED(unsigned long, ULONG_MAX); break;
    case 'Q': PACK_UNSIGNED(unsigned long long, ULLONG_MAX); break;
    case 'N': PACK_UNSIGNED(size_t, SIZE_MAX); break;
    case 'P': {
        /* PyLong_AsVoidPtr: negative ints as intptr_t, others as uintptr_t. */
        if ((st = int_in_range(name, &v, INTPTR_MIN, UINTPTR_MAX, &negative, &mag, err)) != BV_OK)
            return st;
        uintptr_t x = negative ? (uintptr_t)0 - (uintptr_t)mag : (uintptr_t)mag;
        memcpy(p, &x, sizeof x);
        break;
    }
    case '?': {
        bool b = bv_value_truthy(v);
        memcpy(p, &b, sizeof b);
        break;
    }
    case 'c':
        if (v.kind != BV_VALUE_BYTES)
            return invalid_type(name, err);
        if (v.as.bytes.len != 1)
            return invalid_value(name, err);
        memcpy(p, &v.as.bytes.first, 1);
        break;
    case 'f': case 'd': case 'e': {
        double d;
        bvi_wide_int w;
        if (v.kind == BV_VALUE_FLOAT) {
            d = v.as.f;
        } else if (bvi_value_as_wide_int(&v, &w)) {
            /* PyLong_AsDouble rounds to nearest; so does the C conversion. */
            d = w.negative ? -(double)w.magnitude : (double)w.magnitude;
        } else {
            return invalid_type(name, err);
        }
        if (c == 'd') {
            memcpy(p, &d, sizeof d);
        } else if (c == 'f') {
            float x = double_to_float(d);
            memcpy(p, &x, sizeof x);
        } else {
            uint16_t h;
            if (!half_pack(d, &h))
                return invalid_value(name, err);
            memcpy(p, &h, sizeof h);
        }
        break;
    }
    }
#undef PACK_SIGNED
#undef PACK_UNSIGNED
    return BV_OK;
}

bv_status bv_format_pack(char c, void *p, bv_value v, bv_error *err)
{
    BVI_REQUIRE_NONNULL(p, err);
    if (bv_format_itemsize(c) == 0)
        return unsupported_char(c, err);
    const char name[2] = {c, '\0'};
    return pack_native(c, name, p, v, err);
}

/* ---- items with a byte order ('<', '>', '!', '=') ---------------------------------- *
 * Beyond CPython, whose memoryview cannot index them. Each standard-size character is
 * read and written as the native character of the same size and kind, with its bytes
 * reversed when the order is not the machine's: '<l' is 4 bytes, so it is an 'i'. */

_Static_assert(sizeof(short) == 2 && sizeof(int) == 4 && sizeof(long long) == 8 &&
                   sizeof(float) == 4 && sizeof(double) == 8 && sizeof(bool) == 1,
               "struct's standard sizes are read through the native types of the same size");

bool bvi_byte_order(char prefix, bool *swap)
{
    const bool little = bvi_little_endian();
    switch (prefix) {
    case '<': *swap = !little; return true;
    case '>': case '!': *swap = little; return true;
    case '=': *swap = false; return true;
    default: return false;
    }
}

bool bvi_item_standard(char c, bool swap, bvi_item *out)
{
    char as;
    switch (c) {
    case 'c': case 'b': case 'B': case '?': case 'h': case 'H': case 'e':
    case 'i': case 'I': case 'q': case 'Q': case 'f': case 'd':
        as = c;
        break;
    case 'l': as = 'i'; break;
    case 'L': as = 'I'; break;
    default: return false;
    }
    out->code = as;
    out->swap = swap && as != 'c' && as != 'b' && as != 'B' && as != '?';
    out->size = bv_format_itemsize(as);
    out->name = NULL;
    return true;
}

bv_status bvi_item_parse(const char *format, bvi_item *out, bv_error *err)
{
    if (format == NULL)
        format = "B";
    bool swap;
    if (bvi_byte_order(format[0], &swap) && format[1] != '\0' && format[2] == '\0') {
        bvi_item it;
        if (bvi_item_standard(format[1], swap, &it)) {
            it.name = format;
            *out = it;
            return BV_OK;
        }
    }
    char c = 0;   /* set on success; initialised for gcc, which cannot see that */
    bv_status st = bv_format_check(format, &c, err);
    if (st != BV_OK)
        return st;
    out->code = c;
    out->swap = false;
    out->size = bv_format_itemsize(c);
    out->name = skip_at(format);
    return BV_OK;
}

/* Copy n bytes reversed (n <= 8). */
static void copy_reversed(unsigned char *dst, const unsigned char *src, ptrdiff_t n)
{
    for (ptrdiff_t k = 0; k < n; k++)
        dst[k] = src[n - 1 - k];
}

void bvi_item_unpack(const bvi_item *it, const void *p, bv_value *out)
{
    unsigned char tmp[8];
    if (it->swap) {
        copy_reversed(tmp, p, it->size);
        p = tmp;
    }
    (void)bv_format_unpack(it->code, p, out, NULL);
}

bv_status bvi_item_pack(const bvi_item *it, void *p, bv_value v, bv_error *err)
{
    if (!it->swap)
        return pack_native(it->code, it->name, p, v, err);
    unsigned char tmp[8];
    bv_status st = pack_native(it->code, it->name, tmp, v, err);
    if (st == BV_OK)
        copy_reversed(p, tmp, it->size);
    return st;
}
