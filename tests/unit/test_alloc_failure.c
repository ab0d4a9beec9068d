/*
 * Allocation failure: for every public call that allocates, fail its 1st allocation, then
 * its 2nd, and so on until the call succeeds without reaching the failing one. Each
 * failure must be MemoryError (CPython's, with no message), must free whatever the call
 * had allocated (the counting allocator's live count returns to where it was), and must
 * leave every input as it was: object contents and sizes, export counts, the views passed
 * in, and the out parameters. The walk also counts each call's allocation points, so a
 * path that starts allocating where it should not (a slice of a few dimensions, say) fails
 * here too.
 */
#define _POSIX_C_SOURCE 200809L   /* mkstemp, unlink, close */
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the walk ------------------------------------------------------------------------- */

typedef struct ctx {
    bv_bytes *b, *src_bytes;
    bv_bytearray *ba;
    bv_array *arr;
    bv_mapped *map;
    bv_view v, w, out;       /* v, w: inputs; out: an output view */
    bv_bytes *out_bytes;
    bv_bytearray *out_ba;
    bv_array *out_arr;
    bv_mapped *out_map;
    bv_list list, input_list;
    char *text;
    bv_str s;
    uint64_t hash;
    int rc;
    FILE *file;
    /* what the inputs looked like before the call */
    bv_view v_before, w_before, out_before;
    bv_list list_before;
    unsigned char data_before[256];
    size_t size_before;
    ptrdiff_t exports_before, refcount_before;
    bv_str s_before;
    char s_text_before[256];
    int fds_before;
    bool poisoned;           /* out, list, out_bytes and text hold sentinels */
} ctx;

typedef struct scenario {
    void (*setup)(ctx *c);
    bv_status (*call)(ctx *c, bv_error *err);
    void (*after_ok)(ctx *c);        /* check the result */
    void (*after_failure)(ctx *c);   /* check that nothing changed */
    void (*teardown)(ctx *c);
} scenario;

static const unsigned char pattern = 0x5a;

static void poison(void *p, size_t n)
{
    memset(p, pattern, n);
}

/* Walk every allocation point of sc->call; returns how many it has. */
static size_t walk(const scenario *sc)
{
    for (size_t n = 1; n < 10000; n++) {
        ctx c;
        memset(&c, 0, sizeof c);
        test_alloc_install(0);
        sc->setup(&c);
        size_t live = test_alloc.live, calls = test_alloc.calls;
        test_alloc.fail_at = calls + n;
        bv_error err;
        memset(&err, 0, sizeof err);
        bv_status st = sc->call(&c, &err);
        size_t attempted = test_alloc.calls - calls;
        test_alloc.fail_at = 0;
        if (st == BV_OK) {
            sc->after_ok(&c);
            sc->teardown(&c);
            assert_int_equal(test_alloc.live, 0);
            test_alloc_uninstall();
            if (attempted < n)
                return n - 1;   /* the failing allocation was never reached: done */
            continue;           /* a failure the call may tolerate (a best-effort shrink) */
        }
        if (st != BV_MEMORY_ERROR || err.kind != BV_MEMORY_ERROR || err.message[0] != '\0')
            fail_msg("allocation %zu failed: got %s \"%s\", want MemoryError", n,
                     bv_status_name(st), err.message);
        assert_true(attempted >= n);
        if (test_alloc.live != live)
            fail_msg("allocation %zu failed: %zu blocks leaked", n, test_alloc.live - live);
        sc->after_failure(&c);
        sc->teardown(&c);
        assert_int_equal(test_alloc.live, 0);
        test_alloc_uninstall();
    }
    fail_msg("the call never succeeded");
    return 0;
}

#define WALK(points, setup, call, ok, failed, teardown)                             \
    do {                                                                            \
        const scenario sc_ = {setup, call, ok, failed, teardown};                   \
        assert_int_equal(walk(&sc_), (points));                                     \
    } while (0)

/* ---- common setups, checks and teardowns ---------------------------------------------- */

static void nothing(ctx *c)
{
    (void)c;
}

/* What a failed call must leave in its pointer out parameters. */
static char sentinel_block;
#define SENTINEL ((void *)&sentinel_block)

static void free_all(ctx *c)
{
    if (c->poisoned) {   /* an out parameter the call did not fill still holds poison */
        bv_view poison_view;
        bv_list poison_list;
        memset(&poison_view, pattern, sizeof poison_view);
        memset(&poison_list, pattern, sizeof poison_list);
        if (memcmp(&c->out, &poison_view, sizeof c->out) == 0)
            memset(&c->out, 0, sizeof c->out);
        if (memcmp(&c->list, &poison_list, sizeof c->list) == 0)
            memset(&c->list, 0, sizeof c->list);
        if (c->out_bytes == SENTINEL)
            c->out_bytes = NULL;
        if (c->text == SENTINEL)
            c->text = NULL;
    }
    bv_list_free(&c->input_list);
    bv_list_free(&c->list);
    bv_free(c->text);
    bv_str_free(&c->s);
    bv_view_release(&c->out, NULL);
    bv_view_release(&c->w, NULL);
    bv_view_release(&c->v, NULL);
    bv_bytes_decref(c->out_bytes);
    bv_bytearray_decref(c->out_ba);
    bv_array_decref(c->out_arr);
    bv_mapped_decref(c->out_map);
    bv_bytes_decref(c->b);
    bv_bytes_decref(c->src_bytes);
    bv_bytearray_decref(c->ba);
    bv_array_decref(c->arr);
    bv_mapped_decref(c->map);
    if (c->file != NULL)
        fclose(c->file);
}

/* Snapshot every input a call may touch, and poison its out parameters. */
static void remember(ctx *c)
{
    c->v_before = c->v;
    c->w_before = c->w;
    if (c->ba != NULL) {
        c->size_before = bv_bytearray_size(c->ba);
        memcpy(c->data_before, bv_bytearray_data(c->ba), c->size_before);
        c->exports_before = bv_bytearray_exports(c->ba);
        c->refcount_before = bv_bytearray_exporter(c->ba)->refcount;
    } else if (c->arr != NULL) {
        c->size_before = bv_array_len(c->arr) * (size_t)bv_array_itemsize(c->arr);
        memcpy(c->data_before, bv_array_data(c->arr), c->size_before);
        c->exports_before = bv_array_exports(c->arr);
        c->refcount_before = bv_array_exporter(c->arr)->refcount;
    } else if (c->b != NULL) {
        c->size_before = bv_bytes_size(c->b);
        memcpy(c->data_before, bv_bytes_data(c->b), c->size_before);
        c->refcount_before = bv_bytes_exporter(c->b)->refcount;
    }
    poison(&c->out, sizeof c->out);
    c->out_before = c->out;
    poison(&c->list, sizeof c->list);
    c->list_before = c->list;
    c->out_bytes = SENTINEL;
    c->text = SENTINEL;
    c->poisoned = true;
    c->s_before = c->s;
    if (c->s.data != NULL)
        memcpy(c->s_text_before, c->s.data, c->s.len + 1);
}

/* Every field but the embedded exporter header, which bv_view_exporter() (re)writes
 * whenever a view is used as a source. */
static void assert_view_same(const bv_view *a, const bv_view *b)
{
    const size_t head = offsetof(bv_view, exporter);
    const size_t tail = head + sizeof a->exporter;
    assert_memory_equal(a, b, head);
    assert_memory_equal((const char *)a + tail, (const char *)b + tail, sizeof *a - tail);
}

static void assert_unchanged(ctx *c)
{
    assert_view_same(&c->v, &c->v_before);
    assert_view_same(&c->w, &c->w_before);
    if (c->ba != NULL) {
        assert_int_equal(bv_bytearray_size(c->ba), c->size_before);
        assert_memory_equal(bv_bytearray_data(c->ba), c->data_before, c->size_before);
        assert_int_equal(bv_bytearray_exports(c->ba), c->exports_before);
        assert_int_equal(bv_bytearray_exporter(c->ba)->refcount, c->refcount_before);
    } else if (c->arr != NULL) {
        assert_int_equal(bv_array_len(c->arr) * (size_t)bv_array_itemsize(c->arr),
                         c->size_before);
        assert_memory_equal(bv_array_data(c->arr), c->data_before, c->size_before);
        assert_int_equal(bv_array_exports(c->arr), c->exports_before);
        assert_int_equal(bv_array_exporter(c->arr)->refcount, c->refcount_before);
    } else if (c->b != NULL) {
        assert_memory_equal(bv_bytes_data(c->b), c->data_before, c->size_before);
        assert_int_equal(bv_bytes_exporter(c->b)->refcount, c->refcount_before);
    }
    /* out parameters untouched; a zeroed (unused) out view stays poisoned */
    assert_memory_equal(&c->out, &c->out_before, sizeof c->out);
    assert_memory_equal(&c->list, &c->list_before, sizeof c->list);
    assert_ptr_equal(c->out_bytes, SENTINEL);
    assert_ptr_equal(c->text, SENTINEL);
    assert_ptr_equal(c->s.data, c->s_before.data);
    assert_int_equal(c->s.len, c->s_before.len);
    assert_int_equal(c->s.cap, c->s_before.cap);
    if (c->s.data != NULL)
        assert_memory_equal(c->s.data, c->s_text_before, c->s.len + 1);
}

static void failed_check(ctx *c)
{
    assert_unchanged(c);
}

static void assert_ba(bv_bytearray *ba, const char *want, size_t n)
{
    assert_int_equal(bv_bytearray_size(ba), n);
    assert_memory_equal(bv_bytearray_data(ba), want, n);
}

static void assert_bytes(bv_bytes *b, const char *want, size_t n)
{
    assert_non_null(b);
    assert_int_equal(bv_bytes_size(b), n);
    assert_memory_equal(bv_bytes_data(b), want, n);
}

/* A view of "0123456789abcdef" (writable) and of its N-D casts. */
static void setup_view(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&c->ba, "0123456789abcdef", 16, &err), err);
    assert_ok(bv_view_from(&c->v, bv_bytearray_exporter(c->ba), &err), err);
    remember(c);
}

/* v becomes a cast of the bytearray to ndim dims: [2, 2, ..., 16 / 2**(ndim-1)]. */
static void setup_nd(ctx *c, int ndim)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&c->ba, "0123456789abcdef", 16, &err), err);
    bv_view flat;
    assert_ok(bv_view_from(&flat, bv_bytearray_exporter(c->ba), &err), err);
    ptrdiff_t shape[5] = {2, 2, 2, 2, 2};
    shape[ndim - 1] = 16 >> (ndim - 1);
    assert_ok(bv_view_cast_shape(&c->v, &flat, "B", shape, ndim, &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    remember(c);
}

static void setup_4d(ctx *c)
{
    setup_nd(c, 4);
}

static void setup_3d(ctx *c)
{
    setup_nd(c, 3);
}

/* v: the 4-D view reversed in its first dimension (not contiguous). */
static void setup_4d_strided(ctx *c)
{
    setup_nd(c, 4);
    bv_error err;
    bv_view rev;
    assert_ok(bv_view_slice(&rev, &c->v, bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1), &err), err);
    assert_ok(bv_view_release(&c->v, &err), err);
    c->v = rev;
    remember(c);
}

/* v: every other byte of the bytearray, backwards: "fdb97531". */
static void setup_strided(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&c->ba, "0123456789abcdef", 16, &err), err);
    bv_view flat;
    assert_ok(bv_view_from(&flat, bv_bytearray_exporter(c->ba), &err), err);
    assert_ok(bv_view_slice(&c->v, &flat, bv_slice_make(-1, PTRDIFF_MIN, -2), &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    remember(c);
}

/* ---- creating objects -------------------------------------------------------------------- */

static bv_status call_bytes_new(ctx *c, bv_error *err)
{
    c->out_bytes = (bv_bytes *)&pattern;
    bv_status st = bv_bytes_new(&c->out_bytes, "hello", 5, err);
    if (st != BV_OK) {
        assert_ptr_equal(c->out_bytes, (bv_bytes *)&pattern);
        c->out_bytes = NULL;
    }
    return st;
}

static void ok_bytes_new(ctx *c)
{
    assert_bytes(c->out_bytes, "hello", 5);
}

static bv_status call_bytearray_new(ctx *c, bv_error *err)
{
    c->out_ba = (bv_bytearray *)&pattern;
    bv_status st = bv_bytearray_new(&c->out_ba, "hello", 5, err);
    if (st != BV_OK) {
        assert_ptr_equal(c->out_ba, (bv_bytearray *)&pattern);
        c->out_ba = NULL;
    }
    return st;
}

static void ok_bytearray_new(ctx *c)
{
    assert_ba(c->out_ba, "hello", 5);
}

static bv_status call_bytearray_new_empty(ctx *c, bv_error *err)
{
    c->out_ba = (bv_bytearray *)&pattern;
    bv_status st = bv_bytearray_new(&c->out_ba, NULL, 0, err);
    if (st != BV_OK) {
        assert_ptr_equal(c->out_ba, (bv_bytearray *)&pattern);
        c->out_ba = NULL;
    }
    return st;
}

static void ok_bytearray_new_empty(ctx *c)
{
    assert_int_equal(bv_bytearray_size(c->out_ba), 0);
}

static bv_status call_array_new(ctx *c, bv_error *err)
{
    static const double items[3] = {1.5, -2.0, 3.25};
    c->out_arr = (bv_array *)&pattern;
    bv_status st = bv_array_new(&c->out_arr, 'd', items, 3, err);
    if (st != BV_OK) {
        assert_ptr_equal(c->out_arr, (bv_array *)&pattern);
        c->out_arr = NULL;
    }
    return st;
}

static void ok_array_new(ctx *c)
{
    assert_int_equal(bv_array_len(c->out_arr), 3);
    assert_true(((double *)bv_array_data(c->out_arr))[2] == 3.25);
}

static bv_status call_array_new_empty(ctx *c, bv_error *err)
{
    c->out_arr = (bv_array *)&pattern;
    bv_status st = bv_array_new(&c->out_arr, 'h', NULL, 0, err);
    if (st != BV_OK) {
        assert_ptr_equal(c->out_arr, (bv_array *)&pattern);
        c->out_arr = NULL;
    }
    return st;
}

static void ok_array_new_empty(ctx *c)
{
    assert_int_equal(bv_array_len(c->out_arr), 0);
}

static void test_object_creation(void **state)
{
    (void)state;
    WALK(1, nothing, call_bytes_new, ok_bytes_new, nothing, free_all);
    WALK(2, nothing, call_bytearray_new, ok_bytearray_new, nothing, free_all);
    WALK(1, nothing, call_bytearray_new_empty, ok_bytearray_new_empty, nothing, free_all);
    WALK(2, nothing, call_array_new, ok_array_new, nothing, free_all);
    WALK(1, nothing, call_array_new_empty, ok_array_new_empty, nothing, free_all);
}

/* ---- growth ------------------------------------------------------------------------------ */

static void setup_ba(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&c->ba, "abc", 3, &err), err);   /* allocated exactly */
    remember(c);
}

static bv_status call_append(ctx *c, bv_error *err)
{
    return bv_bytearray_append(c->ba, 'd', err);
}

static void ok_append(ctx *c)
{
    assert_ba(c->ba, "abcd", 4);
}

static bv_status call_extend(ctx *c, bv_error *err)
{
    return bv_bytearray_extend(c->ba, "defgh", 5, err);
}

static void ok_extend(ctx *c)
{
    assert_ba(c->ba, "abcdefgh", 8);
}

static bv_status call_extend_self(ctx *c, bv_error *err)
{
    /* b.extend(b[1:]): the source moves when the storage grows */
    return bv_bytearray_extend(c->ba, bv_bytearray_data(c->ba) + 1, 2, err);
}

static void ok_extend_self(ctx *c)
{
    assert_ba(c->ba, "abcbc", 5);
}

static bv_status call_resize_grow(ctx *c, bv_error *err)
{
    return bv_bytearray_resize(c->ba, 100, err);
}

static void ok_resize_grow(ctx *c)
{
    assert_int_equal(bv_bytearray_size(c->ba), 100);
    assert_memory_equal(bv_bytearray_data(c->ba), "abc\0\0", 5);
}

static void setup_ba_big(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&c->ba, "0123456789abcdefghijklmnopqrstuvwxyz", 36, &err), err);
    remember(c);
}

static bv_status call_resize_shrink(ctx *c, bv_error *err)
{
    return bv_bytearray_resize(c->ba, 4, err);
}

static void ok_resize_shrink(ctx *c)
{
    /* Giving memory back is best effort: when that allocation fails the shrink still
     * succeeds in the old block. Either way the contents are right. */
    assert_ba(c->ba, "0123", 4);
}

static void setup_arr(ctx *c)
{
    bv_error err;
    static const int items[2] = {7, -7};
    assert_ok(bv_array_new(&c->arr, 'i', items, 2, &err), err);
    remember(c);
}

static bv_status call_array_append(ctx *c, bv_error *err)
{
    return bv_array_append(c->arr, bv_value_int(42), err);
}

static void ok_array_append(ctx *c)
{
    assert_int_equal(bv_array_len(c->arr), 3);
    assert_int_equal(((int *)bv_array_data(c->arr))[2], 42);
}

static void test_growth(void **state)
{
    (void)state;
    WALK(1, setup_ba, call_append, ok_append, failed_check, free_all);
    WALK(1, setup_ba, call_extend, ok_extend, failed_check, free_all);
    WALK(1, setup_ba, call_extend_self, ok_extend_self, failed_check, free_all);
    WALK(1, setup_ba, call_resize_grow, ok_resize_grow, failed_check, free_all);
    WALK(1, setup_ba_big, call_resize_shrink, ok_resize_shrink, failed_check, free_all);
    WALK(1, setup_arr, call_array_append, ok_array_append, failed_check, free_all);
}

/* ---- mapped files ---------------------------------------------------------------------- */

static char mapped_path[256];

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return -1;
    int n = 0;
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n;
}

static void setup_mapped(ctx *c)
{
    remember(c);
    c->fds_before = count_fds();
}

static bv_status call_mapped_open(ctx *c, bv_error *err)
{
    c->out_map = (bv_mapped *)&pattern;
    bv_status st = bv_mapped_open(&c->out_map, mapped_path, true, err);
    if (st != BV_OK) {
        assert_ptr_equal(c->out_map, (bv_mapped *)&pattern);
        c->out_map = NULL;
    }
    return st;
}

static void ok_mapped_open(ctx *c)
{
    assert_int_equal(bv_mapped_size(c->out_map), 6);
    assert_memory_equal(bv_mapped_data(c->out_map), "mapped", 6);
}

static void failed_mapped_open(ctx *c)
{
    assert_int_equal(count_fds(), c->fds_before);   /* no file left open */
    failed_check(c);
}

static void test_mapped_open(void **state)
{
    (void)state;
    const char *dir = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
    snprintf(mapped_path, sizeof mapped_path, "%s/bv-alloc-XXXXXX", dir);
    int fd = mkstemp(mapped_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "mapped", 6), 6);
    close(fd);
    WALK(1, setup_mapped, call_mapped_open, ok_mapped_open, failed_mapped_open, free_all);
    unlink(mapped_path);
}

/* ---- creating views -------------------------------------------------------------------- */

static void setup_bytes(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytes_new(&c->b, "bytes!", 6, &err), err);
    remember(c);
}

static bv_status call_view_from_bytes(ctx *c, bv_error *err)
{
    return bv_view_from(&c->out, bv_bytes_exporter(c->b), err);
}

static void ok_view_from_bytes(ctx *c)
{
    assert_int_equal(c->out.len, 6);
    assert_int_equal(bv_bytes_exporter(c->b)->refcount, 2);
}

static bv_status call_view_from_ba(ctx *c, bv_error *err)
{
    return bv_view_from(&c->out, bv_bytearray_exporter(c->ba), err);
}

static void ok_view_from_ba(ctx *c)
{
    assert_int_equal(bv_bytearray_exports(c->ba), 1);
}

/* A 5-D exporter outside the core: the managed buffer and the spill are both needed. */
typedef struct five_d {
    bv_exporter base;
    ptrdiff_t shape[5], strides[5];
    unsigned char mem[32];
    int exports;
} five_d;

static five_d the_5d;

static bv_status five_d_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    (void)flags;
    (void)err;
    five_d *e = (five_d *)self;
    memset(view, 0, sizeof *view);
    view->buf = e->mem;
    view->len = 32;
    view->itemsize = 1;
    view->ndim = 5;
    view->format = "B";
    view->shape = e->shape;
    view->strides = e->strides;
    e->exports++;
    return BV_OK;
}

static void five_d_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    ((five_d *)self)->exports--;
}

static const bv_exporter_type five_d_type = {"five_d", five_d_getbuffer, five_d_releasebuffer,
                                             NULL};

static void setup_5d_exporter(ctx *c)
{
    memset(&the_5d, 0, sizeof the_5d);
    bv_exporter_init(&the_5d.base, &five_d_type, 0);
    for (int k = 0; k < 5; k++) {
        the_5d.shape[k] = 2;
        the_5d.strides[k] = 16 >> k;
    }
    remember(c);
}

static bv_status call_view_from_5d(ctx *c, bv_error *err)
{
    return bv_view_from(&c->out, &the_5d.base, err);
}

static void ok_view_from_5d(ctx *c)
{
    assert_int_equal(c->out.ndim, 5);
    assert_int_equal(the_5d.exports, 1);
}

static void failed_view_from_5d(ctx *c)
{
    assert_int_equal(the_5d.exports, 0);   /* the buffer went back to the exporter */
    failed_check(c);
}

static bv_status call_from_view(ctx *c, bv_error *err)
{
    return bv_view_from_view(&c->out, &c->v, err);
}

static bv_status call_from_view_exporter(ctx *c, bv_error *err)
{
    return bv_view_from(&c->out, bv_view_exporter(&c->v), err);
}

static void ok_same_layout(ctx *c)
{
    assert_int_equal(c->out.ndim, c->v.ndim);
    assert_ptr_equal(c->out.buf, c->v.buf);
    assert_true(bv_view_shares_buffer(&c->out, &c->v));
}

static bv_status call_toreadonly(ctx *c, bv_error *err)
{
    return bv_view_toreadonly(&c->out, &c->v, err);
}

static void ok_toreadonly(ctx *c)
{
    ok_same_layout(c);
    bool readonly = false;
    bv_error err;
    assert_ok(bv_view_readonly(&c->out, &readonly, &err), err);
    assert_true(readonly);
}

static void test_view_creation(void **state)
{
    (void)state;
    WALK(1, setup_bytes, call_view_from_bytes, ok_view_from_bytes, failed_check, free_all);
    WALK(1, setup_ba, call_view_from_ba, ok_view_from_ba, failed_check, free_all);
    WALK(2, setup_5d_exporter, call_view_from_5d, ok_view_from_5d, failed_view_from_5d,
         free_all);
    /* deriving views: free up to BV_VIEW_INLINE_DIMS dimensions, one spill beyond */
    WALK(0, setup_3d, call_from_view, ok_same_layout, failed_check, free_all);
    WALK(1, setup_4d, call_from_view, ok_same_layout, failed_check, free_all);
    WALK(1, setup_4d, call_from_view_exporter, ok_same_layout, failed_check, free_all);
    WALK(0, setup_3d, call_toreadonly, ok_toreadonly, failed_check, free_all);
    WALK(1, setup_4d, call_toreadonly, ok_toreadonly, failed_check, free_all);
}

/* ---- slicing and casting ---------------------------------------------------------------- */

static bv_status call_slice(ctx *c, bv_error *err)
{
    return bv_view_slice(&c->out, &c->v, bv_slice_make(0, PTRDIFF_MAX, 2), err);
}

static void ok_slice(ctx *c)
{
    assert_int_equal(c->out.len, c->v.len / 2);
}

static bv_status call_slice_nd(ctx *c, bv_error *err)
{
    bv_slice sl[3] = {bv_slice_all(), bv_slice_make(-1, PTRDIFF_MIN, -1),
                      bv_slice_make(0, PTRDIFF_MAX, 2)};
    return bv_view_slice_nd(&c->out, &c->v, sl, 3, err);
}

static void ok_slice_nd(ctx *c)
{
    assert_int_equal(c->out.ndim, c->v.ndim);
    assert_int_equal(c->out.len, c->v.len / 2);
}

static bv_status call_cast_4d(ctx *c, bv_error *err)
{
    const ptrdiff_t shape[4] = {2, 2, 2, 2};
    return bv_view_cast_shape(&c->out, &c->v, "B", shape, 4, err);
}

static bv_status call_cast_3d(ctx *c, bv_error *err)
{
    const ptrdiff_t shape[3] = {2, 2, 4};
    return bv_view_cast_shape(&c->out, &c->v, "B", shape, 3, err);
}

static bv_status call_cast_64d(ctx *c, bv_error *err)
{
    ptrdiff_t shape[64];
    for (int k = 0; k < 64; k++)
        shape[k] = 1;
    shape[10] = 16;
    return bv_view_cast_shape(&c->out, &c->v, "B", shape, 64, err);
}

static bv_status call_cast_1d(ctx *c, bv_error *err)
{
    return bv_view_cast(&c->out, &c->v, "H", err);
}

static void ok_cast(ctx *c)
{
    assert_int_equal(c->out.len, 16);
}

/* v[1, ..., 0, ::-1]: a 2-D view of a 4-D one, inline (no spill). */
static bv_status call_subscript_2d(ctx *c, bv_error *err)
{
    const bv_index items[] = {bv_index_int(1), bv_index_ellipsis(), bv_index_int(0),
                              bv_index_slice(bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1))};
    return bv_view_subscript(&c->out, &c->v, items, 4, err);
}

static void ok_subscript_2d(ctx *c)
{
    assert_int_equal(c->out.ndim, 2);
    assert_int_equal(c->out.len, 4);
}

/* v[newaxis, ...]: one more dimension (a 3-D view becomes 4-D and spills). */
static bv_status call_subscript_newaxis(ctx *c, bv_error *err)
{
    const bv_index items[] = {bv_index_newaxis(), bv_index_ellipsis()};
    return bv_view_subscript(&c->out, &c->v, items, 2, err);
}

static void ok_subscript_newaxis(ctx *c)
{
    assert_int_equal(c->out.ndim, c->v.ndim + 1);
    assert_int_equal(c->out.len, c->v.len);
}

static void test_slicing_and_casting(void **state)
{
    (void)state;
    WALK(0, setup_view, call_slice, ok_slice, failed_check, free_all);
    WALK(0, setup_3d, call_slice, ok_slice, failed_check, free_all);
    WALK(1, setup_4d, call_slice, ok_slice, failed_check, free_all);
    WALK(0, setup_3d, call_slice_nd, ok_slice_nd, failed_check, free_all);
    WALK(1, setup_4d, call_slice_nd, ok_slice_nd, failed_check, free_all);
    WALK(0, setup_view, call_cast_3d, ok_cast, failed_check, free_all);
    WALK(1, setup_view, call_cast_4d, ok_cast, failed_check, free_all);
    WALK(1, setup_view, call_cast_64d, ok_cast, failed_check, free_all);
    WALK(0, setup_4d, call_cast_1d, ok_cast, failed_check, free_all);
    WALK(0, setup_4d, call_subscript_2d, ok_subscript_2d, failed_check, free_all);
    WALK(0, setup_view, call_subscript_newaxis, ok_subscript_newaxis, failed_check, free_all);
    WALK(1, setup_3d, call_subscript_newaxis, ok_subscript_newaxis, failed_check, free_all);
    WALK(1, setup_4d, call_subscript_newaxis, ok_subscript_newaxis, failed_check, free_all);
}

/* ---- copies out: tobytes, tolist, hex, hash ----------------------------------------------- */

static bv_status call_tobytes(ctx *c, bv_error *err)
{
    return bv_view_tobytes(&c->v, 'C', &c->out_bytes, err);
}

static bv_status call_tobytes_f(ctx *c, bv_error *err)
{
    return bv_view_tobytes(&c->v, 'F', &c->out_bytes, err);
}

static void ok_tobytes(ctx *c)
{
    assert_bytes(c->out_bytes, "0123456789abcdef", 16);
}

static void ok_tobytes_strided(ctx *c)
{
    assert_bytes(c->out_bytes, "fdb97531", 8);
}

static void ok_tobytes_4d_strided(ctx *c)
{
    assert_bytes(c->out_bytes, "89abcdef01234567", 16);
}

static void ok_tobytes_f(ctx *c)
{
    /* shape [2, 2, 2, 2]: Fortran order walks the first index fastest */
    assert_bytes(c->out_bytes, "084c2a6e195d3b7f", 16);
}

static bv_status call_tolist(ctx *c, bv_error *err)
{
    return bv_view_tolist(&c->v, &c->list, err);
}

static void ok_tolist(ctx *c)
{
    assert_int_equal(c->list.ndim, c->v.ndim);
    assert_int_equal(c->list.count, c->v.len);
    assert_int_equal(c->list.items[0].as.u, (uint64_t)((unsigned char *)c->v.buf)[0]);
}

static bv_status call_hex(ctx *c, bv_error *err)
{
    return bv_view_hex(&c->v, ":", 2, &c->text, err);
}

static void ok_hex(ctx *c)
{
    assert_string_equal(c->text, "3031:3233:3435:3637:3839:6162:6364:6566");
}

static void ok_hex_strided(ctx *c)
{
    assert_string_equal(c->text, "6664:6239:3735:3331");
}

static void setup_readonly_strided(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytes_new(&c->b, "0123456789abcdef", 16, &err), err);
    bv_view flat;
    assert_ok(bv_view_from(&flat, bv_bytes_exporter(c->b), &err), err);
    assert_ok(bv_view_slice(&c->v, &flat, bv_slice_make(-1, PTRDIFF_MIN, -2), &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    remember(c);
}

static bv_status call_hash(ctx *c, bv_error *err)
{
    c->hash = 0x5a5a;
    bv_status st = bv_view_hash(&c->v, &c->hash, err);
    if (st != BV_OK)
        assert_int_equal(c->hash, 0x5a5a);
    return st;
}

static void ok_hash(ctx *c)
{
    assert_true(c->hash == bv_hash_bytes("fdb97531", 8));
}

/* v: a '>i' view of "0123456789abcdef" from a test exporter (a byte-order format). */
static test_typed typed_obj;

static void setup_typed(ctx *c)
{
    const ptrdiff_t shape[1] = {4};
    test_typed_init(&typed_obj, ">i", 4, shape, 1, "0123456789abcdef", false);
    bv_error err;
    assert_ok(bv_view_from(&c->v, &typed_obj.base, &err), err);
    remember(c);
}

static void free_typed(ctx *c)
{
    free_all(c);
    test_typed_free(&typed_obj);
}

static void ok_tolist_typed(ctx *c)
{
    assert_int_equal(c->list.count, 4);
    assert_true(c->list.items[0].as.i == 0x30313233);   /* struct.unpack('>i', b'0123') */
}

static void test_copies_out(void **state)
{
    (void)state;
    WALK(1, setup_view, call_tobytes, ok_tobytes, failed_check, free_all);
    WALK(2, setup_strided, call_tobytes, ok_tobytes_strided, failed_check, free_all);
    WALK(2, setup_4d_strided, call_tobytes, ok_tobytes_4d_strided, failed_check, free_all);
    WALK(2, setup_4d, call_tobytes_f, ok_tobytes_f, failed_check, free_all);
    WALK(2, setup_view, call_tolist, ok_tolist, failed_check, free_all);
    WALK(2, setup_4d_strided, call_tolist, ok_tolist, failed_check, free_all);
    WALK(1, setup_view, call_hex, ok_hex, failed_check, free_all);
    WALK(2, setup_strided, call_hex, ok_hex_strided, failed_check, free_all);
    WALK(1, setup_readonly_strided, call_hash, ok_hash, failed_check, free_all);
    WALK(2, setup_typed, call_tolist, ok_tolist_typed, failed_check, free_typed);
}

/* ---- slice assignment ------------------------------------------------------------------ */

/* dest: the writable bytearray view; source: a strided view of bytes "ABCDEFGH". */
static void setup_assign(ctx *c)
{
    bv_error err;
    assert_ok(bv_bytearray_new(&c->ba, "0123456789abcdef", 16, &err), err);
    assert_ok(bv_view_from(&c->v, bv_bytearray_exporter(c->ba), &err), err);
    assert_ok(bv_bytes_new(&c->src_bytes, "ABCDEFGH", 8, &err), err);
    bv_view all;
    assert_ok(bv_view_from(&all, bv_bytes_exporter(c->src_bytes), &err), err);
    assert_ok(bv_view_slice(&c->w, &all, bv_slice_make(0, 8, 2), &err), err);   /* ACEG */
    assert_ok(bv_view_release(&all, &err), err);
    remember(c);
}

static bv_status call_assign_strided(ctx *c, bv_error *err)
{
    return bv_view_assign_slice(&c->v, bv_slice_range(4, 8), bv_view_exporter(&c->w), err);
}

static void ok_assign_strided(ctx *c)
{
    assert_ba(c->ba, "0123ACEG89abcdef", 16);
}

static bv_status call_assign_contiguous(ctx *c, bv_error *err)
{
    return bv_view_assign_slice(&c->v, bv_slice_range(0, 8), bv_bytes_exporter(c->src_bytes),
                                err);
}

static void ok_assign_contiguous(ctx *c)
{
    assert_ba(c->ba, "ABCDEFGH89abcdef", 16);
}

static bv_status call_assign_overlap(ctx *c, bv_error *err)
{
    /* v[::-2] = v[::2]: overlapping, reversed, strided on both sides */
    bv_view evens;
    bv_error e2;
    assert_ok(bv_view_slice(&evens, &c->v, bv_slice_make(0, 16, 2), &e2), e2);
    bv_status st = bv_view_assign_slice(&c->v, bv_slice_make(-1, PTRDIFF_MIN, -2),
                                        bv_view_exporter(&evens), err);
    assert_ok(bv_view_release(&evens, &e2), e2);
    return st;
}

static void ok_assign_overlap(ctx *c)
{
    assert_ba(c->ba, "0e2c4a6886a4c2e0", 16);
}

/* 4-D destination: slicing it needs a spill, the strided copy a temporary. */
static void setup_assign_nd(ctx *c)
{
    setup_nd(c, 4);
    bv_error err;
    assert_ok(bv_bytes_new(&c->src_bytes, "ABCDEFGH", 8, &err), err);
    bv_view flat;
    assert_ok(bv_view_from(&flat, bv_bytes_exporter(c->src_bytes), &err), err);
    const ptrdiff_t shape[4] = {1, 2, 2, 2};
    assert_ok(bv_view_cast_shape(&c->w, &flat, "B", shape, 4, &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    remember(c);
}

static bv_status call_assign_nd(ctx *c, bv_error *err)
{
    /* v[1:, ::-1] = w: the destination is not contiguous */
    bv_slice sl[2] = {bv_slice_make(1, 2, 1), bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1)};
    return bv_view_assign_slice_nd(&c->v, sl, 2, bv_view_exporter(&c->w), err);
}

static void ok_assign_nd(ctx *c)
{
    assert_ba(c->ba, "01234567EFGHABCD", 16);
}

static bv_status call_assign_nd_contiguous(ctx *c, bv_error *err)
{
    bv_slice sl[1] = {bv_slice_make(0, 1, 1)};
    return bv_view_assign_slice_nd(&c->v, sl, 1, bv_view_exporter(&c->w), err);
}

static void ok_assign_nd_contiguous(ctx *c)
{
    assert_ba(c->ba, "ABCDEFGH89abcdef", 16);
}

static void setup_assign_3d(ctx *c)
{
    setup_nd(c, 3);   /* [2, 2, 4] */
    bv_error err;
    assert_ok(bv_bytes_new(&c->src_bytes, "ABCDEFGH", 8, &err), err);
    bv_view flat;
    assert_ok(bv_view_from(&flat, bv_bytes_exporter(c->src_bytes), &err), err);
    const ptrdiff_t shape[3] = {2, 2, 2};
    assert_ok(bv_view_cast_shape(&c->w, &flat, "B", shape, 3, &err), err);
    assert_ok(bv_view_release(&flat, &err), err);
    remember(c);
}

static bv_status call_assign_3d_strided(ctx *c, bv_error *err)
{
    bv_slice sl[3] = {bv_slice_all(), bv_slice_all(), bv_slice_make(0, 4, 2)};
    return bv_view_assign_slice_nd(&c->v, sl, 3, bv_view_exporter(&c->w), err);
}

static void ok_assign_3d_strided(ctx *c)
{
    assert_ba(c->ba, "A1B3C5D7E9FbGdHf", 16);
}

/* The same assignments through NumPy-style subscripts. */
static bv_status call_assign_subscript_strided(ctx *c, bv_error *err)
{
    const bv_index items[] = {bv_index_slice(bv_slice_range(4, 8))};
    return bv_view_assign_subscript(&c->v, items, 1, bv_view_exporter(&c->w), err);
}

static bv_status call_assign_subscript_contiguous(ctx *c, bv_error *err)
{
    const bv_index items[] = {bv_index_ellipsis(), bv_index_slice(bv_slice_range(0, 8))};
    return bv_view_assign_subscript(&c->v, items, 2, bv_bytes_exporter(c->src_bytes), err);
}

/* v[1, newaxis, ::-1] = w: a 4-D sub-view (a spill) written through a temporary. */
static bv_status call_assign_subscript_nd(ctx *c, bv_error *err)
{
    const bv_index items[] = {bv_index_int(1), bv_index_newaxis(),
                              bv_index_slice(bv_slice_make(PTRDIFF_MAX, PTRDIFF_MIN, -1))};
    return bv_view_assign_subscript(&c->v, items, 3, bv_view_exporter(&c->w), err);
}

static void test_slice_assignment(void **state)
{
    (void)state;
    WALK(1, setup_assign, call_assign_strided, ok_assign_strided, failed_check, free_all);
    WALK(0, setup_assign, call_assign_contiguous, ok_assign_contiguous, failed_check, free_all);
    WALK(1, setup_view, call_assign_overlap, ok_assign_overlap, failed_check, free_all);
    WALK(2, setup_assign_nd, call_assign_nd, ok_assign_nd, failed_check, free_all);
    WALK(1, setup_assign_nd, call_assign_nd_contiguous, ok_assign_nd_contiguous, failed_check,
         free_all);
    WALK(1, setup_assign_3d, call_assign_3d_strided, ok_assign_3d_strided, failed_check,
         free_all);
    WALK(1, setup_assign, call_assign_subscript_strided, ok_assign_strided, failed_check,
         free_all);
    WALK(0, setup_assign, call_assign_subscript_contiguous, ok_assign_contiguous, failed_check,
         free_all);
    WALK(2, setup_assign_nd, call_assign_subscript_nd, ok_assign_nd, failed_check, free_all);
}

/* ---- repr: every bv_str append ---------------------------------------------------------- */

/* s starts non-empty (and already allocated), so a failure must keep its old text. */
static void setup_str(ctx *c)
{
    bv_error err;
    assert_ok(bv_str_append(&c->s, "x = ", 4, &err), err);
    remember(c);
}

/* 27 of the first block's 31 usable bytes taken: the next short append must grow it. */
static void setup_str_full(ctx *c)
{
    bv_error err;
    assert_ok(bv_str_append(&c->s, "a rather long prefix, x = ", 26, &err), err);
    assert_int_equal(c->s.cap, 32);
    remember(c);
}

static bv_status call_str_append_big(ctx *c, bv_error *err)
{
    static char big[1000];
    memset(big, 'y', sizeof big);
    return bv_str_append(&c->s, big, sizeof big, err);
}

static void ok_str_append_big(ctx *c)
{
    assert_int_equal(c->s.len, 1004);
}

static bv_status call_repr_bytes(ctx *c, bv_error *err)
{
    static unsigned char data[200];
    for (size_t k = 0; k < sizeof data; k++)
        data[k] = (unsigned char)k;
    return bv_repr_bytes(&c->s, data, sizeof data, err);
}

static void ok_repr_bytes(ctx *c)
{
    assert_memory_equal(c->s.data, "x = b'\\x00\\x01", 14);
}

static const char quoted[] = "it's \"quoted\" and long enough to grow the string";

static bv_status call_repr_bytearray(ctx *c, bv_error *err)
{
    return bv_repr_bytearray(&c->s, quoted, strlen(quoted), err);
}

static void ok_repr_bytearray(ctx *c)
{
    assert_string_equal(c->s.data,
                        "x = bytearray(b'it\\'s \"quoted\" and long enough to grow the string')");
}

static bv_status call_repr_float(ctx *c, bv_error *err)
{
    return bv_repr_float(&c->s, -1.0 / 3.0, err);
}

static void ok_repr_float(ctx *c)
{
    assert_string_equal(c->s.data, "a rather long prefix, x = -0.3333333333333333");
}

static bv_status call_repr_value(ctx *c, bv_error *err)
{
    return bv_repr_value(&c->s, bv_value_int(INT64_MIN), err);
}

static void ok_repr_value(ctx *c)
{
    assert_string_equal(c->s.data, "a rather long prefix, x = -9223372036854775808");
}

/* input_list: a 64-item list whose repr is about 300 characters. */
static void setup_str_and_list(ctx *c)
{
    bv_error err;
    assert_ok(bv_str_append(&c->s, "x = ", 4, &err), err);
    static unsigned char data[64];
    for (size_t k = 0; k < sizeof data; k++)
        data[k] = (unsigned char)(k * 37);
    bv_bytes *b;
    assert_ok(bv_bytes_new(&b, data, sizeof data, &err), err);
    bv_view v;
    assert_ok(bv_view_from(&v, bv_bytes_exporter(b), &err), err);
    assert_ok(bv_view_tolist(&v, &c->input_list, &err), err);
    assert_ok(bv_view_release(&v, &err), err);
    bv_bytes_decref(b);
    remember(c);
}

static bv_status call_repr_list(ctx *c, bv_error *err)
{
    return bv_repr_list(&c->s, &c->input_list, err);
}

static void ok_repr_list(ctx *c)
{
    assert_memory_equal(c->s.data, "x = [0, 37, 74, 111, 148,", 25);
    assert_int_equal(c->s.data[c->s.len - 1], ']');
}

static bv_status call_repr_view(ctx *c, bv_error *err)
{
    return bv_repr_view(&c->s, &c->v, err);   /* s is empty {0}: the append allocates */
}

static void ok_repr_view(ctx *c)
{
    assert_memory_equal(c->s.data, "<memory at 0x", 13);
}

static bv_status call_print_list(ctx *c, bv_error *err)
{
    c->file = tmpfile();
    assert_non_null(c->file);
    c->rc = bv_print_list(c->file, &c->input_list);
    if (c->rc != 0) {
        /* The convenience says -1 and prints nothing; the walk wants a status. */
        assert_int_equal(c->rc, -1);
        assert_int_equal(ftell(c->file), 0);
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", "");
    }
    return BV_OK;
}

static void ok_print_list(ctx *c)
{
    assert_true(ftell(c->file) > 200);
}

static void test_repr(void **state)
{
    (void)state;
    WALK(1, setup_str, call_str_append_big, ok_str_append_big, failed_check, free_all);
    WALK(1, setup_str, call_repr_bytes, ok_repr_bytes, failed_check, free_all);
    WALK(1, setup_str, call_repr_bytearray, ok_repr_bytearray, failed_check, free_all);
    WALK(1, setup_str_full, call_repr_float, ok_repr_float, failed_check, free_all);
    WALK(1, setup_str_full, call_repr_value, ok_repr_value, failed_check, free_all);
    /* a scratch string doubling from 32 to 512 bytes for about 300, then one append */
    WALK(6, setup_str_and_list, call_repr_list, ok_repr_list, failed_check, free_all);
    WALK(1, setup_view, call_repr_view, ok_repr_view, failed_check, free_all);
    WALK(6, setup_str_and_list, call_print_list, ok_print_list, nothing, free_all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_creation),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_mapped_open),
        cmocka_unit_test(test_view_creation),
        cmocka_unit_test(test_slicing_and_casting),
        cmocka_unit_test(test_copies_out),
        cmocka_unit_test(test_slice_assignment),
        cmocka_unit_test(test_repr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
