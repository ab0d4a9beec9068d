/*
 * test_subscript.c: NumPy-style subscripts on views (bv_view_subscript,
 * bv_view_assign_subscript): integers, slices, one Ellipsis and newaxis, every rule and
 * every error, and that bv_view_slice_nd / bv_view_assign_slice_nd are their slice-only
 * case with CPython's messages. Expected layouts (shape, strides in bytes, offset of item
 * [0,...,0], tolist) are NumPy 1.24's for the same index on the same bytes, except where
 * a comment says bufview keeps CPython's slice arithmetic; the examples of CPython's PR
 * gh-58338 (#153661) are checked as its description shows them.
 */
#include "support.h"

#include <string.h>

#define I(x) bv_index_int(x)
#define S(a, b, c) bv_index_slice(bv_slice_make((a), (b), (c)))
#define ALL bv_index_slice(bv_slice_all())
#define ELL bv_index_ellipsis()
#define NEW bv_index_newaxis()
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char OUT_OF_BOUNDS[] = "index out of bounds on dimension %d";

typedef struct fixture {
    bv_bytearray *ba;
    bv_view flat, m;   /* m: the bytes cast to `shape` */
} fixture;

/* memoryview(bytearray(range(n))).cast(format, shape) */
static void fixture_make(fixture *f, size_t n, const char *format, const ptrdiff_t *shape,
                         int ndim)
{
    unsigned char buf[256];
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)i;
    bv_error err;
    assert_ok(bv_bytearray_new(&f->ba, buf, n, &err), err);
    assert_ok(bv_view_from(&f->flat, bv_bytearray_exporter(f->ba), &err), err);
    assert_ok(bv_view_cast_shape(&f->m, &f->flat, format, shape, ndim, &err), err);
}

static void fixture_free(fixture *f)
{
    bv_error err;
    assert_ok(bv_view_release(&f->m, &err), err);
    assert_ok(bv_view_release(&f->flat, &err), err);
    assert_int_equal(bv_bytearray_exports(f->ba), 0);
    bv_bytearray_decref(f->ba);
}

/* "shape strides offset" of a live view, offset from base. */
static void assert_layout(const bv_view *v, const void *base, const char *want)
{
    bv_error err;
    const ptrdiff_t *shape, *strides;
    assert_ok(bv_view_shape(v, &shape, &err), err);
    assert_ok(bv_view_strides(v, &strides, &err), err);
    char got[512];
    size_t at = 0;
    at += (size_t)snprintf(got + at, sizeof got - at, "(");
    for (int k = 0; k < v->ndim; k++)
        at += (size_t)snprintf(got + at, sizeof got - at, k ? ", %td" : "%td", shape[k]);
    at += (size_t)snprintf(got + at, sizeof got - at, v->ndim == 1 ? ",) (" : ") (");
    for (int k = 0; k < v->ndim; k++)
        at += (size_t)snprintf(got + at, sizeof got - at, k ? ", %td" : "%td", strides[k]);
    snprintf(got + at, sizeof got - at, v->ndim == 1 ? ",) %td" : ") %td",
             (ptrdiff_t)(v->buf - (const char *)base));
    assert_string_equal(got, want);
}

/* A sub-view of f->m: its layout and items as NumPy gives them, and no allocation for a
 * result of up to BV_VIEW_INLINE_DIMS dimensions. */
static void check_sub(fixture *f, const bv_index *items, size_t n, const char *layout,
                      const char *list)
{
    bv_error err;
    bv_view r;
    test_alloc_install(0);
    assert_ok(bv_view_subscript(&r, &f->m, items, n, &err), err);
    if (r.ndim <= BV_VIEW_INLINE_DIMS)
        assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
    assert_true(bv_view_shares_buffer(&r, &f->m));
    assert_layout(&r, bv_bytearray_data(f->ba), layout);
    assert_tolist(&r, list);
    assert_ok(bv_view_release(&r, &err), err);
}

/* A subscript that must fail with this error and leave out exactly as it was. */
static void check_fails(const bv_view *v, const bv_index *items, size_t n, bv_status kind,
                        const char *message)
{
    bv_error err;
    bv_view out;
    memset(&out, 0x5a, sizeof out);
    bv_view before = out;
    assert_error(bv_view_subscript(&out, v, items, n, &err), err, kind, message);
    assert_memory_equal(&out, &before, sizeof out);
}

static char msg[128];
static const char *oob(int dim)
{
    snprintf(msg, sizeof msg, OUT_OF_BOUNDS, dim);
    return msg;
}

/* ---- CPython's PR, as its description shows it ---------------------------------------- */

static void test_pr_examples(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s34[] = {3, 4};
    fixture_make(&f, 12, "B", s34, 2);
    bv_error err;
    bv_view r;
    const bv_index row[] = {I(1)};
    assert_ok(bv_view_subscript(&r, &f.m, row, 1, &err), err);
    assert_tolist(&r, "[4, 5, 6, 7]");
    assert_ok(bv_view_release(&r, &err), err);
    const bv_index block[] = {S(1, 3, 1), S(1, 3, 1)};
    assert_ok(bv_view_subscript(&r, &f.m, block, 2, &err), err);
    assert_tolist(&r, "[[5, 6], [9, 10]]");
    assert_ok(bv_view_release(&r, &err), err);
    const bv_index column[] = {ELL, I(1)};
    assert_ok(bv_view_subscript(&r, &f.m, column, 2, &err), err);
    assert_tolist(&r, "[1, 5, 9]");
    assert_ok(bv_view_release(&r, &err), err);

    /* m[1:3, 1:3] = memoryview(bytes([10, 11, 12, 13])).cast('B', shape=[2, 2]) */
    bv_bytes *src;
    assert_ok(bv_bytes_new(&src, "\x0a\x0b\x0c\x0d", 4, &err), err);
    bv_view sflat, s22;
    assert_ok(bv_view_from(&sflat, bv_bytes_exporter(src), &err), err);
    const ptrdiff_t shape22[] = {2, 2};
    assert_ok(bv_view_cast_shape(&s22, &sflat, "B", shape22, 2, &err), err);
    assert_ok(bv_view_assign_subscript(&f.m, block, 2, bv_view_exporter(&s22), &err), err);
    assert_tolist(&f.m, "[[0, 1, 2, 3], [4, 10, 11, 7], [8, 12, 13, 11]]");
    assert_ok(bv_view_release(&s22, &err), err);
    assert_ok(bv_view_release(&sflat, &err), err);
    bv_bytes_decref(src);
    fixture_free(&f);
}

/* ---- layouts, checked against NumPy ------------------------------------------------------ */

/* numpy.frombuffer(bytearray(range(48)), '<i2').reshape(2, 3, 4) */
static void test_layouts(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s234[] = {2, 3, 4};
    fixture_make(&f, 48, "h", s234, 3);
    const bv_index a[] = {I(1)};
    check_sub(&f, a, COUNT(a), "(3, 4) (8, 2) 24",
              "[[6424, 6938, 7452, 7966], [8480, 8994, 9508, 10022], "
              "[10536, 11050, 11564, 12078]]");
    const bv_index b[] = {I(-1), bv_index_slice((bv_slice){0, 0, -2, false, false, true})};
    check_sub(&f, b, COUNT(b), "(2, 4) (-16, 2) 40",
              "[[10536, 11050, 11564, 12078], [6424, 6938, 7452, 7966]]");
    const bv_index c[] = {ELL, I(1)};
    check_sub(&f, c, COUNT(c), "(2, 3) (24, 8) 2", "[[770, 2826, 4882], [6938, 8994, 11050]]");
    const bv_index d[] = {I(0), ELL, NEW, S(1, 3, 1)};
    check_sub(&f, d, COUNT(d), "(3, 1, 2) (8, 0, 2) 2",
              "[[[770, 1284]], [[2826, 3340]], [[4882, 5396]]]");
    const bv_index e[] = {NEW, I(1), NEW, ALL, I(-1)};
    check_sub(&f, e, COUNT(e), "(1, 1, 3) (0, 0, 8) 30", "[[[7966, 10022, 12078]]]");
    const bv_index g[] = {bv_index_slice((bv_slice){0, 0, -1, false, false, true}),
                          bv_index_slice((bv_slice){0, 0, 2, false, false, true}),
                          bv_index_slice((bv_slice){1, 0, -1, true, false, true})};
    check_sub(&f, g, COUNT(g), "(2, 2, 2) (-24, 16, -2) 26",
              "[[[6938, 6424], [11050, 10536]], [[770, 256], [4882, 4368]]]");
    /* An empty slice keeps CPython's arithmetic (start 1, stride 8 * 1); NumPy resets an
     * empty slice to start 0, step 1 and reports offset 0. */
    const bv_index h[] = {ALL, S(1, 1, 1)};
    check_sub(&f, h, COUNT(h), "(2, 0, 4) (24, 8, 2) 8", "[[], []]");
    const bv_index h2[] = {ALL, S(2, 0, 3)};
    check_sub(&f, h2, COUNT(h2), "(2, 0, 4) (24, 24, 2) 16", "[[], []]");
    /* Fewer items than dimensions: the rest are kept whole. */
    const bv_index k[] = {ALL, I(2)};
    check_sub(&f, k, COUNT(k), "(2, 4) (24, 2) 16",
              "[[4368, 4882, 5396, 5910], [10536, 11050, 11564, 12078]]");
    fixture_free(&f);
}

/* Every dimension taken by an integer: the 0-dim view of that item, never a copy. */
static void test_all_integers(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s234[] = {2, 3, 4};
    fixture_make(&f, 48, "h", s234, 3);
    const bv_index a[] = {I(1), I(2), I(3)};
    check_sub(&f, a, COUNT(a), "() () 46", "12078");
    const bv_index b[] = {I(-2), ELL, I(-3), I(0)};
    check_sub(&f, b, COUNT(b), "() () 0", "256");
    bv_error err;
    bv_view r;
    assert_ok(bv_view_subscript(&r, &f.m, a, COUNT(a), &err), err);
    bv_value v;
    assert_ok(bv_view_get_at(&r, NULL, 0, &v, &err), err);
    assert_int_equal(v.as.i, 12078);
    assert_ok(bv_view_set_at(&r, NULL, 0, bv_value_int(-7), &err), err);   /* writes through */
    const ptrdiff_t at[] = {1, 2, 3};
    assert_ok(bv_view_get_at(&f.m, at, 3, &v, &err), err);
    assert_int_equal(v.as.i, -7);
    int ndim = -1;
    assert_ok(bv_view_ndim(&r, &ndim, &err), err);
    assert_int_equal(ndim, 0);
    assert_ok(bv_view_release(&r, &err), err);
    fixture_free(&f);
}

/* n == 0 and a bare Ellipsis are the whole view, for N-D and 0-dim views alike. */
static void test_whole_view_and_zero_dim(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s34[] = {3, 4};
    fixture_make(&f, 12, "B", s34, 2);
    check_sub(&f, NULL, 0, "(3, 4) (4, 1) 0",
              "[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]");
    const bv_index e[] = {ELL};
    check_sub(&f, e, 1, "(3, 4) (4, 1) 0", "[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]");
    const bv_index en[] = {ELL, NEW};
    check_sub(&f, en, 2, "(3, 4, 1) (4, 1, 0) 0",
              "[[[0], [1], [2], [3]], [[4], [5], [6], [7]], [[8], [9], [10], [11]]]");
    const bv_index nn[] = {NEW, NEW};
    check_sub(&f, nn, 2, "(1, 1, 3, 4) (0, 0, 4, 1) 0",
              "[[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]]]");
    fixture_free(&f);

    /* A 0-dim view: memoryview(bytearray(b'\x07')).cast('B', []) */
    const ptrdiff_t none[1] = {0};
    fixture_make(&f, 8, "q", none, 0);   /* one 8-byte item: 0x0706050403020100 */
    check_sub(&f, NULL, 0, "() () 0", "506097522914230528");
    check_sub(&f, e, 1, "() () 0", "506097522914230528");
    const bv_index n1[] = {NEW};
    check_sub(&f, n1, 1, "(1,) (0,) 0", "[506097522914230528]");
    const bv_index n2[] = {NEW, ELL, NEW};
    check_sub(&f, n2, 3, "(1, 1) (0, 0) 0", "[[506097522914230528]]");
    const bv_index i0[] = {I(0)};
    check_fails(&f.m, i0, 1, BV_INDEX_ERROR,
                "too many indices for array: array is 0-dimensional, but 1 were indexed");
    const bv_index s0[] = {NEW, ALL};
    check_fails(&f.m, s0, 2, BV_INDEX_ERROR,
                "too many indices for array: array is 0-dimensional, but 1 were indexed");
    fixture_free(&f);
}

/* ---- errors, and the order NumPy checks them in ----------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s34[] = {3, 4};
    fixture_make(&f, 12, "B", s34, 2);
    const char *ellipsis = "an index can only have a single ellipsis ('...')";
    const char *too_many = "too many indices for array: array is 2-dimensional, but 3 were indexed";

    const bv_index two_ell[] = {ELL, NEW, ELL, I(99)};
    check_fails(&f.m, two_ell, COUNT(two_ell), BV_INDEX_ERROR, ellipsis);
    /* The ellipsis is found while the items are read, before they are counted. */
    const bv_index ell_after_many[] = {I(1), I(2), I(3), ELL, ELL};
    check_fails(&f.m, ell_after_many, COUNT(ell_after_many), BV_INDEX_ERROR, ellipsis);
    const bv_index many[] = {ELL, I(1), I(2), I(3)};
    check_fails(&f.m, many, COUNT(many), BV_INDEX_ERROR, too_many);
    /* Too many before a zero step or an index out of range. */
    const bv_index many_bad[] = {S(0, 1, 0), I(99), ALL};
    check_fails(&f.m, many_bad, COUNT(many_bad), BV_INDEX_ERROR, too_many);
    /* Then each item in order: the first bad one wins. */
    const bv_index oob_first[] = {I(5), S(0, 1, 0)};
    check_fails(&f.m, oob_first, 2, BV_INDEX_ERROR, oob(1));
    const bv_index step_first[] = {S(0, 1, 0), I(5)};
    check_fails(&f.m, step_first, 2, BV_VALUE_ERROR, "slice step cannot be zero");
    /* Dimensions are counted from 1 in the source view, past newaxis and Ellipsis. */
    const bv_index dim2[] = {NEW, I(1), NEW, I(-5)};
    check_fails(&f.m, dim2, COUNT(dim2), BV_INDEX_ERROR, oob(2));
    const bv_index dim2e[] = {ELL, I(4)};
    check_fails(&f.m, dim2e, 2, BV_INDEX_ERROR, oob(2));
    const bv_index extremes[] = {I(PTRDIFF_MIN)};
    check_fails(&f.m, extremes, 1, BV_INDEX_ERROR, oob(1));
    const bv_index extremes2[] = {ALL, I(PTRDIFF_MAX)};
    check_fails(&f.m, extremes2, 2, BV_INDEX_ERROR, oob(2));
    const bv_index neg_edge[] = {I(-3), I(-4)};   /* the first row and column: in range */
    check_sub(&f, neg_edge, 2, "() () 0", "0");
    const bv_index neg_over[] = {I(-4)};
    check_fails(&f.m, neg_over, 1, BV_INDEX_ERROR, oob(1));

    /* An empty dimension has no index to take. */
    bv_error err;
    bv_view empty;
    const bv_index cut[] = {S(1, 1, 1)};
    assert_ok(bv_view_subscript(&empty, &f.m, cut, 1, &err), err);
    const bv_index zero[] = {I(0)};
    check_fails(&empty, zero, 1, BV_INDEX_ERROR, oob(1));
    const bv_index col[] = {ALL, I(3)};
    assert_tolist(&empty, "[]");
    bv_view still;
    assert_ok(bv_view_subscript(&still, &empty, col, 2, &err), err);
    assert_tolist(&still, "[]");
    assert_ok(bv_view_release(&still, &err), err);
    assert_ok(bv_view_release(&empty, &err), err);

    /* The API contract. */
    bv_view out;
    assert_error(bv_view_subscript(NULL, &f.m, zero, 1, &err), err, BV_TYPE_ERROR,
                 "bv_view_subscript() argument 'out' must not be NULL");
    assert_error(bv_view_subscript(&out, NULL, zero, 1, &err), err, BV_TYPE_ERROR,
                 "bv_view_subscript() argument 'v' must not be NULL");
    assert_error(bv_view_subscript(&out, &f.m, NULL, 1, &err), err, BV_TYPE_ERROR,
                 "bv_view_subscript() argument 'items' must not be NULL when n > 0");
    bv_index bogus[] = {ELL, I(0)};
    bogus[1].kind = (bv_index_kind)7;
    check_fails(&f.m, bogus, 2, BV_TYPE_ERROR,
                "bv_view_subscript() argument 'items' must hold only bv_index_int, "
                "bv_index_slice, bv_index_ellipsis and bv_index_newaxis items");
    /* An unknown item stops the reading of items, before a later second Ellipsis. */
    bv_index bogus_first[] = {I(0), ELL, ELL};
    bogus_first[0].kind = (bv_index_kind)-1;
    check_fails(&f.m, bogus_first, 3, BV_TYPE_ERROR,
                "bv_view_subscript() argument 'items' must hold only bv_index_int, "
                "bv_index_slice, bv_index_ellipsis and bv_index_newaxis items");

    /* Released: checked after v's NULL, before out's. */
    bv_view gone;
    assert_ok(bv_view_from_view(&gone, &f.m, &err), err);
    assert_ok(bv_view_release(&gone, &err), err);
    check_fails(&gone, zero, 1, BV_VALUE_ERROR,
                "operation forbidden on released memoryview object");
    assert_error(bv_view_subscript(NULL, &gone, zero, 1, &err), err, BV_VALUE_ERROR,
                 "operation forbidden on released memoryview object");
    assert_int_equal(bv_bytearray_exports(f.ba), 1);   /* failed calls took no share */
    fixture_free(&f);
}

/* A result of more than 64 dimensions, NumPy's message with bufview's limit. */
static void test_dimension_limit(void **state)
{
    (void)state;
    fixture f;
    ptrdiff_t ones[64];
    for (int k = 0; k < 64; k++)
        ones[k] = 1;
    ones[63] = 2;
    fixture_make(&f, 2, "B", ones, 64);
    const bv_index one_more[] = {NEW};
    check_fails(&f.m, one_more, 1, BV_INDEX_ERROR,
                "number of dimensions must be within [0, 64], indexing result would have 65");
    bv_index many[70];
    for (int k = 0; k < 70; k++)
        many[k] = NEW;
    check_fails(&f.m, many, 70, BV_INDEX_ERROR,
                "number of dimensions must be within [0, 64], indexing result would have 134");
    /* Too many indices is found first. */
    bv_index ints[66];
    for (int k = 0; k < 66; k++)
        ints[k] = k == 0 ? NEW : I(0);
    check_fails(&f.m, ints, 66, BV_INDEX_ERROR,
                "too many indices for array: array is 64-dimensional, but 65 were indexed");
    /* Exactly 64 is fine: drop one, add one; the result spills, as any view of more
     * than BV_VIEW_INLINE_DIMS dimensions does. */
    const bv_index swap[] = {I(0), NEW};
    bv_error err;
    bv_view r;
    test_alloc_install(0);
    assert_ok(bv_view_subscript(&r, &f.m, swap, 2, &err), err);
    assert_int_equal(test_alloc.calls, 1);
    test_alloc_uninstall();
    assert_int_equal(r.ndim, 64);
    char want[160] = "";
    for (int k = 0; k < 63; k++)
        strcat(want, "[");
    strcat(want, "[0, 1]");
    for (int k = 0; k < 63; k++)
        strcat(want, "]");
    assert_tolist(&r, want);
    assert_ok(bv_view_release(&r, &err), err);
    /* From 64 dimensions down to 2: nothing allocated. */
    bv_index most[62];
    for (int k = 0; k < 62; k++)
        most[k] = I(0);
    test_alloc_install(0);
    assert_ok(bv_view_subscript(&r, &f.m, most, 62, &err), err);
    assert_int_equal(test_alloc.calls, 0);
    test_alloc_uninstall();
    assert_tolist(&r, "[[0, 1]]");
    assert_ok(bv_view_release(&r, &err), err);
    fixture_free(&f);
}

/* ---- the sub-view shares everything but its layout -------------------------------------- */

static void test_shares_and_flags(void **state)
{
    (void)state;
    bv_error err;
    bv_bytes *b;
    assert_ok(bv_bytes_new(&b, "abcdefgh", 8, &err), err);
    bv_view flat, m, r;
    assert_ok(bv_view_from(&flat, bv_bytes_exporter(b), &err), err);
    const ptrdiff_t s24[] = {2, 4};
    assert_ok(bv_view_cast_shape(&m, &flat, "c", s24, 2, &err), err);
    const bv_index col[] = {ALL, I(1)};
    assert_ok(bv_view_subscript(&r, &m, col, 2, &err), err);
    bool ro = false, c = true;
    assert_ok(bv_view_readonly(&r, &ro, &err), err);
    assert_true(ro);                       /* bytes stay read-only */
    assert_ok(bv_view_c_contiguous(&r, &c, &err), err);
    assert_false(c);                       /* stride 4, itemsize 1 */
    const char *format;
    assert_ok(bv_view_format(&r, &format, &err), err);
    assert_string_equal(format, "c");
    assert_tolist(&r, "[b'b', b'f']");
    /* The sub-view holds the managed buffer: the source may go first. */
    assert_ok(bv_view_release(&m, &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    assert_tolist(&r, "[b'b', b'f']");
    assert_ok(bv_view_release(&r, &err), err);
    bv_bytes_decref(b);
}

/* bv_view_slice_nd is the slice-only case: the same views, CPython's own checks. */
static void test_slice_nd_is_the_slice_case(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s234[] = {2, 3, 4};
    fixture_make(&f, 24, "B", s234, 3);
    bv_error err;
    const bv_slice sl[] = {bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1), bv_slice_range(1, 3)};
    const bv_index ix[] = {bv_index_slice(sl[0]), bv_index_slice(sl[1])};
    bv_view a, b;
    assert_ok(bv_view_slice_nd(&a, &f.m, sl, 2, &err), err);
    assert_ok(bv_view_subscript(&b, &f.m, ix, 2, &err), err);
    assert_layout(&a, bv_bytearray_data(f.ba), "(2, 2, 4) (-12, 4, 1) 16");
    assert_layout(&b, bv_bytearray_data(f.ba), "(2, 2, 4) (-12, 4, 1) 16");
    assert_ok(bv_view_release(&a, &err), err);
    assert_ok(bv_view_release(&b, &err), err);
    /* Where the two differ, each keeps its own source's words. */
    const bv_slice four[] = {bv_slice_all(), bv_slice_all(), bv_slice_all(), bv_slice_all()};
    assert_error(bv_view_slice_nd(&a, &f.m, four, 4, &err), err, BV_TYPE_ERROR,
                 "cannot index 3-dimension view with 4-element tuple");
    const bv_index four_ix[] = {ALL, ALL, ALL, ALL};
    check_fails(&f.m, four_ix, 4, BV_INDEX_ERROR,
                "too many indices for array: array is 3-dimensional, but 4 were indexed");
    /* CPython checks every step before applying any slice. */
    const bv_slice steps[] = {bv_slice_range(0, 1), bv_slice_make(0, 1, 0)};
    assert_error(bv_view_slice_nd(&a, &f.m, steps, 2, &err), err, BV_VALUE_ERROR,
                 "slice step cannot be zero");
    fixture_free(&f);
}

/* ---- assignment ---------------------------------------------------------------------------- */

/* A writable C-contiguous 'B' view of `bytes` with `shape`, over its own bytearray. */
static void source_make(fixture *f, const char *bytes, size_t n, const ptrdiff_t *shape,
                        int ndim)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&f->ba, bytes, n, &err), err);
    assert_ok(bv_view_from(&f->flat, bv_bytearray_exporter(f->ba), &err), err);
    assert_ok(bv_view_cast_shape(&f->m, &f->flat, "B", shape, ndim, &err), err);
}

static void assert_bytes_of(bv_bytearray *ba, const char *want, size_t n)
{
    assert_int_equal(bv_bytearray_size(ba), n);
    assert_memory_equal(bv_bytearray_data(ba), want, n);
}

static void test_assign(void **state)
{
    (void)state;
    fixture f, s;
    const ptrdiff_t s234[] = {2, 3, 4};
    fixture_make(&f, 24, "B", s234, 3);
    bv_error err;

    /* m[1, ::-1, 2] = [a, b, c]: a strided column, backwards. */
    const ptrdiff_t s3[] = {3};
    source_make(&s, "abc", 3, s3, 1);
    const bv_index col[] = {I(1), bv_index_slice((bv_slice){0, 0, -1, false, false, true}), I(2)};
    assert_ok(bv_view_assign_subscript(&f.m, col, 3, bv_view_exporter(&s.m), &err), err);
    assert_bytes_of(f.ba, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b"
                          "\x0c\x0d" "c" "\x0f\x10\x11" "b" "\x13\x14\x15" "a" "\x17", 24);
    fixture_free(&s);

    /* m[0, 0, 0] = a 0-dim source; m[0, newaxis, 1, 1:3] = a (1, 2) source. */
    const ptrdiff_t none[1] = {0};
    source_make(&s, "Z", 1, none, 0);
    const bv_index item[] = {I(0), I(0), I(0)};
    assert_ok(bv_view_assign_subscript(&f.m, item, 3, bv_view_exporter(&s.m), &err), err);
    assert_int_equal(bv_bytearray_data(f.ba)[0], 'Z');
    /* A 0-dim source does not fit a 1-item 1-D target. */
    const bv_index one[] = {I(0), I(0), S(0, 1, 1)};
    assert_error(bv_view_assign_subscript(&f.m, one, 3, bv_view_exporter(&s.m), &err), err,
                 BV_VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    fixture_free(&s);
    const ptrdiff_t s12[] = {1, 2};
    source_make(&s, "XY", 2, s12, 2);
    const bv_index nx[] = {I(0), NEW, I(1), S(1, 3, 1)};
    assert_ok(bv_view_assign_subscript(&f.m, nx, 4, bv_view_exporter(&s.m), &err), err);
    assert_int_equal(bv_bytearray_data(f.ba)[5], 'X');
    assert_int_equal(bv_bytearray_data(f.ba)[6], 'Y');
    /* Without the newaxis the shapes differ. */
    const bv_index no_nx[] = {I(0), I(1), S(1, 3, 1)};
    assert_error(bv_view_assign_subscript(&f.m, no_nx, 3, bv_view_exporter(&s.m), &err), err,
                 BV_VALUE_ERROR, "memoryview assignment: lvalue and rvalue have different structures");
    fixture_free(&s);

    /* Overlap: m[..., ::-1] = m reverses every row in place. */
    unsigned char before[24];
    memcpy(before, bv_bytearray_data(f.ba), 24);
    const bv_index rev[] = {ELL, bv_index_slice((bv_slice){0, 0, -1, false, false, true})};
    assert_ok(bv_view_assign_subscript(&f.m, rev, 2, bv_view_exporter(&f.m), &err), err);
    for (int k = 0; k < 24; k++)
        assert_int_equal(bv_bytearray_data(f.ba)[k], before[(k / 4) * 4 + 3 - k % 4]);
    /* Overlap, contiguous: m[0] = m[1] through a sub-view of the same memory. */
    bv_view second;
    const bv_index i1[] = {I(1)};
    assert_ok(bv_view_subscript(&second, &f.m, i1, 1, &err), err);
    const bv_index i0[] = {I(0)};
    memcpy(before, bv_bytearray_data(f.ba), 24);
    assert_ok(bv_view_assign_subscript(&f.m, i0, 1, bv_view_exporter(&second), &err), err);
    assert_memory_equal(bv_bytearray_data(f.ba), before + 12, 12);
    assert_ok(bv_view_release(&second, &err), err);

    fixture_free(&f);
}

/* The order of the checks: the lvalue, the source's buffer, the subscript, the
 * structure; and a failed assignment changes nothing. */
static void test_assign_errors(void **state)
{
    (void)state;
    fixture f;
    const ptrdiff_t s34[] = {3, 4};
    fixture_make(&f, 12, "B", s34, 2);
    bv_error err;
    unsigned char before[12];
    memcpy(before, bv_bytearray_data(f.ba), 12);
    const bv_index bad[] = {I(7)};
    const bv_index row[] = {I(0)};
    const char *structure = "memoryview assignment: lvalue and rvalue have different structures";

    /* The source's buffer before the subscript; the subscript before the structure. */
    assert_error(bv_view_assign_subscript(&f.m, bad, 1, NULL, &err), err, BV_TYPE_ERROR,
                 "a bytes-like object is required, not 'NoneType'");
    bv_bytes *four;
    assert_ok(bv_bytes_new(&four, "wxyz", 4, &err), err);
    bv_exporter *src = bv_bytes_exporter(four);
    assert_error(bv_view_assign_subscript(&f.m, bad, 1, src, &err), err, BV_INDEX_ERROR,
                 "index out of bounds on dimension 1");
    const bv_index twice[] = {ELL, ELL};
    assert_error(bv_view_assign_subscript(&f.m, twice, 2, src, &err), err, BV_INDEX_ERROR,
                 "an index can only have a single ellipsis ('...')");
    const bv_index col[] = {ALL, I(0)};   /* 3 items, the source has 4 */
    assert_error(bv_view_assign_subscript(&f.m, col, 2, src, &err), err, BV_VALUE_ERROR,
                 structure);
    /* Same shape, another format. */
    bv_view wide;
    bv_view sv;
    assert_ok(bv_view_from(&sv, src, &err), err);
    assert_ok(bv_view_cast(&wide, &sv, "b", &err), err);
    assert_error(bv_view_assign_subscript(&f.m, row, 1, bv_view_exporter(&wide), &err), err,
                 BV_VALUE_ERROR, structure);
    assert_memory_equal(bv_bytearray_data(f.ba), before, 12);
    assert_ok(bv_view_assign_subscript(&f.m, row, 1, src, &err), err);
    assert_memory_equal(bv_bytearray_data(f.ba), "wxyz", 4);

    /* The lvalue first: read-only before the source, released before everything. */
    bv_view ro;
    assert_ok(bv_view_toreadonly(&ro, &f.m, &err), err);
    assert_error(bv_view_assign_subscript(&ro, bad, 1, NULL, &err), err, BV_TYPE_ERROR,
                 "cannot modify read-only memory");
    assert_ok(bv_view_release(&ro, &err), err);
    assert_error(bv_view_assign_subscript(&ro, row, 1, src, &err), err, BV_VALUE_ERROR,
                 "operation forbidden on released memoryview object");
    assert_error(bv_view_assign_subscript(NULL, row, 1, src, &err), err, BV_TYPE_ERROR,
                 "bv_view_assign_subscript() argument 'v' must not be NULL");
    assert_error(bv_view_assign_subscript(&f.m, NULL, 1, src, &err), err, BV_TYPE_ERROR,
                 "bv_view_assign_subscript() argument 'items' must not be NULL when n > 0");
    bv_index bogus[] = {I(0)};
    bogus[0].kind = (bv_index_kind)9;
    assert_error(bv_view_assign_subscript(&f.m, bogus, 1, src, &err), err, BV_TYPE_ERROR,
                 "bv_view_assign_subscript() argument 'items' must hold only bv_index_int, "
                 "bv_index_slice, bv_index_ellipsis and bv_index_newaxis items");
    /* A format items cannot be written in: CPython's check on every store. */
    test_typed t;
    const ptrdiff_t s2[] = {2};
    test_typed_init(&t, "2h", 4, s2, 1, "abcdefgh", false);
    bv_view tv;
    assert_ok(bv_view_from(&tv, &t.base, &err), err);
    assert_error(bv_view_assign_subscript(&tv, NULL, 0, &t.base, &err), err,
                 BV_NOT_IMPLEMENTED_ERROR, "memoryview: unsupported format 2h");
    assert_ok(bv_view_release(&tv, &err), err);
    test_typed_free(&t);
    /* Nothing above left an export behind: one managed buffer holds the bytearray. */
    assert_int_equal(bv_bytearray_exports(f.ba), 1);
    assert_ok(bv_view_release(&wide, &err), err);
    assert_ok(bv_view_release(&sv, &err), err);
    bv_bytes_decref(four);
    fixture_free(&f);
}

/* A 0-dim view takes (), ... and newaxis on assignment too. */
static void test_assign_zero_dim(void **state)
{
    (void)state;
    fixture f, s;
    const ptrdiff_t none[1] = {0};
    fixture_make(&f, 1, "B", none, 0);
    source_make(&s, "\x2a", 1, none, 0);
    bv_error err;
    assert_ok(bv_view_assign_subscript(&f.m, NULL, 0, bv_view_exporter(&s.m), &err), err);
    assert_int_equal(bv_bytearray_data(f.ba)[0], 42);
    fixture_free(&s);
    const ptrdiff_t s1[] = {1};
    source_make(&s, "\x2b", 1, s1, 1);
    const bv_index n1[] = {NEW, ELL};
    assert_ok(bv_view_assign_subscript(&f.m, n1, 2, bv_view_exporter(&s.m), &err), err);
    assert_int_equal(bv_bytearray_data(f.ba)[0], 43);
    const bv_index i0[] = {I(0)};
    assert_error(bv_view_assign_subscript(&f.m, i0, 1, bv_view_exporter(&s.m), &err), err,
                 BV_INDEX_ERROR,
                 "too many indices for array: array is 0-dimensional, but 1 were indexed");
    /* CPython's tuple-of-slices assignment keeps its 0-dim message. */
    const bv_slice all[] = {bv_slice_all()};
    assert_error(bv_view_assign_slice_nd(&f.m, all, 1, bv_view_exporter(&s.m), &err), err,
                 BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    fixture_free(&s);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pr_examples),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_all_integers),
        cmocka_unit_test(test_whole_view_and_zero_dim),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_dimension_limit),
        cmocka_unit_test(test_shares_and_flags),
        cmocka_unit_test(test_slice_nd_is_the_slice_case),
        cmocka_unit_test(test_assign),
        cmocka_unit_test(test_assign_errors),
        cmocka_unit_test(test_assign_zero_dim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
