/*
 * test_byteorder.c: views of byte-order and standard-size formats ('<', '>', '!', '='),
 * and of other struct formats that are not one native character.
 *
 * Beyond CPython: bufview reads and writes their items (get/set, tolist, count, index,
 * slice assignment), where CPython raises NotImplementedError "memoryview: unsupported
 * format <i". The values are struct.unpack's on the same bytes (CPython 3.11's struct,
 * pasted as literals). As CPython: == compares through struct's values (CPython 3.11
 * with _testbuffer.ndarray exporting these formats gave every expected answer), and
 * casting and hashing keep memoryview's rules. The views come from support.c's
 * test_typed exporter, since no bufview object exports such formats.
 */
#include "support.h"

#include <math.h>
#include <string.h>

/* Sixteen bytes with small, negative, NaN and half-float patterns in every width. */
static const unsigned char DATA[16] = {0x01, 0x02, 0x03, 0x04, 0xff, 0xfe, 0xfd, 0x80,
                                       0x00, 0x00, 0xc0, 0x7f, 0x00, 0x3c, 0x7f, 0x01};

typedef struct typed_view {
    test_typed t;
    bv_view v;
} typed_view;

/* A 1-D view of `format` over the first n bytes of data (n / itemsize items). */
static void tv_make(typed_view *tv, const char *format, ptrdiff_t itemsize, const void *data,
                    size_t n, bool readonly)
{
    const ptrdiff_t shape[1] = {(ptrdiff_t)n / itemsize};
    test_typed_init(&tv->t, format, itemsize, shape, 1, data, readonly);
    bv_error err;
    assert_ok(bv_view_from(&tv->v, &tv->t.base, &err), err);
}

static void tv_free(typed_view *tv)
{
    bv_error err;
    assert_ok(bv_view_release(&tv->v, &err), err);
    test_typed_free(&tv->t);
}

static void assert_value(bv_value v, const char *want)
{
    bv_str s = {0};
    bv_error err;
    assert_ok(bv_repr_value(&s, v, &err), err);
    assert_string_equal(bv_str_cstr(&s), want);
    bv_str_free(&s);
}

/* ---- reading: struct.unpack(format[0] + str(n) + format[1], DATA) ------------------------ */

static void test_read_every_format(void **state)
{
    (void)state;
    static const struct {
        const char *format;
        ptrdiff_t size;
        const char *list;
    } cases[] = {
        {"<h", 2, "[513, 1027, -257, -32515, 0, 32704, 15360, 383]"},
        {">h", 2, "[258, 772, -2, -640, 0, -16257, 60, 32513]"},
        {"=h", 2, "[513, 1027, -257, -32515, 0, 32704, 15360, 383]"},
        {"!h", 2, "[258, 772, -2, -640, 0, -16257, 60, 32513]"},
        {"<H", 2, "[513, 1027, 65279, 33021, 0, 32704, 15360, 383]"},
        {">H", 2, "[258, 772, 65534, 64896, 0, 49279, 60, 32513]"},
        {"<i", 4, "[67305985, -2130837761, 2143289344, 25115648]"},
        {">i", 4, "[16909060, -66176, 49279, 3964673]"},
        {"=i", 4, "[67305985, -2130837761, 2143289344, 25115648]"},
        {"!I", 4, "[16909060, 4294901120, 49279, 3964673]"},
        {"<l", 4, "[67305985, -2130837761, 2143289344, 25115648]"},   /* 4 bytes, not 8 */
        {">L", 4, "[16909060, 4294901120, 49279, 3964673]"},
        {"<q", 8, "[-9151878496509558271, 107870888921137152]"},
        {">q", 8, "[72623864001002880, 211651697344257]"},
        {"=Q", 8, "[9294865577199993345, 107870888921137152]"},
        {"<f", 4, "[1.539989614439558e-36, -2.3325855890424436e-38, nan, 4.6879150929399576e-38]"},
        {">f", 4, "[2.387939260590663e-38, nan, 6.905458702346266e-41, 5.5556901864500655e-39]"},
        {"<d", 8, "[-6.834533441595473e-304, 1.821869558782257e-301]"},
        {">d", 8, "[8.207887215933268e-304, 1.045698325417864e-309]"},
        {"<e", 2, "[3.057718276977539e-05, 6.121397018432617e-05, nan, -1.5079975128173828e-05, "
                  "0.0, nan, 1.0, 2.282857894897461e-05]"},
        {">e", 2, "[1.537799835205078e-05, 4.601478576660156e-05, nan, nan, 0.0, "
                  "-2.248046875, 3.5762786865234375e-06, nan]"},
        {"<?", 1, "[True, True, True, True, True, True, True, True, False, False, True, True, "
                  "False, True, True, True]"},
        {">b", 1, "[1, 2, 3, 4, -1, -2, -3, -128, 0, 0, -64, 127, 0, 60, 127, 1]"},
        {"<B", 1, "[1, 2, 3, 4, 255, 254, 253, 128, 0, 0, 192, 127, 0, 60, 127, 1]"},
        {"!c", 1, "[b'\\x01', b'\\x02', b'\\x03', b'\\x04', b'\\xff', b'\\xfe', b'\\xfd', "
                  "b'\\x80', b'\\x00', b'\\x00', b'\\xc0', b'\\x7f', b'\\x00', b'<', b'\\x7f', "
                  "b'\\x01']"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        typed_view tv;
        tv_make(&tv, cases[k].format, cases[k].size, DATA, sizeof DATA, true);
        assert_tolist(&tv.v, cases[k].list);
        tv_free(&tv);
    }
}

/* get, get_at, a sub-view's item, count and index: the same values as tolist. */
static void test_items_count_index(void **state)
{
    (void)state;
    bv_error err;
    typed_view tv;
    tv_make(&tv, ">h", 2, DATA, sizeof DATA, false);
    bv_value v;
    assert_ok(bv_view_get(&tv.v, 2, &v, &err), err);
    assert_value(v, "-2");
    assert_int_equal(v.kind, BV_VALUE_INT);
    assert_ok(bv_view_get(&tv.v, -1, &v, &err), err);
    assert_value(v, "32513");
    const ptrdiff_t at[] = {5};
    assert_ok(bv_view_get_at(&tv.v, at, 1, &v, &err), err);
    assert_value(v, "-16257");
    assert_error(bv_view_get(&tv.v, 8, &v, &err), err, BV_INDEX_ERROR,
                 "index out of bounds on dimension 1");
    ptrdiff_t n = -1;
    assert_ok(bv_view_count(&tv.v, bv_value_int(0), &n, &err), err);
    assert_int_equal(n, 1);
    assert_ok(bv_view_count(&tv.v, bv_value_float(-2.0), &n, &err), err);   /* -2 == -2.0 */
    assert_int_equal(n, 1);
    assert_ok(bv_view_index(&tv.v, bv_value_int(60), 0, PTRDIFF_MAX, &n, &err), err);
    assert_int_equal(n, 6);
    assert_error(bv_view_index(&tv.v, bv_value_int(513), 0, PTRDIFF_MAX, &n, &err), err,
                 BV_VALUE_ERROR, "memoryview.index(x): x not found");   /* '<h' would find it */
    tv_free(&tv);

    /* NaN is never found, even in the item it was read from. */
    tv_make(&tv, "<e", 2, DATA, sizeof DATA, true);
    assert_ok(bv_view_count(&tv.v, bv_value_float(NAN), &n, &err), err);
    assert_int_equal(n, 0);
    assert_ok(bv_view_count(&tv.v, bv_value_int(1), &n, &err), err);
    assert_int_equal(n, 1);
    tv_free(&tv);

    /* N-D: a '>i' exporter of shape (2, 2), read by tuple and through a sub-view. */
    test_typed t;
    const ptrdiff_t s22[] = {2, 2};
    test_typed_init(&t, ">i", 4, s22, 2, DATA, true);
    bv_view m, col;
    assert_ok(bv_view_from(&m, &t.base, &err), err);
    assert_tolist(&m, "[[16909060, -66176], [49279, 3964673]]");
    const ptrdiff_t ij[] = {1, 0};
    assert_ok(bv_view_get_at(&m, ij, 2, &v, &err), err);
    assert_value(v, "49279");
    const bv_index c1[] = {bv_index_ellipsis(), bv_index_int(1)};
    assert_ok(bv_view_subscript(&col, &m, c1, 2, &err), err);
    assert_tolist(&col, "[-66176, 3964673]");
    assert_ok(bv_view_count(&col, bv_value_int(3964673), &n, &err), err);
    assert_int_equal(n, 1);
    assert_ok(bv_view_release(&col, &err), err);
    assert_ok(bv_view_release(&m, &err), err);
    test_typed_free(&t);
}

/* ---- writing: struct.pack's bytes, memoryview's checks ----------------------------------- */

/* Write v at index 0 of a fresh `format` view of zeros: the bytes written, or the error. */
static void set_ok(const char *format, ptrdiff_t size, bv_value v, const char *want, size_t n)
{
    static const unsigned char zeros[16] = {0};
    typed_view tv;
    tv_make(&tv, format, size, zeros, 16, false);
    bv_error err;
    assert_ok(bv_view_set(&tv.v, 0, v, &err), err);
    assert_memory_equal(tv.t.mem, want, n);
    for (size_t k = n; k < 16; k++)
        assert_int_equal(tv.t.mem[k], 0);
    tv_free(&tv);
}

static void set_fails(const char *format, ptrdiff_t size, bv_value v, bv_status kind,
                      const char *message)
{
    typed_view tv;
    tv_make(&tv, format, size, DATA, sizeof DATA, false);
    bv_error err;
    assert_error(bv_view_set(&tv.v, 1, v, &err), err, kind, message);
    assert_memory_equal(tv.t.mem, DATA, sizeof DATA);
    tv_free(&tv);
}

static void test_write(void **state)
{
    (void)state;
    /* struct.pack(format, value) */
    set_ok(">h", 2, bv_value_int(-2), "\xff\xfe", 2);
    set_ok("<h", 2, bv_value_int(-2), "\xfe\xff", 2);
    set_ok("!I", 4, bv_value_uint(4294901120u), "\xff\xfe\xfd\x80", 4);
    set_ok("<l", 4, bv_value_int(-2147483648LL), "\x00\x00\x00\x80", 4);
    set_ok(">q", 8, bv_value_int(1), "\x00\x00\x00\x00\x00\x00\x00\x01", 8);
    set_ok("=Q", 8, bv_value_uint(UINT64_MAX), "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    set_ok(">f", 4, bv_value_float(1.5), "\x3f\xc0\x00\x00", 4);
    set_ok(">f", 4, bv_value_int(3), "\x40\x40\x00\x00", 4);   /* floats take ints */
    set_ok("<d", 8, bv_value_float(-0.0), "\x00\x00\x00\x00\x00\x00\x00\x80", 8);
    set_ok(">e", 2, bv_value_float(65504.0), "\x7b\xff", 2);
    set_ok("!?", 1, bv_value_int(2), "\x01", 1);               /* truthiness */
    set_ok("<c", 1, bv_value_bytes("a", 1), "a", 1);
    set_ok(">B", 1, bv_value_bool(true), "\x01", 1);           /* ints take bools */

    /* memoryview's messages, with the whole format quoted; nothing written. */
    set_fails("<l", 4, bv_value_int(2147483648LL), BV_VALUE_ERROR,
              "memoryview: invalid value for format '<l'");
    set_fails(">H", 2, bv_value_int(-1), BV_VALUE_ERROR,
              "memoryview: invalid value for format '>H'");
    set_fails("=b", 1, bv_value_float(1.0), BV_TYPE_ERROR,
              "memoryview: invalid type for format '=b'");
    set_fails(">d", 8, bv_value_bytes("x", 1), BV_TYPE_ERROR,
              "memoryview: invalid type for format '>d'");
    set_fails("<e", 2, bv_value_float(65520.0), BV_VALUE_ERROR,
              "memoryview: invalid value for format '<e'");
    set_fails("!c", 1, bv_value_bytes("ab", 2), BV_VALUE_ERROR,
              "memoryview: invalid value for format '!c'");
    /* Native formats keep CPython's quoting of the character alone. */
    set_fails("@h", 2, bv_value_float(1.0), BV_TYPE_ERROR,
              "memoryview: invalid type for format 'h'");

    /* Read-only, set_at, and slice assignment from a source of the same format. */
    bv_error err;
    typed_view ro, tv, src;
    tv_make(&ro, "<i", 4, DATA, sizeof DATA, true);
    assert_error(bv_view_set(&ro.v, 0, bv_value_int(1), &err), err, BV_TYPE_ERROR,
                 "cannot modify read-only memory");
    tv_free(&ro);
    tv_make(&tv, ">h", 2, DATA, sizeof DATA, false);
    const ptrdiff_t at[] = {-1};
    assert_ok(bv_view_set_at(&tv.v, at, 1, bv_value_int(258), &err), err);
    assert_memory_equal(tv.t.mem + 14, "\x01\x02", 2);
    tv_make(&src, ">h", 2, "\x00\x07\x00\x08", 4, true);
    assert_ok(bv_view_assign_slice(&tv.v, bv_slice_range(0, 2), &src.t.base, &err), err);
    assert_memory_equal(tv.t.mem, "\x00\x07\x00\x08", 4);
    tv_free(&src);
    /* '<h' and '>h' are different structures, as are 'h' and '>h'. */
    tv_make(&src, "<h", 2, "\x00\x07\x00\x08", 4, true);
    assert_error(bv_view_assign_slice(&tv.v, bv_slice_range(0, 2), &src.t.base, &err), err,
                 BV_VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    tv_free(&src);
    tv_free(&tv);
}

/* ---- formats bufview still does not index -------------------------------------------------- */

static void test_still_unsupported(void **state)
{
    (void)state;
    static const struct {
        const char *format;
        ptrdiff_t size;
        const char *message;
    } cases[] = {
        {"<hh", 4, "memoryview: unsupported format <hh"},
        {"<2h", 4, "memoryview: unsupported format <2h"},
        {"@<i", 4, "memoryview: unsupported format @<i"},   /* '@' is native: no order after */
        {"3s", 3, "memoryview: unsupported format 3s"},
        {"x", 1, "memoryview: format x not supported"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        typed_view tv;
        bv_error err;
        const ptrdiff_t shape[1] = {1};
        test_typed_init(&tv.t, cases[k].format, cases[k].size, shape, 1, DATA, false);
        bv_status st = bv_view_from(&tv.v, &tv.t.base, &err);
        if (cases[k].format[1] == '<') {
            /* struct itself refuses "@<i": no view can carry it. */
            assert_int_equal(st, BV_BUFFER_ERROR);
            test_typed_free(&tv.t);
            continue;
        }
        assert_ok(st, err);
        bv_value v;
        bv_list l;
        ptrdiff_t n;
        assert_error(bv_view_get(&tv.v, 0, &v, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                     cases[k].message);
        assert_error(bv_view_tolist(&tv.v, &l, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                     cases[k].message);
        assert_error(bv_view_count(&tv.v, bv_value_int(0), &n, &err), err,
                     BV_NOT_IMPLEMENTED_ERROR, cases[k].message);
        assert_error(bv_view_set(&tv.v, 0, bv_value_int(0), &err), err,
                     BV_NOT_IMPLEMENTED_ERROR, cases[k].message);
        tv_free(&tv);
    }
    /* CPython's order around the format check: memory_subscript refuses an integer on a
     * 0-dim view first; 3.14's index() reads the format only with an item to read. */
    bv_error err0;
    test_typed t0;
    const ptrdiff_t none[1] = {0};
    test_typed_init(&t0, "<hh", 4, none, 0, DATA, false);
    bv_view v0;
    assert_ok(bv_view_from(&v0, &t0.base, &err0), err0);
    bv_value x;
    assert_error(bv_view_get(&v0, 0, &x, &err0), err0, BV_TYPE_ERROR,
                 "invalid indexing of 0-dim memory");
    assert_ok(bv_view_release(&v0, &err0), err0);
    test_typed_free(&t0);
    typed_view two;
    tv_make(&two, "<hh", 4, DATA, 8, true);
    ptrdiff_t at = -1;
    assert_error(bv_view_index(&two.v, bv_value_int(0), 1, 1, &at, &err0), err0, BV_VALUE_ERROR,
                 "memoryview.index(x): x not found");
    assert_error(bv_view_index(&two.v, bv_value_int(0), 0, 1, &at, &err0), err0,
                 BV_NOT_IMPLEMENTED_ERROR, "memoryview: unsupported format <hh");
    assert_error(bv_view_count(&two.v, bv_value_int(0), &at, &err0), err0,
                 BV_NOT_IMPLEMENTED_ERROR, "memoryview: unsupported format <hh");
    assert_int_equal(at, -1);
    tv_free(&two);

    /* The public single-character check stays CPython's. */
    bv_error err;
    char c;
    assert_error(bv_format_check("<i", &c, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                 "memoryview: unsupported format <i");
    assert_int_equal(bv_format_char("<i"), 0);
}

/* ---- equality, casting, hashing: CPython's rules --------------------------------------------- */

static bool eq(const bv_view *a, const bv_view *b)
{
    bool r = false;
    bv_error err;
    assert_ok(bv_view_equal(a, b, &r, &err), err);
    return r;
}

/* A native view: memoryview(bytes).cast(format). */
static void native(bv_bytes **b, bv_view *flat, bv_view *v, const char *format, const void *data,
                   size_t n)
{
    bv_error err;
    assert_ok(bv_bytes_new(b, data, n, &err), err);
    assert_ok(bv_view_from(flat, bv_bytes_exporter(*b), &err), err);
    assert_ok(bv_view_cast(v, flat, format, &err), err);
}

static void native_free(bv_bytes *b, bv_view *flat, bv_view *v)
{
    bv_error err;
    assert_ok(bv_view_release(v, &err), err);
    assert_ok(bv_view_release(flat, &err), err);
    bv_bytes_decref(b);
}

static void test_equality(void **state)
{
    (void)state;
    const char i12[] = "\x01\x00\x00\x00\x02\x00\x00\x00";   /* struct.pack('<2i', 1, 2) */
    bv_bytes *b;
    bv_view flat, ni;
    native(&b, &flat, &ni, "i", i12, 8);
    typed_view lt, eqv, q, f, c, bi;
    tv_make(&lt, "<i", 4, i12, 8, true);
    tv_make(&eqv, "=i", 4, i12, 8, true);
    assert_true(eq(&lt.v, &ni));             /* '<i' [1, 2] == 'i' [1, 2] */
    assert_true(eq(&ni, &lt.v));
    assert_true(eq(&eqv.v, &ni));            /* '=i' == 'i' */
    assert_true(eq(&eqv.v, &lt.v));
    bool r = false;
    bv_error err;
    assert_ok(bv_view_equal_exporter(&lt.v, &eqv.t.base, &r, &err), err);
    assert_true(r);
    /* Values, not itemsizes or kinds: [1, 2] as 'q' and as '<f' [1.0, 2.0]. */
    tv_make(&q, "<q", 8, "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0", 16, true);
    tv_make(&f, "<f", 4, "\x00\x00\x80\x3f\x00\x00\x00\x40", 8, true);
    assert_true(eq(&lt.v, &q.v));
    assert_true(eq(&lt.v, &f.v));
    /* '>h' over the same bytes as 'h' reads other values; over swapped bytes, the same. */
    bv_bytes *hb;
    bv_view hflat, nh;
    native(&hb, &hflat, &nh, "h", "\x01\x00\x02\x00", 4);
    tv_make(&bi, ">h", 2, "\x01\x00\x02\x00", 4, true);
    assert_false(eq(&bi.v, &nh));
    tv_free(&bi);
    tv_make(&bi, ">h", 2, "\x00\x01\x00\x02", 4, true);
    assert_true(eq(&bi.v, &nh));
    tv_free(&bi);
    native_free(hb, &hflat, &nh);
    /* Bytes are not ints: '<c' differs from 'B', equals 'c'. */
    tv_make(&c, "<c", 1, "ab", 2, true);
    bv_bytes *cb;
    bv_view cflat, cc;
    native(&cb, &cflat, &cc, "c", "ab", 2);
    assert_false(eq(&c.v, &cflat));
    assert_true(eq(&c.v, &cc));
    native_free(cb, &cflat, &cc);
    tv_free(&c);
    /* A NaN is unequal to itself: the views compare values, not bytes. */
    typed_view nan;
    tv_make(&nan, "<d", 8, "\x00\x00\x00\x00\x00\x00\xf8\x7f", 8, true);
    assert_false(eq(&nan.v, &nan.v));
    tv_free(&nan);
    /* Empty views of any formats with equal shapes are equal. */
    typed_view e1, e2;
    tv_make(&e1, ">d", 8, "", 0, true);
    tv_make(&e2, "<?", 1, "", 0, true);
    assert_true(eq(&e1.v, &e2.v));
    tv_free(&e2);
    tv_free(&e1);
    tv_free(&f);
    tv_free(&q);
    tv_free(&eqv);
    tv_free(&lt);
    native_free(b, &flat, &ni);
}

/* Formats of several values compare as struct's tuples (one value: the value itself). */
static void test_equality_struct_formats(void **state)
{
    (void)state;
    const char h1234[] = "\x01\x00\x02\x00\x03\x00\x04\x00";   /* struct.pack('<4h', 1, 2, 3, 4) */
    typed_view a, b;
    tv_make(&a, "<hh", 4, h1234, 8, true);
    tv_make(&b, "<hh", 4, h1234, 8, true);
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_make(&b, "2h", 4, h1234, 8, true);      /* native, same values */
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_make(&b, "<i", 4, h1234, 8, true);      /* (1, 2) != 131073 */
    assert_false(eq(&a.v, &b.v));
    tv_free(&b);
    tv_make(&b, ">hh", 4, h1234, 8, true);
    assert_false(eq(&a.v, &b.v));
    tv_free(&b);
    tv_free(&a);
    /* A NaN inside a tuple. */
    tv_make(&a, "<dd", 16, "\x00\x00\x00\x00\x00\x00\xf8\x7f\x00\x00\x00\x00\x00\x00\xf0\x3f",
            16, true);
    assert_false(eq(&a.v, &a.v));
    tv_free(&a);
    /* Bytes: 's' is one bytes value of its length, 'p' a Pascal string, 'c' one byte. */
    tv_make(&a, "2s", 2, "abcd", 4, true);
    tv_make(&b, "2s", 2, "abcd", 4, true);
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_make(&b, "2s", 2, "abce", 4, true);
    assert_false(eq(&a.v, &b.v));
    tv_free(&b);
    tv_make(&b, "2c", 2, "abcd", 4, true);     /* b'ab' != (b'a', b'b') */
    assert_false(eq(&a.v, &b.v));
    tv_free(&b);
    tv_free(&a);
    tv_make(&a, "1s", 1, "ab", 2, true);
    tv_make(&b, "<c", 1, "ab", 2, true);
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_free(&a);
    tv_make(&a, "3p", 3, "\x05xy\x01zw", 6, true);   /* b'xy' (length clamped), b'z' */
    tv_make(&b, "3p", 3, "\x02xy\x01zq", 6, true);
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_free(&a);
    /* Padding holds no value: 'bx' [1, 3] == '<b' [1, 3]; 'x' items are all (). */
    tv_make(&a, "bx", 2, "\x01\x02\x03\x04", 4, true);
    tv_make(&b, "<b", 1, "\x01\x03", 2, true);
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_make(&b, "x", 1, "\x07\x08", 2, true);
    typed_view x2;
    tv_make(&x2, "x", 1, "\x09\x0a", 2, true);
    assert_true(eq(&b.v, &x2.v));
    tv_free(&x2);
    tv_free(&b);
    tv_free(&a);
    /* Native alignment: 'ci' is 8 bytes, '<ci' 5; both unpack (b'a', 5). */
    tv_make(&a, "ci", 8, "a\0\0\0\x05\0\0\0", 8, true);
    tv_make(&b, "<ci", 5, "a\x05\0\0\0", 5, true);
    assert_true(eq(&a.v, &b.v));
    tv_free(&b);
    tv_free(&a);
}

static void test_cast_and_hash_keep_cpython_rules(void **state)
{
    (void)state;
    bv_error err;
    typed_view tv;
    bv_view out;
    tv_make(&tv, "<i", 4, DATA, sizeof DATA, true);
    assert_ok(bv_view_cast(&out, &tv.v, "B", &err), err);   /* to a byte format: allowed */
    assert_tolist(&out, "[1, 2, 3, 4, 255, 254, 253, 128, 0, 0, 192, 127, 0, 60, 127, 1]");
    assert_ok(bv_view_release(&out, &err), err);
    assert_error(bv_view_cast(&out, &tv.v, "i", &err), err, BV_TYPE_ERROR,
                 "memoryview: cannot cast between two non-byte formats");
    assert_error(bv_view_cast(&out, &tv.v, "<i", &err), err, BV_VALUE_ERROR,
                 "memoryview: destination format must be a native single character format "
                 "prefixed with an optional '@'");
    tv_free(&tv);
    /* '<B' is not one of CPython's byte formats: no cast to another format, no hash. */
    tv_make(&tv, "<B", 1, DATA, sizeof DATA, true);
    assert_error(bv_view_cast(&out, &tv.v, "h", &err), err, BV_TYPE_ERROR,
                 "memoryview: cannot cast between two non-byte formats");
    uint64_t h;
    assert_error(bv_view_hash(&tv.v, &h, &err), err, BV_VALUE_ERROR,
                 "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    tv_free(&tv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_every_format),
        cmocka_unit_test(test_items_count_index),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_still_unsupported),
        cmocka_unit_test(test_equality),
        cmocka_unit_test(test_equality_struct_formats),
        cmocka_unit_test(test_cast_and_hash_keep_cpython_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
