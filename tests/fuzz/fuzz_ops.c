/*
 * libFuzzer harness: random sequences of view operations checked step by step against a
 * tiny independent reference model.
 *
 * The model is a byte array per object (bytes, bytearray, array.array, mmap, and a test
 * exporter of any struct format and shape, byte-order formats included) plus, for every
 * live view, its own description: which managed buffer it shares, its byte offset into the
 * object, shape, strides in bytes, itemsize, format, read-only flag, exported buffers. It
 * predicts each call's result (value, bytes, or error kind with CPython's message) from its
 * own index arithmetic, never by calling bufview (NumPy-style subscripts with NumPy's
 * rules, items of byte-order formats with struct's, == with struct's values); after every step the whole state of
 * bufview (every view's public fields and attributes, which views share a managed buffer,
 * exports, remembered hashes, every object's bytes, size and export count) must equal
 * the model's. Any difference calls abort() with a message, which libFuzzer reports.
 * bufview's private fields are not read here: the library itself asserts, in the debug
 * builds the fuzzers use, that they agree with the public ones wherever a view is made.
 */
#define _POSIX_C_SOURCE 200809L   /* mkstemp, write, unlink */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bufview/bufview.h"
#include "../typed_exporter.h"
#include "model.h"

#define NOBJ 4
#define NVIEW 8
#define NMBUF (NVIEW + 2)
#define NHOLD 3
#define MAXB 256   /* model objects stay this small */

enum { K_NONE, K_BYTES, K_BYTEARRAY, K_ARRAY, K_MAPPED, K_TYPED };

/* One file per object slot, so two live mappings never share bytes behind the model's
 * back; each keeps whatever earlier runs wrote into it. */
static char mapped_paths[4][64];
static const size_t mapped_sizes[4] = {16, 64, 100, 256};

typedef struct mobj {
    int kind;
    bool held;               /* the creator's reference */
    void *handle;            /* bv_bytes * / bv_bytearray * / bv_array * */
    bv_exporter *exporter;
    char code;               /* array typecode; 'B' for the byte strings */
    int itemsize;
    unsigned char *base;     /* where the data lives (stable while exported) */
    unsigned char sh[MAXB];  /* the shadow copy */
    size_t len;              /* bytes */
    int mbufs, raw;          /* managed buffers and raw buffers holding it */
    bool ro;                 /* bytes, read-only mappings */
    bool closed;             /* a mapping after bv_mapped_close */
    char format[8];          /* K_TYPED: its format, ndim and shape */
    int ndim;
    ptrdiff_t shape[3];
} mobj;

typedef struct mmbuf {
    bool used;
    int obj;
    int views;
} mmbuf;

typedef struct mview {
    bool live;
    int mb;
    ptrdiff_t off;           /* byte offset of item [0,...,0] from the object's base */
    int ndim;
    ptrdiff_t shape[BV_MAXDIM], strides[BV_MAXDIM];
    int itemsize;
    char fmt[8];
    bool ro;
    int exports;
    bool hashed;             /* hash(mv) is remembered, even past release */
    uint64_t hash;
} mview;

typedef struct hold {
    bool used;
    bool from_view;          /* a view's exporter (else an object's) */
    int owner;
    bv_buffer buf;
} hold;

static mobj objs[NOBJ];
static mmbuf mbufs[NMBUF];
static mview mv[NVIEW];
static bv_view views[NVIEW];
static hold holds[NHOLD];

static const char RELEASED[] = "operation forbidden on released memoryview object";

/* ---- the typed exporter: any struct format, any C-contiguous shape -------------------- */

static void typed_destroy(bv_exporter *self)
{
    typed_exporter *t = (typed_exporter *)self;
    free(t->mem);
    free(t);
}

static const bv_exporter_type typed_type = {"typed", typed_getbuffer, typed_releasebuffer,
                                            typed_destroy};

/* Formats for the typed exporter: byte orders (bufview reads their items), native ones,
 * struct formats of several values (compared through struct, not indexed), and two that
 * struct refuses, so no view can carry them. */
static const char *typed_formats[] = {
    "<h", ">h", "=h", "!h", "<H", ">I", "<i", "!i", "<l", ">L", "<q", ">Q", "=q", "<f",
    ">f", "!d", "<d", "<e", ">e", "<?", ">?", "<c", "!b", "<B", "=B", "B", "@h", "i",
    "d", "e", "?", "c", "<hh", "2h", "bx", "3s", "<dd", "ci", "x", "3p", ">2e", "@<i", "<n"};

/* ---- small helpers ------------------------------------------------------------------ */

static mobj *obj_of_view(int i)
{
    return &objs[mbufs[mv[i].mb].obj];
}

static m_layout layout_of_model(const mview *m)
{
    m_layout l = {!m->live, m->ndim, m->shape, m->strides, m->itemsize,
                  (ptrdiff_t)(m_count(m->ndim, m->shape) * m->itemsize), m->fmt};
    return l;
}

static ptrdiff_t model_nbytes(const mview *m)
{
    return (ptrdiff_t)(m_count(m->ndim, m->shape) * m->itemsize);
}

/* How bufview reads the view's items (or the error its item access raises). */
static m_outcome model_item(const mview *m, m_item *it)
{
    return m_item_of(m->fmt, it);
}

static bool obj_alive(const mobj *o)
{
    return o->held || o->mbufs > 0 || o->raw > 0;
}

static void obj_maybe_dead(mobj *o)
{
    if (o->kind != K_NONE && !obj_alive(o))
        o->kind = K_NONE;   /* bufview has destroyed it (ASan would catch a late touch) */
}

/* Offset of the item at idx (C-order position n when idx is NULL). */
static m_int item_offset(const mview *m, const ptrdiff_t *idx, m_int n)
{
    m_int off = m->off;
    for (int k = m->ndim - 1; k >= 0; k--) {
        m_int i;
        if (idx != NULL) {
            i = idx[k];
        } else {
            i = n % m->shape[k];
            n /= m->shape[k];
        }
        off += i * m->strides[k];
    }
    return off;
}

static const unsigned char *item_ptr(const mobj *o, m_int off, int itemsize)
{
    M_CHECK(off >= 0 && off + itemsize <= (m_int)o->len,
            "model: item at offset %lld (+%d) outside an object of %zu bytes", (long long)off,
            itemsize, o->len);
    return o->sh + (size_t)off;
}

/* The view's bytes in C or F order, gathered from the shadow. */
static size_t gather(const mview *m, const mobj *o, char order, unsigned char *out)
{
    m_int count = m_count(m->ndim, m->shape);
    ptrdiff_t idx[BV_MAXDIM];
    for (m_int n = 0; n < count; n++) {
        m_int rest = n;
        if (order == 'F') {
            for (int k = 0; k < m->ndim; k++) {
                idx[k] = (ptrdiff_t)(rest % m->shape[k]);
                rest /= m->shape[k];
            }
        } else {
            for (int k = m->ndim - 1; k >= 0; k--) {
                idx[k] = (ptrdiff_t)(rest % m->shape[k]);
                rest /= m->shape[k];
            }
        }
        memcpy(out + (size_t)n * (size_t)m->itemsize,
               item_ptr(o, item_offset(m, idx, 0), m->itemsize), (size_t)m->itemsize);
    }
    return (size_t)(count * m->itemsize);
}

static bool is_free_slot(int i)
{
    return !mv[i].live && mv[i].exports == 0;
}

static int pick_free_view(m_input *in)
{
    int start = in_u8(in) % NVIEW;
    for (int k = 0; k < NVIEW; k++)
        if (is_free_slot((start + k) % NVIEW))
            return (start + k) % NVIEW;
    return -1;
}

static int new_mbuf(int obj)
{
    for (int k = 0; k < NMBUF; k++)
        if (!mbufs[k].used) {
            mbufs[k] = (mmbuf){true, obj, 0};
            objs[obj].mbufs++;
            return k;
        }
    m_fail("model: out of managed buffers");
}

static void view_add(int dst, const mview *desc)
{
    mv[dst] = *desc;
    mv[dst].live = true;
    mv[dst].exports = 0;
    mv[dst].hashed = false;
    mbufs[mv[dst].mb].views++;
}

static void view_drop(int i)
{
    mmbuf *b = &mbufs[mv[i].mb];
    mv[i].live = false;
    if (--b->views == 0) {
        mobj *o = &objs[b->obj];
        b->used = false;
        o->mbufs--;
        obj_maybe_dead(o);
    }
}

/* A failed call must leave its out view exactly as it was. */
typedef struct snapshot {
    bv_view v;
} snapshot;

static snapshot snap(int i)
{
    snapshot s;
    memcpy(&s.v, &views[i], sizeof s.v);
    return s;
}

static void unchanged(int i, const snapshot *s, const char *what)
{
    M_CHECK(memcmp(&views[i], &s->v, sizeof s->v) == 0, "%s: failed call wrote its out view",
            what);
}

/* ---- the whole-state check ----------------------------------------------------------- */

/* The model's contiguity, as bits (CPython's init_flags). */
enum { M_C = 1, M_F = 2 };
static unsigned model_flags(const mview *m)
{
    unsigned f = 0;
    if (m_contig(m->ndim, m->shape, m->strides, m->itemsize, 'C'))
        f |= M_C;
    if (m_contig(m->ndim, m->shape, m->strides, m->itemsize, 'F'))
        f |= M_F;
    return f;
}

/* A released view answers only hash(), and only with the hash it remembered. */
static void check_released_view(int i)
{
    const mview *m = &mv[i];
    M_CHECK(bv_view_is_released(&views[i]), "view %d: model says released, bufview not", i);
    uint64_t h = 0;
    bv_error err;
    bv_status st = bv_view_hash(&views[i], &h, &err);
    if (m->hashed)
        M_CHECK(st == BV_OK && h == m->hash, "view %d: the remembered hash is gone", i);
    else
        M_CHECK(st == BV_VALUE_ERROR, "view %d: released and never hashed, yet hash() is %d", i,
                (int)st);
}

static void check_view(int i)
{
    const bv_view *v = &views[i];
    const mview *m = &mv[i];
    if (!m->live) {
        check_released_view(i);
        return;
    }
    M_CHECK(!bv_view_is_released(v), "view %d: released in bufview, live in the model", i);
    for (int j = 0; j < NVIEW; j++)
        if (j != i && mv[j].live)
            M_CHECK(bv_view_shares_buffer(v, &views[j]) == (mv[j].mb == m->mb),
                    "view %d and view %d: sharing a managed buffer differs from the model", i, j);
    const mobj *o = obj_of_view(i);
    M_CHECK((uintptr_t)v->buf == (uintptr_t)o->base + (uintptr_t)m->off,
            "view %d: buf is base%+td, model base%+td", i,
            (ptrdiff_t)((uintptr_t)v->buf - (uintptr_t)o->base), m->off);
    M_CHECK(v->ndim == m->ndim, "view %d: ndim %d, model %d", i, v->ndim, m->ndim);
    const ptrdiff_t *shape = NULL, *strides = NULL;
    bool ro = false, c = false, f = false;
    bv_error err;
    M_CHECK(bv_view_shape(v, &shape, &err) == BV_OK && bv_view_strides(v, &strides, &err) == BV_OK &&
                bv_view_readonly(v, &ro, &err) == BV_OK && bv_view_c_contiguous(v, &c, &err) == BV_OK &&
                bv_view_f_contiguous(v, &f, &err) == BV_OK,
            "view %d: an attribute of a live view failed", i);
    M_CHECK(m->ndim == 0 || (shape != NULL && strides != NULL), "view %d: no shape or strides", i);
    for (int k = 0; k < m->ndim; k++) {
        M_CHECK(shape[k] == m->shape[k], "view %d: shape[%d] %td, model %td", i, k, shape[k],
                m->shape[k]);
        M_CHECK(strides[k] == m->strides[k], "view %d: strides[%d] %td, model %td", i, k,
                strides[k], m->strides[k]);
    }
    M_CHECK(v->itemsize == m->itemsize, "view %d: itemsize", i);
    M_CHECK(v->len == model_nbytes(m), "view %d: nbytes %td, model %td", i, v->len,
            model_nbytes(m));
    M_CHECK(strcmp(v->format, m->fmt) == 0, "view %d: format \"%s\", model \"%s\"", i, v->format,
            m->fmt);
    unsigned fl = model_flags(m);
    M_CHECK(ro == m->ro && c == ((fl & M_C) != 0) && f == ((fl & M_F) != 0),
            "view %d: readonly %d, C %d, F %d; model %d %d %d", i, ro, c, f, m->ro,
            (fl & M_C) != 0, (fl & M_F) != 0);
    M_CHECK(bv_view_exports(v) == m->exports, "view %d: exports %td, model %d", i,
            bv_view_exports(v), m->exports);
}

static ptrdiff_t obj_exports(const mobj *o)
{
    if (o->kind == K_BYTEARRAY)
        return bv_bytearray_exports(o->handle);
    if (o->kind == K_ARRAY)
        return bv_array_exports(o->handle);
    if (o->kind == K_MAPPED)
        return bv_mapped_exports(o->handle);
    if (o->kind == K_TYPED)
        return ((typed_exporter *)o->handle)->exports;
    return 0;
}

static void check_all(void)
{
    for (int i = 0; i < NVIEW; i++)
        check_view(i);
    for (int k = 0; k < NOBJ; k++) {
        mobj *o = &objs[k];
        if (o->kind == K_NONE)
            continue;
        M_CHECK(o->len == 0 || memcmp(o->base, o->sh, o->len) == 0,
                "object %d: contents differ from the model", k);
        if (o->kind != K_BYTES)
            M_CHECK(obj_exports(o) == o->mbufs + o->raw, "object %d: %td exports, model %d", k,
                    obj_exports(o), o->mbufs + o->raw);
        if (!o->held)
            continue;
        size_t size = o->kind == K_BYTES       ? bv_bytes_size(o->handle)
                      : o->kind == K_BYTEARRAY ? bv_bytearray_size(o->handle)
                      : o->kind == K_MAPPED    ? bv_mapped_size(o->handle)
                      : o->kind == K_TYPED     ? (size_t)((typed_exporter *)o->handle)->len
                                               : bv_array_len(o->handle) * (size_t)o->itemsize;
        M_CHECK(size == o->len, "object %d: size %zu, model %zu", k, size, o->len);
    }
}

/* ---- creating and dropping objects --------------------------------------------------- */

static const char array_codes[] = "bBhHiIlLqQfd";

static int array_itemsize(char code)
{
    switch (code) {
    case 'b': case 'B': return 1;
    case 'h': case 'H': return 2;
    case 'i': case 'I': case 'f': return 4;
    default: return 8;
    }
}

static void refresh_base(mobj *o)
{
    if (o->kind == K_BYTES)
        o->base = (unsigned char *)bv_bytes_data(o->handle);
    else if (o->kind == K_BYTEARRAY)
        o->base = bv_bytearray_data(o->handle);
    else if (o->kind == K_MAPPED)
        o->base = bv_mapped_data(o->handle);
    else if (o->kind == K_TYPED)
        o->base = ((typed_exporter *)o->handle)->mem;
    else
        o->base = bv_array_data(o->handle);
}

static void decref_object(mobj *o)
{
    if (o->kind == K_BYTES)
        bv_bytes_decref(o->handle);
    else if (o->kind == K_BYTEARRAY)
        bv_bytearray_decref(o->handle);
    else if (o->kind == K_MAPPED)
        bv_mapped_decref(o->handle);
    else if (o->kind == K_TYPED)
        bv_exporter_decref(o->exporter);
    else
        bv_array_decref(o->handle);
}

static void make_mapped_files(void)
{
    if (mapped_paths[0][0] != '\0')
        return;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (int k = 0; k < 4; k++) {
        snprintf(mapped_paths[k], sizeof mapped_paths[k], "%s/bv-fuzz-XXXXXX", dir);
        int fd = mkstemp(mapped_paths[k]);
        M_CHECK(fd >= 0, "cannot create a file in %s", dir);
        unsigned char block[256];
        for (size_t j = 0; j < sizeof block; j++)
            block[j] = (unsigned char)(j * 7);
        M_CHECK(write(fd, block, mapped_sizes[k]) == (ssize_t)mapped_sizes[k], "short write");
        close(fd);
    }
}

static void remove_mapped_files(void)
{
    for (int k = 0; k < 4; k++)
        if (mapped_paths[k][0] != '\0')
            unlink(mapped_paths[k]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    make_mapped_files();
    atexit(remove_mapped_files);
    return 0;
}

/* A typed exporter: a format from the table, 0 to 3 dimensions of 0 to 4 items (fewer
 * when the bytes would exceed MAXB), bytes from the input, writable or not. */
static void new_typed(mobj *o, m_input *in)
{
    const char *format = typed_formats[in_u8(in) % (sizeof typed_formats / sizeof typed_formats[0])];
    m_int calc;
    bool sized = m_calcsize(format, &calc).kind == BV_OK;
    ptrdiff_t itemsize = sized ? (ptrdiff_t)calc : 4;
    int ndim = in_u8(in) % 4;
    ptrdiff_t shape[3], count = 1;
    for (int k = 0; k < ndim; k++) {
        shape[k] = in_u8(in) % 5;
        while (shape[k] > 0 && (count * shape[k]) * itemsize > MAXB)
            shape[k]--;
        count *= shape[k];
    }
    unsigned char *mem = malloc(count * itemsize > 0 ? (size_t)(count * itemsize) : 1);
    for (ptrdiff_t j = 0; j < count * itemsize; j++)
        mem[j] = in_u8(in);
    typed_exporter *t = malloc(sizeof *t);
    typed_exporter_init(t, &typed_type, BV_EXPORTER_COUNTED, format, itemsize, shape, ndim, mem,
                        in_u8(in) & 1);
    memset(o, 0, sizeof *o);
    o->kind = K_TYPED;
    o->held = true;
    o->handle = t;
    o->exporter = &t->base;
    o->code = 0;
    o->itemsize = (int)itemsize;
    o->ro = t->readonly;
    o->len = (size_t)t->len;
    snprintf(o->format, sizeof o->format, "%s", format);
    o->ndim = t->ndim;
    memcpy(o->shape, t->shape, sizeof o->shape);   /* the first 3: ndim <= 3 */
    refresh_base(o);
    memcpy(o->sh, o->base, o->len);
}

/* The whole object as a view sees it (format, shape, C-contiguous strides). */
static void object_layout(const mobj *o, mview *d)
{
    memset(d, 0, sizeof *d);
    d->itemsize = o->itemsize;
    if (o->kind == K_TYPED) {
        snprintf(d->fmt, sizeof d->fmt, "%s", o->format);
        d->ndim = o->ndim;
        memcpy(d->shape, o->shape, sizeof o->shape);
    } else {
        d->fmt[0] = o->code;
        d->ndim = 1;
        d->shape[0] = (ptrdiff_t)(o->len / (size_t)o->itemsize);
    }
    ptrdiff_t sd = d->itemsize;
    for (int k = d->ndim - 1; k >= 0; k--) {
        d->strides[k] = sd;
        sd *= d->shape[k];
    }
}

static void op_new_object(m_input *in)
{
    int k = in_u8(in) % NOBJ;
    mobj *o = &objs[k];
    if (o->kind != K_NONE)
        return;
    int kind = K_BYTES + in_u8(in) % 5;
    if (kind == K_TYPED) {
        new_typed(o, in);
        return;
    }
    if (kind == K_MAPPED) {
        bool writable = in_u8(in) & 1;
        bv_error err;
        m_outcome ok = m_ok();
        memset(o, 0, sizeof *o);
        m_expect("bv_mapped_open",
                 bv_mapped_open((bv_mapped **)&o->handle, mapped_paths[k], writable, &err), &err,
                 &ok);
        o->kind = K_MAPPED;
        o->held = true;
        o->code = 'B';
        o->itemsize = 1;
        o->ro = !writable;
        o->exporter = bv_mapped_exporter(o->handle);
        refresh_base(o);
        o->len = bv_mapped_size(o->handle);
        M_CHECK(o->len == mapped_sizes[k], "mapped size %zu", o->len);
        memcpy(o->sh, o->base, o->len);   /* whatever earlier runs left in the file */
        return;
    }
    char code = kind == K_ARRAY ? array_codes[in_u8(in) % (sizeof array_codes - 1)] : 'B';
    int isz = array_itemsize(code);
    size_t count = in_u8(in) % (kind == K_ARRAY ? 17 : 49);
    bool zeros = (in_u8(in) & 7) == 0;   /* data NULL: zero-filled */
    unsigned char data[MAXB];
    memset(data, 0, sizeof data);
    for (size_t j = 0; j < count * (size_t)isz && !zeros; j++)
        data[j] = in_u8(in);
    bv_error err;
    m_outcome ok = m_ok();
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->held = true;
    o->ro = kind == K_BYTES;
    o->code = code;
    o->itemsize = isz;
    o->len = count * (size_t)isz;
    memcpy(o->sh, data, o->len);
    const void *src = zeros ? NULL : data;
    if (kind == K_BYTES) {
        if (zeros && count > 0)
            src = data;   /* bytes needs data when len > 0 */
        m_expect("bv_bytes_new", bv_bytes_new((bv_bytes **)&o->handle, src, count, &err), &err, &ok);
        o->exporter = bv_bytes_exporter(o->handle);
    } else if (kind == K_BYTEARRAY) {
        m_expect("bv_bytearray_new",
                 bv_bytearray_new((bv_bytearray **)&o->handle, src, count, &err), &err, &ok);
        o->exporter = bv_bytearray_exporter(o->handle);
    } else {
        m_expect("bv_array_new", bv_array_new((bv_array **)&o->handle, code, src, count, &err),
                 &err, &ok);
        o->exporter = bv_array_exporter(o->handle);
    }
    refresh_base(o);
}

static void op_drop_object(m_input *in)
{
    mobj *o = &objs[in_u8(in) % NOBJ];
    if (o->kind == K_NONE || !o->held)
        return;
    o->held = false;
    decref_object(o);
    obj_maybe_dead(o);
}

/* ---- creating views ------------------------------------------------------------------- */

static void op_view_from_object(m_input *in)
{
    int k = in_u8(in) % NOBJ;
    int dst = pick_free_view(in);
    mobj *o = &objs[k];
    if (o->kind == K_NONE || dst < 0)
        return;
    bv_error err;
    m_outcome want = o->closed ? m_err(BV_VALUE_ERROR, "mmap closed or invalid") : m_ok();
    m_int calc;
    if (o->kind == K_TYPED && m_calcsize(o->format, &calc).kind != BV_OK)
        want = m_err(BV_BUFFER_ERROR, "exporter 'typed' returned a buffer bufview cannot represent");
    snapshot s = snap(dst);
    bv_status st = bv_view_from(&views[dst], o->exporter, &err);
    m_expect("bv_view_from", st, &err, &want);
    if (st != BV_OK) {
        unchanged(dst, &s, "bv_view_from");
        return;
    }
    mview d;
    object_layout(o, &d);
    d.mb = new_mbuf(k);
    d.off = 0;
    d.ro = o->ro;
    view_add(dst, &d);
}

/* from_view, memoryview(view exporter), toreadonly, [...] */
static void op_view_from_view(m_input *in)
{
    int src = in_u8(in) % NVIEW;
    int how = in_u8(in) % 4;
    int dst = pick_free_view(in);
    if (dst < 0 || dst == src)
        return;
    snapshot s = snap(dst);
    bv_error err;
    bv_status st;
    const char *what;
    m_outcome want = m_ok();
    if (!mv[src].live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    switch (how) {
    case 0:
        what = "bv_view_from_view";
        st = bv_view_from_view(&views[dst], &views[src], &err);
        break;
    case 1:
        what = "bv_view_from(view exporter)";
        st = bv_view_from(&views[dst], bv_view_exporter(&views[src]), &err);
        break;
    case 2:
        what = "bv_view_toreadonly";
        st = bv_view_toreadonly(&views[dst], &views[src], &err);
        break;
    default:
        what = "bv_view_ellipsis";
        if (mv[src].live && mv[src].ndim != 0)
            want = m_err(BV_TYPE_ERROR, "memoryview: invalid slice key");
        st = bv_view_ellipsis(&views[dst], &views[src], &err);
        break;
    }
    m_expect(what, st, &err, &want);
    if (st != BV_OK) {
        unchanged(dst, &s, what);
        return;
    }
    mview d = mv[src];
    if (how == 2)
        d.ro = true;
    view_add(dst, &d);
}

static void apply_slice(mview *d, int dim, bv_slice s)
{
    m_slice r = m_slice_indices(s, d->shape[dim]);
    d->off = m_wrap_add(d->off, m_wrap_mul(d->strides[dim], r.start));
    d->shape[dim] = (ptrdiff_t)r.length;
    d->strides[dim] = m_wrap_mul(d->strides[dim], r.step);
}

static void op_slice(m_input *in)
{
    int src = in_u8(in) % NVIEW;
    int dst = pick_free_view(in);
    if (dst < 0 || dst == src)
        return;
    const mview *m = &mv[src];
    bv_slice sl = in_slice(in, m->live && m->ndim > 0 ? m->shape[0] : 0);
    m_outcome want = m_ok();
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (m->ndim == 0)
        want = m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    else if (sl.has_step && sl.step == 0)
        want = m_err(BV_VALUE_ERROR, "slice step cannot be zero");
    snapshot s = snap(dst);
    bv_error err;
    bv_status st = bv_view_slice(&views[dst], &views[src], sl, &err);
    m_expect("bv_view_slice", st, &err, &want);
    if (st != BV_OK) {
        unchanged(dst, &s, "bv_view_slice");
        return;
    }
    mview d = *m;
    apply_slice(&d, 0, sl);
    view_add(dst, &d);
}

static size_t in_slices(m_input *in, const mview *m, bv_slice *sl)
{
    int ndim = m->live ? m->ndim : 1;
    size_t n = in_u8(in) % (size_t)(ndim + 2);
    for (size_t k = 0; k < n; k++)
        sl[k] = in_slice(in, m->live && (int)k < m->ndim ? m->shape[k] : 0);
    return n;
}

/* bv_view_slice_nd's checks (bufview goes beyond CPython here). */
static m_outcome model_slice_nd(const mview *m, const bv_slice *sl, size_t n)
{
    if (m->ndim == 0)
        return m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    if (n > (size_t)m->ndim)
        return m_err(BV_TYPE_ERROR, "cannot index %d-dimension view with %zu-element tuple",
                     m->ndim, n);
    for (size_t k = 0; k < n; k++)
        if (sl[k].has_step && sl[k].step == 0)
            return m_err(BV_VALUE_ERROR, "slice step cannot be zero");
    return m_ok();
}

static void op_slice_nd(m_input *in)
{
    int src = in_u8(in) % NVIEW;
    int dst = pick_free_view(in);
    if (dst < 0 || dst == src)
        return;
    const mview *m = &mv[src];
    bv_slice sl[BV_MAXDIM + 2];
    size_t n = in_slices(in, m, sl);
    m_outcome want = m->live ? model_slice_nd(m, sl, n) : m_err(BV_VALUE_ERROR, RELEASED);
    snapshot s = snap(dst);
    bv_error err;
    bv_status st = bv_view_slice_nd(&views[dst], &views[src], sl, n, &err);
    m_expect("bv_view_slice_nd", st, &err, &want);
    if (st != BV_OK) {
        unchanged(dst, &s, "bv_view_slice_nd");
        return;
    }
    mview d = *m;
    for (size_t k = 0; k < n; k++)
        apply_slice(&d, (int)k, sl[k]);
    view_add(dst, &d);
}

/* ---- NumPy-style subscripts ------------------------------------------------------------ */

static const char BAD_ITEMS[] = "must hold only bv_index_int, bv_index_slice, bv_index_ellipsis "
                                "and bv_index_newaxis items";

/* Up to ndim + 3 items: integers and slices aimed at the dimension they will meet, one
 * Ellipsis (sometimes two), newaxis, and now and then an item of no known kind. */
static size_t in_items(m_input *in, const mview *m, bv_index *items)
{
    int ndim = m->live ? m->ndim : 1;
    size_t n = in_u8(in) % (size_t)(ndim + 4);
    int d = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t sel = in_u8(in);
        ptrdiff_t len = m->live && d < m->ndim ? m->shape[d] : 0;
        if (sel == 0xff) {
            items[k] = bv_index_newaxis();
            items[k].kind = (bv_index_kind)(4 + in_u8(in) % 3);
            continue;
        }
        switch (sel % 8) {
        case 0: case 1: case 2: items[k] = bv_index_int(in_index(in, len)); d++; break;
        case 3: case 4: case 5: items[k] = bv_index_slice(in_slice(in, len)); d++; break;
        case 6: items[k] = bv_index_ellipsis(); break;
        default: items[k] = bv_index_newaxis(); break;
        }
    }
    return n;
}

/* NumPy's prepare_index and get_view_from_index, written from NumPy's documentation of
 * basic indexing: the items in order, their count, the result's dimensions, then each
 * item in order (CPython's slice arithmetic and out-of-range message). */
static m_outcome model_subscript(const mview *m, const bv_index *items, size_t n,
                                 const char *function, mview *dest)
{
    size_t ellipses = 0, ints = 0, slices = 0, newaxes = 0;
    for (size_t k = 0; k < n; k++) {
        switch (items[k].kind) {
        case BV_INDEX_INT: ints++; break;
        case BV_INDEX_SLICE: slices++; break;
        case BV_INDEX_NEWAXIS: newaxes++; break;
        case BV_INDEX_ELLIPSIS:
            if (ellipses++ > 0)
                return m_err(BV_INDEX_ERROR, "an index can only have a single ellipsis ('...')");
            break;
        default:
            return m_err(BV_TYPE_ERROR, "%s() argument 'items' %s", function, BAD_ITEMS);
        }
    }
    size_t taken = ints + slices;
    if (taken > (size_t)m->ndim)
        return m_err(BV_INDEX_ERROR, "too many indices for array: array is %d-dimensional, "
                                     "but %zu were indexed", m->ndim, taken);
    size_t result = (size_t)m->ndim - ints + newaxes;
    if (result > BV_MAXDIM)
        return m_err(BV_INDEX_ERROR, "number of dimensions must be within [0, 64], indexing "
                                     "result would have %zu", result);
    mview r = *m;
    r.ndim = 0;
    int d = 0;
    for (size_t k = 0; k <= n; k++) {
        bv_index_kind kind = k < n ? items[k].kind : BV_INDEX_ELLIPSIS;
        if (kind == BV_INDEX_INT) {
            m_int i = items[k].i;
            if (i < 0)
                i += m->shape[d];
            if (i < 0 || i >= m->shape[d])
                return m_err(BV_INDEX_ERROR, "index out of bounds on dimension %d", d + 1);
            r.off = m_wrap_add(r.off, m_wrap_mul(m->strides[d], i));
            d++;
        } else if (kind == BV_INDEX_SLICE) {
            const bv_slice *sl = &items[k].slice;
            if (sl->has_step && sl->step == 0)
                return m_err(BV_VALUE_ERROR, "slice step cannot be zero");
            m_slice x = m_slice_indices(*sl, m->shape[d]);
            r.off = m_wrap_add(r.off, m_wrap_mul(m->strides[d], x.start));
            r.shape[r.ndim] = (ptrdiff_t)x.length;
            r.strides[r.ndim++] = m_wrap_mul(m->strides[d], x.step);
            d++;
        } else if (kind == BV_INDEX_NEWAXIS) {
            r.shape[r.ndim] = 1;
            r.strides[r.ndim++] = 0;
        } else {   /* the Ellipsis, and after the last item whatever is left */
            int whole = k < n ? m->ndim - (int)taken : m->ndim - d;
            for (int j = 0; j < whole; j++, d++) {
                r.shape[r.ndim] = m->shape[d];
                r.strides[r.ndim++] = m->strides[d];
            }
        }
    }
    *dest = r;
    return m_ok();
}

static void op_subscript(m_input *in)
{
    int src = in_u8(in) % NVIEW;
    int dst = pick_free_view(in);
    if (dst < 0 || dst == src)
        return;
    const mview *m = &mv[src];
    bv_index items[BV_MAXDIM + 8];
    size_t n = in_items(in, m, items);
    bool null_items = n > 0 && (in_u8(in) & 0x3f) == 0;
    mview d;
    m_outcome want;
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (null_items)
        want = m_err(BV_TYPE_ERROR,
                     "bv_view_subscript() argument 'items' must not be NULL when n > 0");
    else
        want = model_subscript(m, items, n, "bv_view_subscript", &d);
    snapshot s = snap(dst);
    bv_error err;
    bv_status st = bv_view_subscript(&views[dst], &views[src], null_items ? NULL : items, n, &err);
    m_expect("bv_view_subscript", st, &err, &want);
    if (st != BV_OK) {
        unchanged(dst, &s, "bv_view_subscript");
        return;
    }
    view_add(dst, &d);
}

static const char *cast_formats[] = {"B", "b", "c", "h", "H", "i", "I", "l", "L", "q", "Q",
                                     "n", "N", "f", "d", "e", "?", "P", "@B", "@b", "@c",
                                     "@h", "@i", "@d", "@e", "@?", "@Q", "", "BB", "x", "<h"};

static void op_cast(m_input *in)
{
    int src = in_u8(in) % NVIEW;
    int dst = pick_free_view(in);
    if (dst < 0 || dst == src)
        return;
    const mview *m = &mv[src];
    const char *fmt = cast_formats[in_u8(in) % (sizeof cast_formats / sizeof cast_formats[0])];
    bool has_shape = in_u8(in) & 1;
    ptrdiff_t shape[BV_MAXDIM + 2];
    ptrdiff_t ndim = 1;
    if (has_shape) {
        /* Mostly a factorisation of the item count, so that casts succeed. */
        uint8_t sel = in_u8(in);
        char dc = m_native_char(fmt);
        ptrdiff_t items = dc && m->live ? model_nbytes(m) / m_native_size(dc) : 1;
        ndim = sel < 0xf0 ? sel % 7 : 60 + sel % 8;   /* up to 67 dimensions */
        ptrdiff_t rest = items;
        for (ptrdiff_t k = 0; k < ndim && k < BV_MAXDIM + 2; k++) {
            uint8_t r = in_u8(in);
            if (r >= 0xf8) {
                shape[k] = r == 0xff ? PTRDIFF_MAX : (ptrdiff_t)(r & 3) - 1;   /* -1, 0, 1, 2 */
                continue;
            }
            if (k + 1 == ndim) {
                shape[k] = rest > 0 ? rest : 1;
                break;
            }
            ptrdiff_t d = 1, want = r % 4;
            for (ptrdiff_t c = 2; want > 0 && c <= rest; c++)
                if (rest % c == 0) {
                    d = c;
                    want--;
                }
            shape[k] = d;
            rest = d > 0 ? rest / d : rest;
        }
    }
    m_layout l = layout_of_model(m);
    m_outcome want = m_cast(&l, fmt, shape, ndim, has_shape);
    snapshot s = snap(dst);
    bv_error err;
    bv_status st = has_shape ? bv_view_cast_shape(&views[dst], &views[src], fmt, shape, ndim, &err)
                             : bv_view_cast(&views[dst], &views[src], fmt, &err);
    m_expect("bv_view_cast", st, &err, &want);
    if (st != BV_OK) {
        unchanged(dst, &s, "bv_view_cast");
        return;
    }
    mview d = *m;
    char c = m_native_char(fmt);
    d.itemsize = m_native_size(c);
    memset(d.fmt, 0, sizeof d.fmt);
    if (fmt[0] == '@') {
        d.fmt[0] = '@';
        d.fmt[1] = c;
    } else {
        d.fmt[0] = c;
    }
    d.ndim = has_shape ? (int)ndim : 1;
    if (has_shape)
        memcpy(d.shape, shape, sizeof(ptrdiff_t) * (size_t)ndim);
    else
        d.shape[0] = model_nbytes(m) / d.itemsize;
    ptrdiff_t sd = d.itemsize;
    for (int k = d.ndim - 1; k >= 0; k--) {
        d.strides[k] = sd;
        sd *= d.shape[k];
    }
    view_add(dst, &d);
}

static void op_release(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    m_outcome want = m_ok();
    if (mv[i].live && mv[i].exports > 0)
        want = m_err(BV_BUFFER_ERROR, "memoryview has %d exported buffer%s", mv[i].exports,
                     mv[i].exports == 1 ? "" : "s");
    bv_error err;
    m_expect("bv_view_release", bv_view_release(&views[i], &err), &err, &want);
    if (want.kind == BV_OK && mv[i].live)
        view_drop(i);
}

/* ---- items ---------------------------------------------------------------------------- */

static m_outcome model_lookup(const mview *m, const ptrdiff_t *idx, size_t n, m_int *off)
{
    *off = m->off;
    for (size_t d = 0; d < n; d++) {
        m_int i = idx[d];
        if (i < 0)
            i += m->shape[d];
        if (i < 0 || i >= m->shape[d])
            return m_err(BV_INDEX_ERROR, "index out of bounds on dimension %zu", d + 1);
        *off += i * m->strides[d];
    }
    return m_ok();
}

static void in_indices(m_input *in, const mview *m, ptrdiff_t *idx, size_t *n)
{
    int ndim = m->live ? m->ndim : 1;
    uint8_t sel = in_u8(in);
    *n = sel < 0xe0 ? (size_t)ndim : (size_t)(sel % (ndim + 2));
    for (size_t k = 0; k < *n; k++)
        idx[k] = in_index(in, m->live && (int)k < m->ndim ? m->shape[k] : 0);
}

/* Write through the model: the shadow gets the encoded bytes, or (for a NaN, whose
 * payload may legitimately differ) whatever bufview wrote once it reads back as NaN. */
static void model_store(mobj *o, m_int off, const m_item *it, const unsigned char *bytes,
                        bool nan)
{
    int size = it->size;
    (void)item_ptr(o, off, size);
    if (nan) {
        m_value back = m_item_decode(it, o->base + (size_t)off);
        M_CHECK(back.kind == MV_FLOAT && isnan(back.f), "a NaN write did not read back as NaN");
        memcpy(o->sh + (size_t)off, o->base + (size_t)off, (size_t)size);
    } else {
        memcpy(o->sh + (size_t)off, bytes, (size_t)size);
    }
}

static void op_get(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    const mview *m = &mv[i];
    ptrdiff_t index = in_index(in, m->live && m->ndim > 0 ? m->shape[0] : 0);
    m_outcome want = m_ok();
    m_int off = 0;
    m_item it;
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (m->ndim == 0)   /* memory_subscript, before memory_item's format check */
        want = m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    else if ((want = model_item(m, &it)).kind != BV_OK)
        ;   /* CPython's unsupported-format errors; bufview reads byte-order formats */
    else if (m->ndim > 1)
        want = m_err(BV_NOT_IMPLEMENTED_ERROR, "multi-dimensional sub-views are not implemented");
    else
        want = model_lookup(m, &index, 1, &off);
    bv_value got;
    bv_error err;
    bv_status st = bv_view_get(&views[i], index, &got, &err);
    m_expect("bv_view_get", st, &err, &want);
    if (st == BV_OK) {
        m_value v = m_item_decode(&it, item_ptr(obj_of_view(i), off, m->itemsize));
        m_expect_value("bv_view_get", got, &v);
    }
}

static void op_get_at(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    const mview *m = &mv[i];
    ptrdiff_t idx[BV_MAXDIM + 2];
    size_t n;
    in_indices(in, m, idx, &n);
    m_outcome want;
    m_int off = 0;
    m_item it;
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (m->ndim == 0 && n != 0)
        want = m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    else if ((want = model_item(m, &it)).kind != BV_OK)
        ;
    else if (n < (size_t)m->ndim)
        want = m_err(BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    else if (n > (size_t)m->ndim)
        want = m_err(BV_TYPE_ERROR, "cannot index %d-dimension view with %zu-element tuple",
                     m->ndim, n);
    else
        want = model_lookup(m, idx, n, &off);
    bv_value got;
    bv_error err;
    bv_status st = bv_view_get_at(&views[i], idx, n, &got, &err);
    m_expect("bv_view_get_at", st, &err, &want);
    if (st == BV_OK) {
        m_value v = m_item_decode(&it, item_ptr(obj_of_view(i), off, m->itemsize));
        m_expect_value("bv_view_get_at", got, &v);
    }
}

/* set (one index), set_at (a tuple) or delete. */
static void op_set(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    int how = in_u8(in) % 3;
    const mview *m = &mv[i];
    ptrdiff_t idx[BV_MAXDIM + 2];
    size_t n = 1;
    if (how == 1)
        in_indices(in, m, idx, &n);
    else
        idx[0] = in_index(in, m->live && m->ndim > 0 ? m->shape[0] : 0);
    bv_value value = in_value(in);
    m_value mval = m_from_bv(value);
    m_outcome want = m_ok();
    m_int off = 0;
    unsigned char bytes[8];
    bool nan = false;
    m_item it;
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if ((want = model_item(m, &it)).kind != BV_OK)
        ;
    else if (m->ro)
        want = m_err(BV_TYPE_ERROR, "cannot modify read-only memory");
    else if (how == 2)
        want = m_err(BV_TYPE_ERROR, "cannot delete memory");
    else if (how == 0 && m->ndim == 0)
        want = m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    else if (how == 0 && m->ndim > 1)
        want = m_err(BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    else if (how == 1 && m->ndim == 0 && n != 0)
        want = m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    else if (how == 1 && n < (size_t)m->ndim)
        want = m_err(BV_NOT_IMPLEMENTED_ERROR, "sub-views are not implemented");
    else if (how == 1 && n > (size_t)m->ndim)
        want = m_err(BV_TYPE_ERROR, "cannot index %d-dimension view with %zu-element tuple",
                     m->ndim, n);
    else if ((want = model_lookup(m, idx, n, &off)).kind == BV_OK)
        want = m_item_encode(&it, &mval, bytes, &nan);
    bv_error err;
    bv_status st;
    if (how == 0)
        st = bv_view_set(&views[i], idx[0], value, &err);
    else if (how == 1)
        st = bv_view_set_at(&views[i], idx, n, value, &err);
    else
        st = bv_view_delete(&views[i], idx[0], &err);
    m_expect(how == 0 ? "bv_view_set" : how == 1 ? "bv_view_set_at" : "bv_view_delete", st, &err,
             &want);
    if (st == BV_OK)
        model_store(obj_of_view(i), off, &it, bytes, nan);
}

/* ---- slice assignment ----------------------------------------------------------------- */

/* What the rvalue looks like: an exporter plus the model's picture of its buffer. */
typedef struct rvalue {
    bv_exporter *exporter;
    bv_bytes *temp;
    m_outcome get;           /* what bv_buffer_get on it gives */
    mview layout;            /* off, ndim, shape, strides, itemsize, fmt */
    const mobj *obj;         /* its bytes (temp: tempobj) */
    mobj tempobj;
} rvalue;

static void in_rvalue(m_input *in, rvalue *r, int dest)
{
    memset(r, 0, sizeof *r);
    r->get = m_ok();
    uint8_t sel = in_u8(in) % 8;
    if (sel < 4) {   /* a view, possibly the destination itself, possibly released */
        int j = sel == 0 ? dest : in_u8(in) % NVIEW;
        r->exporter = bv_view_exporter(&views[j]);
        if (!mv[j].live) {
            r->get = m_err(BV_VALUE_ERROR, RELEASED);
            return;
        }
        r->layout = mv[j];
        r->obj = obj_of_view(j);
        return;
    }
    if (sel < 6) {   /* an object */
        const mobj *o = &objs[in_u8(in) % NOBJ];
        if (o->kind != K_NONE) {
            r->exporter = o->exporter;
            if (o->closed)
                r->get = m_err(BV_VALUE_ERROR, "mmap closed or invalid");
            r->obj = o;
            object_layout(o, &r->layout);
            return;
        }
    }
    if (sel == 7) {
        r->exporter = NULL;
        r->get = m_err(BV_TYPE_ERROR, "a bytes-like object is required, not 'NoneType'");
        return;
    }
    /* fresh bytes */
    mobj *t = &r->tempobj;
    t->len = in_u8(in) % 40;
    for (size_t k = 0; k < t->len; k++)
        t->sh[k] = in_u8(in);
    bv_error err;
    m_outcome ok = m_ok();
    m_expect("bv_bytes_new", bv_bytes_new(&r->temp, t->sh, t->len, &err), &err, &ok);
    t->base = (unsigned char *)bv_bytes_data(r->temp);
    t->itemsize = 1;
    r->exporter = bv_bytes_exporter(r->temp);
    r->obj = t;
    r->layout.ndim = 1;
    r->layout.itemsize = 1;
    r->layout.shape[0] = (ptrdiff_t)t->len;
    r->layout.strides[0] = 1;
    r->layout.fmt[0] = 'B';
}

static bool same_structure(const mview *d, const mview *s)
{
    const char *df = d->fmt[0] == '@' ? d->fmt + 1 : d->fmt;
    const char *sf = s->fmt[0] == '@' ? s->fmt + 1 : s->fmt;
    if (strcmp(df, sf) != 0 || d->itemsize != s->itemsize || d->ndim != s->ndim)
        return false;
    for (int k = 0; k < d->ndim; k++) {
        if (d->shape[k] != s->shape[k])
            return false;
        if (d->shape[k] == 0)
            break;
    }
    return true;
}

/* Copy the rvalue's items into the destination's, as if through a temporary. */
static void model_assign(const mview *dest, mobj *dobj, const rvalue *r)
{
    static unsigned char tmp[MAXB];
    size_t n = gather(&r->layout, r->obj, 'C', tmp);
    m_int count = m_count(dest->ndim, dest->shape);
    M_CHECK((size_t)(count * dest->itemsize) == n, "model: assignment sizes differ");
    for (m_int k = 0; k < count; k++) {
        m_int off = item_offset(dest, NULL, k);
        (void)item_ptr(dobj, off, dest->itemsize);
        memcpy(dobj->sh + (size_t)off, tmp + (size_t)k * (size_t)dest->itemsize,
               (size_t)dest->itemsize);
    }
}

/* mv[s] = src (how 0), mv[s0, s1, ...] = src (1), mv[items] = src (2). */
static void op_assign(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    int how = in_u8(in) % 3;
    bool nd = how == 1;
    const mview *m = &mv[i];
    bv_slice sl[BV_MAXDIM + 2];
    bv_index items[BV_MAXDIM + 8];
    size_t n = 1;
    if (how == 2)
        n = in_items(in, m, items);
    else if (nd)
        n = in_slices(in, m, sl);
    else
        sl[0] = in_slice(in, m->live && m->ndim > 0 ? m->shape[0] : 0);
    rvalue r;
    in_rvalue(in, &r, i);

    m_outcome want = m_ok();
    mview dest;
    m_item it;
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if ((want = model_item(m, &it)).kind != BV_OK)
        ;   /* every store checks that items can be written (memory_ass_sub's adjust_fmt) */
    else if (m->ro)
        want = m_err(BV_TYPE_ERROR, "cannot modify read-only memory");
    else if (how == 2 && r.get.kind != BV_OK)   /* the rvalue, the subscript, the structure */
        want = r.get;
    else if (how == 2)
        want = model_subscript(m, items, n, "bv_view_assign_subscript", &dest);
    else if (m->ndim == 0)
        want = m_err(BV_TYPE_ERROR, "invalid indexing of 0-dim memory");
    else if (!nd && m->ndim != 1)
        want = m_err(BV_NOT_IMPLEMENTED_ERROR,
                     "memoryview slice assignments are currently restricted to ndim = 1");
    else if (!nd && r.get.kind != BV_OK)   /* 1-D: the rvalue's buffer is taken first */
        want = r.get;
    else if (!nd && sl[0].has_step && sl[0].step == 0)
        want = m_err(BV_VALUE_ERROR, "slice step cannot be zero");
    else if (nd && r.get.kind != BV_OK)   /* N-D too: the rvalue, then the slices */
        want = r.get;
    else if (nd)
        want = model_slice_nd(m, sl, n);
    if (want.kind == BV_OK) {
        if (how != 2) {
            dest = *m;
            for (size_t k = 0; k < n; k++)
                apply_slice(&dest, (int)k, sl[k]);
        }
        if (!same_structure(&dest, &r.layout))
            want = m_err(BV_VALUE_ERROR,
                         "memoryview assignment: lvalue and rvalue have different structures");
    }
    bv_error err;
    bv_status st;
    static const char *const names[] = {"bv_view_assign_slice", "bv_view_assign_slice_nd",
                                        "bv_view_assign_subscript"};
    if (how == 2)
        st = bv_view_assign_subscript(&views[i], items, n, r.exporter, &err);
    else if (nd)
        st = bv_view_assign_slice_nd(&views[i], sl, n, r.exporter, &err);
    else
        st = bv_view_assign_slice(&views[i], sl[0], r.exporter, &err);
    m_expect(names[how], st, &err, &want);
    if (st == BV_OK)
        model_assign(&dest, obj_of_view(i), &r);
    bv_bytes_decref(r.temp);
}

/* ---- methods -------------------------------------------------------------------------- */

static char effective_order(const mview *m, char order)
{
    if (order == 0)
        return 'C';
    if (order == 'A') {
        unsigned f = model_flags(m);
        return (f & M_F) && !(f & M_C) ? 'F' : 'C';
    }
    return order;
}

static void op_tobytes(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    static const char orders[] = {'C', 'F', 'A', 0, 'x', 'c'};
    char order = orders[in_u8(in) % sizeof orders];
    bool into = in_u8(in) & 1;
    const mview *m = &mv[i];
    m_outcome want = m_ok();
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (order != 0 && order != 'C' && order != 'F' && order != 'A')
        want = m_err(BV_VALUE_ERROR, "order must be 'C', 'F' or 'A'");
    static unsigned char expect[MAXB];
    size_t n = 0;
    if (want.kind == BV_OK)
        n = gather(m, obj_of_view(i), effective_order(m, order), expect);
    bv_error err;
    if (!into) {
        bv_bytes *b = NULL;
        bv_status st = bv_view_tobytes(&views[i], order, &b, &err);
        m_expect("bv_view_tobytes", st, &err, &want);
        if (st == BV_OK) {
            M_CHECK(bv_bytes_size(b) == n && memcmp(bv_bytes_data(b), expect, n) == 0,
                    "tobytes('%c') differs from the model", order ? order : '0');
            bv_bytes_decref(b);
        }
        return;
    }
    size_t cap = n;
    if (n > 0 && (in_u8(in) & 3) == 0)
        cap = n - 1;
    if (want.kind == BV_OK && cap < n)
        want = m_err(BV_VALUE_ERROR, "destination holds %zu bytes, the view %td", cap,
                     (ptrdiff_t)n);
    unsigned char *dst = malloc(cap > 0 ? cap : 1);
    bv_status st = bv_view_tobytes_into(&views[i], order, dst, cap, &err);
    m_expect("bv_view_tobytes_into", st, &err, &want);
    if (st == BV_OK)
        M_CHECK(memcmp(dst, expect, n) == 0, "tobytes_into('%c') differs from the model",
                order ? order : '0');
    free(dst);
}

static void op_tolist(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    const mview *m = &mv[i];
    m_item it;
    m_outcome want = m->live ? model_item(m, &it) : m_err(BV_VALUE_ERROR, RELEASED);
    bv_list list;
    bv_error err;
    bv_status st = bv_view_tolist(&views[i], &list, &err);
    m_expect("bv_view_tolist", st, &err, &want);
    if (st != BV_OK)
        return;
    m_int count = m_count(m->ndim, m->shape);
    M_CHECK(list.ndim == m->ndim && list.count == count, "tolist: ndim %d count %td", list.ndim,
            list.count);
    for (int k = 0; k < m->ndim; k++)
        M_CHECK(list.shape[k] == m->shape[k], "tolist: shape[%d]", k);
    for (m_int k = 0; k < count; k++) {
        m_value v = m_item_decode(&it, item_ptr(obj_of_view(i), item_offset(m, NULL, k),
                                                 m->itemsize));
        m_expect_value("tolist item", list.items[k], &v);
    }
    if (in_u8(in) & 1) {   /* and its repr builds (content is the repr tests' business) */
        bv_str s = {0};
        m_outcome ok = m_ok();
        m_expect("bv_repr_list", bv_repr_list(&s, &list, &err), &err, &ok);
        bv_str_free(&s);
    }
    bv_list_free(&list);
}

static void op_hex(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    static const char *seps[] = {NULL, ":", " ", "", "ab", "\xc3\xa9"};
    const char *sep = seps[in_u8(in) % 6];
    ptrdiff_t per = in_index(in, 4);
    const mview *m = &mv[i];
    m_outcome want = m_ok();
    if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (sep != NULL && (strlen(sep) == 0 || (strlen(sep) == 2 && sep[0] == 'a')))
        want = m_err(BV_VALUE_ERROR, "sep must be length 1.");
    else if (sep != NULL && (unsigned char)sep[0] >= 0x80)
        want = m_err(BV_VALUE_ERROR, "sep must be ASCII.");
    char *got = NULL;
    bv_error err;
    bv_status st = bv_view_hex(&views[i], sep, per, &got, &err);
    m_expect("bv_view_hex", st, &err, &want);
    if (st != BV_OK)
        return;
    static unsigned char bytes[MAXB];
    static char text[3 * MAXB + 1];
    size_t n = gather(m, obj_of_view(i), 'C', bytes);
    m_hex(bytes, n, sep ? sep[0] : 0, per, text);
    M_CHECK(strcmp(got, text) == 0, "hex \"%s\", model \"%s\"", got, text);
    bv_free(got);
}

static void op_count_index(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    bool index = in_u8(in) & 1;
    const mview *m = &mv[i];
    bv_value value = in_value(in);
    ptrdiff_t len = m->live && m->ndim > 0 ? m->shape[0] : 0;
    ptrdiff_t start = in_index(in, len), stop = (in_u8(in) & 3) ? PTRDIFF_MAX : in_index(in, len);
    m_value mval = m_from_bv(value);
    m_outcome want = m_ok();
    /* index() checks release first; count() iterates, and iter(mv) looks at the
     * dimensions before anything touches the (maybe released) memory. */
    if (index && !m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    else if (m->ndim == 0)
        want = m_err(BV_TYPE_ERROR, index ? "invalid lookup on 0-dim memory"
                                          : "invalid indexing of 0-dim memory");
    else if (m->ndim > 1)
        want = m_err(BV_NOT_IMPLEMENTED_ERROR, index ? "multi-dimensional lookup is not implemented"
                                                     : "multi-dimensional sub-views are not implemented");
    else if (!m->live)
        want = m_err(BV_VALUE_ERROR, RELEASED);
    m_item it;
    ptrdiff_t expect = 0;
    m_int lo = 0, hi = len;
    if (want.kind == BV_OK) {
        /* memoryview_index_impl (3.14): clamp like a slice, scan left to right; only an
         * item read checks the format (iter(mv), for count, checks it at once). */
        if (index) {
            lo = start < 0 ? ((m_int)start + len < 0 ? 0 : (m_int)start + len) : start;
            hi = stop < 0 ? ((m_int)stop + len < 0 ? 0 : (m_int)stop + len) : stop;
            if (hi > len)
                hi = len;
        }
        if (!index || lo < hi)
            want = model_item(m, &it);
    }
    if (want.kind == BV_OK) {
        bool found = false;
        for (m_int k = lo; k < hi; k++) {
            ptrdiff_t at = (ptrdiff_t)k;
            m_int off;
            (void)model_lookup(m, &at, 1, &off);
            m_value item = m_item_decode(&it, item_ptr(obj_of_view(i), off, m->itemsize));
            if (m_py_equal(&item, &mval)) {
                if (index) {
                    expect = (ptrdiff_t)k;
                    found = true;
                    break;
                }
                expect++;
            }
        }
        if (index && !found)
            want = m_err(BV_VALUE_ERROR, "memoryview.index(x): x not found");
    }
    ptrdiff_t got = -99;
    bv_error err;
    bv_status st = index ? bv_view_index(&views[i], value, start, stop, &got, &err)
                         : bv_view_count(&views[i], value, &got, &err);
    m_expect(index ? "bv_view_index" : "bv_view_count", st, &err, &want);
    if (st == BV_OK)
        M_CHECK(got == expect, "%s = %td, model %td", index ? "index" : "count", got, expect);
}

/* A format the struct module accepts, of at most itemsize bytes. */
static bool struct_fits(const char *fmt, ptrdiff_t itemsize)
{
    m_int size;
    return m_calcsize(fmt, &size).kind == BV_OK && size <= itemsize;
}

/* CPython's memory_richcompare on two model layouts: native characters by memoryview's
 * values, any other format through struct's (a format struct refuses: unequal). */
static bool model_equal(const mview *a, const mobj *ao, const mview *b, const mobj *bo)
{
    if (a->ndim != b->ndim)
        return false;
    for (int k = 0; k < a->ndim; k++) {
        if (a->shape[k] != b->shape[k])
            return false;
        if (a->shape[k] == 0)
            break;
    }
    char ca = m_native_char(a->fmt), cb = m_native_char(b->fmt);
    bool by_struct = ca == 0 || cb == 0;
    if (by_struct && (!struct_fits(a->fmt, a->itemsize) || !struct_fits(b->fmt, b->itemsize)))
        return false;
    m_int count = m_count(a->ndim, a->shape);
    for (m_int k = 0; k < count; k++) {
        const unsigned char *pa = item_ptr(ao, item_offset(a, NULL, k), a->itemsize);
        const unsigned char *pb = item_ptr(bo, item_offset(b, NULL, k), b->itemsize);
        if (by_struct) {
            if (!m_struct_equal(a->fmt, pa, b->fmt, pb))
                return false;
            continue;
        }
        m_value x = m_decode(ca, pa), y = m_decode(cb, pb);
        if (!m_py_equal(&x, &y))
            return false;
    }
    return true;
}

static void op_equal(m_input *in)
{
    int a = in_u8(in) % NVIEW;
    uint8_t sel = in_u8(in);
    bool got = false;
    bool want;
    bv_error err;
    m_outcome ok = m_ok();
    if (sel & 1) {   /* view == view (a view with itself too) */
        int b = (sel >> 1) % NVIEW;
        if (!mv[a].live || !mv[b].live)
            want = a == b;
        else
            want = model_equal(&mv[a], obj_of_view(a), &mv[b], obj_of_view(b));
        if (in_u8(in) & 1)
            m_expect("bv_view_equal", bv_view_equal(&views[a], &views[b], &got, &err), &err, &ok);
        else
            m_expect("bv_view_equal_exporter",
                     bv_view_equal_exporter(&views[a], bv_view_exporter(&views[b]), &got, &err),
                     &err, &ok);
    } else {         /* view == object */
        const mobj *o = &objs[(sel >> 1) % NOBJ];
        if (o->kind == K_NONE)
            return;
        mview whole;
        object_layout(o, &whole);
        want = mv[a].live && !o->closed && model_equal(&mv[a], obj_of_view(a), &whole, o);
        m_expect("bv_view_equal_exporter",
                 bv_view_equal_exporter(&views[a], o->exporter, &got, &err), &err, &ok);
    }
    M_CHECK(got == want, "equality %d, model %d", got, want);
}

static void op_hash(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    mview *m = &mv[i];
    m_outcome want = m_ok();
    if (m->hashed) {
        /* remembered, like CPython's cached hash: even a released view answers */
    } else if (!m->live) {
        want = m_err(BV_VALUE_ERROR, RELEASED);
    } else if (!m->ro) {
        want = m_err(BV_VALUE_ERROR, "cannot hash writable memoryview object");
    } else if (!m_is_byte(m_native_char(m->fmt))) {
        want = m_err(BV_VALUE_ERROR, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    } else {
        const mobj *o = obj_of_view(i);
        if (o->kind == K_BYTEARRAY)
            want = m_err(BV_TYPE_ERROR, "unhashable type: 'bytearray'");
        else if (o->kind == K_ARRAY)
            want = m_err(BV_TYPE_ERROR, "unhashable type: 'array.array'");
    }
    uint64_t got = 0;
    bv_error err;
    bv_status st = bv_view_hash(&views[i], &got, &err);
    m_expect("bv_view_hash", st, &err, &want);
    if (st == BV_OK && m->hashed) {
        M_CHECK(got == m->hash, "a remembered hash changed");
    } else if (st == BV_OK) {
        static unsigned char bytes[MAXB];
        size_t n = gather(m, obj_of_view(i), 'C', bytes);
        M_CHECK(got == bv_hash_bytes(bytes, n), "hash differs from hash(tobytes())");
        m->hashed = true;
        m->hash = got;
    }
}

/* Every attribute getter: the model's values, or the released error from each. */
static void op_attributes(m_input *in)
{
    int i = in_u8(in) % NVIEW;
    const mview *m = &mv[i];
    const bv_view *v = &views[i];
    m_outcome want = m->live ? m_ok() : m_err(BV_VALUE_ERROR, RELEASED);
    bv_error err;
    bv_exporter *obj = NULL;
    ptrdiff_t n = -1, itemsize = -1, subs = -1;
    bool ro = false, c = false, f = false, any = false;
    const char *format = NULL;
    int ndim = -1;
    const ptrdiff_t *shape = NULL, *strides = NULL;
    m_expect("bv_view_obj", bv_view_obj(v, &obj, &err), &err, &want);
    m_expect("bv_view_nbytes", bv_view_nbytes(v, &n, &err), &err, &want);
    m_expect("bv_view_readonly", bv_view_readonly(v, &ro, &err), &err, &want);
    m_expect("bv_view_itemsize", bv_view_itemsize(v, &itemsize, &err), &err, &want);
    m_expect("bv_view_format", bv_view_format(v, &format, &err), &err, &want);
    m_expect("bv_view_ndim", bv_view_ndim(v, &ndim, &err), &err, &want);
    m_expect("bv_view_shape", bv_view_shape(v, &shape, &err), &err, &want);
    m_expect("bv_view_strides", bv_view_strides(v, &strides, &err), &err, &want);
    m_expect("bv_view_suboffsets", bv_view_suboffsets(v, &subs, &err), &err, &want);
    m_expect("bv_view_c_contiguous", bv_view_c_contiguous(v, &c, &err), &err, &want);
    m_expect("bv_view_f_contiguous", bv_view_f_contiguous(v, &f, &err), &err, &want);
    m_expect("bv_view_contiguous", bv_view_contiguous(v, &any, &err), &err, &want);
    M_CHECK(bv_view_is_released(v) == !m->live, "bv_view_is_released");
    ptrdiff_t len = -1;
    m_outcome want_len = want;
    if (m->live && m->ndim == 0)
        want_len = m_err(BV_TYPE_ERROR, "0-dim memory has no length");
    m_expect("bv_view_len", bv_view_len(v, &len, &err), &err, &want_len);
    if (!m->live)
        return;
    unsigned fl = model_flags(m);
    M_CHECK(obj == obj_of_view(i)->exporter, "obj is not the exporter");
    M_CHECK(n == model_nbytes(m) && itemsize == m->itemsize && ro == m->ro && subs == 0 &&
                ndim == m->ndim && strcmp(format, m->fmt) == 0,
            "attributes differ from the model");
    M_CHECK(c == ((fl & M_C) != 0) && f == ((fl & M_F) != 0) && any == ((fl & (M_C | M_F)) != 0),
            "contiguity attributes differ from the model");
    for (int k = 0; k < m->ndim; k++)
        M_CHECK(shape[k] == m->shape[k] && strides[k] == m->strides[k], "shape/strides");
    M_CHECK(m->ndim == 0 || len == m->shape[0], "len()");
}

/* ---- exporting: buffers held from views and from objects ------------------------------ */

/* Request flags offered to a view's exporter: every combination memory_getbuf tells apart. */
static const int view_flags[] = {
    BV_BUF_RECORDS, BV_BUF_RECORDS_RO, BV_BUF_FULL, BV_BUF_FULL_RO,
    BV_BUF_C_CONTIGUOUS | BV_BUF_FORMAT, BV_BUF_F_CONTIGUOUS | BV_BUF_FORMAT,
    BV_BUF_ANY_CONTIGUOUS | BV_BUF_FORMAT, BV_BUF_C_CONTIGUOUS | BV_BUF_FORMAT | BV_BUF_WRITABLE,
    BV_BUF_F_CONTIGUOUS | BV_BUF_FORMAT | BV_BUF_WRITABLE, BV_BUF_STRIDES | BV_BUF_FORMAT,
    BV_BUF_SIMPLE, BV_BUF_WRITABLE, BV_BUF_FORMAT, BV_BUF_ND, BV_BUF_STRIDES, BV_BUF_CONTIG,
    BV_BUF_CONTIG_RO, BV_BUF_STRIDED, BV_BUF_STRIDED_RO, BV_BUF_ND | BV_BUF_FORMAT,
    BV_BUF_WRITABLE | BV_BUF_FORMAT, BV_BUF_C_CONTIGUOUS, BV_BUF_F_CONTIGUOUS,
    BV_BUF_ANY_CONTIGUOUS,
};

/* memory_getbuf() in CPython 3.13, check for check. */
static m_outcome model_view_getbuf(const mview *m, int flags)
{
    if (!m->live)
        return m_err(BV_VALUE_ERROR, RELEASED);
    unsigned f = model_flags(m);
    if ((flags & BV_BUF_WRITABLE) && m->ro)
        return m_err(BV_BUFFER_ERROR, "memoryview: underlying buffer is not writable");
    if ((flags & BV_BUF_C_CONTIGUOUS) == BV_BUF_C_CONTIGUOUS && !(f & M_C))
        return m_err(BV_BUFFER_ERROR, "memoryview: underlying buffer is not C-contiguous");
    if ((flags & BV_BUF_F_CONTIGUOUS) == BV_BUF_F_CONTIGUOUS && !(f & M_F))
        return m_err(BV_BUFFER_ERROR, "memoryview: underlying buffer is not Fortran contiguous");
    if ((flags & BV_BUF_ANY_CONTIGUOUS) == BV_BUF_ANY_CONTIGUOUS &&
        !(f & (M_C | M_F)))
        return m_err(BV_BUFFER_ERROR, "memoryview: underlying buffer is not contiguous");
    if ((flags & BV_BUF_STRIDES) != BV_BUF_STRIDES && !(f & M_C))
        return m_err(BV_BUFFER_ERROR, "memoryview: underlying buffer is not C-contiguous");
    if ((flags & BV_BUF_ND) != BV_BUF_ND && (flags & BV_BUF_FORMAT))
        return m_err(BV_BUFFER_ERROR,
                     "memoryview: cannot cast to unsigned bytes if the format flag is present");
    return m_ok();
}

static void op_hold(m_input *in)
{
    int h = in_u8(in) % NHOLD;
    if (holds[h].used)
        return;
    uint8_t sel = in_u8(in);
    bv_error err;
    if (sel & 1) {
        int i = (sel >> 1) % NVIEW;
        int flags = view_flags[in_u8(in) % (sizeof view_flags / sizeof view_flags[0])];
        const mview *m = &mv[i];
        m_outcome want = model_view_getbuf(m, flags);
        bv_buffer *b = &holds[h].buf;
        bv_status st = bv_buffer_get(bv_view_exporter(&views[i]), b, flags, &err);
        m_expect("bv_buffer_get(view)", st, &err, &want);
        if (st != BV_OK)
            return;
        const mobj *o = obj_of_view(i);
        bool nd = (flags & BV_BUF_ND) == BV_BUF_ND;
        M_CHECK((uintptr_t)b->buf == (uintptr_t)o->base + (uintptr_t)m->off, "held buf");
        M_CHECK(b->len == model_nbytes(m) && b->itemsize == m->itemsize &&
                    b->readonly == (m->ro ? 1 : 0) && b->ndim == (nd ? m->ndim : 1),
                "held buffer fields");
        M_CHECK((flags & BV_BUF_FORMAT) ? b->format != NULL && strcmp(b->format, m->fmt) == 0
                                        : b->format == NULL,
                "held buffer format");
        M_CHECK(nd ? b->shape != NULL : b->shape == NULL, "held buffer shape");
        M_CHECK((flags & BV_BUF_STRIDES) == BV_BUF_STRIDES ? b->strides != NULL
                                                           : b->strides == NULL,
                "held buffer strides");
        for (int k = 0; nd && k < m->ndim; k++)
            M_CHECK(b->shape[k] == m->shape[k] &&
                        (b->strides == NULL || b->strides[k] == m->strides[k]),
                    "held buffer layout");
        holds[h].used = true;
        holds[h].from_view = true;
        holds[h].owner = i;
        mv[i].exports++;
        return;
    }
    int k = (sel >> 1) % NOBJ;
    mobj *o = &objs[k];
    if (o->kind == K_NONE || o->kind == K_TYPED)   /* typed objects: only views take them */
        return;
    static const int obj_flags[] = {BV_BUF_SIMPLE, BV_BUF_WRITABLE, BV_BUF_FULL_RO, BV_BUF_FULL,
                                    BV_BUF_RECORDS_RO, BV_BUF_ND};
    int flags = obj_flags[in_u8(in) % 6];
    m_outcome want = m_ok();
    if (o->closed)
        want = m_err(BV_VALUE_ERROR, "mmap closed or invalid");
    else if ((flags & BV_BUF_WRITABLE) && o->ro)
        want = m_err(BV_BUFFER_ERROR, "Object is not writable.");
    bv_buffer *b = &holds[h].buf;
    bv_status st = bv_buffer_get(o->exporter, b, flags, &err);
    m_expect("bv_buffer_get(object)", st, &err, &want);
    if (st != BV_OK)
        return;
    M_CHECK(b->buf == o->base && b->len == (ptrdiff_t)o->len && b->itemsize == o->itemsize &&
                b->readonly == o->ro && b->ndim == 1 && b->obj == o->exporter,
            "object buffer fields");
    M_CHECK((flags & BV_BUF_FORMAT) ? b->format && b->format[0] == o->code && !b->format[1]
                                    : b->format == NULL,
            "object buffer format");
    holds[h].used = true;
    holds[h].from_view = false;
    holds[h].owner = k;
    o->raw++;
}

static void drop_hold(int h)
{
    hold *x = &holds[h];
    /* bv_buffer_release needs the buffer where bv_buffer_get filled it: its shape may
     * point into it. It was filled in place, so release it in place. */
    bv_buffer_release(&x->buf);
    M_CHECK(x->buf.obj == NULL, "released buffer not zeroed");
    if (x->from_view) {
        mv[x->owner].exports--;
    } else {
        objs[x->owner].raw--;
        obj_maybe_dead(&objs[x->owner]);
    }
    x->used = false;
}

static void op_unhold(m_input *in)
{
    int h = in_u8(in) % NHOLD;
    if (holds[h].used)
        drop_hold(h);
}

/* ---- resizing ------------------------------------------------------------------------- */

static void op_resize(m_input *in)
{
    int k = in_u8(in) % NOBJ;
    mobj *o = &objs[k];
    uint8_t what = in_u8(in);
    if (o->kind == K_NONE || !o->held || o->kind == K_BYTES || o->kind == K_TYPED)
        return;
    bool locked = o->mbufs + o->raw > 0;
    bv_error err;
    if (o->kind == K_MAPPED) {
        m_outcome want = m_ok();
        if (what & 1) {
            if (o->closed)
                want = m_err(BV_VALUE_ERROR, "mmap closed or invalid");
            m_expect("bv_mapped_flush", bv_mapped_flush(o->handle, &err), &err, &want);
            return;
        }
        if (locked)
            want = m_err(BV_BUFFER_ERROR, "cannot close exported pointers exist");
        bv_status st = bv_mapped_close(o->handle, &err);
        m_expect("bv_mapped_close", st, &err, &want);
        if (st == BV_OK) {
            o->closed = true;
            o->len = 0;
            o->base = NULL;
            M_CHECK(bv_mapped_data(o->handle) == NULL, "closed mapping still has data");
        }
        return;
    }
    if (o->kind == K_ARRAY) {
        if (o->len + (size_t)o->itemsize > MAXB)
            return;
        bv_value v = in_value(in);
        m_value mval = m_from_bv(v);
        bv_status want = BV_OK;
        unsigned char item[8];
        bool flt = o->code == 'f' || o->code == 'd';
        if (mval.kind == MV_BYTES || (!flt && mval.kind == MV_FLOAT)) {
            want = BV_TYPE_ERROR;
        } else if (!flt) {
            char c = o->code;
            int size = o->itemsize;
            m_int hi = m_is_signed_int(c) ? ((m_int)1 << (8 * size - 1)) - 1
                                          : ((m_int)1 << (8 * size)) - 1;
            m_int lo = m_is_signed_int(c) ? -hi - 1 : 0;
            if (mval.i < lo || mval.i > hi)
                want = BV_OVERFLOW_ERROR;
            else
                m_store_int(item, size, mval.i);
        } else {
            double d = mval.kind == MV_FLOAT ? mval.f : (double)mval.i;
            if (o->code == 'f') {
                float f = (float)d;
                memcpy(item, &f, 4);
            } else {
                memcpy(item, &d, 8);
            }
        }
        if (want == BV_OK && locked)
            want = BV_BUFFER_ERROR;
        bv_status st = bv_array_append(o->handle, v, &err);
        M_CHECK(st == want, "bv_array_append: %s (%s), model %s", bv_status_name(st),
                st ? err.message : "", bv_status_name(want));
        if (want == BV_BUFFER_ERROR)
            M_CHECK(strcmp(err.message, "cannot resize an array that is exporting buffers") == 0,
                    "bv_array_append lock message \"%s\"", err.message);
        if (st == BV_OK) {
            memcpy(o->sh + o->len, item, (size_t)o->itemsize);
            o->len += (size_t)o->itemsize;
            refresh_base(o);
            /* NaN payloads survive a double store but not always a float narrowing. */
            if (o->code == 'f' && mval.kind == MV_FLOAT && isnan(mval.f))
                memcpy(o->sh + o->len - 4, o->base + o->len - 4, 4);
        }
        return;
    }
    static const char locked_msg[] = "Existing exports of data: object cannot be re-sized";
    m_outcome want = m_ok();
    bv_status st;
    size_t new_len = o->len;
    unsigned char add[MAXB];
    size_t nadd = 0;
    switch (what % 4) {
    case 0: {
        static const int bytes[] = {0, 1, 255, 256, -1, INT32_MIN, INT32_MAX, 0x41};
        int byte = bytes[in_u8(in) % 8];
        if (o->len >= MAXB)
            return;
        if (byte < 0 || byte > 255)
            want = m_err(BV_VALUE_ERROR, "byte must be in range(0, 256)");
        else if (locked)
            want = m_err(BV_BUFFER_ERROR, "%s", locked_msg);
        add[0] = (unsigned char)byte;
        nadd = 1;
        st = bv_bytearray_append(o->handle, byte, &err);
        break;
    }
    case 1: {
        nadd = in_u8(in) % 17;
        if (o->len + nadd > MAXB)
            return;
        bool self = (in_u8(in) & 3) == 0 && nadd <= o->len;   /* b.extend(b[k:]) */
        const unsigned char *src = add;
        if (self) {
            size_t at = o->len - nadd;
            memcpy(add, o->sh + at, nadd);
            src = bv_bytearray_data(o->handle) + at;
        } else {
            for (size_t j = 0; j < nadd; j++)
                add[j] = in_u8(in);
        }
        if (nadd > 0 && locked)
            want = m_err(BV_BUFFER_ERROR, "%s", locked_msg);
        st = bv_bytearray_extend(o->handle, src, nadd, &err);
        break;
    }
    case 2:
        new_len = in_u8(in) % (MAXB + 1);
        if (new_len != o->len && locked)
            want = m_err(BV_BUFFER_ERROR, "%s", locked_msg);
        st = bv_bytearray_resize(o->handle, new_len, &err);
        break;
    default:
        new_len = 0;
        if (o->len != 0 && locked)
            want = m_err(BV_BUFFER_ERROR, "%s", locked_msg);
        st = bv_bytearray_clear(o->handle, &err);
        break;
    }
    m_expect("bytearray resize", st, &err, &want);
    if (st != BV_OK)
        return;
    if (what % 4 < 2) {
        memcpy(o->sh + o->len, add, nadd);
        o->len += nadd;
    } else {
        if (new_len > o->len)
            memset(o->sh + o->len, 0, new_len - o->len);
        o->len = new_len;
    }
    refresh_base(o);
}

/* ---- the driver ----------------------------------------------------------------------- */

static void teardown(void)
{
    for (int h = 0; h < NHOLD; h++)
        if (holds[h].used)
            drop_hold(h);
    bv_error err;
    m_outcome ok = m_ok();
    for (int i = 0; i < NVIEW; i++) {
        m_expect("teardown release", bv_view_release(&views[i], &err), &err, &ok);
        if (mv[i].live)
            view_drop(i);
    }
    check_all();
    for (int k = 0; k < NOBJ; k++) {
        mobj *o = &objs[k];
        if (o->kind != K_NONE)
            M_CHECK(o->held && o->mbufs == 0 && o->raw == 0 && obj_exports(o) == 0,
                    "object %d still exported after every view was released", k);
        if (o->kind != K_NONE && o->held) {
            o->held = false;
            decref_object(o);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(objs, 0, sizeof objs);
    memset(mbufs, 0, sizeof mbufs);
    memset(mv, 0, sizeof mv);
    memset(views, 0, sizeof views);
    memset(holds, 0, sizeof holds);
    m_input in = {data, size};
    for (int step = 0; step < 96 && !in_empty(&in); step++) {
        switch (in_u8(&in) % 22) {
        case 0: case 1: op_new_object(&in); break;
        case 2: op_drop_object(&in); break;
        case 3: case 4: op_view_from_object(&in); break;
        case 5: op_view_from_view(&in); break;
        case 6: op_slice(&in); break;
        case 7: op_slice_nd(&in); break;
        case 8: op_cast(&in); break;
        case 9: op_release(&in); break;
        case 10: op_get(&in); break;
        case 11: op_get_at(&in); break;
        case 12: op_set(&in); break;
        case 13: op_assign(&in); break;
        case 14: op_tobytes(&in); break;
        case 15: op_tolist(&in); op_hex(&in); break;
        case 16: op_count_index(&in); break;
        case 17: op_equal(&in); op_hash(&in); break;
        case 18: op_hold(&in); op_unhold(&in); break;
        case 19: op_attributes(&in); break;
        case 20: op_subscript(&in); break;
        default: op_resize(&in); break;
        }
        check_all();
    }
    teardown();
    return 0;
}
