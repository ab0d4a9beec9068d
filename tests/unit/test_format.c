/*
 * test_format.c: format characters, struct.calcsize, bv_value semantics and memoryview's
 * single-item pack/unpack rules. Every expected value below was produced with CPython
 * 3.11 (struct, memoryview.cast, ==, bool()) and pasted as a literal.
 */
#include "support.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------------- */

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Bit-exact (so -0.0 differs from 0.0), except that any NaN equals any NaN. */
static void assert_same_double(double got, double want)
{
    if (isnan(want)) {
        assert_true(isnan(got));
        return;
    }
    if (dbits(got) != dbits(want))
        fail_msg("got %a, want %a", got, want);
}

static const char *const ALL_CHARS = "cbBhHiIlLqQnNfde?P";

#define POISON 0xA5

/* Pack into a poisoned buffer at a deliberately odd offset and expect the bytes. */
static void pack_ok(char c, bv_value v, const void *want, size_t n)
{
    unsigned char buf[24];
    memset(buf, POISON, sizeof buf);
    bv_error err = {0};
    assert_ok(bv_format_pack(c, buf + 3, v, &err), err);
    assert_memory_equal(buf + 3, want, n);
    for (size_t k = 0; k < sizeof buf; k++)
        if (k < 3 || k >= 3 + n)
            assert_int_equal(buf[k], POISON);
}

/* Pack must fail with this kind and message and leave the buffer alone. */
static void pack_fails(char c, bv_value v, bv_status kind, const char *message)
{
    unsigned char buf[24], before[24];
    for (size_t k = 0; k < sizeof buf; k++)
        buf[k] = (unsigned char)(0x11 * k + 7);
    memcpy(before, buf, sizeof buf);
    bv_error err = {0};
    assert_error(bv_format_pack(c, buf + 1, v, &err), err, kind, message);
    assert_memory_equal(buf, before, sizeof buf);
}

static char invalid_value_msg[64], invalid_type_msg[64];

static const char *invalid_value(char c)
{
    snprintf(invalid_value_msg, sizeof invalid_value_msg,
             "memoryview: invalid value for format '%c'", c);
    return invalid_value_msg;
}

static const char *invalid_type(char c)
{
    snprintf(invalid_type_msg, sizeof invalid_type_msg, "memoryview: invalid type for format '%c'",
             c);
    return invalid_type_msg;
}

static bv_value unpack_at(char c, const void *p)
{
    bv_value v;
    bv_error err = {0};
    memset(&v, 0x5a, sizeof v);
    assert_ok(bv_format_unpack(c, p, &v, &err), err);
    return v;
}

/* ---- values ----------------------------------------------------------------------- */

static void test_value_constructors(void **state)
{
    (void)state;
    bv_value v = bv_value_int(INT64_MIN);
    assert_int_equal(v.kind, BV_VALUE_INT);
    assert_true(v.as.i == INT64_MIN);
    v = bv_value_uint(UINT64_MAX);
    assert_int_equal(v.kind, BV_VALUE_UINT);
    assert_true(v.as.u == UINT64_MAX);
    v = bv_value_float(-0.0);
    assert_int_equal(v.kind, BV_VALUE_FLOAT);
    assert_same_double(v.as.f, -0.0);
    v = bv_value_bool(true);
    assert_int_equal(v.kind, BV_VALUE_BOOL);
    assert_true(v.as.b);
    v = bv_value_bytes("xyz", 3);
    assert_int_equal(v.kind, BV_VALUE_BYTES);
    assert_int_equal(v.as.bytes.len, 3);
    assert_int_equal(v.as.bytes.first, 'x');
    v = bv_value_bytes("\xff", 1);
    assert_int_equal(v.as.bytes.first, 0xff);
    /* No data to read: the length is kept, the first byte reads as 0. */
    v = bv_value_bytes(NULL, 4);
    assert_int_equal(v.as.bytes.len, 4);
    assert_int_equal(v.as.bytes.first, 0);
    v = bv_value_bytes("", 0);
    assert_int_equal(v.as.bytes.len, 0);
    assert_int_equal(v.as.bytes.first, 0);
}

/* Python: for a, b in product(values, values): a == b. */
static void test_value_equal(void **state)
{
    (void)state;
    const bv_value values[] = {
        bv_value_int(0LL),
        bv_value_int(1LL),
        bv_value_int((-1LL)),
        bv_value_int(9007199254740993LL),
        bv_value_int(9007199254740992LL),
        bv_value_int(INT64_MIN),
        bv_value_int(9223372036854775807LL),
        bv_value_uint(0ULL),
        bv_value_uint(1ULL),
        bv_value_uint(9223372036854775808ULL),
        bv_value_uint(UINT64_MAX),
        bv_value_uint(9007199254740993ULL),
        bv_value_bool(true),
        bv_value_bool(false),
        bv_value_float(0x0.0p+0),
        bv_value_float(-0x0.0p+0),
        bv_value_float(0x1.0000000000000p+0),
        bv_value_float(-0x1.0000000000000p+0),
        bv_value_float(0x1.0000000000000p-1),
        bv_value_float(0x1.0000000000000p+53),
        bv_value_float(0x1.0000000000000p+63),
        bv_value_float(-0x1.0000000000000p+63),
        bv_value_float(0x1.0000000000000p+64),
        bv_value_float(NAN),
        bv_value_float(INFINITY),
        bv_value_float(-INFINITY),
        bv_value_bytes("\x61", 1),
        bv_value_bytes("", 0),
        bv_value_bytes("\x62", 1),
        bv_value_bytes("\x61\x62", 2),
        bv_value_bytes("\x01", 1),
    };
    static const int equal_pairs[][2] = {
        {0, 0}, {0, 7}, {0, 13}, {0, 14}, {0, 15}, {1, 1}, {1, 8}, {1, 12}, {1, 16},
        {2, 2}, {2, 17}, {3, 3}, {3, 11}, {4, 4}, {4, 19}, {5, 5}, {5, 21}, {6, 6},
        {7, 0}, {7, 7}, {7, 13}, {7, 14}, {7, 15}, {8, 1}, {8, 8}, {8, 12}, {8, 16},
        {9, 9}, {9, 20}, {10, 10}, {11, 3}, {11, 11}, {12, 1}, {12, 8}, {12, 12},
        {12, 16}, {13, 0}, {13, 7}, {13, 13}, {13, 14}, {13, 15}, {14, 0}, {14, 7},
        {14, 13}, {14, 14}, {14, 15}, {15, 0}, {15, 7}, {15, 13}, {15, 14}, {15, 15},
        {16, 1}, {16, 8}, {16, 12}, {16, 16}, {17, 2}, {17, 17}, {18, 18}, {19, 4},
        {19, 19}, {20, 9}, {20, 20}, {21, 5}, {21, 21}, {22, 22}, {24, 24}, {25, 25},
        {26, 26}, {27, 27}, {28, 28}, {29, 29}, {30, 30},
    };
    const size_t n = sizeof values / sizeof values[0];
    size_t trues = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            bool want = false;
            for (size_t k = 0; k < sizeof equal_pairs / sizeof equal_pairs[0]; k++)
                if ((size_t)equal_pairs[k][0] == i && (size_t)equal_pairs[k][1] == j)
                    want = true;
            bool got = bv_value_equal(values[i], values[j]);
            if (got != want)
                fail_msg("values[%zu] == values[%zu]: got %d, want %d", i, j, got, want);
            trues += got;
        }
    }
    assert_int_equal(trues, sizeof equal_pairs / sizeof equal_pairs[0]);

    /* Exact int/float comparison at the edges of double precision. */
    assert_false(bv_value_equal(bv_value_int((1LL << 53) + 1), bv_value_float(0x1p53)));
    assert_true(bv_value_equal(bv_value_float(0x1p53), bv_value_int(1LL << 53)));
    assert_false(bv_value_equal(bv_value_uint(UINT64_MAX), bv_value_float(0x1p64)));
    assert_false(bv_value_equal(bv_value_int(INT64_MAX), bv_value_float(0x1p63)));
    assert_true(bv_value_equal(bv_value_uint(1ULL << 63), bv_value_float(0x1p63)));
    assert_false(bv_value_equal(bv_value_int(0), bv_value_float(0x1p-1074)));
    assert_true(bv_value_equal(bv_value_bool(true), bv_value_uint(1)));
    /* An unknown kind equals nothing, not even itself. */
    bv_value junk = bv_value_int(0);
    junk.kind = (bv_value_kind)99;
    assert_false(bv_value_equal(junk, junk));
    assert_false(bv_value_equal(junk, bv_value_int(0)));
}

/* Python: bool(v) for each value. */
static void test_value_truthy(void **state)
{
    (void)state;
    static const struct {
        bv_value v;
        bool want;
    } cases[] = {
        {{BV_VALUE_INT, {.i = 0}}, false},
        {{BV_VALUE_INT, {.i = 1}}, true},
        {{BV_VALUE_INT, {.i = -1}}, true},
        {{BV_VALUE_INT, {.i = INT64_MIN}}, true},
        {{BV_VALUE_UINT, {.u = 0}}, false},
        {{BV_VALUE_UINT, {.u = UINT64_MAX}}, true},
        {{BV_VALUE_BOOL, {.b = true}}, true},
        {{BV_VALUE_BOOL, {.b = false}}, false},
        {{BV_VALUE_FLOAT, {.f = 0.0}}, false},
        {{BV_VALUE_FLOAT, {.f = -0.0}}, false},
        {{BV_VALUE_FLOAT, {.f = 0x1p-1074}}, true},
        {{BV_VALUE_FLOAT, {.f = -1.0}}, true},
        {{BV_VALUE_FLOAT, {.f = NAN}}, true},
        {{BV_VALUE_FLOAT, {.f = INFINITY}}, true},
        {{BV_VALUE_BYTES, {.bytes = {0, 0}}}, false},
        {{BV_VALUE_BYTES, {.bytes = {1, 0}}}, true},
        {{BV_VALUE_BYTES, {.bytes = {2, 'a'}}}, true},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        if (bv_value_truthy(cases[k].v) != cases[k].want)
            fail_msg("case %zu: want %d", k, cases[k].want);

    bv_value junk = bv_value_int(1);
    junk.kind = (bv_value_kind)99;
    assert_false(bv_value_truthy(junk));
    /* A bool whose byte was set by hand to 2 reads as true, without loading a bad _Bool. */
    bv_value odd = bv_value_bool(false);
    unsigned char two = 2;
    memcpy(&odd.as.b, &two, 1);
    assert_true(bv_value_truthy(odd));
}

/* ---- format characters ------------------------------------------------------------ */

static void test_itemsize(void **state)
{
    (void)state;
    /* struct.calcsize('@' + c) on this x86_64 machine. */
    static const struct {
        char c;
        ptrdiff_t size;
    } sizes[] = {
        {'c', 1}, {'b', 1}, {'B', 1}, {'?', 1}, {'h', 2}, {'H', 2}, {'i', 4}, {'I', 4},
        {'l', 8}, {'L', 8}, {'q', 8}, {'Q', 8}, {'n', 8}, {'N', 8}, {'f', 4}, {'d', 8},
        {'e', 2}, {'P', 8},
    };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        assert_int_equal(bv_format_itemsize(sizes[k].c), sizes[k].size);
        char fmt[3] = {sizes[k].c, 0, 0};
        assert_int_equal(bv_format_char(fmt), sizes[k].c);
        char at[3] = {'@', sizes[k].c, 0};
        assert_int_equal(bv_format_char(at), sizes[k].c);
    }
    /* struct knows x s p, but memoryview cannot index them; the rest are not formats. */
    const char *not_items = "xsp@<>!=zZgFDuwOS0 ";
    for (const char *q = not_items; *q; q++)
        assert_int_equal(bv_format_itemsize(*q), 0);
    assert_int_equal(bv_format_itemsize('\0'), 0);
    assert_int_equal(bv_format_itemsize((char)0xff), 0);
}

static void test_format_char(void **state)
{
    (void)state;
    assert_int_equal(bv_format_char("B"), 'B');
    assert_int_equal(bv_format_char("@d"), 'd');
    assert_int_equal(bv_format_char(NULL), 'B');  /* the buffer protocol's NULL means "B" */
    const char *bad[] = {"", "@", "@@", "@@B", "BB", "<B", "=B", "2B", "x", "@x", "s", "B@", " B"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (bv_format_char(bad[k]) != 0)
            fail_msg("bv_format_char(\"%s\") should be 0", bad[k]);
}

static void test_format_check(void **state)
{
    (void)state;
    bv_error err = {0};
    char c = 0;
    for (const char *q = ALL_CHARS; *q; q++) {
        char fmt[2] = {*q, 0};
        char at[3] = {'@', *q, 0};
        c = 0;
        assert_ok(bv_format_check(fmt, &c, &err), err);
        assert_int_equal(c, *q);
        c = 0;
        assert_ok(bv_format_check(at, &c, &err), err);
        assert_int_equal(c, *q);
    }
    assert_ok(bv_format_check("B", NULL, &err), err);
    assert_ok(bv_format_check(NULL, &c, &err), err);
    assert_int_equal(c, 'B');

    /* CPython (e.g. memoryview((ctypes.c_int * 2)())[0]): the whole format, '@' and all,
     * for a multi-character format; the character alone when it is unknown. */
    static const struct {
        const char *format;
        const char *message;
    } cases[] = {
        {"<i", "memoryview: unsupported format <i"},
        {"BB", "memoryview: unsupported format BB"},
        {"@BB", "memoryview: unsupported format @BB"},
        {"2B", "memoryview: unsupported format 2B"},
        {"", "memoryview: unsupported format "},
        {"@", "memoryview: unsupported format @"},
        {"@@B", "memoryview: unsupported format @@B"},
        {"x", "memoryview: format x not supported"},
        {"@x", "memoryview: format x not supported"},
        {"@@", "memoryview: format @ not supported"},
        {"<", "memoryview: format < not supported"},
        {"s", "memoryview: format s not supported"},
        {"Z", "memoryview: format Z not supported"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        c = 'q';
        bv_error_clear(&err);
        assert_error(bv_format_check(cases[k].format, &c, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                     cases[k].message);
        assert_int_equal(c, 'q');
    }
    /* err may be NULL: only the status comes back. */
    assert_int_equal(bv_format_check("zz", &c, NULL), BV_NOT_IMPLEMENTED_ERROR);
}

/* struct.calcsize(format) in CPython 3.11 on x86_64; struct.error becomes ValueError. */
static void test_calcsize(void **state)
{
    (void)state;
    static const struct {
        const char *format;
        ptrdiff_t size;
        const char *error;
    } cases[] = {
        {"", 0, NULL},
        {"@", 0, NULL},
        {"<", 0, NULL},
        {">", 0, NULL},
        {"!", 0, NULL},
        {"=", 0, NULL},
        {"B", 1, NULL},
        {"@B", 1, NULL},
        {"b", 1, NULL},
        {"c", 1, NULL},
        {"?", 1, NULL},
        {"h", 2, NULL},
        {"H", 2, NULL},
        {"i", 4, NULL},
        {"I", 4, NULL},
        {"l", 8, NULL},
        {"L", 8, NULL},
        {"q", 8, NULL},
        {"Q", 8, NULL},
        {"n", 8, NULL},
        {"N", 8, NULL},
        {"f", 4, NULL},
        {"d", 8, NULL},
        {"e", 2, NULL},
        {"P", 8, NULL},
        {"x", 1, NULL},
        {"s", 1, NULL},
        {"p", 1, NULL},
        {"3i", 12, NULL},
        {"<3i", 12, NULL},
        {"@ci", 8, NULL},
        {"ci", 8, NULL},
        {"=ci", 5, NULL},
        {"<ci", 5, NULL},
        {">ci", 5, NULL},
        {"!ci", 5, NULL},
        {"bd", 16, NULL},
        {"<bd", 9, NULL},
        {"c?e", 4, NULL},
        {"ce", 4, NULL},
        {"cP", 16, NULL},
        {"cn", 16, NULL},
        {"bq", 16, NULL},
        {"bf", 8, NULL},
        {"hq", 16, NULL},
        {"ihq", 16, NULL},
        {"iq", 16, NULL},
        {"qi", 12, NULL},
        {"2x3s", 5, NULL},
        {"0s", 0, NULL},
        {"0i", 0, NULL},
        {"c0i", 4, NULL},
        {"b0q", 8, NULL},
        {"10s", 10, NULL},
        {"10p", 10, NULL},
        {"3x", 3, NULL},
        {"x i", 8, NULL},
        {" i", 4, NULL},
        {"i ", 4, NULL},
        {"\tB\n", 1, NULL},
        {"ii ii", 16, NULL},
        {"2h 3b", 7, NULL},
        {"<2h3b", 7, NULL},
        {">q?", 9, NULL},
        {"@P", 8, NULL},
        {"s2s", 3, NULL},
        {"99999999999999999i", 399999999999999996, NULL},
        {"9223372036854775807s", 9223372036854775807, NULL},
        {"9223372036854775807x", 9223372036854775807, NULL},
        {"<9223372036854775807c", 9223372036854775807, NULL},
        {"9223372036854775800ci", 9223372036854775804, NULL},
        {"922337203685477580i", 3689348814741910320, NULL},
        {"<922337203685477580i", 3689348814741910320, NULL},
        {"z", -1, "bad char in struct format"},
        {"3", -1, "repeat count given without format specifier"},
        {"12", -1, "repeat count given without format specifier"},
        {"<n", -1, "bad char in struct format"},
        {"<N", -1, "bad char in struct format"},
        {"<P", -1, "bad char in struct format"},
        {"=P", -1, "bad char in struct format"},
        {"3 i", -1, "bad char in struct format"},
        {"3z", -1, "bad char in struct format"},
        {"<<i", -1, "bad char in struct format"},
        {"i<", -1, "bad char in struct format"},
        {"@@", -1, "bad char in struct format"},
        {"i@", -1, "bad char in struct format"},
        {"<i@", -1, "bad char in struct format"},
        {"Z", -1, "bad char in struct format"},
        {"99999999999999999999i", -1, "total struct size too long"},
        {"99999999999999999999z", -1, "total struct size too long"},
        {"99999999999999999999", -1, "total struct size too long"},
        {"4611686018427387904h", -1, "total struct size too long"},
        {"b9223372036854775807s", -1, "total struct size too long"},
        {"9223372036854775807sb", -1, "total struct size too long"},
        {"9223372036854775807ci", -1, "total struct size too long"},
        {"9223372036854775799cq", -1, "total struct size too long"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        bv_error err = {0};
        ptrdiff_t got = bv_format_calcsize(cases[k].format, &err);
        if (got != cases[k].size)
            fail_msg("calcsize(\"%s\") = %td, want %td", cases[k].format, got, cases[k].size);
        if (cases[k].error != NULL) {
            assert_int_equal(err.kind, BV_VALUE_ERROR);
            assert_string_equal(err.message, cases[k].error);
        }
    }
    assert_int_equal(bv_format_calcsize(NULL, NULL), 1);
    assert_int_equal(bv_format_calcsize("zz", NULL), -1);
}

/* ---- integers --------------------------------------------------------------------- */

/* Little-endian bytes from memoryview(bytearray(8)).cast(c); m[0] = v; m.tobytes(). */
typedef struct int_case {
    char c;
    size_t size;
    bool is_signed;
    int64_t min;    /* signed formats */
    uint64_t max;
    const char *min_bytes, *max_bytes;
} int_case;

static const int_case INT_CASES[] = {
    {'b', 1, true, -128, 127, "\x80", "\x7f"},
    {'h', 2, true, -32768, 32767, "\x00\x80", "\xff\x7f"},
    {'i', 4, true, -2147483648LL, 2147483647, "\x00\x00\x00\x80", "\xff\xff\xff\x7f"},
    {'l', 8, true, INT64_MIN, INT64_MAX, "\x00\x00\x00\x00\x00\x00\x00\x80",
     "\xff\xff\xff\xff\xff\xff\xff\x7f"},
    {'q', 8, true, INT64_MIN, INT64_MAX, "\x00\x00\x00\x00\x00\x00\x00\x80",
     "\xff\xff\xff\xff\xff\xff\xff\x7f"},
    {'n', 8, true, INT64_MIN, INT64_MAX, "\x00\x00\x00\x00\x00\x00\x00\x80",
     "\xff\xff\xff\xff\xff\xff\xff\x7f"},
    {'B', 1, false, 0, 255, "\x00", "\xff"},
    {'H', 2, false, 0, 65535, "\x00\x00", "\xff\xff"},
    {'I', 4, false, 0, 4294967295u, "\x00\x00\x00\x00", "\xff\xff\xff\xff"},
    {'L', 8, false, 0, UINT64_MAX, "\x00\x00\x00\x00\x00\x00\x00\x00",
     "\xff\xff\xff\xff\xff\xff\xff\xff"},
    {'Q', 8, false, 0, UINT64_MAX, "\x00\x00\x00\x00\x00\x00\x00\x00",
     "\xff\xff\xff\xff\xff\xff\xff\xff"},
    {'N', 8, false, 0, UINT64_MAX, "\x00\x00\x00\x00\x00\x00\x00\x00",
     "\xff\xff\xff\xff\xff\xff\xff\xff"},
};

static void test_int_formats_range_edges(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof INT_CASES / sizeof INT_CASES[0]; k++) {
        const int_case *t = &INT_CASES[k];
        bv_value lo = t->is_signed ? bv_value_int(t->min) : bv_value_uint(0);
        bv_value hi = t->is_signed ? bv_value_int((int64_t)t->max) : bv_value_uint(t->max);
        pack_ok(t->c, lo, t->min_bytes, t->size);
        pack_ok(t->c, hi, t->max_bytes, t->size);

        /* Unpack gives INT for signed formats and UINT for unsigned ones. */
        bv_value v = unpack_at(t->c, t->min_bytes);
        assert_int_equal(v.kind, t->is_signed ? BV_VALUE_INT : BV_VALUE_UINT);
        assert_true(bv_value_equal(v, lo));
        v = unpack_at(t->c, t->max_bytes);
        assert_int_equal(v.kind, t->is_signed ? BV_VALUE_INT : BV_VALUE_UINT);
        assert_true(bv_value_equal(v, hi));

        /* One past each end (where a 64-bit value can say it), and far beyond. */
        const char *bad = invalid_value(t->c);
        if (t->min != INT64_MIN)
            pack_fails(t->c, bv_value_int(t->min - 1), BV_VALUE_ERROR, bad);
        if (t->max != UINT64_MAX)
            pack_fails(t->c, bv_value_uint(t->max + 1), BV_VALUE_ERROR, bad);
        if (t->max < (uint64_t)INT64_MAX)
            pack_fails(t->c, bv_value_int((int64_t)t->max + 1), BV_VALUE_ERROR, bad);
        if (t->is_signed)
            pack_fails(t->c, bv_value_uint(UINT64_MAX), BV_VALUE_ERROR, bad);
        else
            pack_fails(t->c, bv_value_int(-1), BV_VALUE_ERROR, bad);

        /* Wrong kinds: floats (even integral ones) and bytes are TypeError. */
        const char *type = invalid_type(t->c);
        pack_fails(t->c, bv_value_float(1.0), BV_TYPE_ERROR, type);
        pack_fails(t->c, bv_value_float(NAN), BV_TYPE_ERROR, type);
        pack_fails(t->c, bv_value_bytes("a", 1), BV_TYPE_ERROR, type);
        pack_fails(t->c, bv_value_bytes("", 0), BV_TYPE_ERROR, type);

        /* Python bools are ints. */
        static const unsigned char one[8] = {1}, zero[8] = {0};
        pack_ok(t->c, bv_value_bool(true), one, t->size);
        pack_ok(t->c, bv_value_bool(false), zero, t->size);
        pack_ok(t->c, bv_value_uint(1), one, t->size);
        pack_ok(t->c, bv_value_int(0), zero, t->size);
    }
}

/* INT64_MIN: the full range for 64-bit signed formats, out of range for the others. */
static void test_int_formats_int64_min(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof INT_CASES / sizeof INT_CASES[0]; k++) {
        const int_case *t = &INT_CASES[k];
        if (t->min == INT64_MIN)
            pack_ok(t->c, bv_value_int(INT64_MIN), t->min_bytes, t->size);
        else
            pack_fails(t->c, bv_value_int(INT64_MIN), BV_VALUE_ERROR, invalid_value(t->c));
    }
}

static void test_int_formats_values(void **state)
{
    (void)state;
    /* memoryview(bytearray(8)).cast(c); m[0] = v; m.tobytes() */
    pack_ok('b', bv_value_int(-1), "\xff", 1);
    pack_ok('B', bv_value_uint(200), "\xc8", 1);
    pack_ok('h', bv_value_int(-2), "\xfe\xff", 2);
    pack_ok('H', bv_value_int(0x1234), "\x34\x12", 2);
    pack_ok('i', bv_value_int(-123456789), "\xeb\x32\xa4\xf8", 4);
    pack_ok('I', bv_value_int(3000000000LL), "\x00\x5e\xd0\xb2", 4);
    pack_ok('l', bv_value_int(-5), "\xfb\xff\xff\xff\xff\xff\xff\xff", 8);
    pack_ok('L', bv_value_uint(0x0102030405060708ULL), "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
    pack_ok('q', bv_value_uint(0x7fffffffffffffffULL), "\xff\xff\xff\xff\xff\xff\xff\x7f", 8);
    pack_ok('Q', bv_value_int(INT64_MAX), "\xff\xff\xff\xff\xff\xff\xff\x7f", 8);
    pack_ok('n', bv_value_int(-2), "\xfe\xff\xff\xff\xff\xff\xff\xff", 8);
    pack_ok('N', bv_value_uint(1ULL << 63), "\x00\x00\x00\x00\x00\x00\x00\x80", 8);

    bv_value v = unpack_at('b', "\xff");
    assert_int_equal(v.kind, BV_VALUE_INT);
    assert_true(v.as.i == -1);
    v = unpack_at('B', "\xff");
    assert_int_equal(v.kind, BV_VALUE_UINT);
    assert_true(v.as.u == 255);
    v = unpack_at('h', "\x00\x80");
    assert_true(v.as.i == -32768);
    v = unpack_at('I', "\x00\x5e\xd0\xb2");
    assert_true(v.as.u == 3000000000u);
    v = unpack_at('n', "\xfe\xff\xff\xff\xff\xff\xff\xff");
    assert_int_equal(v.kind, BV_VALUE_INT);
    assert_true(v.as.i == -2);
    v = unpack_at('N', "\xff\xff\xff\xff\xff\xff\xff\xff");
    assert_int_equal(v.kind, BV_VALUE_UINT);
    assert_true(v.as.u == UINT64_MAX);
}

/* ---- P ? c ------------------------------------------------------------------------ */

static void test_pointer_format(void **state)
{
    (void)state;
    /* memoryview(bytearray(8)).cast('P'): negative ints wrap, m[0] reads back unsigned. */
    pack_ok('P', bv_value_int(-1), "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    pack_ok('P', bv_value_int(INT64_MIN), "\x00\x00\x00\x00\x00\x00\x00\x80", 8);
    pack_ok('P', bv_value_uint(UINT64_MAX), "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    pack_ok('P', bv_value_bool(true), "\x01\x00\x00\x00\x00\x00\x00\x00", 8);
    pack_ok('P', bv_value_int(0x1000), "\x00\x10\x00\x00\x00\x00\x00\x00", 8);
    pack_fails('P', bv_value_float(1.0), BV_TYPE_ERROR, "memoryview: invalid type for format 'P'");
    pack_fails('P', bv_value_bytes("a", 1), BV_TYPE_ERROR,
               "memoryview: invalid type for format 'P'");

    bv_value v = unpack_at('P', "\x00\x00\x00\x00\x00\x00\x00\x80");
    assert_int_equal(v.kind, BV_VALUE_UINT);
    assert_true(v.as.u == 9223372036854775808ULL);
    v = unpack_at('P', "\xff\xff\xff\xff\xff\xff\xff\xff");
    assert_true(v.as.u == UINT64_MAX);
}

static void test_bool_format(void **state)
{
    (void)state;
    /* m = memoryview(bytearray(1)).cast('?'); m[0] = v; m.tobytes() */
    const struct {
        bv_value v;
        unsigned char want;
    } cases[] = {
        {bv_value_int(0), 0},         {bv_value_int(-1), 1},
        {bv_value_uint(UINT64_MAX), 1}, {bv_value_uint(0), 0},
        {bv_value_float(0.0), 0},     {bv_value_float(-0.0), 0},
        {bv_value_float(NAN), 1},     {bv_value_float(0.5), 1},
        {bv_value_bytes("", 0), 0},   {bv_value_bytes("a", 1), 1},
        {bv_value_bytes("\0", 1), 1}, {bv_value_bytes("ab", 2), 1},
        {bv_value_bool(true), 1},     {bv_value_bool(false), 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        pack_ok('?', cases[k].v, &cases[k].want, 1);

    /* Unpack: any non-zero byte is True (CPython: memoryview(bytes([2])).cast('?')[0]). */
    for (unsigned b = 0; b < 256; b++) {
        unsigned char byte = (unsigned char)b;
        bv_value v = unpack_at('?', &byte);
        assert_int_equal(v.kind, BV_VALUE_BOOL);
        assert_int_equal(bv_value_truthy(v), b != 0);
    }
}

static void test_char_format(void **state)
{
    (void)state;
    for (unsigned b = 0; b < 256; b++) {
        unsigned char byte = (unsigned char)b;
        pack_ok('c', bv_value_bytes(&byte, 1), &byte, 1);
        bv_value v = unpack_at('c', &byte);
        assert_int_equal(v.kind, BV_VALUE_BYTES);
        assert_int_equal(v.as.bytes.len, 1);
        assert_int_equal(v.as.bytes.first, b);
    }
    /* memoryview(bytearray(1)).cast('c'): m[0] = b'' / b'ab' / 1 / 1.0 / True */
    pack_fails('c', bv_value_bytes("", 0), BV_VALUE_ERROR, "memoryview: invalid value for format 'c'");
    pack_fails('c', bv_value_bytes("ab", 2), BV_VALUE_ERROR,
               "memoryview: invalid value for format 'c'");
    pack_fails('c', bv_value_int(1), BV_TYPE_ERROR, "memoryview: invalid type for format 'c'");
    pack_fails('c', bv_value_uint(97), BV_TYPE_ERROR, "memoryview: invalid type for format 'c'");
    pack_fails('c', bv_value_float(1.0), BV_TYPE_ERROR, "memoryview: invalid type for format 'c'");
    pack_fails('c', bv_value_bool(true), BV_TYPE_ERROR, "memoryview: invalid type for format 'c'");
}

/* ---- floats ----------------------------------------------------------------------- */

static void test_double_format(void **state)
{
    (void)state;
    const double values[] = {0.0, -0.0, 0.1, -1.5, 0x1p-1074, DBL_MAX, -DBL_MAX, INFINITY, -INFINITY};
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
        pack_ok('d', bv_value_float(values[k]), &values[k], 8);
        bv_value v = unpack_at('d', &values[k]);
        assert_int_equal(v.kind, BV_VALUE_FLOAT);
        assert_same_double(v.as.f, values[k]);
    }
    /* NaN keeps its bits. */
    uint64_t nan_bits = 0xfff8000000000123ULL;
    double nan;
    memcpy(&nan, &nan_bits, 8);
    pack_ok('d', bv_value_float(nan), &nan_bits, 8);

    /* Ints and bools convert (m[0] = True -> 1.0; m[0] = 2**64 - 1 -> 1.8446744073709552e+19). */
    double one = 1.0, zero = 0.0, big = 0x1p64, neg = -0x1p63, odd = 9007199254740992.0;
    pack_ok('d', bv_value_bool(true), &one, 8);
    pack_ok('d', bv_value_bool(false), &zero, 8);
    pack_ok('d', bv_value_uint(UINT64_MAX), &big, 8);
    pack_ok('d', bv_value_int(INT64_MIN), &neg, 8);
    /* 2**53 + 1 rounds to even: float(9007199254740993) == 9007199254740992.0 */
    pack_ok('d', bv_value_int(9007199254740993LL), &odd, 8);
    pack_fails('d', bv_value_bytes("a", 1), BV_TYPE_ERROR, "memoryview: invalid type for format 'd'");
}

static void test_float_format(void **state)
{
    (void)state;
    /* m = memoryview(bytearray(4)).cast('f'); m[0] = v; struct.unpack('<I', m.tobytes()) */
    static const struct {
        double in;
        uint32_t bits;
        double back;
    } cases[] = {
        {0x1.999999999999ap-4, 0x3dcccccdu, 0.10000000149011612},
        {0x1.5555555555555p-2, 0x3eaaaaabu, 0.3333333432674408},
        {0x1.0000010000000p+24, 0x4b800000u, 16777216.0},
        {0x1.0000030000000p+24, 0x4b800002u, 16777220.0},
        {0x1.fffffe0000000p+127, 0x7f7fffffu, 3.4028234663852886e+38},
        {0x1.fffffefffffffp+127, 0x7f7fffffu, 3.4028234663852886e+38},
        {0x1.ffffff0000000p+127, 0x7f800000u, INFINITY},
        {0x1.7e43c8800759cp+996, 0x7f800000u, INFINITY},
        {-0x1.7e43c8800759cp+996, 0xff800000u, -INFINITY},
        {0x1.fffffffffffffp+1023, 0x7f800000u, INFINITY},
        {0x1.244ce242c5561p-153, 0x00000000u, 0.0},
        {0x1.6d601ad376ab9p-150, 0x00000001u, 1.401298464324817e-45},
        {0x1.0000000000000p-150, 0x00000000u, 0.0},
        {0x1.0000100000000p-150, 0x00000001u, 1.401298464324817e-45},
        {0x1.8000000000000p-149, 0x00000002u, 2.802596928649634e-45},
        {0x1.0000000000000p-149, 0x00000001u, 1.401298464324817e-45},
        {0x1.fffffc0000000p-127, 0x007fffffu, 1.1754942106924411e-38},
        {0x1.0000000000000p+64, 0x5f800000u, 1.8446744073709552e+19},
        {INFINITY, 0x7f800000u, INFINITY},
        {-INFINITY, 0xff800000u, -INFINITY},
        {-0x0.0p+0, 0x80000000u, -0.0},
        {0x0.0p+0, 0x00000000u, 0.0},
        {-0x1.8000000000000p+0, 0xbfc00000u, -1.5},
        {0x1.ffc0000000000p+15, 0x477fe000u, 65504.0},
        {0x1.d6f3454000000p+26, 0x4ceb79a3u, 123456792.0},
        {-0x1.fffffefffffffp+127, 0xff7fffffu, -3.4028234663852886e+38},
        {-0x1.ffffff0000000p+127, 0xff800000u, -INFINITY},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        pack_ok('f', bv_value_float(cases[k].in), &cases[k].bits, 4);
        bv_value v = unpack_at('f', &cases[k].bits);
        assert_int_equal(v.kind, BV_VALUE_FLOAT);
        assert_same_double(v.as.f, cases[k].back);
    }
    /* int -> double -> float, as CPython converts: (2**64 - 1) -> 2**64. */
    uint32_t two64 = 0x5f800000u, one = 0x3f800000u, minus = 0xbf800000u;
    pack_ok('f', bv_value_uint(UINT64_MAX), &two64, 4);
    pack_ok('f', bv_value_bool(true), &one, 4);
    pack_ok('f', bv_value_int(-1), &minus, 4);
    /* NaN stays NaN with its sign. */
    float got;
    unsigned char buf[4];
    bv_error err = {0};
    assert_ok(bv_format_pack('f', buf, bv_value_float(-NAN), &err), err);
    memcpy(&got, buf, 4);
    assert_true(isnan(got) && signbit(got));
    pack_fails('f', bv_value_bytes("a", 1), BV_TYPE_ERROR, "memoryview: invalid type for format 'f'");
}

static void test_half_format(void **state)
{
    (void)state;
    /* struct.pack('<e', v) (memoryview.cast('e') needs 3.12; the packing is the same
     * PyFloat_Pack2): the bits, whether it packs, and struct.unpack of the result. */
    static const struct {
        double in;
        uint16_t bits;
        bool ok;
        double back;
    } cases[] = {
        {0x0.0p+0, 0x0000u, true, 0.0},
        {-0x0.0p+0, 0x8000u, true, -0.0},
        {0x1.0000000000000p+0, 0x3c00u, true, 1.0},
        {-0x1.0000000000000p+1, 0xc000u, true, -2.0},
        {0x1.999999999999ap-4, 0x2e66u, true, 0.0999755859375},
        {0x1.5555555555555p-2, 0x3555u, true, 0.333251953125},
        {0x1.ffc0000000000p+15, 0x7bffu, true, 65504.0},
        {0x1.ffdffffffffffp+15, 0x7bffu, true, 65504.0},
        {0x1.ffe0000000000p+15, 0, false, 0},
        {-0x1.ffe0000000000p+15, 0, false, 0},
        {0x1.2a05f20000000p+33, 0, false, 0},
        {0x1.fffffffffffffp+1023, 0, false, 0},
        {0x1.0000000000000p-24, 0x0001u, true, 5.960464477539063e-08},
        {0x1.0000000000000p-25, 0x0000u, true, 0.0},
        {0x1.0000000001000p-25, 0x0001u, true, 5.960464477539063e-08},
        {0x1.8000000000000p-24, 0x0002u, true, 1.1920928955078125e-07},
        {0x1.4000000000000p-23, 0x0002u, true, 1.1920928955078125e-07},
        {0x1.0000000000000p-14, 0x0400u, true, 6.103515625e-05},
        {0x1.ffc0000000000p-15, 0x0400u, true, 6.103515625e-05},
        {0x1.ffe0000000000p-15, 0x0400u, true, 6.103515625e-05},
        {0x1.ffb480a5accd5p-15, 0x03ffu, true, 6.097555160522461e-05},
        {0x1.0020000000000p+0, 0x3c00u, true, 1.0},
        {0x1.0060000000000p+0, 0x3c02u, true, 1.001953125},
        {0x1.0020000400000p+0, 0x3c01u, true, 1.0009765625},
        {0x1.0020000000000p+11, 0x6800u, true, 2048.0},
        {0x1.0060000000000p+11, 0x6802u, true, 2052.0},
        {0x1.fff999999999ap+10, 0x6800u, true, 2048.0},
        {0x1.ffe0000000000p+11, 0x6c00u, true, 4096.0},
        {0x1.0010000000000p+12, 0x6c00u, true, 4096.0},
        {0x1.5798ee2308c3ap-27, 0x0000u, true, 0.0},
        {0x0.0000000000001p-1022, 0x0000u, true, 0.0},
        {INFINITY, 0x7c00u, true, INFINITY},
        {-INFINITY, 0xfc00u, true, -INFINITY},
        {NAN, 0x7e00u, true, NAN},
        {-NAN, 0xfe00u, true, NAN},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        if (!cases[k].ok) {
            pack_fails('e', bv_value_float(cases[k].in), BV_VALUE_ERROR,
                       "memoryview: invalid value for format 'e'");
            continue;
        }
        pack_ok('e', bv_value_float(cases[k].in), &cases[k].bits, 2);
        bv_value v = unpack_at('e', &cases[k].bits);
        assert_int_equal(v.kind, BV_VALUE_FLOAT);
        assert_same_double(v.as.f, cases[k].back);
    }
    /* The NaN sign survives unpacking (struct.unpack('<e', b'\x00\xfe') is -nan). */
    bv_value v = unpack_at('e', "\x00\xfe");
    assert_true(isnan(v.as.f) && signbit(v.as.f));
    v = unpack_at('e', "\x01\x7c");  /* a signalling half NaN still reads as NaN */
    assert_true(isnan(v.as.f) && !signbit(v.as.f));

    /* Every finite half reads back and packs to the same bits. */
    for (uint32_t h = 0; h < 0x10000u; h++) {
        uint16_t bits = (uint16_t)h;
        if ((bits & 0x7c00u) == 0x7c00u && (bits & 0x3ffu) != 0)
            continue;  /* NaN payloads are not kept (CPython keeps only the sign) */
        v = unpack_at('e', &bits);
        unsigned char out[2];
        bv_error err = {0};
        assert_ok(bv_format_pack('e', out, v, &err), err);
        assert_memory_equal(out, &bits, 2);
    }

    /* Ints convert first: 65504 fits, 65520 does not; bools are 1.0 / 0.0. */
    uint16_t max = 0x7bffu, one = 0x3c00u;
    pack_ok('e', bv_value_int(65504), &max, 2);
    pack_ok('e', bv_value_bool(true), &one, 2);
    pack_fails('e', bv_value_int(65520), BV_VALUE_ERROR, "memoryview: invalid value for format 'e'");
    pack_fails('e', bv_value_uint(UINT64_MAX), BV_VALUE_ERROR,
               "memoryview: invalid value for format 'e'");
    pack_fails('e', bv_value_bytes("a", 1), BV_TYPE_ERROR, "memoryview: invalid type for format 'e'");
}

/* ---- every format: unaligned round trips and bad arguments ----------------------- */

static void test_unaligned_round_trips(void **state)
{
    (void)state;
    for (const char *q = ALL_CHARS; *q; q++) {
        char c = *q;
        bv_value v;
        switch (c) {
        case 'c': v = bv_value_bytes("Z", 1); break;
        case '?': v = bv_value_bool(true); break;
        case 'f': case 'd': case 'e': v = bv_value_float(-2.5); break;
        case 'b': case 'h': case 'i': case 'l': case 'q': case 'n': v = bv_value_int(-7); break;
        default: v = bv_value_uint(99); break;
        }
        for (size_t off = 0; off < 8; off++) {
            _Alignas(16) unsigned char buf[32];
            memset(buf, POISON, sizeof buf);
            bv_error err = {0};
            assert_ok(bv_format_pack(c, buf + off, v, &err), err);
            bv_value back = unpack_at(c, buf + off);
            if (!bv_value_equal(back, v))
                fail_msg("format %c at offset %zu did not round-trip", c, off);
            ptrdiff_t size = bv_format_itemsize(c);
            for (size_t k = 0; k < sizeof buf; k++)
                if (k < off || k >= off + (size_t)size)
                    assert_int_equal(buf[k], POISON);
        }
    }
}

static void test_unsupported_and_null(void **state)
{
    (void)state;
    unsigned char buf[8] = {1, 2, 3, 4, 5, 6, 7, 8}, before[8];
    memcpy(before, buf, sizeof buf);
    bv_error err = {0};
    const char bad_chars[] = "xspZ@<";
    for (const char *q = bad_chars; *q; q++) {
        char want[64];
        snprintf(want, sizeof want, "memoryview: format %c not supported", *q);
        assert_error(bv_format_pack(*q, buf, bv_value_int(1), &err), err,
                     BV_NOT_IMPLEMENTED_ERROR, want);
        bv_value out = bv_value_int(42);
        assert_error(bv_format_unpack(*q, buf, &out, &err), err, BV_NOT_IMPLEMENTED_ERROR, want);
        assert_int_equal(out.kind, BV_VALUE_INT);
        assert_true(out.as.i == 42);
    }
    assert_memory_equal(buf, before, sizeof buf);

    bv_value out = bv_value_int(42);
    assert_error(bv_format_pack('B', NULL, bv_value_int(1), &err), err, BV_TYPE_ERROR,
                 "bv_format_pack() argument 'p' must not be NULL");
    assert_error(bv_format_unpack('B', NULL, &out, &err), err, BV_TYPE_ERROR,
                 "bv_format_unpack() argument 'p' must not be NULL");
    assert_true(out.as.i == 42);
    assert_error(bv_format_unpack('B', buf, NULL, &err), err, BV_TYPE_ERROR,
                 "bv_format_unpack() argument 'out' must not be NULL");
    /* A value of unknown kind is the wrong type for every format that checks types. */
    bv_value junk = bv_value_int(1);
    junk.kind = (bv_value_kind)99;
    pack_fails('B', junk, BV_TYPE_ERROR, "memoryview: invalid type for format 'B'");
    pack_fails('d', junk, BV_TYPE_ERROR, "memoryview: invalid type for format 'd'");
    pack_fails('c', junk, BV_TYPE_ERROR, "memoryview: invalid type for format 'c'");
    /* err NULL still reports the kind. */
    assert_int_equal(bv_format_pack('B', buf, bv_value_int(256), NULL), BV_VALUE_ERROR);
    assert_memory_equal(buf, before, sizeof buf);
}

/* Nothing here allocates: the format layer never touches the heap. */
static void test_no_allocation(void **state)
{
    (void)state;
    test_alloc_install(1);
    unsigned char buf[8];
    bv_value v;
    bv_error err = {0};
    for (const char *q = ALL_CHARS; *q; q++) {
        bv_value in = *q == 'c' ? bv_value_bytes("a", 1) : bv_value_int(1);
        assert_ok(bv_format_pack(*q, buf, in, &err), err);
        assert_ok(bv_format_unpack(*q, buf, &v, &err), err);
    }
    assert_int_equal(bv_format_calcsize("3i2s", &err), 14);
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_constructors),
        cmocka_unit_test(test_value_equal),
        cmocka_unit_test(test_value_truthy),
        cmocka_unit_test(test_itemsize),
        cmocka_unit_test(test_format_char),
        cmocka_unit_test(test_format_check),
        cmocka_unit_test(test_calcsize),
        cmocka_unit_test(test_int_formats_range_edges),
        cmocka_unit_test(test_int_formats_int64_min),
        cmocka_unit_test(test_int_formats_values),
        cmocka_unit_test(test_pointer_format),
        cmocka_unit_test(test_bool_format),
        cmocka_unit_test(test_char_format),
        cmocka_unit_test(test_double_format),
        cmocka_unit_test(test_float_format),
        cmocka_unit_test(test_half_format),
        cmocka_unit_test(test_unaligned_round_trips),
        cmocka_unit_test(test_unsupported_and_null),
        cmocka_unit_test(test_no_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
