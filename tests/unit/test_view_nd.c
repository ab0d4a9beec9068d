/*
 * bv_view beyond one dimension: casts with every CPython rule, N-D and 0-dim item access,
 * tobytes orders, nested tolist, hex, count/index, equality, hashing, and bufview's
 * extension: multi-dimensional slicing and slice assignment. Expected values were taken
 * from CPython 3.11 (python3 on these machines) except where a comment names 3.13.
 */
#include "support.h"

#include <math.h>
#include <string.h>

static bv_bytearray *ba_range(size_t n)
{
    unsigned char buf[256];
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)i;
    bv_bytearray *ba = NULL;
    bv_error err;
    assert_ok(bv_bytearray_new(&ba, buf, n, &err), err);
    return ba;
}

static char *hex_of(const bv_view *v)
{
    char *hex = NULL;
    bv_error err;
    assert_ok(bv_view_hex(v, NULL, 1, &hex, &err), err);
    return hex;
}

static void assert_hex(const bv_view *v, const char *want)
{
    char *h = hex_of(v);
    assert_string_equal(h, want);
    bv_free(h);
}

static void assert_tobytes_hex(const bv_view *v, char order, const char *want)
{
    bv_error err;
    bv_bytes *b = NULL;
    assert_ok(bv_view_tobytes(v, order, &b, &err), err);
    char hex[512];
    size_t n = bv_bytes_size(b);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", bv_bytes_data(b)[i]);
    hex[2 * n] = '\0';
    assert_string_equal(hex, want);
    bv_bytes_decref(b);
}

static void assert_flags(const bv_view *v, bool c, bool f, bool any)
{
    bv_error err;
    bool x;
    assert_ok(bv_view_c_contiguous(v, &x, &err), err);
    assert_int_equal(x, c);
    assert_ok(bv_view_f_contiguous(v, &x, &err), err);
    assert_int_equal(x, f);
    assert_ok(bv_view_contiguous(v, &x, &err), err);
    assert_int_equal(x, any);
}

/* memoryview(bytearray(range(24))).cast('B', [2, 3, 4]) */
static void test_three_dimensions(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_range(24);
    bv_view flat, m;
    assert_ok(bv_view_from(&flat, bv_bytearray_exporter(ba), &err), err);
    const ptrdiff_t shape[] = {2, 3, 4};
    assert_ok(bv_view_cast_shape(&m, &flat, "B", shape, 3, &err), err);
    const ptrdiff_t *st;
    assert_ok(bv_view_strides(&m, &st, &err), err);
    assert_int_equal(st[0], 12);
    assert_int_equal(st[1], 4);
    assert_int_equal(st[2], 1);
    assert_flags(&m, true, false, true);

    bv_value v;
    const ptrdiff_t last[] = {1, 2, 3}, neg[] = {-1, -1, -1};
    assert_ok(bv_view_get_at(&m, last, 3, &v, &err), err);
    assert_int_equal(v.as.u, 23);
    assert_ok(bv_view_get_at(&m, neg, 3, &v, &err), err);
    assert_int_equal(v.as.u, 23);
    const ptrdiff_t bad1[] = {2, 0, 0}, bad2[] = {0, 3, 0}, bad3[] = {0, 0, -5};
    assert_error(bv_view_get_at(&m, bad1, 3, &v, &err), err, BV_INDEX_ERROR, "index out of bounds on dimension 1");
    assert_error(bv_view_get_at(&m, bad2, 3, &v, &err), err, BV_INDEX_ERROR, "index out of bounds on dimension 2");
    assert_error(bv_view_get_at(&m, bad3, 3, &v, &err), err, BV_INDEX_ERROR, "index out of bounds on dimension 3");
    const ptrdiff_t four[] = {0, 0, 0, 0};
    assert_error(bv_view_get_at(&m, four, 4, &v, &err), err, BV_TYPE_ERROR,
                 "cannot index 3-dimension view with 4-element tuple");
    assert_error(bv_view_get_at(&m, four, 2, &v, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                 "sub-views are not implemented");
    assert_error(bv_view_get(&m, 0, &v, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                 "multi-dimensional sub-views are not implemented");
    assert_error(bv_view_set(&m, 0, bv_value_int(1), &err), err, BV_NOT_IMPLEMENTED_ERROR,
                 "sub-views are not implemented");
    assert_ok(bv_view_set_at(&m, four, 3, bv_value_int(255), &err), err);
    assert_int_equal(bv_bytearray_data(ba)[0], 255);
    assert_ok(bv_view_set_at(&m, four, 3, bv_value_int(0), &err), err);

    assert_tobytes_hex(&m, 'F', "000c04100814010d05110915020e06120a16030f07130b17");
    assert_tolist(&m, "[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], "
                    "[[12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]]");

    /* m[::-1]: negative stride on dimension 0, no longer contiguous in any order. */
    bv_view r;
    assert_ok(bv_view_slice(&r, &m, (bv_slice){.step = -1, .has_step = true}, &err), err);
    assert_ok(bv_view_strides(&r, &st, &err), err);
    assert_int_equal(st[0], -12);
    assert_flags(&r, false, false, false);
    assert_tobytes_hex(&r, 'C', "0c0d0e0f1011121314151617000102030405060708090a0b");
    assert_tobytes_hex(&r, 'F', "0c00100414080d01110515090e021206160a0f031307170b");
    assert_tobytes_hex(&r, 'A', "0c0d0e0f1011121314151617000102030405060708090a0b");
    assert_hex(&r, "0c0d0e0f1011121314151617000102030405060708090a0b");
    bv_view bad;
    assert_error(bv_view_cast(&bad, &r, "B", &err), err, BV_TYPE_ERROR,
                 "memoryview: casts are restricted to C-contiguous views");

    /* CPython refuses slice assignment beyond 1-D; bufview's _nd variant allows it. */
    assert_error(bv_view_assign_slice(&m, bv_slice_range(0, 1), bv_view_exporter(&r), &err), err,
                 BV_NOT_IMPLEMENTED_ERROR,
                 "memoryview slice assignments are currently restricted to ndim = 1");
    assert_ok(bv_view_release(&r, &err), err);
    assert_ok(bv_view_release(&m, &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    bv_bytearray_decref(ba);
}

static void test_cast_rules(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = NULL;
    assert_ok(bv_bytes_new(&b, "abcdefgh", 8, &err), err);
    bv_view mv, out, out2;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    memset(&out, 0x11, sizeof out);
    bv_view before = out;

    assert_ok(bv_view_cast(&out2, &mv, "i", &err), err);
    assert_tolist(&out2, "[1684234849, 1751606885]");
    assert_error(bv_view_cast(&out, &out2, "h", &err), err, BV_TYPE_ERROR,
                 "memoryview: cannot cast between two non-byte formats");
    bv_view back;
    const ptrdiff_t s24[] = {2, 4};
    assert_ok(bv_view_cast_shape(&back, &out2, "B", s24, 2, &err), err);
    assert_tolist(&back, "[[97, 98, 99, 100], [101, 102, 103, 104]]");
    const ptrdiff_t s8[] = {8};
    assert_error(bv_view_cast_shape(&out, &back, "B", s24, 2, &err), err, BV_TYPE_ERROR,
                 "memoryview: cast must be 1D -> ND or ND -> 1D");
    bv_view flat2;
    assert_ok(bv_view_cast_shape(&flat2, &back, "c", s8, 1, &err), err);
    assert_tolist(&flat2, "[b'a', b'b', b'c', b'd', b'e', b'f', b'g', b'h']");
    assert_ok(bv_view_release(&flat2, &err), err);
    assert_ok(bv_view_release(&back, &err), err);
    assert_ok(bv_view_release(&out2, &err), err);

    assert_error(bv_view_cast(&out, &mv, "ii", &err), err, BV_VALUE_ERROR,
                 "memoryview: destination format must be a native single character format "
                 "prefixed with an optional '@'");
    assert_error(bv_view_cast(&out, &mv, "<i", &err), err, BV_VALUE_ERROR,
                 "memoryview: destination format must be a native single character format "
                 "prefixed with an optional '@'");
    const ptrdiff_t zero[] = {0}, neg[] = {-1, -8};
    assert_error(bv_view_cast_shape(&out, &mv, "i", zero, 1, &err), err, BV_VALUE_ERROR,
                 "memoryview.cast(): elements of shape must be integers > 0");
    assert_error(bv_view_cast_shape(&out, &mv, "B", neg, 2, &err), err, BV_VALUE_ERROR,
                 "memoryview.cast(): elements of shape must be integers > 0");
    const ptrdiff_t s33[] = {3, 3};
    assert_error(bv_view_cast_shape(&out, &mv, "B", s33, 2, &err), err, BV_TYPE_ERROR,
                 "memoryview: product(shape) * itemsize != buffer size");
    const ptrdiff_t huge[] = {PTRDIFF_MAX, 2};
    assert_error(bv_view_cast_shape(&out, &mv, "B", huge, 2, &err), err, BV_VALUE_ERROR,
                 "memoryview.cast(): product(shape) > SSIZE_MAX");
    ptrdiff_t ones[65];
    for (int i = 0; i < 65; i++)
        ones[i] = 1;
    assert_error(bv_view_cast_shape(&out, &mv, "B", ones, 65, &err), err, BV_VALUE_ERROR,
                 "memoryview: number of dimensions must not exceed 64");
    assert_error(bv_view_cast_shape(&out, &mv, "B", NULL, 0, &err), err, BV_TYPE_ERROR,
                 "memoryview: product(shape) * itemsize != buffer size");
    assert_memory_equal(&out, &before, sizeof out);

    /* 64 dimensions spill to the heap and still work. */
    ones[63] = 8;
    bv_view deep;
    assert_ok(bv_view_cast_shape(&deep, &mv, "B", ones, 64, &err), err);
    int ndim;
    assert_ok(bv_view_ndim(&deep, &ndim, &err), err);
    assert_int_equal(ndim, 64);
    ptrdiff_t idx[64] = {0};
    idx[63] = 7;
    bv_value v;
    assert_ok(bv_view_get_at(&deep, idx, 64, &v, &err), err);
    assert_int_equal(v.as.u, 'h');
    bv_view deep_slice;
    assert_ok(bv_view_slice(&deep_slice, &deep, bv_slice_all(), &err), err);
    assert_ok(bv_view_release(&deep_slice, &err), err);
    assert_ok(bv_view_release(&deep, &err), err);

    /* 0-dim views: cast(fmt, shape=[]). */
    bv_bytes *four = NULL;
    assert_ok(bv_bytes_new(&four, "abcd", 4, &err), err);
    bv_view m4, scalar;
    assert_ok(bv_view_from(&m4, bv_bytes_exporter(four), &err), err);
    assert_ok(bv_view_cast_shape(&scalar, &m4, "i", NULL, 0, &err), err);
    assert_ok(bv_view_get_at(&scalar, NULL, 0, &v, &err), err);
    assert_int_equal(v.as.i, 1684234849);
    assert_tolist(&scalar, "1684234849");
    assert_error(bv_view_get(&scalar, 0, &v, &err), err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    ptrdiff_t n;
    /* CPython 3.13: len() of a 0-dim view is TypeError (3.11 answered 1). */
    assert_error(bv_view_len(&scalar, &n, &err), err, BV_TYPE_ERROR, "0-dim memory has no length");
    assert_error(bv_view_slice(&out, &scalar, bv_slice_all(), &err), err, BV_TYPE_ERROR,
                 "invalid indexing of 0-dim memory");
    bv_view same;
    assert_ok(bv_view_ellipsis(&same, &scalar, &err), err);
    assert_ok(bv_view_release(&same, &err), err);
    assert_error(bv_view_ellipsis(&out, &m4, &err), err, BV_TYPE_ERROR, "memoryview: invalid slice key");
    assert_flags(&scalar, true, true, true);
    assert_tobytes_hex(&scalar, 'C', "61626364");
    assert_hex(&scalar, "61626364");
    assert_error(bv_view_count(&scalar, v, &n, &err), err, BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    assert_error(bv_view_index(&scalar, v, 0, PTRDIFF_MAX, &n, &err), err, BV_TYPE_ERROR,
                 "invalid lookup on 0-dim memory");
    assert_ok(bv_view_release(&scalar, &err), err);
    assert_ok(bv_view_release(&m4, &err), err);
    bv_bytes_decref(four);

    /* Zeros: an empty 1-D cast is allowed; with a shape, or from N-D, it is not. */
    bv_bytes *empty = NULL;
    assert_ok(bv_bytes_new(&empty, NULL, 0, &err), err);
    bv_view e, ei;
    assert_ok(bv_view_from(&e, bv_bytes_exporter(empty), &err), err);
    assert_ok(bv_view_cast(&ei, &e, "i", &err), err);
    assert_ok(bv_view_release(&ei, &err), err);
    assert_error(bv_view_cast_shape(&out, &e, "B", zero, 1, &err), err, BV_TYPE_ERROR,
                 "memoryview: cannot cast view with zeros in shape or strides");
    assert_ok(bv_view_release(&e, &err), err);
    bv_bytes_decref(empty);

    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytes_decref(b);
}

static void test_count_index(void **state)
{
    (void)state;
    bv_error err;
    const uint8_t items[] = {3, 1, 3, 2, 3};
    bv_bytes *b = NULL;
    assert_ok(bv_bytes_new(&b, items, 5, &err), err);
    bv_view mv;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    ptrdiff_t n;
    assert_ok(bv_view_count(&mv, bv_value_int(3), &n, &err), err);
    assert_int_equal(n, 3);
    assert_ok(bv_view_count(&mv, bv_value_float(3.0), &n, &err), err);
    assert_int_equal(n, 3);
    assert_ok(bv_view_count(&mv, bv_value_bytes("\x03", 1), &n, &err), err);
    assert_int_equal(n, 0);
    assert_ok(bv_view_index(&mv, bv_value_int(3), 1, PTRDIFF_MAX, &n, &err), err);
    assert_int_equal(n, 2);
    assert_ok(bv_view_index(&mv, bv_value_int(3), -1, PTRDIFF_MAX, &n, &err), err);
    assert_int_equal(n, 4);
    assert_ok(bv_view_index(&mv, bv_value_bool(true), 0, PTRDIFF_MAX, &n, &err), err);
    assert_int_equal(n, 1);
    n = -9;
    assert_error(bv_view_index(&mv, bv_value_int(2), 0, 3, &n, &err), err, BV_VALUE_ERROR,
                 "memoryview.index(x): x not found");
    assert_int_equal(n, -9);
    const ptrdiff_t s[] = {5, 1};
    bv_view two;
    assert_ok(bv_view_cast_shape(&two, &mv, "B", s, 2, &err), err);
    assert_error(bv_view_index(&two, bv_value_int(3), 0, PTRDIFF_MAX, &n, &err), err,
                 BV_NOT_IMPLEMENTED_ERROR, "multi-dimensional lookup is not implemented");
    assert_error(bv_view_count(&two, bv_value_int(3), &n, &err), err, BV_NOT_IMPLEMENTED_ERROR,
                 "multi-dimensional sub-views are not implemented");
    assert_ok(bv_view_release(&two, &err), err);
    assert_ok(bv_view_release(&mv, &err), err);
    bv_bytes_decref(b);
}

static void test_equality(void **state)
{
    (void)state;
    bv_error err;
    const double d[] = {1.0, NAN};
    const float f[] = {1.5f};
    const double d15[] = {1.5};
    const uint64_t lu[] = {1, 2};
    const int64_t ls[] = {1, 2};
    const int8_t b65[] = {65};
    bv_array *ad = NULL, *af = NULL, *ad15 = NULL, *aL = NULL, *al = NULL, *ab = NULL;
    assert_ok(bv_array_new(&ad, 'd', d, 2, &err), err);
    assert_ok(bv_array_new(&af, 'f', f, 1, &err), err);
    assert_ok(bv_array_new(&ad15, 'd', d15, 1, &err), err);
    assert_ok(bv_array_new(&aL, 'L', lu, 2, &err), err);
    assert_ok(bv_array_new(&al, 'l', ls, 2, &err), err);
    assert_ok(bv_array_new(&ab, 'b', b65, 1, &err), err);
    bv_bytes *A = NULL;
    assert_ok(bv_bytes_new(&A, "A", 1, &err), err);
    bv_view vd, vd1, vd1b, vf, vd15, vL, vl, vb, vA, vc, vAc;
    assert_ok(bv_view_from(&vd, bv_array_exporter(ad), &err), err);
    assert_ok(bv_view_slice(&vd1, &vd, bv_slice_range(0, 1), &err), err);
    assert_ok(bv_view_slice(&vd1b, &vd, bv_slice_range(0, 1), &err), err);
    assert_ok(bv_view_from(&vf, bv_array_exporter(af), &err), err);
    assert_ok(bv_view_from(&vd15, bv_array_exporter(ad15), &err), err);
    assert_ok(bv_view_from(&vL, bv_array_exporter(aL), &err), err);
    assert_ok(bv_view_from(&vl, bv_array_exporter(al), &err), err);
    assert_ok(bv_view_from(&vb, bv_array_exporter(ab), &err), err);
    assert_ok(bv_view_from(&vA, bv_bytes_exporter(A), &err), err);
    assert_ok(bv_view_cast(&vc, &vb, "c", &err), err);
    assert_ok(bv_view_cast(&vAc, &vA, "c", &err), err);
    bool eq;
    /* A view holding NaN is not equal to itself: values compare with C ==. */
    assert_ok(bv_view_equal(&vd, &vd, &eq, &err), err);
    assert_false(eq);
    assert_ok(bv_view_equal(&vd1, &vd1b, &eq, &err), err);
    assert_true(eq);
    assert_ok(bv_view_equal(&vL, &vl, &eq, &err), err);
    assert_true(eq);
    assert_ok(bv_view_equal(&vb, &vA, &eq, &err), err);
    assert_true(eq);
    assert_ok(bv_view_equal(&vc, &vAc, &eq, &err), err);
    assert_true(eq);
    assert_ok(bv_view_equal(&vf, &vd15, &eq, &err), err);
    assert_true(eq);
    assert_ok(bv_view_equal(&vAc, &vA, &eq, &err), err);   /* b'A' != 65 */
    assert_false(eq);
    assert_ok(bv_view_equal(&vd, &vd1, &eq, &err), err);   /* shapes differ */
    assert_false(eq);
    assert_ok(bv_view_equal_exporter(&vA, bv_bytes_exporter(A), &eq, &err), err);
    assert_true(eq);
    assert_ok(bv_view_equal_exporter(&vA, NULL, &eq, &err), err);
    assert_false(eq);
    bv_view *all[] = {&vd, &vd1, &vd1b, &vf, &vd15, &vL, &vl, &vb, &vA, &vc, &vAc};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_ok(bv_view_release(all[i], &err), err);
    bv_array_decref(ad);
    bv_array_decref(af);
    bv_array_decref(ad15);
    bv_array_decref(aL);
    bv_array_decref(al);
    bv_array_decref(ab);
    bv_bytes_decref(A);
}

static void test_hash(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b = NULL;
    assert_ok(bv_bytes_new(&b, "abcd", 4, &err), err);
    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "abcd", 4, &err), err);
    bv_view mv, rev, ints, w, wro;
    assert_ok(bv_view_from(&mv, bv_bytes_exporter(b), &err), err);
    uint64_t h, h2;
    assert_ok(bv_view_hash(&mv, &h, &err), err);
    assert_true(h == bv_hash_bytes("abcd", 4));
    assert_ok(bv_view_slice(&rev, &mv, (bv_slice){.step = -1, .has_step = true}, &err), err);
    assert_ok(bv_view_hash(&rev, &h2, &err), err);
    assert_true(h2 == bv_hash_bytes("dcba", 4));
    assert_true(h != h2);
    assert_ok(bv_view_cast(&ints, &mv, "i", &err), err);
    assert_error(bv_view_hash(&ints, &h, &err), err, BV_VALUE_ERROR,
                 "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    assert_ok(bv_view_from(&w, bv_bytearray_exporter(ba), &err), err);
    assert_error(bv_view_hash(&w, &h, &err), err, BV_VALUE_ERROR, "cannot hash writable memoryview object");
    assert_ok(bv_view_toreadonly(&wro, &w, &err), err);
    assert_error(bv_view_hash(&wro, &h, &err), err, BV_TYPE_ERROR, "unhashable type: 'bytearray'");
    bv_view *all[] = {&mv, &rev, &ints, &w, &wro};
    for (size_t i = 0; i < 5; i++)
        assert_ok(bv_view_release(all[i], &err), err);
    bv_bytes_decref(b);
    bv_bytearray_decref(ba);
}

/* Beyond CPython: mv[0:2, 1:3] and assignment into such a view. */
static void test_multidim_slicing(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = ba_range(12);
    bv_view flat, m, sub, sub2;
    assert_ok(bv_view_from(&flat, bv_bytearray_exporter(ba), &err), err);
    const ptrdiff_t s34[] = {3, 4};
    assert_ok(bv_view_cast_shape(&m, &flat, "B", s34, 2, &err), err);
    const bv_slice sl[] = {bv_slice_range(0, 2), bv_slice_range(1, 3)};
    test_alloc_install(0);
    assert_ok(bv_view_slice_nd(&sub, &m, sl, 2, &err), err);
    assert_int_equal(test_alloc.calls, 0);   /* a strided view, no copy */
    test_alloc_uninstall();
    assert_tolist(&sub, "[[1, 2], [5, 6]]");
    const ptrdiff_t *shape, *strides;
    assert_ok(bv_view_shape(&sub, &shape, &err), err);
    assert_ok(bv_view_strides(&sub, &strides, &err), err);
    assert_int_equal(shape[0], 2);
    assert_int_equal(shape[1], 2);
    assert_int_equal(strides[0], 4);
    assert_int_equal(strides[1], 1);
    assert_flags(&sub, false, false, false);
    assert_ptr_equal(sub.buf, (char *)bv_bytearray_data(ba) + 1);

    /* Reversed columns, every other row: m[::2, ::-1] */
    const bv_slice sl2[] = {{0, 0, 2, false, false, true}, {0, 0, -1, false, false, true}};
    assert_ok(bv_view_slice_nd(&sub2, &m, sl2, 2, &err), err);
    assert_tolist(&sub2, "[[3, 2, 1, 0], [11, 10, 9, 8]]");
    assert_tobytes_hex(&sub2, 'F', "030b020a01090008");

    /* Assign the 2x2 block from a 2x2 source: m[1:3, 2:4] = src */
    bv_bytes *src = NULL;
    assert_ok(bv_bytes_new(&src, "\xa0\xa1\xa2\xa3", 4, &err), err);
    bv_view vsrc, vsrc2;
    assert_ok(bv_view_from(&vsrc, bv_bytes_exporter(src), &err), err);
    const ptrdiff_t s22[] = {2, 2};
    assert_ok(bv_view_cast_shape(&vsrc2, &vsrc, "B", s22, 2, &err), err);
    const bv_slice dst[] = {bv_slice_range(1, 3), bv_slice_range(2, 4)};
    assert_ok(bv_view_assign_slice_nd(&m, dst, 2, bv_view_exporter(&vsrc2), &err), err);
    assert_tolist(&m, "[[0, 1, 2, 3], [4, 5, 160, 161], [8, 9, 162, 163]]");
    /* Wrong structure: nothing changes. */
    assert_error(bv_view_assign_slice_nd(&m, sl, 2, bv_view_exporter(&vsrc), &err), err,
                 BV_VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    const bv_slice bad_step[] = {bv_slice_range(0, 2), bv_slice_make(0, 2, 0)};
    assert_error(bv_view_slice_nd(&sub, &m, bad_step, 2, &err), err, BV_VALUE_ERROR, "slice step cannot be zero");
    const bv_slice three[] = {bv_slice_all(), bv_slice_all(), bv_slice_all()};
    assert_error(bv_view_slice_nd(&sub, &m, three, 3, &err), err, BV_TYPE_ERROR,
                 "cannot index 2-dimension view with 3-element tuple");
    assert_tolist(&m, "[[0, 1, 2, 3], [4, 5, 160, 161], [8, 9, 162, 163]]");

    /* Overlapping N-D assignment: shift the whole matrix's columns right by one. */
    const bv_slice left[] = {bv_slice_all(), bv_slice_range(0, 3)};
    const bv_slice right[] = {bv_slice_all(), bv_slice_range(1, 4)};
    bv_view lv;
    assert_ok(bv_view_slice_nd(&lv, &m, left, 2, &err), err);
    assert_ok(bv_view_assign_slice_nd(&m, right, 2, bv_view_exporter(&lv), &err), err);
    assert_tolist(&m, "[[0, 0, 1, 2], [4, 4, 5, 160], [8, 8, 9, 162]]");

    bv_view *all[] = {&lv, &vsrc2, &vsrc, &sub2, &sub, &m, &flat};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        assert_ok(bv_view_release(all[i], &err), err);
    bv_bytes_decref(src);
    bv_bytearray_decref(ba);
}


/* A stride wrapped to PTRDIFF_MIN in a dimension of extent 1 (found by fuzz_format): the
 * strided copies step back over it without signed overflow (UBSan checks). */
static void test_wrapped_stride_copies(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "0123456789abcdef", 16, &err), err);
    bv_view flat, nd, v;
    assert_ok(bv_view_from(&flat, bv_bytearray_exporter(ba), &err), err);
    const ptrdiff_t shape[2] = {2, 8};
    assert_ok(bv_view_cast_shape(&nd, &flat, "B", shape, 2, &err), err);
    const bv_slice sl[2] = {bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -((ptrdiff_t)1 << 60)),
                            bv_slice_make(0, 8, 2)};
    assert_ok(bv_view_slice_nd(&v, &nd, sl, 2, &err), err);
    assert_tobytes_hex(&v, 'C', "38616365");
    assert_tolist(&v, "[[56, 97, 99, 101]]");
    assert_ok(bv_view_release(&v, &err), err);
    assert_ok(bv_view_release(&nd, &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    bv_bytearray_decref(ba);
}

/* A view's exporter answers requests as CPython's memory_getbuf does. */
static void test_view_exporter_requests(void **state)
{
    (void)state;
    bv_error err;
    const int32_t items[] = {1, 2};
    bv_array *a = NULL;
    assert_ok(bv_array_new(&a, 'i', items, 2, &err), err);
    bv_view v, rev;
    assert_ok(bv_view_from(&v, bv_array_exporter(a), &err), err);
    bv_buffer b;
    assert_ok(bv_buffer_get(bv_view_exporter(&v), &b, BV_BUF_SIMPLE, &err), err);
    assert_null(b.format);   /* read as unsigned bytes */
    assert_int_equal(b.ndim, 1);
    assert_null(b.shape);
    assert_int_equal(b.len, 8);
    bv_buffer_release(&b);
    assert_error(bv_buffer_get(bv_view_exporter(&v), &b, BV_BUF_FORMAT, &err), err, BV_BUFFER_ERROR,
                 "memoryview: cannot cast to unsigned bytes if the format flag is present");
    assert_ok(bv_view_slice(&rev, &v, (bv_slice){.step = -1, .has_step = true}, &err), err);
    assert_error(bv_buffer_get(bv_view_exporter(&rev), &b, BV_BUF_ND, &err), err, BV_BUFFER_ERROR,
                 "memoryview: underlying buffer is not C-contiguous");
    assert_ok(bv_buffer_get(bv_view_exporter(&rev), &b, BV_BUF_RECORDS_RO, &err), err);
    assert_string_equal(b.format, "i");
    assert_int_equal(b.strides[0], -4);
    bv_buffer_release(&b);
    assert_ok(bv_view_release(&rev, &err), err);
    assert_ok(bv_view_release(&v, &err), err);
    bv_array_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_dimensions),
        cmocka_unit_test(test_cast_rules),
        cmocka_unit_test(test_count_index),
        cmocka_unit_test(test_equality),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_multidim_slicing),
        cmocka_unit_test(test_wrapped_stride_copies),
        cmocka_unit_test(test_view_exporter_requests),
    };
    return cmocka_run_group_tests_name("view_nd", tests, NULL, NULL);
}
