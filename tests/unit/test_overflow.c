/*
 * Overflow and hostile input: sizes, shapes, strides and indices at the edges of size_t and
 * ptrdiff_t. Every size, shape, stride and index product must be checked: huge sizes are
 * MemoryError without asking the allocator for an impossible block, casts whose shape
 * product overflows are ValueError, 64 dimensions work and 65 do not, extreme indices and
 * slice bounds are clamped or refused, and an exporter that describes memory impossibly is
 * refused by bv_view_from instead of crashing a later call. Nothing here may crash or
 * trip ASan/UBSan, and a failed call changes nothing.
 */
#include "support.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ---- an allocator that refuses impossible blocks instead of asking malloc ------------ */

/* Big enough for every real allocation in these tests, far below anything huge. */
#define CAP_BYTES ((size_t)1 << 30)

static struct {
    size_t calls, refused, largest, live;
} capped;

static void *capped_malloc(size_t size, void *ctx)
{
    (void)ctx;
    capped.calls++;
    if (size > capped.largest)
        capped.largest = size;
    if (size > CAP_BYTES) {
        capped.refused++;
        return NULL;
    }
    void *p = malloc(size);
    if (p != NULL)
        capped.live++;
    return p;
}

static void capped_free(void *p, void *ctx)
{
    (void)ctx;
    if (p != NULL)
        capped.live--;
    free(p);
}

static int install_capped(void **state)
{
    (void)state;
    memset(&capped, 0, sizeof capped);
    bv_allocator a = {capped_malloc, capped_free, NULL};
    bv_allocator_set(&a);
    return 0;
}

static int uninstall(void **state)
{
    (void)state;
    assert_int_equal(capped.live, 0);
    bv_allocator_set(NULL);
    return 0;
}

static int install_counting(void **state)
{
    (void)state;
    test_alloc_install(0);
    return 0;
}

static int uninstall_counting(void **state)
{
    (void)state;
    assert_int_equal(test_alloc.live, 0);
    test_alloc_uninstall();
    return 0;
}

static const char MEMORY_MSG[] = "";

/* ---- helpers -------------------------------------------------------------------------- */

static bv_bytes *bytes_of(const char *s)
{
    bv_bytes *b = NULL;
    bv_error err;
    assert_ok(bv_bytes_new(&b, s, strlen(s), &err), err);
    return b;
}

static bv_view view_of_bytes(bv_bytes *b)
{
    bv_view v;
    bv_error err;
    assert_ok(bv_view_from(&v, bv_bytes_exporter(b), &err), err);
    return v;
}

static const ptrdiff_t *shape_of(const bv_view *v)
{
    const ptrdiff_t *s = NULL;
    bv_error err;
    assert_ok(bv_view_shape(v, &s, &err), err);
    return s;
}

static const ptrdiff_t *strides_of(const bv_view *v)
{
    const ptrdiff_t *s = NULL;
    bv_error err;
    assert_ok(bv_view_strides(v, &s, &err), err);
    return s;
}

static void assert_tobytes(const bv_view *v, const char *want)
{
    bv_bytes *b = NULL;
    bv_error err;
    assert_ok(bv_view_tobytes(v, 'C', &b, &err), err);
    assert_int_equal(bv_bytes_size(b), strlen(want));
    assert_memory_equal(bv_bytes_data(b), want, strlen(want));
    bv_bytes_decref(b);
}

static void release(bv_view *v)
{
    bv_error err;
    assert_ok(bv_view_release(v, &err), err);
}

/* ---- sizes near SIZE_MAX and PTRDIFF_MAX ---------------------------------------------- */

static void test_bytes_huge_sizes(void **state)
{
    (void)state;
    static const char one[1] = {'x'};
    const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, (size_t)PTRDIFF_MAX + 1,
                            (size_t)PTRDIFF_MAX, (size_t)PTRDIFF_MAX - 24};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        bv_bytes *b = (bv_bytes *)(uintptr_t)0x1234;
        bv_error err;
        /* Only the first byte exists: bufview must refuse before reading any. */
        assert_error(bv_bytes_new(&b, one, sizes[k], &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
        assert_ptr_equal(b, (bv_bytes *)(uintptr_t)0x1234);
    }
    /* None of those sizes can fit with a header: no allocation was even attempted. */
    assert_int_equal(capped.calls, 0);
    /* A size that fits reaches the allocator, which refuses it. */
    bv_bytes *b = NULL;
    bv_error err;
    assert_error(bv_bytes_new(&b, one, (size_t)PTRDIFF_MAX - 64, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_null(b);
    assert_int_equal(capped.refused, 1);
}

static void test_bytearray_huge_sizes(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = NULL;
    assert_error(bv_bytearray_new(&ba, NULL, SIZE_MAX, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_bytearray_new(&ba, NULL, (size_t)PTRDIFF_MAX + 1, &err), err,
                 BV_MEMORY_ERROR, MEMORY_MSG);
    assert_int_equal(capped.calls, 0);
    /* PTRDIFF_MAX is a legal size that no allocator grants: the header is freed again. */
    assert_error(bv_bytearray_new(&ba, NULL, (size_t)PTRDIFF_MAX, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_null(ba);
    assert_int_equal(capped.refused, 1);
    assert_int_equal(capped.live, 0);
}

static void test_bytearray_huge_growth(void **state)
{
    (void)state;
    bv_error err;
    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "abc", 3, &err), err);
    size_t calls = capped.calls;
    static const char one[1] = {'z'};

    assert_error(bv_bytearray_resize(ba, SIZE_MAX, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_bytearray_resize(ba, (size_t)PTRDIFF_MAX + 1, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    /* len + extension beyond PTRDIFF_MAX, or wrapping size_t: refused before reading data. */
    assert_error(bv_bytearray_extend(ba, one, SIZE_MAX, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_bytearray_extend(ba, one, SIZE_MAX - 2, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_error(bv_bytearray_extend(ba, one, (size_t)PTRDIFF_MAX - 2, &err), err,
                 BV_MEMORY_ERROR, MEMORY_MSG);
    assert_int_equal(capped.calls, calls);

    /* Sizes that are legal but unobtainable: the allocator says no, nothing changes. */
    assert_error(bv_bytearray_resize(ba, (size_t)PTRDIFF_MAX, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_error(bv_bytearray_resize(ba, (size_t)PTRDIFF_MAX - 3, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_int_equal(bv_bytearray_size(ba), 3);
    assert_memory_equal(bv_bytearray_data(ba), "abc", 3);

    /* While exported the lock is checked first, whatever the size. */
    bv_view v;
    assert_ok(bv_view_from(&v, bv_bytearray_exporter(ba), &err), err);
    assert_error(bv_bytearray_resize(ba, SIZE_MAX, &err), err, BV_BUFFER_ERROR,
                 "Existing exports of data: object cannot be re-sized");
    assert_error(bv_bytearray_extend(ba, one, SIZE_MAX, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    release(&v);
    assert_memory_equal(bv_bytearray_data(ba), "abc", 3);
    bv_bytearray_decref(ba);
}

static void test_array_huge_counts(void **state)
{
    (void)state;
    static const char codes[] = "bBhHiIlLqQfd";
    for (const char *c = codes; *c; c++) {
        bv_array *a = NULL;
        bv_error err;
        size_t itemsize = *c == 'b' || *c == 'B' ? 1
                          : *c == 'h' || *c == 'H' ? 2
                          : *c == 'i' || *c == 'I' || *c == 'f' ? 4
                                                                : 8;
        size_t before = capped.calls;
        assert_error(bv_array_new(&a, *c, NULL, SIZE_MAX, &err), err, BV_MEMORY_ERROR,
                     MEMORY_MSG);
        assert_error(bv_array_new(&a, *c, NULL, (size_t)PTRDIFF_MAX / itemsize + 1, &err), err,
                     BV_MEMORY_ERROR, MEMORY_MSG);
        /* count * itemsize would wrap size_t exactly to a small number */
        if (itemsize > 1)
            assert_error(bv_array_new(&a, *c, NULL, SIZE_MAX / itemsize + 1, &err), err,
                         BV_MEMORY_ERROR, MEMORY_MSG);
        assert_int_equal(capped.calls, before);
        /* The largest legal count reaches the allocator and is refused there. */
        assert_error(bv_array_new(&a, *c, NULL, (size_t)PTRDIFF_MAX / itemsize, &err), err,
                     BV_MEMORY_ERROR, MEMORY_MSG);
        assert_null(a);
        assert_int_equal(capped.live, 0);
    }
}

static void test_str_huge_append(void **state)
{
    (void)state;
    bv_str s = {0};
    bv_error err;
    assert_ok(bv_str_append(&s, "ab", 2, &err), err);
    static const char one[1] = {'x'};
    assert_error(bv_str_append(&s, one, SIZE_MAX, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_str_append(&s, one, SIZE_MAX - 2, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_str_append(&s, one, SIZE_MAX - 3, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_str_append(&s, one, (size_t)PTRDIFF_MAX, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_string_equal(bv_str_cstr(&s), "ab");
    assert_int_equal(s.len, 2);
    bv_str_free(&s);
}

/* ---- a configurable exporter: huge but truthful, or hostile ---------------------------- */

typedef struct test_exporter {
    bv_exporter base;
    bv_buffer tmpl;
    ptrdiff_t shape[BV_MAXDIM + 8];
    ptrdiff_t strides[BV_MAXDIM + 8];
    ptrdiff_t suboffsets[2];
    ptrdiff_t exports;
    bv_status refuse;   /* BV_OK: hand out tmpl */
} test_exporter;

static bv_status test_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    (void)flags;
    test_exporter *e = (test_exporter *)self;
    if (e->refuse != BV_OK)
        return bv_error_set(err, e->refuse, "test exporter refuses");
    *view = e->tmpl;
    e->exports++;
    return BV_OK;
}

static void test_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    ((test_exporter *)self)->exports--;
}

static const bv_exporter_type test_type = {"hostile", test_getbuffer, test_releasebuffer, NULL};

static unsigned char arena[64];

/* A sane 1-D buffer of n bytes over arena; tests then break one field. */
static void exporter_init(test_exporter *e, ptrdiff_t n)
{
    memset(e, 0, sizeof *e);
    bv_exporter_init(&e->base, &test_type, BV_EXPORTER_COUNTED);
    e->tmpl.buf = arena;
    e->tmpl.len = n;
    e->tmpl.itemsize = 1;
    e->tmpl.ndim = 1;
    e->tmpl.format = "B";
    e->tmpl.shape = e->shape;
    e->tmpl.strides = e->strides;
    e->shape[0] = n;
    e->strides[0] = 1;
}

static void assert_refused(test_exporter *e, const char *what)
{
    bv_view v;
    memset(&v, 0x5a, sizeof v);
    bv_view untouched = v;
    bv_error err;
    bv_status st = bv_view_from(&v, &e->base, &err);
    if (st == BV_OK) {
        bv_view_release(&v, NULL);
        fail_msg("bv_view_from accepted a hostile buffer: %s", what);
    }
    assert_error(st, err, BV_BUFFER_ERROR,
                 "exporter 'hostile' returned a buffer bufview cannot represent");
    assert_memory_equal(&v, &untouched, sizeof v);
    assert_int_equal(e->exports, 0);          /* the buffer was given back */
    assert_int_equal(e->base.refcount, 1);    /* and the reference with it */
}

static void test_hostile_counts_and_sizes(void **state)
{
    (void)state;
    test_exporter e;

    exporter_init(&e, 8);
    e.tmpl.ndim = BV_MAXDIM + 1;
    assert_refused(&e, "ndim 65");
    exporter_init(&e, 8);
    e.tmpl.ndim = -1;
    assert_refused(&e, "ndim -1");
    exporter_init(&e, 8);
    e.tmpl.ndim = INT_MAX;
    assert_refused(&e, "ndim INT_MAX");
    exporter_init(&e, 8);
    e.tmpl.itemsize = -1;
    assert_refused(&e, "negative itemsize");
    exporter_init(&e, 8);
    e.tmpl.itemsize = 0;
    assert_refused(&e, "itemsize 0");
    exporter_init(&e, 8);
    e.tmpl.itemsize = PTRDIFF_MIN;
    assert_refused(&e, "itemsize PTRDIFF_MIN");
    exporter_init(&e, 8);
    e.tmpl.len = -1;
    assert_refused(&e, "negative len");
    exporter_init(&e, 8);
    e.tmpl.len = PTRDIFF_MIN;
    assert_refused(&e, "len PTRDIFF_MIN");
}

static void test_hostile_layouts(void **state)
{
    (void)state;
    test_exporter e;

    exporter_init(&e, 8);
    e.tmpl.ndim = 2;
    e.tmpl.shape = NULL;
    assert_refused(&e, "NULL shape with ndim 2");
    exporter_init(&e, 8);
    e.tmpl.suboffsets = e.suboffsets;
    assert_refused(&e, "suboffsets (PIL-style memory)");
}

/* Layouts that every field-by-field range check accepts but that describe impossible
 * memory: these crash or read out of bounds in later calls unless bv_view_from refuses
 * them (a consumer cannot check what an exporter promised once it has a view). */
static void test_hostile_inconsistent(void **state)
{
    (void)state;
    test_exporter e;

    exporter_init(&e, 8);
    e.shape[0] = -1;
    e.tmpl.len = 8;
    assert_refused(&e, "negative extent");
    exporter_init(&e, 8);
    e.shape[0] = PTRDIFF_MIN;
    assert_refused(&e, "extent PTRDIFF_MIN");
    exporter_init(&e, 8);
    e.tmpl.ndim = 2;
    e.shape[0] = PTRDIFF_MAX;
    e.shape[1] = 4;
    e.strides[0] = 4;
    e.strides[1] = 1;
    assert_refused(&e, "product(shape) overflows");
    exporter_init(&e, 64);
    e.shape[0] = 1000;
    assert_refused(&e, "len != product(shape) * itemsize");
    exporter_init(&e, 64);
    e.tmpl.format = "q";   /* 8-byte items, itemsize says 1 */
    assert_refused(&e, "format q with itemsize 1");
    exporter_init(&e, 64);
    e.tmpl.format = NULL;   /* NULL means "B" */
    e.tmpl.itemsize = 4;
    e.shape[0] = 16;
    e.strides[0] = 4;
    assert_refused(&e, "format NULL (B) with itemsize 4");
    exporter_init(&e, 64);
    e.tmpl.format = "3i";
    e.tmpl.itemsize = 4;
    e.shape[0] = 16;
    e.strides[0] = 4;
    assert_refused(&e, "format 3i with itemsize 4");
    exporter_init(&e, 3);
    e.strides[0] = PTRDIFF_MAX;
    assert_refused(&e, "stride * (extent - 1) overflows");
    exporter_init(&e, 3);
    e.strides[0] = PTRDIFF_MIN;
    assert_refused(&e, "stride PTRDIFF_MIN");
    exporter_init(&e, 8);
    e.tmpl.buf = NULL;
    assert_refused(&e, "NULL memory with len 8");
}

static void test_exporter_refusal_propagates(void **state)
{
    (void)state;
    test_exporter e;
    exporter_init(&e, 8);
    e.refuse = BV_BUFFER_ERROR;
    bv_view v;
    bv_error err;
    assert_error(bv_view_from(&v, &e.base, &err), err, BV_BUFFER_ERROR, "test exporter refuses");
    assert_int_equal(e.base.refcount, 1);
}

/* The sane edges are still accepted: 0 dimensions, a bare 1-D buffer, 64 dimensions. */
static void test_truthful_edges_accepted(void **state)
{
    (void)state;
    test_exporter e;
    bv_view v;
    bv_error err;

    exporter_init(&e, 1);
    e.tmpl.ndim = 0;
    e.tmpl.shape = NULL;
    e.tmpl.strides = NULL;
    assert_ok(bv_view_from(&v, &e.base, &err), err);
    assert_int_equal(v.ndim, 0);
    release(&v);

    exporter_init(&e, 8);
    e.tmpl.shape = NULL;
    e.tmpl.strides = NULL;
    assert_ok(bv_view_from(&v, &e.base, &err), err);
    assert_int_equal(shape_of(&v)[0], 8);
    assert_int_equal(strides_of(&v)[0], 1);
    release(&v);

    exporter_init(&e, 2);
    e.tmpl.ndim = BV_MAXDIM;
    for (int k = 0; k < BV_MAXDIM; k++) {
        e.shape[k] = k == 63 ? 2 : 1;
        e.strides[k] = k == 63 ? 1 : 1000;   /* extents of 1: any stride is fine */
    }
    assert_ok(bv_view_from(&v, &e.base, &err), err);
    assert_int_equal(v.ndim, 64);
    release(&v);

    /* PEP 3118: NULL strides with a shape mean C-contiguous, at any ndim (CPython's
     * init_strides_from_shape); only a NULL shape beyond 1-D is meaningless. */
    exporter_init(&e, 8);
    e.tmpl.ndim = 2;
    e.shape[0] = 2;
    e.shape[1] = 4;
    e.tmpl.strides = NULL;
    assert_ok(bv_view_from(&v, &e.base, &err), err);
    assert_int_equal(strides_of(&v)[0], 4);
    assert_int_equal(strides_of(&v)[1], 1);
    release(&v);

    exporter_init(&e, 0);   /* empty, with an absurd stride that nothing ever uses */
    e.shape[0] = 0;
    e.strides[0] = PTRDIFF_MAX;
    assert_ok(bv_view_from(&v, &e.base, &err), err);
    release(&v);
    assert_int_equal(e.exports, 0);
}

/* A huge view over no real memory (the exporter claims n bytes at arena): every copying
 * path must ask for the copy's memory, and be refused, before touching a single byte. */
static void huge_view(test_exporter *e, bv_view *v, ptrdiff_t n)
{
    exporter_init(e, n);
    e->tmpl.readonly = 1;
    bv_error err;
    assert_ok(bv_view_from(v, &e->base, &err), err);
}

static void test_huge_views_refuse_copies(void **state)
{
    (void)state;
    test_exporter e;
    bv_view v;
    bv_error err;
    huge_view(&e, &v, PTRDIFF_MAX - 7);

    bv_bytes *b = NULL;
    assert_error(bv_view_tobytes(&v, 'C', &b, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_null(b);
    char *hex = NULL;
    assert_error(bv_view_hex(&v, NULL, 0, &hex, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_view_hex(&v, ":", 1, &hex, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_view_hex(&v, ":", PTRDIFF_MIN, &hex, &err), err, BV_MEMORY_ERROR,
                 MEMORY_MSG);
    assert_null(hex);
    bv_list list;
    memset(&list, 0x5a, sizeof list);
    bv_list untouched = list;
    assert_error(bv_view_tolist(&v, &list, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_memory_equal(&list, &untouched, sizeof list);
    assert_error(bv_view_tobytes_into(&v, 'C', arena, sizeof arena, &err), err, BV_VALUE_ERROR,
                 "destination holds 64 bytes, the view 9223372036854775800");

    /* Views of it are O(1) and exact at the far end. */
    bv_view tail, q, nd;
    assert_ok(bv_view_slice(&tail, &v, bv_slice_make(PTRDIFF_MAX - 9, PTRDIFF_MAX, 1), &err), err);
    assert_int_equal(shape_of(&tail)[0], 2);
    assert_true((uintptr_t)tail.buf == (uintptr_t)arena + (uintptr_t)(PTRDIFF_MAX - 9));
    assert_ok(bv_view_cast(&q, &v, "q", &err), err);
    assert_int_equal(shape_of(&q)[0], (PTRDIFF_MAX - 7) / 8);
    ptrdiff_t shape2[2] = {2, (PTRDIFF_MAX - 7) / 2};
    assert_ok(bv_view_cast_shape(&nd, &v, "B", shape2, 2, &err), err);
    assert_int_equal(strides_of(&nd)[0], (PTRDIFF_MAX - 7) / 2);
    release(&nd);
    release(&q);
    release(&tail);

    /* A strided huge view: the gather needs the whole copy first. */
    bv_view strided;
    assert_ok(bv_view_slice(&strided, &v, bv_slice_make(0, PTRDIFF_MAX, 2), &err), err);
    assert_int_equal(shape_of(&strided)[0], (PTRDIFF_MAX - 7) / 2);
    assert_error(bv_view_tobytes(&strided, 'C', &b, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_error(bv_view_hex(&strided, NULL, 0, &hex, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    uint64_t h = 0;
    assert_error(bv_view_hash(&strided, &h, &err), err, BV_MEMORY_ERROR, MEMORY_MSG);
    assert_int_equal(h, 0);
    release(&strided);
    release(&v);
    assert_int_equal(e.exports, 0);
    assert_int_equal(capped.live, 0);
}

/* ---- casts: shape products, dimensions, extents ---------------------------------------- */

static void test_cast_shape_product_overflow(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("01234567");
    bv_view v = view_of_bytes(b), out;
    memset(&out, 0x5a, sizeof out);
    bv_view untouched = out;
    bv_error err;
    static const char OVER[] = "memoryview.cast(): product(shape) > SSIZE_MAX";
    const ptrdiff_t s1[] = {PTRDIFF_MAX, 2};
    const ptrdiff_t s2[] = {2, PTRDIFF_MAX};
    const ptrdiff_t s3[] = {(ptrdiff_t)1 << 32, (ptrdiff_t)1 << 32};
    const ptrdiff_t s4[] = {3074457345618258603, 3};   /* 3 * that = PTRDIFF_MAX + 2 */
    const ptrdiff_t s5[] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                            2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
                            2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    assert_error(bv_view_cast_shape(&out, &v, "B", s1, 2, &err), err, BV_VALUE_ERROR, OVER);
    assert_error(bv_view_cast_shape(&out, &v, "B", s2, 2, &err), err, BV_VALUE_ERROR, OVER);
    assert_error(bv_view_cast_shape(&out, &v, "B", s3, 2, &err), err, BV_VALUE_ERROR, OVER);
    assert_error(bv_view_cast_shape(&out, &v, "B", s4, 2, &err), err, BV_VALUE_ERROR, OVER);
    assert_error(bv_view_cast_shape(&out, &v, "B", s5, 63, &err), err, BV_VALUE_ERROR, OVER);
    /* 2**62 fits, 2**63 does not: the boundary itself */
    assert_error(bv_view_cast_shape(&out, &v, "B", s5, 62, &err), err, BV_TYPE_ERROR,
                 "memoryview: product(shape) * itemsize != buffer size");
    /* The itemsize counts too: 8 * (PTRDIFF_MAX / 8 + 1) > PTRDIFF_MAX. */
    const ptrdiff_t q1[] = {PTRDIFF_MAX / 8 + 1};
    const ptrdiff_t q2[] = {PTRDIFF_MAX / 8};
    assert_error(bv_view_cast_shape(&out, &v, "q", q1, 1, &err), err, BV_VALUE_ERROR, OVER);
    assert_error(bv_view_cast_shape(&out, &v, "q", q2, 1, &err), err, BV_TYPE_ERROR,
                 "memoryview: product(shape) * itemsize != buffer size");
    assert_memory_equal(&out, &untouched, sizeof out);
    release(&v);
    bv_bytes_decref(b);
}

static void test_cast_bad_extents(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("01234567");
    bv_view v = view_of_bytes(b), out;
    bv_error err;
    static const char POSITIVE[] = "memoryview.cast(): elements of shape must be integers > 0";
    const ptrdiff_t bad[][2] = {{-1, -8}, {0, 8}, {8, 0}, {PTRDIFF_MIN, 1}, {1, PTRDIFF_MIN},
                                {-8, -1}, {2, -4}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        assert_error(bv_view_cast_shape(&out, &v, "B", bad[k], 2, &err), err, BV_VALUE_ERROR,
                     POSITIVE);
    /* A non-positive extent after an overflowing one: the first failure is reported. */
    const ptrdiff_t first[] = {PTRDIFF_MAX, PTRDIFF_MAX, -1};
    assert_error(bv_view_cast_shape(&out, &v, "B", first, 3, &err), err, BV_VALUE_ERROR,
                 "memoryview.cast(): product(shape) > SSIZE_MAX");
    release(&v);
    bv_bytes_decref(b);
}

static void test_cast_dimension_counts(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("01234567");
    bv_view v = view_of_bytes(b), out;
    bv_error err;
    ptrdiff_t shape[70];
    for (int k = 0; k < 70; k++)
        shape[k] = 1;
    shape[0] = 8;
    assert_error(bv_view_cast_shape(&out, &v, "B", shape, 65, &err), err, BV_VALUE_ERROR,
                 "memoryview: number of dimensions must not exceed 64");
    assert_error(bv_view_cast_shape(&out, &v, "B", shape, 70, &err), err, BV_VALUE_ERROR,
                 "memoryview: number of dimensions must not exceed 64");
    /* The shape array is never read for an impossible count: one element is passed. */
    const ptrdiff_t one[1] = {8};
    assert_error(bv_view_cast_shape(&out, &v, "B", one, PTRDIFF_MAX, &err), err, BV_VALUE_ERROR,
                 "memoryview: number of dimensions must not exceed 64");
    assert_error(bv_view_cast_shape(&out, &v, "B", one, -1, &err), err, BV_TYPE_ERROR,
                 "shape must be a list or a tuple");
    assert_error(bv_view_cast_shape(&out, &v, "B", one, PTRDIFF_MIN, &err), err, BV_TYPE_ERROR,
                 "shape must be a list or a tuple");
    assert_error(bv_view_cast_shape(&out, &v, "B", NULL, 2, &err), err, BV_TYPE_ERROR,
                 "shape must be a list or a tuple");
    release(&v);
    bv_bytes_decref(b);
}

/* 64 dimensions, the most a buffer may have: every operation works on them. */
static void test_sixty_four_dimensions(void **state)
{
    (void)state;
    bv_bytearray *ba = NULL;
    bv_error err;
    assert_ok(bv_bytearray_new(&ba, "01234567", 8, &err), err);
    bv_view v, nd, sliced, flat, ro;
    assert_ok(bv_view_from(&v, bv_bytearray_exporter(ba), &err), err);
    ptrdiff_t shape[64];
    for (int k = 0; k < 64; k++)
        shape[k] = 1;
    shape[0] = 2;
    shape[63] = 4;
    assert_ok(bv_view_cast_shape(&nd, &v, "B", shape, 64, &err), err);
    assert_int_equal(nd.ndim, 64);
    /* 64 dimensions spill: shape and strides live outside the view itself. */
    const char *shape_at = (const char *)shape_of(&nd);
    assert_true(shape_at < (const char *)&nd || shape_at >= (const char *)(&nd + 1));
    assert_int_equal(shape_of(&nd)[0], 2);
    assert_int_equal(strides_of(&nd)[0], 4);
    assert_int_equal(strides_of(&nd)[63], 1);

    ptrdiff_t idx[65] = {0};
    idx[0] = -1;
    idx[63] = -1;
    bv_value val;
    assert_ok(bv_view_get_at(&nd, idx, 64, &val, &err), err);
    assert_int_equal(val.as.u, '7');
    idx[63] = PTRDIFF_MIN;
    assert_error(bv_view_get_at(&nd, idx, 64, &val, &err), err, BV_INDEX_ERROR,
                 "index out of bounds on dimension 64");
    idx[63] = 0;
    idx[40] = PTRDIFF_MAX;
    assert_error(bv_view_get_at(&nd, idx, 64, &val, &err), err, BV_INDEX_ERROR,
                 "index out of bounds on dimension 41");
    assert_error(bv_view_get_at(&nd, idx, 65, &val, &err), err, BV_TYPE_ERROR,
                 "cannot index 64-dimension view with 65-element tuple");
    idx[40] = 0;
    assert_ok(bv_view_set_at(&nd, idx, 64, bv_value_uint('X'), &err), err);
    assert_int_equal(bv_bytearray_data(ba)[4], 'X');

    /* Reverse the two real dimensions with extreme steps; keep the 62 others whole. */
    bv_slice sl[64];
    for (int k = 0; k < 64; k++)
        sl[k] = bv_slice_all();
    sl[0] = bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1);
    sl[63] = bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, PTRDIFF_MIN);   /* just the last */
    assert_ok(bv_view_slice_nd(&sliced, &nd, sl, 64, &err), err);
    assert_int_equal(shape_of(&sliced)[0], 2);
    assert_int_equal(shape_of(&sliced)[63], 1);
    assert_int_equal(strides_of(&sliced)[0], -4);
    assert_int_equal(strides_of(&sliced)[63], -PTRDIFF_MAX);
    assert_tobytes(&sliced, "73");
    bv_list list;
    assert_ok(bv_view_tolist(&sliced, &list, &err), err);
    assert_int_equal(list.ndim, 64);
    assert_int_equal(list.count, 2);
    bv_list_free(&list);
    char *hex = NULL;
    assert_ok(bv_view_hex(&sliced, ":", PTRDIFF_MIN, &hex, &err), err);
    assert_string_equal(hex, "3733");
    bv_free(hex);
    assert_ok(bv_view_toreadonly(&ro, &sliced, &err), err);
    uint64_t h;
    assert_error(bv_view_hash(&ro, &h, &err), err, BV_TYPE_ERROR, "unhashable type: 'bytearray'");
    release(&ro);

    /* 64-D back to 1-D */
    assert_ok(bv_view_cast(&flat, &nd, "B", &err), err);
    assert_int_equal(flat.ndim, 1);
    assert_tobytes(&flat, "0123X567");
    release(&flat);
    release(&sliced);
    release(&nd);
    release(&v);
    assert_int_equal(bv_bytearray_exports(ba), 0);
    bv_bytearray_decref(ba);
}

/* ---- indices and slices at the extremes ------------------------------------------------- */

static void test_extreme_indices(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("01234567");
    bv_view v = view_of_bytes(b);
    bv_error err;
    bv_value val;
    static const char OOB[] = "index out of bounds on dimension 1";
    const ptrdiff_t bad[] = {PTRDIFF_MIN, PTRDIFF_MIN + 1, PTRDIFF_MIN + 8, -9, 8,
                             PTRDIFF_MAX - 1, PTRDIFF_MAX};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_error(bv_view_get(&v, bad[k], &val, &err), err, BV_INDEX_ERROR, OOB);
        assert_error(bv_view_get_at(&v, &bad[k], 1, &val, &err), err, BV_INDEX_ERROR, OOB);
    }
    assert_ok(bv_view_get(&v, -8, &val, &err), err);
    assert_int_equal(val.as.u, '0');
    assert_ok(bv_view_get(&v, 7, &val, &err), err);
    assert_int_equal(val.as.u, '7');

    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "abcdef", 6, &err), err);
    bv_view w;
    assert_ok(bv_view_from(&w, bv_bytearray_exporter(ba), &err), err);
    assert_error(bv_view_set(&w, PTRDIFF_MIN, bv_value_uint(1), &err), err, BV_INDEX_ERROR, OOB);
    assert_error(bv_view_set(&w, PTRDIFF_MAX, bv_value_uint(1), &err), err, BV_INDEX_ERROR, OOB);
    assert_memory_equal(bv_bytearray_data(ba), "abcdef", 6);
    release(&w);
    bv_bytearray_decref(ba);
    release(&v);
    bv_bytes_decref(b);
}

static void test_extreme_slices(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("01234567");
    bv_view v = view_of_bytes(b), s, t;
    bv_error err;
    /* Each case against CPython 3.11: memoryview(b'01234567')[...] shape, strides, bytes. */
    const struct {
        bv_slice sl;
        ptrdiff_t shape, stride;
        const char *bytes;
    } cases[] = {
        {bv_slice_make(PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MIN), 0, -PTRDIFF_MAX, ""},
        {bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1), 8, -1, "76543210"},
        {bv_slice_make(0, 8, PTRDIFF_MAX), 1, PTRDIFF_MAX, "0"},
        {{0, 0, PTRDIFF_MIN, false, false, true}, 1, -PTRDIFF_MAX, "7"},
        {bv_slice_make(PTRDIFF_MIN, PTRDIFF_MIN, 1), 0, 1, ""},
        {bv_slice_make(PTRDIFF_MAX, PTRDIFF_MAX, -1), 0, -1, ""},
        {bv_slice_make(PTRDIFF_MIN + 1, PTRDIFF_MAX - 1, 3), 3, 3, "036"},
        {bv_slice_make(-3, PTRDIFF_MIN, -PTRDIFF_MAX), 1, -PTRDIFF_MAX, "5"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        assert_ok(bv_view_slice(&s, &v, cases[k].sl, &err), err);
        assert_int_equal(shape_of(&s)[0], cases[k].shape);
        assert_int_equal(strides_of(&s)[0], cases[k].stride);
        assert_tobytes(&s, cases[k].bytes);
        release(&s);
    }
    /* stride * step wraps exactly as CPython's -fwrapv arithmetic: PTRDIFF_MAX * 2 = -2. */
    bv_bytes *b4 = bytes_of("0123");
    bv_view v4 = view_of_bytes(b4);
    assert_ok(bv_view_slice(&s, &v4, bv_slice_make(0, 4, PTRDIFF_MAX), &err), err);
    assert_ok(bv_view_slice(&t, &s, bv_slice_make(0, 4, 2), &err), err);
    assert_int_equal(strides_of(&t)[0], -2);
    assert_tobytes(&t, "0");
    release(&t);
    release(&s);
    release(&v4);
    bv_bytes_decref(b4);

    {
        ptrdiff_t start, step, n;
        assert_ok(bv_slice_adjust(bv_slice_make(PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MAX),
                                  PTRDIFF_MAX, &start, &step, &n, &err), err);
        assert_int_equal(start, 0);
        assert_int_equal(n, 1);
        assert_ok(bv_slice_adjust(bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, PTRDIFF_MIN),
                                  PTRDIFF_MAX, &start, &step, &n, &err), err);
        assert_int_equal(start, PTRDIFF_MAX - 1);
        assert_int_equal(step, -PTRDIFF_MAX);
        assert_int_equal(n, 1);
        assert_ok(bv_slice_adjust(bv_slice_make(0, PTRDIFF_MAX, 1), PTRDIFF_MAX, &start, &step,
                                  &n, &err), err);
        assert_int_equal(n, PTRDIFF_MAX);
        assert_ok(bv_slice_adjust(bv_slice_make(-1, PTRDIFF_MIN, -1), PTRDIFF_MAX, &start,
                                  &step, &n, &err), err);
        assert_int_equal(n, PTRDIFF_MAX);
        assert_error(bv_slice_adjust(bv_slice_make(0, 1, 0), 5, &start, &step, &n, &err), err,
                     BV_VALUE_ERROR, "slice step cannot be zero");
    }

    /* Slice assignment through extreme bounds: the reversed whole, from bytes. */
    bv_bytearray *ba = NULL;
    assert_ok(bv_bytearray_new(&ba, "abcdefgh", 8, &err), err);
    bv_view w;
    assert_ok(bv_view_from(&w, bv_bytearray_exporter(ba), &err), err);
    assert_ok(bv_view_assign_slice(&w, bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1),
                                   bv_bytes_exporter(b), &err), err);
    assert_memory_equal(bv_bytearray_data(ba), "76543210", 8);
    bv_bytes *z = bytes_of("Z");
    assert_ok(bv_view_assign_slice(&w, bv_slice_make(PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MAX),
                                   bv_bytes_exporter(z), &err), err);   /* [0] = b'Z' */
    bv_bytes_decref(z);
    assert_error(bv_view_assign_slice(&w, bv_slice_make(PTRDIFF_MIN, PTRDIFF_MAX, PTRDIFF_MIN),
                                      bv_bytes_exporter(b), &err),
                 err, BV_VALUE_ERROR,
                 "memoryview assignment: lvalue and rvalue have different structures");
    assert_memory_equal(bv_bytearray_data(ba), "Z6543210", 8);
    release(&w);
    bv_bytearray_decref(ba);
    release(&v);
    bv_bytes_decref(b);
}

static void test_index_extreme_bounds(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("abcabc");
    bv_view v = view_of_bytes(b);
    bv_error err;
    ptrdiff_t at = -1;
    bv_value c = bv_value_uint('c');
    assert_ok(bv_view_index(&v, c, PTRDIFF_MIN, PTRDIFF_MAX, &at, &err), err);
    assert_int_equal(at, 2);
    assert_ok(bv_view_index(&v, c, -1, PTRDIFF_MAX, &at, &err), err);
    assert_int_equal(at, 5);
    assert_ok(bv_view_index(&v, c, 3, PTRDIFF_MAX, &at, &err), err);
    assert_int_equal(at, 5);
    static const char NOT_FOUND[] = "memoryview.index(x): x not found";
    at = -7;
    assert_error(bv_view_index(&v, c, PTRDIFF_MAX, PTRDIFF_MIN, &at, &err), err, BV_VALUE_ERROR,
                 NOT_FOUND);
    assert_error(bv_view_index(&v, c, PTRDIFF_MAX, PTRDIFF_MAX, &at, &err), err, BV_VALUE_ERROR,
                 NOT_FOUND);
    assert_error(bv_view_index(&v, c, PTRDIFF_MIN, PTRDIFF_MIN, &at, &err), err, BV_VALUE_ERROR,
                 NOT_FOUND);
    assert_error(bv_view_index(&v, c, PTRDIFF_MIN, 2, &at, &err), err, BV_VALUE_ERROR, NOT_FOUND);
    assert_error(bv_view_index(&v, c, 6, PTRDIFF_MAX, &at, &err), err, BV_VALUE_ERROR, NOT_FOUND);
    assert_int_equal(at, -7);
    ptrdiff_t n = -1;
    assert_ok(bv_view_count(&v, c, &n, &err), err);
    assert_int_equal(n, 2);
    release(&v);
    bv_bytes_decref(b);
}

static void test_hex_extreme_groups(void **state)
{
    (void)state;
    bv_bytes *b = bytes_of("01234567");
    bv_view v = view_of_bytes(b);
    bv_error err;
    const ptrdiff_t none[] = {8, 9, PTRDIFF_MAX, PTRDIFF_MIN, PTRDIFF_MIN + 1, -8, -9, 0};
    for (size_t k = 0; k < sizeof none / sizeof none[0]; k++) {
        char *hex = NULL;
        assert_ok(bv_view_hex(&v, ":", none[k], &hex, &err), err);
        assert_string_equal(hex, "3031323334353637");
        bv_free(hex);
    }
    char *hex = NULL;
    assert_ok(bv_view_hex(&v, ":", -3, &hex, &err), err);
    assert_string_equal(hex, "303132:333435:3637");
    bv_free(hex);
    assert_ok(bv_view_hex(&v, ":", 7, &hex, &err), err);
    assert_string_equal(hex, "30:31323334353637");
    bv_free(hex);
    release(&v);
    bv_bytes_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bytes_huge_sizes, install_capped, uninstall),
        cmocka_unit_test_setup_teardown(test_bytearray_huge_sizes, install_capped, uninstall),
        cmocka_unit_test_setup_teardown(test_bytearray_huge_growth, install_capped, uninstall),
        cmocka_unit_test_setup_teardown(test_array_huge_counts, install_capped, uninstall),
        cmocka_unit_test_setup_teardown(test_str_huge_append, install_capped, uninstall),
        cmocka_unit_test_setup_teardown(test_huge_views_refuse_copies, install_capped, uninstall),
        cmocka_unit_test_setup_teardown(test_hostile_counts_and_sizes, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_hostile_layouts, install_counting, uninstall_counting),
        cmocka_unit_test_setup_teardown(test_hostile_inconsistent, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_exporter_refusal_propagates, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_truthful_edges_accepted, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_cast_shape_product_overflow, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_cast_bad_extents, install_counting, uninstall_counting),
        cmocka_unit_test_setup_teardown(test_cast_dimension_counts, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_sixty_four_dimensions, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_extreme_indices, install_counting, uninstall_counting),
        cmocka_unit_test_setup_teardown(test_extreme_slices, install_counting, uninstall_counting),
        cmocka_unit_test_setup_teardown(test_index_extreme_bounds, install_counting,
                                        uninstall_counting),
        cmocka_unit_test_setup_teardown(test_hex_extreme_groups, install_counting,
                                        uninstall_counting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
