/*
 * test_repr.c: bv_str and Python's repr() for floats, bytes, bytearray, values, nested
 * lists and views. Every expected string was produced with CPython 3.11 (repr()) and
 * pasted as a literal; floats are given as hex literals so the input is exact.
 */
#include "support.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------------- */

typedef bv_status (*repr_fn)(bv_str *s, const void *arg, bv_error *err);

/* Append to a string that already holds text and is exactly full, so any further append
 * has to grow it; the result must be prefix + want. */
static void check_appends_to_full(repr_fn fn, const void *arg, const char *want)
{
    bv_str s = {0};
    bv_error err = {0};
    assert_ok(bv_str_append(&s, "x", 1, &err), err);
    while (s.len + 1 < s.cap)
        assert_ok(bv_str_append(&s, "x", 1, &err), err);
    size_t prefix = s.len;
    assert_ok(fn(&s, arg, &err), err);
    assert_int_equal(s.len, prefix + strlen(want));
    assert_string_equal(s.data + prefix, want);
    assert_int_equal(strlen(s.data), s.len);
    bv_str_free(&s);
}

/* Fail the 1st, 2nd, ... allocation until the call succeeds: every failure must be a
 * MemoryError with CPython's empty message, leave the string exactly as it was (pointer,
 * length, capacity and text) and leak nothing. Checked from an empty {0} string and
 * from a full one. */
static void check_memory_errors(repr_fn fn, const void *arg, const char *want)
{
    for (int full = 0; full < 2; full++) {
        for (size_t fail_at = 1;; fail_at++) {
            test_alloc_install(0);
            bv_str s = {0};
            bv_error err = {0};
            if (full) {
                assert_ok(bv_str_append(&s, "y", 1, &err), err);
                while (s.len + 1 < s.cap)
                    assert_ok(bv_str_append(&s, "y", 1, &err), err);
            }
            bv_str before = s;
            char text[256];
            snprintf(text, sizeof text, "%s", bv_str_cstr(&s));
            size_t live = test_alloc.live;
            test_alloc.calls = 0;
            test_alloc.fail_at = fail_at;

            bv_status st = fn(&s, arg, &err);
            if (st == BV_OK) {
                assert_true(fail_at > 1);  /* a non-empty repr must allocate at least once */
                assert_string_equal(bv_str_cstr(&s) + before.len, want);
                bv_str_free(&s);
                assert_int_equal(test_alloc.live, 0);
                test_alloc_uninstall();
                break;
            }
            assert_int_equal(st, BV_MEMORY_ERROR);
            assert_int_equal(err.kind, BV_MEMORY_ERROR);
            assert_string_equal(err.message, "");
            assert_ptr_equal(s.data, before.data);
            assert_int_equal(s.len, before.len);
            assert_int_equal(s.cap, before.cap);
            assert_string_equal(bv_str_cstr(&s), text);
            assert_int_equal(test_alloc.live, live);
            bv_str_free(&s);
            assert_int_equal(test_alloc.live, 0);
            test_alloc_uninstall();
            assert_true(fail_at < 100);
        }
    }
}

static bv_status call_float(bv_str *s, const void *arg, bv_error *err)
{
    return bv_repr_float(s, *(const double *)arg, err);
}

typedef struct bytes_arg {
    const void *data;
    size_t len;
} bytes_arg;

static bv_status call_bytes(bv_str *s, const void *arg, bv_error *err)
{
    const bytes_arg *b = arg;
    return bv_repr_bytes(s, b->data, b->len, err);
}

static bv_status call_bytearray(bv_str *s, const void *arg, bv_error *err)
{
    const bytes_arg *b = arg;
    return bv_repr_bytearray(s, b->data, b->len, err);
}

static bv_status call_value(bv_str *s, const void *arg, bv_error *err)
{
    return bv_repr_value(s, *(const bv_value *)arg, err);
}

static bv_status call_list(bv_str *s, const void *arg, bv_error *err)
{
    return bv_repr_list(s, arg, err);
}

static bv_status call_view(bv_str *s, const void *arg, bv_error *err)
{
    return bv_repr_view(s, arg, err);
}

/* Check fn's output from {0}, appended to existing text, and under failing allocation. */
static void check_repr(repr_fn fn, const void *arg, const char *want)
{
    bv_str s = {0};
    bv_error err = {0};
    assert_ok(fn(&s, arg, &err), err);
    assert_string_equal(bv_str_cstr(&s), want);
    assert_int_equal(s.len, strlen(want));
    assert_true(s.cap > s.len);
    bv_str_free(&s);
    check_appends_to_full(fn, arg, want);
    check_memory_errors(fn, arg, want);
}

/* ---- bv_str ----------------------------------------------------------------------- */

static void test_str_basics(void **state)
{
    (void)state;
    bv_str s = {0};
    bv_error err = {0};
    assert_string_equal(bv_str_cstr(&s), "");
    assert_string_equal(bv_str_cstr(NULL), "");
    /* Appending nothing to {0} leaves it {0}. */
    assert_ok(bv_str_append(&s, NULL, 0, &err), err);
    assert_ok(bv_str_append(&s, "", 0, &err), err);
    assert_int_equal(s.len, 0);
    assert_string_equal(bv_str_cstr(&s), "");

    assert_ok(bv_str_append(&s, "abc", 3, &err), err);
    assert_string_equal(s.data, "abc");
    assert_int_equal(s.len, 3);
    /* Embedded NULs are kept by length; the text stays NUL-terminated after them. */
    assert_ok(bv_str_append(&s, "d\0e", 3, &err), err);
    assert_int_equal(s.len, 6);
    assert_memory_equal(s.data, "abcd\0e", 7);

    /* Growth across many appends keeps every byte. */
    char want[5000];
    memcpy(want, "abcd\0e", 6);
    for (size_t k = 6; k < sizeof want - 1; k++) {
        char ch = (char)('a' + k % 26);
        want[k] = ch;
        assert_ok(bv_str_append(&s, &ch, 1, &err), err);
    }
    want[sizeof want - 1] = '\0';
    assert_int_equal(s.len, sizeof want - 1);
    assert_memory_equal(s.data, want, sizeof want);
    assert_true(s.cap > s.len);

    bv_str_free(&s);
    assert_null(s.data);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, 0);
    bv_str_free(&s);  /* freeing twice is harmless */
    bv_str_free(NULL);
}

static void test_str_errors(void **state)
{
    (void)state;
    bv_error err = {0};
    assert_error(bv_str_append(NULL, "a", 1, &err), err, BV_TYPE_ERROR,
                 "bv_str_append() argument 's' must not be NULL");
    bv_str s = {0};
    assert_ok(bv_str_append(&s, "ab", 2, &err), err);
    char *data = s.data;
    assert_error(bv_str_append(&s, NULL, 1, &err), err, BV_TYPE_ERROR,
                 "bv_str_append() argument 'text' must not be NULL when len > 0");
    assert_ptr_equal(s.data, data);
    assert_string_equal(s.data, "ab");
    /* A length that cannot fit is MemoryError before any allocation. */
    test_alloc_install(0);
    assert_error(bv_str_append(&s, "x", SIZE_MAX, &err), err, BV_MEMORY_ERROR, "");
    assert_error(bv_str_append(&s, "x", SIZE_MAX - 2, &err), err, BV_MEMORY_ERROR, "");
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
    assert_string_equal(s.data, "ab");
    assert_int_equal(s.len, 2);
    /* Each repr function refuses a NULL string the same way. */
    bv_list list = {0};
    bv_view view = {0};
    assert_error(bv_repr_float(NULL, 1.0, &err), err, BV_TYPE_ERROR,
                 "bv_repr_float() argument 's' must not be NULL");
    assert_error(bv_repr_bytes(NULL, "a", 1, &err), err, BV_TYPE_ERROR,
                 "bv_repr_bytes() argument 's' must not be NULL");
    assert_error(bv_repr_bytearray(NULL, "a", 1, &err), err, BV_TYPE_ERROR,
                 "bv_repr_bytearray() argument 's' must not be NULL");
    assert_error(bv_repr_value(NULL, bv_value_int(1), &err), err, BV_TYPE_ERROR,
                 "bv_repr_value() argument 's' must not be NULL");
    assert_error(bv_repr_list(NULL, &list, &err), err, BV_TYPE_ERROR,
                 "bv_repr_list() argument 's' must not be NULL");
    assert_error(bv_repr_view(NULL, &view, &err), err, BV_TYPE_ERROR,
                 "bv_repr_view() argument 's' must not be NULL");
    bv_str_free(&s);
}

/* A string's own text may be appended to it, even when that moves it to a new buffer. */
static void test_str_self_append(void **state)
{
    (void)state;
    bv_str s = {0};
    bv_error err = {0};
    assert_ok(bv_str_append(&s, "ab", 2, &err), err);
    while (s.len + 1 < s.cap)
        assert_ok(bv_str_append(&s, &"ab"[s.len % 2], 1, &err), err);
    size_t n = s.len;
    char want[256];
    assert_true(2 * n < sizeof want);
    memcpy(want, s.data, n);
    memcpy(want + n, s.data, n);
    want[2 * n] = '\0';
    assert_ok(bv_str_append(&s, s.data, s.len, &err), err);  /* must grow */
    assert_string_equal(s.data, want);
    bv_str_free(&s);

    /* The same for bytes repr over the string's own text. */
    assert_ok(bv_str_append(&s, "x'", 2, &err), err);
    while (s.len + 1 < s.cap)
        assert_ok(bv_str_append(&s, "y", 1, &err), err);
    n = s.len;
    memcpy(want, s.data, n);
    snprintf(want + n, sizeof want - n, "b\"%s\"", s.data);
    assert_ok(bv_repr_bytes(&s, s.data, n, &err), err);
    assert_string_equal(s.data, want);
    bv_str_free(&s);
}

static void test_str_memory_error(void **state)
{
    (void)state;
    bv_error err = {0};
    /* From {0}: the first allocation fails, the string stays {0}. */
    test_alloc_install(1);
    bv_str s = {0};
    assert_error(bv_str_append(&s, "abc", 3, &err), err, BV_MEMORY_ERROR, "");
    assert_null(s.data);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, 0);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();

    /* Growing a full string: the old text, pointer and capacity stay. */
    test_alloc_install(2);
    assert_ok(bv_str_append(&s, "abc", 3, &err), err);
    while (s.len + 1 < s.cap)
        assert_ok(bv_str_append(&s, "z", 1, &err), err);
    bv_str before = s;
    char text[128];
    snprintf(text, sizeof text, "%s", s.data);
    assert_error(bv_str_append(&s, "more", 4, &err), err, BV_MEMORY_ERROR, "");
    assert_ptr_equal(s.data, before.data);
    assert_int_equal(s.len, before.len);
    assert_int_equal(s.cap, before.cap);
    assert_string_equal(s.data, text);
    /* The next allocation succeeds again. */
    assert_ok(bv_str_append(&s, "more", 4, &err), err);
    assert_int_equal(s.len, before.len + 4);
    bv_str_free(&s);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
}

/* ---- floats ----------------------------------------------------------------------- */

/* repr(float) in CPython 3.11. */
static const struct {
    double d;
    const char *repr;
} FLOATS[] = {
    {0x1.999999999999ap-4, "0.1"},
    {0x1.5555555555555p-2, "0.3333333333333333"},
    {0x1.5555555555555p-1, "0.6666666666666666"},
    {0x1.0f0cf064dd592p+73, "1e+22"},
    {0x1.52d02c7e14af6p+76, "1e+23"},
    {0x0.0000000000001p-1022, "5e-324"},
    {0x0.0000000000002p-1022, "1e-323"},
    {0x1.0000000000000p-1022, "2.2250738585072014e-308"},
    {0x0.fffffffffffffp-1022, "2.225073858507201e-308"},
    {0x1.fffffffffffffp+1023, "1.7976931348623157e+308"},
    {0x1.b69b4ba630f35p+56, "1.2345678901234568e+17"},
    {-0x0.0p+0, "-0.0"},
    {0x0.0p+0, "0.0"},
    {0x1.0000000000000p+0, "1.0"},
    {-0x1.0000000000000p+0, "-1.0"},
    {0x1.1c37937e08000p+53, "1e+16"},
    {0x1.c6bf526340000p+49, "1000000000000000.0"},
    {0x1.1c37937e07fffp+53, "9999999999999998.0"},
    {0x1.6345785d8a000p+56, "1e+17"},
    {0x1.a36e2eb1c432dp-14, "0.0001"},
    {0x1.4f8b588e368f1p-17, "1e-05"},
    {0x1.02e4b6ce5dc68p-13, "0.00012345"},
    {0x1.9e3abe16fc70dp-17, "1.2345e-05"},
    {0x1.8000000000000p+0, "1.5"},
    {0x1.9000000000000p+6, "100.0"},
    {0x1.2d68700000000p+20, "1234567.0"},
    {0x1.0000000000000p-1, "0.5"},
    {0x1.0000000000000p-2, "0.25"},
    {0x1.3333333333333p-2, "0.3"},
    {0x1.3333333333334p-2, "0.30000000000000004"},
    {0x1.ad7f29abcaf48p-24, "1e-07"},
    {0x1.249ad2594c37dp+332, "1e+100"},
    {0x1.bff2ee48e0530p-333, "1e-100"},
    {0x1.921fb54442d18p+1, "3.141592653589793"},
    {0x1.5bf0a8b145769p+1, "2.718281828459045"},
    {-0x1.12e0be826d695p-32, "-2.5e-10"},
    {0x1.0000000000000p+53, "9007199254740992.0"},
    {0x1.0000000000001p+53, "9007199254740994.0"},
    {0x1.0000000000000p+63, "9.223372036854776e+18"},
    {0x1.0000000000000p+64, "1.8446744073709552e+19"},
    {0x1.0000000000000p-1000, "9.332636185032189e-302"},
    {0x1.0000000000000p-1017, "7.120236347223045e-307"},
    {0x1.0000000000000p-921, "5.641232424577593e-278"},
    {0x1.0000000000000p-496, "4.887898181599368e-150"},
    {0x1.edd2f1a9fbe77p+6, "123.456"},
    {-0x1.edd2f1a9fbe77p+6, "-123.456"},
    {0x1.b1ae4d6e2ef50p+69, "1e+21"},
    {0x1.aa535d3d0c000p+53, "1.5e+16"},
    {0x1.f75104d551d69p-17, "1.5e-05"},
    {0x1.5ee2a2eb5a5c4p+53, "1.2345678901234568e+16"},
    {0x1.18b54f22aeb03p+50, "1234567890123456.8"},
    {0x1.c6bf52633ffffp+49, "999999999999999.9"},
    {0x1.0624dd2f1a9fcp-10, "0.001"},
    {0x1.47ae147ae147bp-7, "0.01"},
    {0x1.1666666666666p+2, "4.35"},
    {0x1.5666666666666p+1, "2.675"},
    {0x1.199999999999ap+0, "1.1"},
    {0x1.ffc0000000000p+15, "65504.0"},
    {0x1.fffffe0000000p+127, "3.4028234663852886e+38"},
    {0x1.f75104d551d6ap-16, "3.0000000000000004e-05"},
    {0x1.5af1d78b58c40p+66, "1e+20"},
    {INFINITY, "inf"},
    {-INFINITY, "-inf"},
    {NAN, "nan"},
    {-NAN, "nan"},
    {0x1.a36e2eb1c432dp-15, "5e-05"},
    {0x1.a36e2eb1c432cp-14, "9.999999999999999e-05"},
    {0x1.0000000000001p+0, "1.0000000000000002"},
    {0x1.fffffffffffffp-1, "0.9999999999999999"},
};

static void test_repr_float_table(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof FLOATS / sizeof FLOATS[0]; k++) {
        bv_str s = {0};
        bv_error err = {0};
        assert_ok(bv_repr_float(&s, FLOATS[k].d, &err), err);
        if (strcmp(bv_str_cstr(&s), FLOATS[k].repr) != 0)
            fail_msg("repr(%a): got %s, want %s", FLOATS[k].d, bv_str_cstr(&s), FLOATS[k].repr);
        bv_str_free(&s);
        /* The same through bv_repr_value. */
        assert_ok(bv_repr_value(&s, bv_value_float(FLOATS[k].d), &err), err);
        assert_string_equal(bv_str_cstr(&s), FLOATS[k].repr);
        bv_str_free(&s);
    }
}

/* Every float repr must read back as the same double (repr's whole promise). */
static void test_repr_float_round_trips(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < 5000; k++) {
        /* xorshift64: deterministic bit patterns over the whole double range */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (isnan(d))
            continue;
        bv_str s = {0};
        bv_error err = {0};
        assert_ok(bv_repr_float(&s, d, &err), err);
        double back = isinf(d) ? d : strtod(s.data, NULL);
        if (memcmp(&back, &d, sizeof d) != 0)
            fail_msg("repr(%a) = %s does not round-trip", d, s.data);
        bv_str_free(&s);
    }
}

static void test_repr_float_memory(void **state)
{
    (void)state;
    const double samples[] = {0.1, -0.0, 1e16, 5e-324, INFINITY, NAN};
    const char *wants[] = {"0.1", "-0.0", "1e+16", "5e-324", "inf", "nan"};
    for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++)
        check_repr(call_float, &samples[k], wants[k]);
}

/* ---- bytes and bytearray ---------------------------------------------------------- */

/* repr(bytes([b])) for b in range(256). */
static const char *const BYTE_REPRS[256] = {
    "b'\\x00'", "b'\\x01'", "b'\\x02'", "b'\\x03'",
    "b'\\x04'", "b'\\x05'", "b'\\x06'", "b'\\x07'",
    "b'\\x08'", "b'\\t'", "b'\\n'", "b'\\x0b'",
    "b'\\x0c'", "b'\\r'", "b'\\x0e'", "b'\\x0f'",
    "b'\\x10'", "b'\\x11'", "b'\\x12'", "b'\\x13'",
    "b'\\x14'", "b'\\x15'", "b'\\x16'", "b'\\x17'",
    "b'\\x18'", "b'\\x19'", "b'\\x1a'", "b'\\x1b'",
    "b'\\x1c'", "b'\\x1d'", "b'\\x1e'", "b'\\x1f'",
    "b' '", "b'!'", "b'\"'", "b'#'",
    "b'$'", "b'%'", "b'&'", "b\"'\"",
    "b'('", "b')'", "b'*'", "b'+'",
    "b','", "b'-'", "b'.'", "b'/'",
    "b'0'", "b'1'", "b'2'", "b'3'",
    "b'4'", "b'5'", "b'6'", "b'7'",
    "b'8'", "b'9'", "b':'", "b';'",
    "b'<'", "b'='", "b'>'", "b'?'",
    "b'@'", "b'A'", "b'B'", "b'C'",
    "b'D'", "b'E'", "b'F'", "b'G'",
    "b'H'", "b'I'", "b'J'", "b'K'",
    "b'L'", "b'M'", "b'N'", "b'O'",
    "b'P'", "b'Q'", "b'R'", "b'S'",
    "b'T'", "b'U'", "b'V'", "b'W'",
    "b'X'", "b'Y'", "b'Z'", "b'['",
    "b'\\\\'", "b']'", "b'^'", "b'_'",
    "b'`'", "b'a'", "b'b'", "b'c'",
    "b'd'", "b'e'", "b'f'", "b'g'",
    "b'h'", "b'i'", "b'j'", "b'k'",
    "b'l'", "b'm'", "b'n'", "b'o'",
    "b'p'", "b'q'", "b'r'", "b's'",
    "b't'", "b'u'", "b'v'", "b'w'",
    "b'x'", "b'y'", "b'z'", "b'{'",
    "b'|'", "b'}'", "b'~'", "b'\\x7f'",
    "b'\\x80'", "b'\\x81'", "b'\\x82'", "b'\\x83'",
    "b'\\x84'", "b'\\x85'", "b'\\x86'", "b'\\x87'",
    "b'\\x88'", "b'\\x89'", "b'\\x8a'", "b'\\x8b'",
    "b'\\x8c'", "b'\\x8d'", "b'\\x8e'", "b'\\x8f'",
    "b'\\x90'", "b'\\x91'", "b'\\x92'", "b'\\x93'",
    "b'\\x94'", "b'\\x95'", "b'\\x96'", "b'\\x97'",
    "b'\\x98'", "b'\\x99'", "b'\\x9a'", "b'\\x9b'",
    "b'\\x9c'", "b'\\x9d'", "b'\\x9e'", "b'\\x9f'",
    "b'\\xa0'", "b'\\xa1'", "b'\\xa2'", "b'\\xa3'",
    "b'\\xa4'", "b'\\xa5'", "b'\\xa6'", "b'\\xa7'",
    "b'\\xa8'", "b'\\xa9'", "b'\\xaa'", "b'\\xab'",
    "b'\\xac'", "b'\\xad'", "b'\\xae'", "b'\\xaf'",
    "b'\\xb0'", "b'\\xb1'", "b'\\xb2'", "b'\\xb3'",
    "b'\\xb4'", "b'\\xb5'", "b'\\xb6'", "b'\\xb7'",
    "b'\\xb8'", "b'\\xb9'", "b'\\xba'", "b'\\xbb'",
    "b'\\xbc'", "b'\\xbd'", "b'\\xbe'", "b'\\xbf'",
    "b'\\xc0'", "b'\\xc1'", "b'\\xc2'", "b'\\xc3'",
    "b'\\xc4'", "b'\\xc5'", "b'\\xc6'", "b'\\xc7'",
    "b'\\xc8'", "b'\\xc9'", "b'\\xca'", "b'\\xcb'",
    "b'\\xcc'", "b'\\xcd'", "b'\\xce'", "b'\\xcf'",
    "b'\\xd0'", "b'\\xd1'", "b'\\xd2'", "b'\\xd3'",
    "b'\\xd4'", "b'\\xd5'", "b'\\xd6'", "b'\\xd7'",
    "b'\\xd8'", "b'\\xd9'", "b'\\xda'", "b'\\xdb'",
    "b'\\xdc'", "b'\\xdd'", "b'\\xde'", "b'\\xdf'",
    "b'\\xe0'", "b'\\xe1'", "b'\\xe2'", "b'\\xe3'",
    "b'\\xe4'", "b'\\xe5'", "b'\\xe6'", "b'\\xe7'",
    "b'\\xe8'", "b'\\xe9'", "b'\\xea'", "b'\\xeb'",
    "b'\\xec'", "b'\\xed'", "b'\\xee'", "b'\\xef'",
    "b'\\xf0'", "b'\\xf1'", "b'\\xf2'", "b'\\xf3'",
    "b'\\xf4'", "b'\\xf5'", "b'\\xf6'", "b'\\xf7'",
    "b'\\xf8'", "b'\\xf9'", "b'\\xfa'", "b'\\xfb'",
    "b'\\xfc'", "b'\\xfd'", "b'\\xfe'", "b'\\xff'",
};

static void test_repr_bytes_all_bytes(void **state)
{
    (void)state;
    for (unsigned b = 0; b < 256; b++) {
        unsigned char byte = (unsigned char)b;
        bv_str s = {0};
        bv_error err = {0};
        assert_ok(bv_repr_bytes(&s, &byte, 1, &err), err);
        assert_string_equal(bv_str_cstr(&s), BYTE_REPRS[b]);
        bv_str_free(&s);
        /* A bytes value of length 1 (what 'c' items unpack to) prints the same. */
        assert_ok(bv_repr_value(&s, bv_value_bytes(&byte, 1), &err), err);
        assert_string_equal(bv_str_cstr(&s), BYTE_REPRS[b]);
        bv_str_free(&s);
    }
}

/* repr(b) and repr(bytearray(b)). bytearray escapes ' even inside double quotes (a
 * CPython quirk: bytearray(b"\'")), bytes does not. */
static const struct {
    const char *data;
    size_t len;
    const char *bytes_repr;
    const char *bytearray_repr;
} BYTES_CASES[] = {
    {"", 0, "b''", "bytearray(b'')"},
    {"\x27", 1, "b\"'\"", "bytearray(b\"\\'\")"},
    {"\x22", 1, "b'\"'", "bytearray(b'\"')"},
    {"\x27\x22", 2, "b'\\'\"'", "bytearray(b'\\'\"')"},
    {"\x69\x74\x27\x73", 4, "b\"it's\"", "bytearray(b\"it\\'s\")"},
    {"\x73\x61\x79\x20\x22\x68\x69\x22", 8, "b'say \"hi\"'", "bytearray(b'say \"hi\"')"},
    {"\x27\x22\x27", 3, "b'\\'\"\\''", "bytearray(b'\\'\"\\'')"},
    {"\x5c", 1, "b'\\\\'", "bytearray(b'\\\\')"},
    {"\x61\x09\x62\x0a\x63\x0d\x64", 7, "b'a\\tb\\nc\\rd'", "bytearray(b'a\\tb\\nc\\rd')"},
    {"\x00\x7f\x80\xff", 4, "b'\\x00\\x7f\\x80\\xff'", "bytearray(b'\\x00\\x7f\\x80\\xff')"},
    {"\x68\x65\x6c\x6c\x6f\x20\x77\x6f\x72\x6c\x64", 11, "b'hello world'", "bytearray(b'hello world')"},
    {"\x27\x27\x27", 3, "b\"'''\"", "bytearray(b\"\\'\\'\\'\")"},
    {"\x22\x22\x22", 3, "b'\"\"\"'", "bytearray(b'\"\"\"')"},
    {"\x20\x21\x22\x23\x24\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f\x30\x31\x32\x33\x34\x35\x36\x37\x38\x39\x3a\x3b\x3c\x3d\x3e\x3f\x40\x41\x42\x43\x44\x45\x46\x47\x48\x49\x4a\x4b\x4c\x4d\x4e\x4f\x50\x51\x52\x53\x54\x55\x56\x57\x58\x59\x5a\x5b\x5c\x5d\x5e\x5f\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f\x70\x71\x72\x73\x74\x75\x76\x77\x78\x79\x7a\x7b\x7c\x7d\x7e", 95, "b' !\"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'", "bytearray(b' !\"#$%&\\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~')"},
};

static void test_repr_bytes_quotes(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof BYTES_CASES / sizeof BYTES_CASES[0]; k++) {
        bytes_arg arg = {BYTES_CASES[k].data, BYTES_CASES[k].len};
        check_repr(call_bytes, &arg, BYTES_CASES[k].bytes_repr);
        check_repr(call_bytearray, &arg, BYTES_CASES[k].bytearray_repr);
    }
}

static void test_repr_bytes_all_256_at_once(void **state)
{
    (void)state;
    unsigned char all[256];
    char want[2048] = "b'";
    for (unsigned b = 0; b < 256; b++) {
        all[b] = (unsigned char)b;
        /* BYTE_REPRS[b] is b'<escape>' (or b"'" for the quote, escaped as \' here). */
        if (b == '\'')
            strcat(want, "\\'");
        else
            strncat(want, BYTE_REPRS[b] + 2, strlen(BYTE_REPRS[b]) - 3);
    }
    strcat(want, "'");
    bytes_arg arg = {all, sizeof all};
    check_repr(call_bytes, &arg, want);
}

static void test_repr_bytes_errors(void **state)
{
    (void)state;
    bv_str s = {0};
    bv_error err = {0};
    assert_ok(bv_str_append(&s, "keep", 4, &err), err);
    assert_error(bv_repr_bytes(&s, NULL, 3, &err), err, BV_TYPE_ERROR,
                 "bv_repr_bytes() argument 'data' must not be NULL when len > 0");
    assert_error(bv_repr_bytearray(&s, NULL, 1, &err), err, BV_TYPE_ERROR,
                 "bv_repr_bytearray() argument 'data' must not be NULL when len > 0");
    assert_string_equal(s.data, "keep");
    /* NULL with length 0 is just empty. */
    assert_ok(bv_repr_bytes(&s, NULL, 0, &err), err);
    assert_ok(bv_repr_bytearray(&s, NULL, 0, &err), err);
    assert_string_equal(s.data, "keepb''bytearray(b'')");
    bv_str_free(&s);
}

/* ---- values ----------------------------------------------------------------------- */

static void test_repr_values(void **state)
{
    (void)state;
    const struct {
        bv_value v;
        const char *want;
    } cases[] = {
        {bv_value_int(0), "0"},
        {bv_value_int(-1), "-1"},
        {bv_value_int(INT64_MIN), "-9223372036854775808"},
        {bv_value_int(INT64_MAX), "9223372036854775807"},
        {bv_value_uint(0), "0"},
        {bv_value_uint(UINT64_MAX), "18446744073709551615"},
        {bv_value_bool(true), "True"},
        {bv_value_bool(false), "False"},
        {bv_value_float(1e16), "1e+16"},
        {bv_value_float(-0.0), "-0.0"},
        {bv_value_bytes("'", 1), "b\"'\""},
        {bv_value_bytes("", 0), "b''"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        check_repr(call_value, &cases[k].v, cases[k].want);
}

static void test_repr_value_errors(void **state)
{
    (void)state;
    bv_str s = {0};
    bv_error err = {0};
    assert_ok(bv_str_append(&s, "keep", 4, &err), err);
    /* Only the first byte of a longer bytes value is kept: refuse rather than invent. */
    assert_error(bv_repr_value(&s, bv_value_bytes("ab", 2), &err), err, BV_VALUE_ERROR,
                 "cannot repr a bytes value of length 2: only its first byte is kept");
    bv_value junk = bv_value_int(1);
    junk.kind = (bv_value_kind)77;
    assert_error(bv_repr_value(&s, junk, &err), err, BV_VALUE_ERROR, "unknown bv_value kind 77");
    assert_string_equal(s.data, "keep");
    assert_int_equal(s.len, 4);
    bv_str_free(&s);
}

/* ---- lists ------------------------------------------------------------------------ */

static bv_list make_list(int ndim, ptrdiff_t *shape, ptrdiff_t count, bv_value *items)
{
    bv_list l = {ndim, shape, count, items};
    return l;
}

static void test_repr_lists(void **state)
{
    (void)state;
    bv_value ints[12];
    for (int k = 0; k < 12; k++)
        ints[k] = bv_value_int(k + 1);

    /* repr(mv.tolist()) / repr(list) in CPython */
    ptrdiff_t s1[] = {3};
    bv_list l = make_list(1, s1, 3, ints);
    check_repr(call_list, &l, "[1, 2, 3]");

    ptrdiff_t s22[] = {2, 2};
    l = make_list(2, s22, 4, ints);
    check_repr(call_list, &l, "[[1, 2], [3, 4]]");

    ptrdiff_t s223[] = {2, 2, 3};
    l = make_list(3, s223, 12, ints);
    check_repr(call_list, &l, "[[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]");

    ptrdiff_t s61[] = {6, 1};
    l = make_list(2, s61, 6, ints);
    check_repr(call_list, &l, "[[1], [2], [3], [4], [5], [6]]");

    ptrdiff_t s20[] = {2, 0};
    l = make_list(2, s20, 0, NULL);
    check_repr(call_list, &l, "[[], []]");

    ptrdiff_t s02[] = {0, 2};
    l = make_list(2, s02, 0, NULL);
    check_repr(call_list, &l, "[]");

    ptrdiff_t s0[] = {0};
    l = make_list(1, s0, 0, ints);
    check_repr(call_list, &l, "[]");

    ptrdiff_t s130[] = {1, 3, 0};
    l = make_list(3, s130, 0, NULL);
    check_repr(call_list, &l, "[[[], [], []]]");

    /* 0-dim: the scalar itself. */
    bv_value scalar = bv_value_float(2.5);
    l = make_list(0, NULL, 1, &scalar);
    check_repr(call_list, &l, "2.5");

    /* Mixed kinds, as tolist() of different views would give them. */
    bv_value mixed[] = {bv_value_bytes("a", 1), bv_value_bytes("'", 1), bv_value_float(1.5),
                        bv_value_bool(true), bv_value_float(-0.0), bv_value_uint(UINT64_MAX)};
    ptrdiff_t s6[] = {6};
    l = make_list(1, s6, 6, mixed);
    check_repr(call_list, &l, "[b'a', b\"'\", 1.5, True, -0.0, 18446744073709551615]");
}

static void test_repr_list_errors(void **state)
{
    (void)state;
    bv_value items[4] = {bv_value_int(1), bv_value_int(2), bv_value_int(3), bv_value_int(4)};
    ptrdiff_t s22[] = {2, 2}, sneg[] = {-1, 2}, sbig[] = {PTRDIFF_MAX, 4};
    const bv_list bad[] = {
        make_list(2, s22, 3, items),     /* count != product(shape) */
        make_list(2, s22, 5, items),
        make_list(2, NULL, 4, items),    /* no shape */
        make_list(2, s22, 4, NULL),      /* no items */
        make_list(-1, s22, 4, items),
        make_list(2, sneg, -2, items),
        make_list(2, sbig, 4, items),    /* product overflows */
        make_list(0, NULL, 0, items),    /* a scalar needs its one item */
        make_list(0, NULL, 1, NULL),
    };
    bv_str s = {0};
    bv_error err = {0};
    assert_ok(bv_str_append(&s, "keep", 4, &err), err);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        bv_error_clear(&err);
        assert_error(bv_repr_list(&s, &bad[k], &err), err, BV_VALUE_ERROR, "malformed bv_list");
        assert_string_equal(s.data, "keep");
    }
    assert_error(bv_repr_list(&s, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_repr_list() argument 'list' must not be NULL");

    /* An item that cannot be printed fails the whole list and leaves s as it was. */
    bv_value with_long_bytes[] = {bv_value_int(1), bv_value_bytes("ab", 2)};
    ptrdiff_t s2[] = {2};
    bv_list l = make_list(1, s2, 2, with_long_bytes);
    assert_error(bv_repr_list(&s, &l, &err), err, BV_VALUE_ERROR,
                 "cannot repr a bytes value of length 2: only its first byte is kept");
    assert_string_equal(s.data, "keep");
    assert_int_equal(s.len, 4);
    bv_str_free(&s);
}

/* ---- views ------------------------------------------------------------------------ */

static void test_repr_view(void **state)
{
    (void)state;
    bv_error err = {0};
    bv_bytes *b = NULL;
    assert_ok(bv_bytes_new(&b, "ab", 2, &err), err);
    bv_view v;
    assert_ok(bv_view_from(&v, bv_bytes_exporter(b), &err), err);

    char want[64];
    snprintf(want, sizeof want, "<memory at %p>", (void *)&v);
    /* CPython's %p: 0x and lowercase hex digits. */
    assert_memory_equal(want, "<memory at 0x", 13);
    for (const char *q = want + 13; *q != '>'; q++)
        assert_true((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'));
    check_repr(call_view, &v, want);

    assert_ok(bv_view_release(&v, &err), err);
    bv_bytes_decref(b);   /* the repr of a released view reads nothing behind it */
    snprintf(want, sizeof want, "<released memory at %p>", (void *)&v);
    check_repr(call_view, &v, want);

    bv_str s = {0};
    assert_error(bv_repr_view(&s, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_repr_view() argument 'v' must not be NULL");
    assert_null(s.data);
}

/* ---- printing --------------------------------------------------------------------- */

static void read_back(FILE *f, char *buf, size_t cap)
{
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
}

static void test_print(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    char buf[256];

    ptrdiff_t shape[] = {2, 2};
    bv_value items[] = {bv_value_int(1), bv_value_uint(2), bv_value_bool(false),
                        bv_value_float(0.1)};
    bv_list l = make_list(2, shape, 4, items);

    assert_int_equal(bv_print_value(f, bv_value_float(1e-05)), 0);
    assert_int_equal(bv_print_bytes(f, "it's", 4), 0);
    assert_int_equal(bv_print_bytearray(f, "it's", 4), 0);
    assert_int_equal(bv_print_list(f, &l), 0);
    read_back(f, buf, sizeof buf);
    assert_string_equal(buf, "1e-05b\"it's\"bytearray(b\"it\\'s\")[[1, 2], [False, 0.1]]");

    /* Failures print nothing and return -1. */
    fclose(f);
    f = tmpfile();
    assert_non_null(f);
    assert_int_equal(bv_print_value(f, bv_value_bytes("ab", 2)), -1);
    assert_int_equal(bv_print_bytes(f, NULL, 2), -1);
    assert_int_equal(bv_print_bytearray(f, NULL, 2), -1);
    assert_int_equal(bv_print_list(f, NULL), -1);
    test_alloc_install(1);
    assert_int_equal(bv_print_value(f, bv_value_int(5)), -1);
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
    read_back(f, buf, sizeof buf);
    assert_string_equal(buf, "");
    fclose(f);

    assert_int_equal(bv_print_value(NULL, bv_value_int(1)), -1);
    assert_int_equal(bv_print_bytes(NULL, "a", 1), -1);
    assert_int_equal(bv_print_bytearray(NULL, "a", 1), -1);
    assert_int_equal(bv_print_list(NULL, &l), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_basics),
        cmocka_unit_test(test_str_errors),
        cmocka_unit_test(test_str_self_append),
        cmocka_unit_test(test_str_memory_error),
        cmocka_unit_test(test_repr_float_table),
        cmocka_unit_test(test_repr_float_round_trips),
        cmocka_unit_test(test_repr_float_memory),
        cmocka_unit_test(test_repr_bytes_all_bytes),
        cmocka_unit_test(test_repr_bytes_quotes),
        cmocka_unit_test(test_repr_bytes_all_256_at_once),
        cmocka_unit_test(test_repr_bytes_errors),
        cmocka_unit_test(test_repr_values),
        cmocka_unit_test(test_repr_value_errors),
        cmocka_unit_test(test_repr_lists),
        cmocka_unit_test(test_repr_list_errors),
        cmocka_unit_test(test_repr_view),
        cmocka_unit_test(test_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
