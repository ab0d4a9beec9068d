/*
 * value.c: bv_value, what Python hands you for one item (int, float, bool, bytes of
 * length 1), with Python's == and truthiness across kinds.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bufview/format.h"
#include "internal.h"

/* Every constructor starts from a zeroed value, so the bytes of the union a kind does not
 * use are defined (values are compared and copied whole). */
static bv_value value_of_kind(bv_value_kind kind)
{
    bv_value v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    return v;
}

/* The four constructors that store one field. */
#define VALUE_OF(name, ctype, kind, field)   \
    bv_value name(ctype x)                   \
    {                                        \
        bv_value v = value_of_kind(kind);    \
        v.as.field = x;                      \
        return v;                            \
    }

VALUE_OF(bv_value_int, int64_t, BV_VALUE_INT, i)
VALUE_OF(bv_value_uint, uint64_t, BV_VALUE_UINT, u)
VALUE_OF(bv_value_float, double, BV_VALUE_FLOAT, f)
VALUE_OF(bv_value_bool, bool, BV_VALUE_BOOL, b)

bv_value bv_value_bytes(const void *data, size_t len)
{
    bv_value v = value_of_kind(BV_VALUE_BYTES);
    v.as.bytes.len = len;
    if (data != NULL && len >= 1)
        v.as.bytes.first = *(const unsigned char *)data;
    return v;
}

/* int == float compared exactly, as CPython's float_richcompare does: a float equals an
 * int only when it is integral and its exact value is that integer. */
static bool wide_int_equals_double(bvi_wide_int w, double d)
{
    if (!isfinite(d) || d != floor(d))
        return false;
    if (w.negative != (d < 0.0) && !(w.magnitude == 0 && d == 0.0))
        return false;
    double mag = fabs(d);
    if (mag >= 18446744073709551616.0) /* 2**64: beyond every magnitude an int can have */
        return false;
    return (uint64_t)mag == w.magnitude;
}

bool bv_value_equal(bv_value a, bv_value b)
{
    bvi_wide_int wa, wb;
    bool a_int = bvi_value_as_wide_int(&a, &wa);
    bool b_int = bvi_value_as_wide_int(&b, &wb);
    if (a_int && b_int)
        return wa.magnitude == wb.magnitude &&
               (wa.negative == wb.negative || wa.magnitude == 0);
    if (a_int && b.kind == BV_VALUE_FLOAT)
        return wide_int_equals_double(wa, b.as.f);
    if (b_int && a.kind == BV_VALUE_FLOAT)
        return wide_int_equals_double(wb, a.as.f);
    if (a.kind == BV_VALUE_FLOAT && b.kind == BV_VALUE_FLOAT)
        return a.as.f == b.as.f;
    if (a.kind == BV_VALUE_BYTES && b.kind == BV_VALUE_BYTES)
        return a.as.bytes.len == b.as.bytes.len &&
               (a.as.bytes.len == 0 || a.as.bytes.first == b.as.bytes.first);
    return false;
}

bool bv_value_truthy(bv_value v)
{
    switch (v.kind) {
    case BV_VALUE_INT: return v.as.i != 0;
    case BV_VALUE_UINT: return v.as.u != 0;
    case BV_VALUE_FLOAT: return v.as.f != 0.0; /* NaN is true, as in Python */
    case BV_VALUE_BOOL: return bvi_value_bool_field(&v);
    case BV_VALUE_BYTES: return v.as.bytes.len != 0;
    }
    return false;
}

/* A caller may fill the union by hand; reading a _Bool whose byte is neither 0 nor 1 is
 * undefined, so the flag is read as a plain byte. */
bool bvi_value_bool_field(const bv_value *v)
{
    unsigned char byte[sizeof v->as.b];
    memcpy(byte, &v->as.b, sizeof byte);
    for (size_t k = 0; k < sizeof byte; k++)
        if (byte[k] != 0)
            return true;
    return false;
}

bool bvi_value_as_wide_int(const bv_value *v, bvi_wide_int *out)
{
    switch (v->kind) {
    case BV_VALUE_INT:
        out->negative = v->as.i < 0;
        /* -(INT64_MIN) overflows int64_t; negate in unsigned arithmetic instead. */
        out->magnitude = v->as.i < 0 ? (uint64_t)0 - (uint64_t)v->as.i : (uint64_t)v->as.i;
        return true;
    case BV_VALUE_UINT:
        out->negative = false;
        out->magnitude = v->as.u;
        return true;
    case BV_VALUE_BOOL:
        out->negative = false;
        out->magnitude = bvi_value_bool_field(v) ? 1 : 0;
        return true;
    default:
        return false;
    }
}
