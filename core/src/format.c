/*
 * format.c: struct-module format characters (the "@X" grammar lives only here) and
 * memoryview's single-item pack/unpack rules (CPython's memoryview.c pack_single /
 * unpack_single and struct.calcsize). The values items hold are value.c's.
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

/* ---- struct.calcsize -------------------------------------------------------------- */

/* CPython measures native alignment as the offset of a member after a char. */
struct align_short { char c; short x; };
struct align_int { char c; int x; };
struct align_long { char c; long x; };
struct align_llong { char c; long long x; };
struct align_size { char c; size_t x; };
struct align_float { char c; float x; };
struct align_double { char c; double x; };
struct align_bool { char c; bool x; };
struct align_ptr { char c; void *x; };

/* Size and alignment of c in native ('@') mode; false for a character struct rejects. */
static bool native_entry(char c, ptrdiff_t *size, ptrdiff_t *align)
{
    switch (c) {
    case 'x': case 's': case 'p': case 'c': case 'b': case 'B':
        *size = 1; *align = 1; return true;
    case '?': *size = sizeof(bool); *align = offsetof(struct align_bool, x); return true;
    case 'h': case 'H':
        *size = sizeof(short); *align = offsetof(struct align_short, x); return true;
    case 'e': *size = 2; *align = offsetof(struct align_short, x); return true;
    case 'i': case 'I':
        *size = sizeof(int); *align = offsetof(struct align_int, x); return true;
    case 'l': case 'L':
        *size = sizeof(long); *align = offsetof(struct align_long, x); return true;
    case 'q': case 'Q':
        *size = sizeof(long long); *align = offsetof(struct align_llong, x); return true;
    case 'n': case 'N':
        *size = sizeof(size_t); *align = offsetof(struct align_size, x); return true;
    case 'f': *size = sizeof(float); *align = offsetof(struct align_float, x); return true;
    case 'd': *size = sizeof(double); *align = offsetof(struct align_double, x); return true;
    case 'P': *size = sizeof(void *); *align = offsetof(struct align_ptr, x); return true;
    default: return false;
    }
}

/* Standard sizes ('<', '>', '!', '='): fixed, never padded; no n, N or P. */
static bool standard_entry(char c, ptrdiff_t *size, ptrdiff_t *align)
{
    *align = 1;
    switch (c) {
    case 'x': case 's': case 'p': case 'c': case 'b': case 'B': case '?':
        *size = 1; return true;
    case 'h': case 'H': case 'e': *size = 2; return true;
    case 'i': case 'I': case 'l': case 'L': case 'f': *size = 4; return true;
    case 'q': case 'Q': case 'd': *size = 8; return true;
    default: return false;
    }
}

/* struct's own whitespace set (Py_ISSPACE), independent of the C locale. */
static bool is_struct_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

ptrdiff_t bv_format_calcsize(const char *format, bv_error *err)
{
    if (format == NULL)
        return 1;
    bool native = true;
    const char *s = format;
    switch (*s) {
    case '@': s++; break;
    case '<': case '>': case '!': case '=': native = false; s++; break;
    default: break;
    }

    ptrdiff_t size = 0;
    while (*s != '\0') {
        char c = *s++;
        if (is_struct_space(c))
            continue;
        ptrdiff_t num = 1;
        if (c >= '0' && c <= '9') {
            num = c - '0';
            while (*s >= '0' && *s <= '9') {
                int digit = *s++ - '0';
                if (num > (PTRDIFF_MAX - digit) / 10)
                    goto too_long;
                num = num * 10 + digit;
            }
            if (*s == '\0')
                goto no_char;
            c = *s++;
        }
        ptrdiff_t itemsize = 1, align = 1;
        if (!(native ? native_entry(c, &itemsize, &align) : standard_entry(c, &itemsize, &align)))
            return bv_error_set(err, BV_VALUE_ERROR, "bad char in struct format"), -1;
        if (align > 1 && size > 0) {
            ptrdiff_t extra = (align - 1) - (size - 1) % align;
            if (extra > PTRDIFF_MAX - size)
                goto too_long;
            size += extra;
        }
        if (num > (PTRDIFF_MAX - size) / itemsize)
            goto too_long;
        size += num * itemsize;
    }
    return size;

no_char:
    bv_error_set(err, BV_VALUE_ERROR, "repeat count given without format specifier");
    return -1;
too_long:
    bv_error_set(err, BV_VALUE_ERROR, "total struct size too long");
    return -1;
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

static bv_status invalid_type(char c, bv_error *err)
{
    return bv_error_set(err, BV_TYPE_ERROR, "memoryview: invalid type for format '%c'", c);
}

static bv_status invalid_value(char c, bv_error *err)
{
    return bv_error_set(err, BV_VALUE_ERROR, "memoryview: invalid value for format '%c'", c);
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
static bv_status int_in_range(char c, const bv_value *v, int64_t lo, uint64_t hi, bool *negative,
                              uint64_t *magnitude, bv_error *err)
{
    bvi_wide_int w;
    if (!bvi_value_as_wide_int(v, &w))
        return invalid_type(c, err);
    if (w.negative) {
        uint64_t lo_mag = (uint64_t)0 - (uint64_t)lo;
        if (w.magnitude > lo_mag)
            return invalid_value(c, err);
    } else if (w.magnitude > hi) {
        return invalid_value(c, err);
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

bv_status bv_format_pack(char c, void *p, bv_value v, bv_error *err)
{
    BVI_REQUIRE_NONNULL(p, err);
    if (bv_format_itemsize(c) == 0)
        return unsupported_char(c, err);

    /* Set by int_in_range before any use; initialised for gcc, which cannot always see
     * that once the library is compiled to machine code as well as to LTO IR. */
    bool negative = false;
    uint64_t mag = 0;
    bv_status st;

#define PACK_SIGNED(type, lo, hi)                                                        \
    do {                                                                                \
        if ((st = int_in_range(c, &v, (lo), (uint64_t)(hi), &negative, &mag, err)) != BV_OK) \
            return st;                                                                  \
        type x_ = (type)to_int64(negative, mag);                                        \
        memcpy(p, &x_, sizeof x_);                                                      \
    } while (0)
#define PACK_UNSIGNED(type, hi)                                                          \
    do {                                                                                \
        if ((st = int_in_range(c, &v, 0, (uint64_t)(hi), &negative, &mag, err)) != BV_OK) \
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
        if ((st = int_in_range(c, &v, INTPTR_MIN, UINTPTR_MAX, &negative, &mag, err)) != BV_OK)
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
            return invalid_type(c, err);
        if (v.as.bytes.len != 1)
            return invalid_value(c, err);
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
            return invalid_type(c, err);
        }
        if (c == 'd') {
            memcpy(p, &d, sizeof d);
        } else if (c == 'f') {
            float x = double_to_float(d);
            memcpy(p, &x, sizeof x);
        } else {
            uint16_t h;
            if (!half_pack(d, &h))
                return invalid_value(c, err);
            memcpy(p, &h, sizeof h);
        }
        break;
    }
    }
#undef PACK_SIGNED
#undef PACK_UNSIGNED
    return BV_OK;
}
