/*
 * run_c.c (program bv_diff): the bufview side of the differential test.
 *
 * Reads a batch of operation sequences in the line language of tests/diff/README.md and
 * runs each on bufview, printing one canonical line per operation: the value as Python's
 * repr() prints it (through repr.h), "ok", or "Kind: message" for an error. run_py.py
 * prints the same lines from CPython, run_np.py those of the NumPy language (sub,
 * assignsub, bytes) from NumPy; diff.py compares them.
 *
 * Every sequence runs under a counting allocator: after "end" has released every export
 * and view and dropped every object, nothing bufview allocated may still be live, or the
 * line is "LEAK: ..." instead of "end".
 *
 * Usage: bv_diff FILE   ('-' reads stdin)
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bufview/bufview.h"
#include "../typed_exporter.h"

#define MAX_NAMES 4096
#define MAX_TOKENS 160
#define MAX_DIMS 128
/* The bytes of one new object. The largest gen.py writes is the NumPy language's source of
 * another format for an assignment into a byte cast of its largest typed object: 3**5
 * 8-byte items are 1,944 bytes, a source of 1,945 8-byte items 15,560. */
#define MAX_DATA (1 << 15)
/* One input line: hex for MAX_DATA bytes and the rest of the operation. */
#define MAX_LINE (1 << 17)

static const char BEYOND_SLICE[] =
    "beyond CPython (NotImplementedError: multi-dimensional slicing is not implemented):";
static const char BEYOND_ASSIGN[] =
    "beyond CPython (NotImplementedError: memoryview slice assignments are currently "
    "restricted to ndim = 1): ok";
/* Items of byte-order formats ("<i"): CPython refuses them, bufview reads and writes them. */
static const char BEYOND_FORMAT[] =
    "beyond CPython (NotImplementedError: memoryview: unsupported format %s): ";

/* ---- counting allocator ----------------------------------------------------------- */

static size_t live_allocations;

static void *count_malloc(size_t size, void *ctx)
{
    (void)ctx;
    void *p = malloc(size == 0 ? 1 : size);
    if (p != NULL)
        live_allocations++;
    return p;
}

static void count_free(void *p, void *ctx)
{
    (void)ctx;
    if (p != NULL) {
        live_allocations--;
        free(p);
    }
}

/* ---- state of one sequence -------------------------------------------------------- */

typedef enum { OBJ_NONE, OBJ_BYTES, OBJ_BYTEARRAY, OBJ_ARRAY, OBJ_TYPED } obj_kind;

typedef struct obj_slot {
    obj_kind kind;
    union {
        bv_bytes *bytes;
        bv_bytearray *bytearray;
        bv_array *array;
        typed_exporter *typed;   /* "typed" objects: _testbuffer.ndarray's double */
    } as;
} obj_slot;

/* Views and held buffers must not move while exported, so they live in fixed arrays. */
static obj_slot objs[MAX_NAMES];
static bv_view views[MAX_NAMES];
static bool view_used[MAX_NAMES];
static bv_buffer exps[MAX_NAMES];
static bool exp_used[MAX_NAMES];
static int max_obj = -1, max_view = -1, max_exp = -1;

/* ---- output ----------------------------------------------------------------------- */

static bv_str line;   /* the result line being built */

static void out_reset(void)
{
    line.len = 0;
    if (line.data != NULL)
        line.data[0] = '\0';
}

static void out_text(const char *text)
{
    if (bv_str_append(&line, text, strlen(text), NULL) != BV_OK) {
        fputs("bv_diff: out of memory\n", stderr);
        exit(3);
    }
}

static void out_fmt(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static void out_fmt(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out_text(buf);
}

static void out_error(const bv_error *err)
{
    out_reset();
    out_fmt("%s: %s", bv_status_name(err->kind), err->message);
}

/* A repr that failed (it cannot for the values bufview returns) is shown as its error. */
static void out_repr_status(bv_status st, const bv_error *err)
{
    if (st != BV_OK)
        out_error(err);
}

static void out_bool(bool b)
{
    out_text(b ? "True" : "False");
}

static void out_tuple(const ptrdiff_t *v, int n)
{
    out_text("(");
    for (int i = 0; i < n; i++)
        out_fmt(i == 0 ? "%td" : ", %td", v[i]);
    out_text(n == 1 ? ",)" : ")");
}

/* ---- parsing ---------------------------------------------------------------------- */

typedef struct toks {
    int n;
    char *t[MAX_TOKENS];
} toks;

static void syntax(const char *what, const char *tok)
{
    out_reset();
    out_fmt("SyntaxError: bad %s %s", what, tok != NULL ? tok : "(missing)");
}

static bool parse_i64(const char *s, int64_t *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (int64_t)v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

static bool parse_double(const char *s, double *out)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end;
    *out = strtod(s, &end);
    return *end == '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex text ("-" for empty) into buf; -1 when malformed. */
static ptrdiff_t parse_hex(const char *s, unsigned char *buf, size_t cap)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "-") == 0)
        return 0;
    size_t n = strlen(s);
    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        buf[i] = (unsigned char)(hi * 16 + lo);
    }
    return (ptrdiff_t)(n / 2);
}

static bool parse_value(const char *tok, bv_value *out)
{
    if (tok == NULL || strlen(tok) < 2 || tok[1] != ':')
        return false;
    const char *text = tok + 2;
    switch (tok[0]) {
    case 'i': {
        int64_t v;
        if (!parse_i64(text, &v))
            return false;
        *out = bv_value_int(v);
        return true;
    }
    case 'u': {
        uint64_t v;
        if (!parse_u64(text, &v))
            return false;
        *out = bv_value_uint(v);
        return true;
    }
    case 'f': {
        double d;
        if (!parse_double(text, &d))
            return false;
        *out = bv_value_float(d);
        return true;
    }
    case 'b':
        if (strcmp(text, "True") == 0)
            *out = bv_value_bool(true);
        else if (strcmp(text, "False") == 0)
            *out = bv_value_bool(false);
        else
            return false;
        return true;
    case 'y': {
        unsigned char buf[64];
        ptrdiff_t n = *text == '\0' ? 0 : parse_hex(text, buf, sizeof buf);
        if (n < 0)
            return false;
        *out = bv_value_bytes(buf, (size_t)n);
        return true;
    }
    default:
        return false;
    }
}

static bool parse_slice(const char *tok, bv_slice *s)
{
    if (tok == NULL || tok[0] != '[')
        return false;
    size_t n = strlen(tok);
    if (n < 3 || tok[n - 1] != ']' || n > 200)
        return false;
    char buf[200];
    memcpy(buf, tok + 1, n - 2);
    buf[n - 2] = '\0';
    char *parts[3] = {NULL, NULL, NULL};
    int k = 0;
    char *p = buf;
    parts[k++] = p;
    for (; *p; p++) {
        if (*p == ':') {
            if (k == 3)
                return false;
            *p = '\0';
            parts[k++] = p + 1;
        }
    }
    if (k < 2)
        return false;
    int64_t v[3] = {0, 0, 1};
    bool has[3] = {false, false, false};
    for (int i = 0; i < k; i++) {
        if (*parts[i] == '\0')
            continue;
        if (!parse_i64(parts[i], &v[i]))
            return false;
        has[i] = true;
    }
    *s = (bv_slice){(ptrdiff_t)v[0], (ptrdiff_t)v[1], (ptrdiff_t)v[2], has[0], has[1], has[2]};
    return true;
}

/* "1,2,3" or "-" for none; -1 when malformed. */
static int parse_ints(const char *tok, ptrdiff_t *out, int cap)
{
    if (tok == NULL)
        return -1;
    if (strcmp(tok, "-") == 0)
        return 0;
    int n = 0;
    const char *p = tok;
    while (*p) {
        char buf[32];
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof buf || n == cap)
            return -1;
        memcpy(buf, p, len);
        buf[len] = '\0';
        int64_t v;
        if (!parse_i64(buf, &v))
            return -1;
        out[n++] = (ptrdiff_t)v;
        p += len;
        if (*p == ',')
            p++;
    }
    return n;
}

/* "v12" -> 12 when the prefix matches. */
static int name_index(const char *tok, char prefix)
{
    if (tok == NULL || tok[0] != prefix || !isdigit((unsigned char)tok[1]))
        return -1;
    char *end;
    long v = strtol(tok + 1, &end, 10);
    if (*end != '\0' || v < 0 || v >= MAX_NAMES)
        return -1;
    return (int)v;
}

/* The KeyError run_py.py prints for an unknown name. */
static void unknown(const char *tok)
{
    out_reset();
    out_fmt("KeyError: '%s'", tok != NULL ? tok : "");
}

static bv_view *view_arg(const char *tok)
{
    int i = name_index(tok, 'v');
    if (i < 0 || !view_used[i]) {
        unknown(tok);
        return NULL;
    }
    return &views[i];
}

static int new_view_slot(const char *tok)
{
    int i = name_index(tok, 'v');
    if (i < 0 || view_used[i]) {
        syntax("new view name", tok);
        return -1;
    }
    return i;
}

static void bind_view(int i)
{
    view_used[i] = true;
    if (i > max_view)
        max_view = i;
}

static obj_slot *obj_arg(const char *tok)
{
    int i = name_index(tok, 'o');
    if (i < 0 || objs[i].kind == OBJ_NONE) {
        unknown(tok);
        return NULL;
    }
    return &objs[i];
}

/* "typed" objects: a writable exporter of any struct format and C-contiguous shape, as
 * CPython's _testbuffer.ndarray exports one (and with its type name), so that views of
 * byte-order formats and N-D exporters exist on both sides. */
static void typed_destroy(bv_exporter *self)
{
    typed_exporter *t = (typed_exporter *)self;
    bv_free(t->mem);
    bv_free(t);
}

static const bv_exporter_type typed_type = {"ndarray", typed_getbuffer, typed_releasebuffer,
                                            typed_destroy};

/* The object's memory, for the NumPy language's "bytes oN". */
static void obj_memory(obj_slot *o, const unsigned char **data, size_t *size)
{
    switch (o->kind) {
    case OBJ_BYTES:
        *data = bv_bytes_data(o->as.bytes);
        *size = bv_bytes_size(o->as.bytes);
        break;
    case OBJ_BYTEARRAY:
        *data = bv_bytearray_data(o->as.bytearray);
        *size = bv_bytearray_size(o->as.bytearray);
        break;
    case OBJ_ARRAY:
        *data = bv_array_data(o->as.array);
        *size = bv_array_len(o->as.array) * (size_t)bv_array_itemsize(o->as.array);
        break;
    case OBJ_TYPED:
        *data = o->as.typed->mem;
        *size = (size_t)o->as.typed->len;
        break;
    default:
        *data = NULL;
        *size = 0;
        break;
    }
}

static bv_exporter *obj_exporter(obj_slot *o)
{
    switch (o->kind) {
    case OBJ_BYTES:
        return bv_bytes_exporter(o->as.bytes);
    case OBJ_BYTEARRAY:
        return bv_bytearray_exporter(o->as.bytearray);
    case OBJ_ARRAY:
        return bv_array_exporter(o->as.array);
    case OBJ_TYPED:
        return &o->as.typed->base;
    default:
        return NULL;
    }
}

/* A view, an object or "none" as the exporter Python code would pass; false after
 * printing the error. */
static bool operand(const char *tok, bv_exporter **out)
{
    if (tok != NULL && strcmp(tok, "none") == 0) {
        *out = NULL;   /* Python's None: not an exporter */
        return true;
    }
    if (tok != NULL && tok[0] == 'v') {
        bv_view *v = view_arg(tok);
        if (v == NULL)
            return false;
        *out = bv_view_exporter(v);
        return true;
    }
    obj_slot *o = obj_arg(tok);
    if (o == NULL)
        return false;
    *out = obj_exporter(o);
    return true;
}

/* Append tolist()'s repr of v; false after printing the error. */
static bool put_tolist(const bv_view *v)
{
    bv_error err;
    bv_list list;
    if (bv_view_tolist(v, &list, &err) != BV_OK) {
        out_error(&err);
        return false;
    }
    bv_status st = bv_repr_list(&line, &list, &err);
    bv_list_free(&list);
    if (st != BV_OK) {
        out_error(&err);
        return false;
    }
    return true;
}

/* ---- the NumPy language: subscripts and the layout of a sub-view ------------------- */

/* Subscript items from tokens first..n-1: an integer, a slice "[a:b:c]", "..." or
 * "newaxis"; -1 after printing the error. */
static int parse_items(toks *t, int first, bv_index *items)
{
    int n = 0;
    for (int k = first; k < t->n; k++, n++) {
        const char *tok = t->t[k];
        int64_t i;
        bv_slice s;
        if (n == MAX_TOKENS) {
            syntax("items", tok);
            return -1;
        }
        if (strcmp(tok, "...") == 0) {
            items[n] = bv_index_ellipsis();
        } else if (strcmp(tok, "newaxis") == 0) {
            items[n] = bv_index_newaxis();
        } else if (tok[0] == '[' && parse_slice(tok, &s)) {
            items[n] = bv_index_slice(s);
        } else if (parse_i64(tok, &i)) {
            items[n] = bv_index_int((ptrdiff_t)i);
        } else {
            syntax("item", tok);
            return -1;
        }
    }
    return n;
}

/* A sub-view as NumPy describes an array: shape, strides, the offset of item [0,...,0]
 * in its object's memory, its items and bytes. An empty result's strides and offset are
 * not shown: NumPy gives an empty slice start 0 and step 1, bufview keeps CPython's
 * slice arithmetic. */
static void put_layout(const bv_view *r, const unsigned char *base)
{
    const ptrdiff_t *shape, *strides;
    bv_error err;
    if (bv_view_shape(r, &shape, &err) != BV_OK || bv_view_strides(r, &strides, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    bool empty = false;
    for (int k = 0; k < r->ndim; k++)
        empty = empty || shape[k] == 0;
    out_text("shape=");
    out_tuple(shape, r->ndim);
    if (empty) {
        out_text(" strides=(empty) offset=(empty)");
    } else {
        out_text(" strides=");
        out_tuple(strides, r->ndim);
        out_fmt(" offset=%td", (ptrdiff_t)(r->buf - (const char *)base));
    }
    out_text(" tolist=");
    if (!put_tolist(r))
        return;
    bv_bytes *b;
    if (bv_view_tobytes(r, 0, &b, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_text(" tobytes=");
    out_repr_status(bv_repr_bytes(&line, bv_bytes_data(b), bv_bytes_size(b), &err), &err);
    bv_bytes_decref(b);
}

/* The object a live view's memory belongs to, for offsets. */
static const unsigned char *view_base(const bv_view *v)
{
    bv_exporter *obj = NULL;
    if (bv_view_obj(v, &obj, NULL) != BV_OK)
        return NULL;
    for (int i = 0; i <= max_obj; i++) {
        if (objs[i].kind != OBJ_NONE && obj_exporter(&objs[i]) == obj) {
            const unsigned char *data;
            size_t size;
            obj_memory(&objs[i], &data, &size);
            return data;
        }
    }
    return NULL;
}

/* ---- operations ------------------------------------------------------------------- */

static void op_new(toks *t)
{
    int i = name_index(t->n > 1 ? t->t[1] : NULL, 'o');
    if (i < 0 || objs[i].kind != OBJ_NONE || t->n < 4) {
        syntax("new", t->n > 1 ? t->t[1] : NULL);
        return;
    }
    bv_error err;
    static unsigned char data[MAX_DATA];
    const char *kind = t->t[2];
    bv_status st;
    if (strcmp(kind, "bytes") == 0 || strcmp(kind, "bytearray") == 0) {
        ptrdiff_t n = parse_hex(t->t[3], data, sizeof data);
        if (n < 0) {
            syntax("hex", t->t[3]);
            return;
        }
        if (kind[5] == '\0') {
            st = bv_bytes_new(&objs[i].as.bytes, data, (size_t)n, &err);
            objs[i].kind = OBJ_BYTES;
        } else {
            st = bv_bytearray_new(&objs[i].as.bytearray, data, (size_t)n, &err);
            objs[i].kind = OBJ_BYTEARRAY;
        }
    } else if (strcmp(kind, "array") == 0 && t->n >= 5 && strlen(t->t[3]) == 1) {
        char tc = t->t[3][0];
        ptrdiff_t size = bv_format_itemsize(tc);
        size_t count = 0;
        const char *p = strcmp(t->t[4], "-") == 0 ? "" : t->t[4];
        while (*p) {
            char buf[64];
            size_t len = strcspn(p, ",");
            if (len == 0 || len >= sizeof buf || size <= 0 ||
                (count + 1) * (size_t)size > sizeof data) {
                syntax("array items", t->t[4]);
                return;
            }
            memcpy(buf, p, len);
            buf[len] = '\0';
            unsigned char *dst = data + count * (size_t)size;
            bool ok = true;
            if (tc == 'f' || tc == 'd') {
                double d = 0.0;
                ok = parse_double(buf, &d);
                /* array's f_setitem: the C conversion (overflow becomes inf). */
                if (tc == 'f') {
                    float f = (float)d;
                    memcpy(dst, &f, sizeof f);
                } else {
                    memcpy(dst, &d, sizeof d);
                }
            } else {
                /* The generator writes in-range items only; pack them natively. */
                bv_value v;
                int64_t s;
                uint64_t u;
                if (parse_i64(buf, &s))
                    v = bv_value_int(s);
                else if (parse_u64(buf, &u))
                    v = bv_value_uint(u);
                else
                    ok = false;
                if (ok)
                    ok = bv_format_pack(tc, dst, v, NULL) == BV_OK;
            }
            if (!ok) {
                syntax("array item", buf);
                return;
            }
            count++;
            p += len;
            if (*p == ',')
                p++;
        }
        st = bv_array_new(&objs[i].as.array, tc, data, count, &err);
        objs[i].kind = OBJ_ARRAY;
    } else if (strcmp(kind, "typed") == 0 && t->n == 6) {
        /* new oN typed FORMAT SHAPE HEX: the bytes must fill the shape exactly. */
        ptrdiff_t shape[MAX_DIMS];
        int ndim = parse_ints(t->t[4], shape, BV_MAXDIM);
        ptrdiff_t n = parse_hex(t->t[5], data, sizeof data);
        ptrdiff_t itemsize = bv_format_calcsize(t->t[3], NULL);
        ptrdiff_t len = itemsize;
        for (int k = 0; k < ndim && len >= 0; k++)
            len = shape[k] < 0 ? -1 : len * shape[k];
        if (ndim < 0 || n < 0 || itemsize <= 0 || len != n || strlen(t->t[3]) >= 32) {
            syntax("typed object", t->t[3]);
            return;
        }
        typed_exporter *obj = bv_malloc(sizeof *obj);
        unsigned char *mem = bv_malloc(n > 0 ? (size_t)n : 1);
        if (obj == NULL || mem == NULL) {
            fputs("bv_diff: out of memory\n", stderr);
            exit(3);
        }
        memcpy(mem, data, (size_t)n);
        typed_exporter_init(obj, &typed_type, BV_EXPORTER_COUNTED, t->t[3], itemsize, shape,
                            ndim, mem, false);
        objs[i].as.typed = obj;
        objs[i].kind = OBJ_TYPED;
        st = BV_OK;
    } else {
        syntax("new", kind);
        return;
    }
    if (st != BV_OK) {
        objs[i].kind = OBJ_NONE;
        out_error(&err);
        return;
    }
    if (i > max_obj)
        max_obj = i;
    out_text("ok");
}

static void op_view(toks *t)
{
    if (t->n != 4) {
        syntax("view", NULL);
        return;
    }
    int i = new_view_slot(t->t[1]);
    bv_exporter *src;
    if (i < 0 || !operand(t->t[3], &src))
        return;
    bv_error err;
    if (bv_view_from(&views[i], src, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    bind_view(i);
    out_text("ok");
}

/* slice / ellipsis / toreadonly / cast / castsh, and the NumPy language's sub:
 * "OP vN = vM ..." */
static void op_derive(toks *t)
{
    const char *op = t->t[0];
    if (t->n < 4) {
        syntax(op, NULL);
        return;
    }
    int i = new_view_slot(t->t[1]);
    if (i < 0)
        return;
    bv_view *src = view_arg(t->t[3]);
    if (src == NULL)
        return;
    bv_error err;
    bv_status st;
    if (strcmp(op, "slice") == 0) {
        bv_slice s;
        if (t->n != 5 || !parse_slice(t->t[4], &s)) {
            syntax("slice", t->n > 4 ? t->t[4] : NULL);
            return;
        }
        st = bv_view_slice(&views[i], src, s, &err);
    } else if (strcmp(op, "sub") == 0) {
        bv_index items[MAX_TOKENS];
        int n = parse_items(t, 4, items);
        if (n < 0)
            return;
        st = bv_view_subscript(&views[i], src, items, (size_t)n, &err);
    } else if (strcmp(op, "ellipsis") == 0) {
        st = bv_view_ellipsis(&views[i], src, &err);
    } else if (strcmp(op, "toreadonly") == 0) {
        st = bv_view_toreadonly(&views[i], src, &err);
    } else {
        if (t->n < 5) {
            syntax("cast", NULL);
            return;
        }
        const char *fmt = strcmp(t->t[4], "\"\"") == 0 ? "" : t->t[4];
        if (strcmp(op, "cast") == 0) {
            st = bv_view_cast(&views[i], src, fmt, &err);
        } else {
            ptrdiff_t shape[MAX_DIMS];
            int n = t->n == 6 ? parse_ints(t->t[5], shape, MAX_DIMS) : -1;
            if (n < 0) {
                syntax("shape", t->n > 5 ? t->t[5] : NULL);
                return;
            }
            st = bv_view_cast_shape(&views[i], src, fmt, shape, n, &err);
        }
    }
    if (st != BV_OK) {
        out_error(&err);
        return;
    }
    bind_view(i);
    if (strcmp(op, "sub") == 0)
        put_layout(&views[i], view_base(&views[i]));
    else
        out_text("ok");
}

/* Before a successful item operation's result on a view of a byte-order format ("<i"),
 * which CPython cannot index: the line says bufview went beyond CPython. */
static void out_beyond_format(const bv_view *v)
{
    const char *f;
    if (bv_view_format(v, &f, NULL) != BV_OK || strlen(f) != 2 || strchr("<>!=", f[0]) == NULL ||
        strchr("cbB?hHeiIlLqQfd", f[1]) == NULL)
        return;
    out_fmt(BEYOND_FORMAT, f);
}

static void op_get(toks *t)
{
    bv_view *v = t->n == 3 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 3)
            syntax("get", NULL);
        return;
    }
    bv_error err;
    bv_value val;
    bv_status st;
    if (strcmp(t->t[0], "get") == 0) {
        int64_t idx;
        if (!parse_i64(t->t[2], &idx)) {
            syntax("index", t->t[2]);
            return;
        }
        st = bv_view_get(v, (ptrdiff_t)idx, &val, &err);
    } else {
        ptrdiff_t idx[MAX_DIMS];
        int n = parse_ints(t->t[2], idx, MAX_DIMS);
        if (n < 0) {
            syntax("indices", t->t[2]);
            return;
        }
        st = bv_view_get_at(v, idx, (size_t)n, &val, &err);
    }
    if (st != BV_OK) {
        out_error(&err);
        return;
    }
    out_beyond_format(v);
    out_repr_status(bv_repr_value(&line, val, &err), &err);
}

static void op_set(toks *t)
{
    bv_view *v = t->n == 4 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 4)
            syntax("set", NULL);
        return;
    }
    bv_value val;
    if (!parse_value(t->t[3], &val)) {
        syntax("value", t->t[3]);
        return;
    }
    bv_error err;
    bv_status st;
    if (strcmp(t->t[0], "set") == 0) {
        int64_t idx;
        if (!parse_i64(t->t[2], &idx)) {
            syntax("index", t->t[2]);
            return;
        }
        st = bv_view_set(v, (ptrdiff_t)idx, val, &err);
    } else {
        ptrdiff_t idx[MAX_DIMS];
        int n = parse_ints(t->t[2], idx, MAX_DIMS);
        if (n < 0) {
            syntax("indices", t->t[2]);
            return;
        }
        st = bv_view_set_at(v, idx, (size_t)n, val, &err);
    }
    if (st != BV_OK) {
        out_error(&err);
        return;
    }
    out_beyond_format(v);
    out_text("ok");
}

static void op_del(toks *t)
{
    bv_view *v = t->n == 3 ? view_arg(t->t[1]) : NULL;
    int64_t idx;
    if (v == NULL || !parse_i64(t->t[2], &idx)) {
        if (t->n != 3 || v != NULL)
            syntax("del", NULL);
        return;
    }
    bv_error err;
    if (bv_view_delete(v, (ptrdiff_t)idx, &err) != BV_OK)
        out_error(&err);
    else
        out_text("ok");
}

static void op_assign(toks *t)
{
    bv_view *v = t->n == 4 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 4)
            syntax("assign", NULL);
        return;
    }
    bv_slice s;
    if (!parse_slice(t->t[2], &s)) {
        syntax("slice", t->t[2]);
        return;
    }
    bv_exporter *src;
    if (!operand(t->t[3], &src))
        return;
    bv_error err;
    if (bv_view_assign_slice(v, s, src, &err) != BV_OK)
        out_error(&err);
    else
        out_text("ok");
}


static void op_tolist(toks *t)
{
    bv_view *v = t->n == 2 ? view_arg(t->t[1]) : NULL;
    if (v != NULL) {
        out_beyond_format(v);   /* an error replaces the whole line */
        put_tolist(v);
    } else if (t->n != 2) {
        syntax("tolist", NULL);
    }
}

static void op_tobytes(toks *t)
{
    bv_view *v = t->n == 3 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 3)
            syntax("tobytes", NULL);
        return;
    }
    /* '-' is the default argument; anything else is passed as the order character. */
    char order = strcmp(t->t[2], "-") == 0 ? 0 : t->t[2][0];
    if (order != 0 && t->t[2][1] != '\0') {
        syntax("order", t->t[2]);
        return;
    }
    bv_error err;
    bv_bytes *b;
    if (bv_view_tobytes(v, order, &b, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_repr_status(bv_repr_bytes(&line, bv_bytes_data(b), bv_bytes_size(b), &err), &err);
    bv_bytes_decref(b);
}

static void op_hex(toks *t)
{
    bv_view *v = t->n == 4 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 4)
            syntax("hex", NULL);
        return;
    }
    char sepbuf[16];
    const char *sep = NULL;
    int64_t bps = 1;
    if (strcmp(t->t[2], "-") != 0) {
        /* 's' + the separator's UTF-8 bytes in hex ("s" alone is the empty string). */
        ptrdiff_t n = t->t[2][0] == 's'
                          ? (t->t[2][1] == '\0'
                                 ? 0
                                 : parse_hex(t->t[2] + 1, (unsigned char *)sepbuf,
                                             sizeof sepbuf - 1))
                          : -1;
        if (n < 0 || !parse_i64(t->t[3], &bps)) {
            syntax("hex arguments", t->t[2]);
            return;
        }
        sepbuf[n] = '\0';
        sep = sepbuf;
    }
    bv_error err;
    char *hex;
    if (bv_view_hex(v, sep, (ptrdiff_t)bps, &hex, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_text(hex);
    bv_free(hex);
}

static void op_count(toks *t)
{
    bv_view *v = t->n == 3 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 3)
            syntax("count", NULL);
        return;
    }
    bv_value val;
    if (!parse_value(t->t[2], &val)) {
        syntax("value", t->t[2]);
        return;
    }
    bv_error err;
    ptrdiff_t n;
    if (bv_view_count(v, val, &n, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_beyond_format(v);
    out_fmt("%td", n);
}

static void op_index(toks *t)
{
    bv_view *v = t->n == 5 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 5)
            syntax("index", NULL);
        return;
    }
    bv_value val;
    int64_t start, stop = PTRDIFF_MAX;
    if (!parse_value(t->t[2], &val) || !parse_i64(t->t[3], &start) ||
        (strcmp(t->t[4], "-") != 0 && !parse_i64(t->t[4], &stop))) {
        syntax("index arguments", t->t[2]);
        return;
    }
    bv_error err;
    ptrdiff_t n;
    if (bv_view_index(v, val, (ptrdiff_t)start, (ptrdiff_t)stop, &n, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_beyond_format(v);
    out_fmt("%td", n);
}

static void op_eq(toks *t)
{
    bv_view *a = t->n == 3 ? view_arg(t->t[1]) : NULL;
    if (a == NULL) {
        if (t->n != 3)
            syntax("eq", NULL);
        return;
    }
    bv_error err;
    bool eq;
    bv_status st;
    const char *other = t->t[2];
    if (strcmp(other, "none") == 0) {
        st = bv_view_equal_exporter(a, NULL, &eq, &err);
    } else if (other[0] == 'v') {
        bv_view *b = view_arg(other);
        if (b == NULL)
            return;
        st = bv_view_equal(a, b, &eq, &err);
    } else {
        obj_slot *o = obj_arg(other);
        if (o == NULL)
            return;
        st = bv_view_equal_exporter(a, obj_exporter(o), &eq, &err);
    }
    if (st != BV_OK)
        out_error(&err);
    else
        out_bool(eq);
}

static void op_hash(toks *t)
{
    bv_view *v = t->n == 2 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 2)
            syntax("hash", NULL);
        return;
    }
    bv_error err;
    uint64_t h;
    if (bv_view_hash(v, &h, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    /* Values differ from CPython's by design (fixed key); compare with tobytes()'s. */
    bv_bytes *b;
    if (bv_view_tobytes(v, 0, &b, &err) != BV_OK) {
        out_text("hash ok");
        return;
    }
    bool same = bv_hash_bytes(bv_bytes_data(b), bv_bytes_size(b)) == h;
    bv_bytes_decref(b);
    out_text(same ? "hash ok" : "hash differs from hash(tobytes())");
}

static void op_release(toks *t)
{
    bv_view *v = t->n == 2 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 2)
            syntax("release", NULL);
        return;
    }
    bv_error err;
    if (bv_view_release(v, &err) != BV_OK)
        out_error(&err);
    else
        out_text("ok");
}

static void op_attrs(toks *t)
{
    bv_view *v = t->n == 2 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 2)
            syntax("attrs", NULL);
        return;
    }
    bv_error err;
    bv_exporter *obj;
    ptrdiff_t nbytes, itemsize, nsub;
    bool ro, c, f, any;
    const char *fmt;
    int ndim;
    const ptrdiff_t *shape, *strides;
    /* Each attribute fails on its own, as Python's do; the first failure is the line. */
    if (bv_view_obj(v, &obj, &err) != BV_OK || bv_view_nbytes(v, &nbytes, &err) != BV_OK ||
        bv_view_readonly(v, &ro, &err) != BV_OK || bv_view_itemsize(v, &itemsize, &err) != BV_OK ||
        bv_view_format(v, &fmt, &err) != BV_OK || bv_view_ndim(v, &ndim, &err) != BV_OK ||
        bv_view_shape(v, &shape, &err) != BV_OK || bv_view_strides(v, &strides, &err) != BV_OK ||
        bv_view_suboffsets(v, &nsub, &err) != BV_OK ||
        bv_view_c_contiguous(v, &c, &err) != BV_OK ||
        bv_view_f_contiguous(v, &f, &err) != BV_OK || bv_view_contiguous(v, &any, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_fmt("obj=%s nbytes=%td readonly=", bv_exporter_type_name(obj), nbytes);
    out_bool(ro);
    out_fmt(" itemsize=%td format=%s ndim=%d shape=", itemsize, fmt, ndim);
    out_tuple(shape, ndim);
    out_text(" strides=");
    out_tuple(strides, ndim);
    out_text(" suboffsets=");
    out_tuple(NULL, (int)nsub);
    out_text(" c=");
    out_bool(c);
    out_text(" f=");
    out_bool(f);
    out_text(" contig=");
    out_bool(any);
}

static void op_len(toks *t)
{
    bv_view *v = t->n == 2 ? view_arg(t->t[1]) : NULL;
    if (v == NULL) {
        if (t->n != 2)
            syntax("len", NULL);
        return;
    }
    bv_error err;
    ptrdiff_t n;
    if (bv_view_len(v, &n, &err) != BV_OK)
        out_error(&err);
    else
        out_fmt("%td", n);
}

static void op_resize(toks *t)
{
    obj_slot *o = t->n >= 3 ? obj_arg(t->t[1]) : NULL;
    if (o == NULL) {
        if (t->n < 3)
            syntax("resize", NULL);
        return;
    }
    const char *what = t->t[2];
    bv_error err;
    bv_status st;
    if (o->kind == OBJ_ARRAY && strcmp(what, "append") == 0 && t->n == 4) {
        bv_value val;
        if (!parse_value(t->t[3], &val)) {
            syntax("value", t->t[3]);
            return;
        }
        st = bv_array_append(o->as.array, val, &err);
    } else if (o->kind == OBJ_BYTEARRAY) {
        bv_bytearray *ba = o->as.bytearray;
        if (strcmp(what, "append") == 0 && t->n == 4) {
            int64_t b;
            if (strlen(t->t[3]) < 3 || !parse_i64(t->t[3] + 2, &b) || b < INT32_MIN ||
                b > INT32_MAX) {
                syntax("byte", t->t[3]);
                return;
            }
            st = bv_bytearray_append(ba, (int)b, &err);
        } else if (strcmp(what, "extend") == 0 && t->n == 4) {
            unsigned char data[256];
            ptrdiff_t n = parse_hex(t->t[3], data, sizeof data);
            if (n < 0) {
                syntax("hex", t->t[3]);
                return;
            }
            st = bv_bytearray_extend(ba, data, (size_t)n, &err);
        } else if (strcmp(what, "clear") == 0 && t->n == 3) {
            st = bv_bytearray_clear(ba, &err);
        } else if (strcmp(what, "size") == 0 && t->n == 4) {
            int64_t n;
            if (!parse_i64(t->t[3], &n) || n < 0) {
                syntax("size", t->t[3]);
                return;
            }
            st = bv_bytearray_resize(ba, (size_t)n, &err);
        } else {
            syntax("resize", what);
            return;
        }
    } else {
        syntax("resize", what);
        return;
    }
    if (st != BV_OK)
        out_error(&err);
    else
        out_text("ok");
}

static void op_show(toks *t)
{
    obj_slot *o = t->n == 2 ? obj_arg(t->t[1]) : NULL;
    if (o == NULL) {
        if (t->n != 2)
            syntax("show", NULL);
        return;
    }
    bv_error err;
    bv_status st = BV_OK;
    if (o->kind == OBJ_BYTES) {
        st = bv_repr_bytes(&line, bv_bytes_data(o->as.bytes), bv_bytes_size(o->as.bytes), &err);
    } else if (o->kind == OBJ_BYTEARRAY) {
        bv_bytearray *ba = o->as.bytearray;
        st = bv_repr_bytearray(&line, bv_bytearray_data(ba), bv_bytearray_size(ba), &err);
    } else {
        bv_array *a = o->as.array;
        size_t n = bv_array_len(a);
        out_fmt("array('%c'", bv_array_typecode(a));
        for (size_t k = 0; k < n && st == BV_OK; k++) {
            bv_value val;
            st = bv_array_get(a, (ptrdiff_t)k, &val, &err);
            if (st == BV_OK) {
                out_text(k == 0 ? ", [" : ", ");
                st = bv_repr_value(&line, val, &err);
            }
        }
        if (st == BV_OK)
            out_text(n > 0 ? "])" : ")");
    }
    out_repr_status(st, &err);
}

static void op_export(toks *t)
{
    int i = t->n == 4 ? name_index(t->t[1], 'x') : -1;
    if (i < 0 || exp_used[i]) {
        syntax("export", t->n > 1 ? t->t[1] : NULL);
        return;
    }
    bv_exporter *src;
    if (!operand(t->t[3], &src))
        return;
    bv_error err;
    /* pickle.PickleBuffer(obj) holds a PyBUF_FULL_RO buffer until release(). */
    if (bv_buffer_get(src, &exps[i], BV_BUF_FULL_RO, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    exp_used[i] = true;
    if (i > max_exp)
        max_exp = i;
    out_text("ok");
}

static void op_unexport(toks *t)
{
    int i = t->n == 2 ? name_index(t->t[1], 'x') : -1;
    if (i < 0 || !exp_used[i]) {
        unknown(t->n > 1 ? t->t[1] : NULL);
        return;
    }
    bv_buffer_release(&exps[i]);
    exp_used[i] = false;
    out_text("ok");
}

static int parse_slices(toks *t, int first, bv_slice *s)
{
    int n = 0;
    for (int k = first; k < t->n; k++) {
        if (n == MAX_DIMS || !parse_slice(t->t[k], &s[n])) {
            syntax("slice", t->t[k]);
            return -1;
        }
        n++;
    }
    return n;
}

static void op_slicend(toks *t)
{
    bv_view *v = t->n >= 2 ? view_arg(t->t[1]) : NULL;
    if (v == NULL)
        return;
    bv_slice s[MAX_DIMS];
    int n = parse_slices(t, 2, s);
    if (n < 0)
        return;
    bv_error err;
    bv_view r;
    if (bv_view_slice_nd(&r, v, s, (size_t)n, &err) != BV_OK) {
        out_error(&err);
        return;
    }
    out_text(BEYOND_SLICE);
    out_text(" ");
    put_tolist(&r);
    bv_view_release(&r, NULL);
}

/* ---- assignment through N-D slices and subscripts; object memory ------------------- */

/* assignnd vM SRC SLICE... (vM[slices] = SRC, beyond CPython) and, in the NumPy language,
 * assignsub vM SRC ITEM... (vM[items] = SRC). */
static void op_assign_many(toks *t)
{
    bv_view *v = t->n >= 3 ? view_arg(t->t[1]) : NULL;
    if (v == NULL)
        return;
    bv_exporter *src;
    if (!operand(t->t[2], &src))
        return;
    bool numpy = strcmp(t->t[0], "assignsub") == 0;
    bv_slice s[MAX_DIMS];
    bv_index items[MAX_TOKENS];
    int n = numpy ? parse_items(t, 3, items) : parse_slices(t, 3, s);
    if (n < 0)
        return;
    bv_error err;
    bv_status st = numpy ? bv_view_assign_subscript(v, items, (size_t)n, src, &err)
                         : bv_view_assign_slice_nd(v, s, (size_t)n, src, &err);
    if (st != BV_OK)
        out_error(&err);
    else
        out_text(numpy ? "ok" : BEYOND_ASSIGN);
}

/* bytes oN: the object's memory in hex ("-" when empty). */
static void op_bytes(toks *t)
{
    obj_slot *o = t->n == 2 ? obj_arg(t->t[1]) : NULL;
    if (o == NULL) {
        if (t->n != 2)
            syntax("bytes", NULL);
        return;
    }
    const unsigned char *data;
    size_t size;
    obj_memory(o, &data, &size);
    if (size == 0)
        out_text("-");
    for (size_t k = 0; k < size; k++)
        out_fmt("%02x", data[k]);
}

typedef struct op_entry {
    const char *name;
    void (*fn)(toks *t);
} op_entry;

static const op_entry OPS[] = {
    {"new", op_new},           {"view", op_view},         {"slice", op_derive},
    {"ellipsis", op_derive},   {"toreadonly", op_derive}, {"cast", op_derive},
    {"castsh", op_derive},     {"get", op_get},           {"getnd", op_get},
    {"set", op_set},           {"setnd", op_set},         {"del", op_del},
    {"assign", op_assign},     {"tolist", op_tolist},     {"tobytes", op_tobytes},
    {"hex", op_hex},           {"count", op_count},       {"index", op_index},
    {"eq", op_eq},             {"hash", op_hash},         {"release", op_release},
    {"attrs", op_attrs},       {"len", op_len},           {"resize", op_resize},
    {"show", op_show},         {"export", op_export},     {"unexport", op_unexport},
    {"slicend", op_slicend},   {"assignnd", op_assign_many},  {"sub", op_derive},
    {"assignsub", op_assign_many}, {"bytes", op_bytes},
};

/* ---- sequences -------------------------------------------------------------------- */

/* Give everything back in the order Python's executor does, then check for leaks. */
static void end_sequence(void)
{
    for (int i = 0; i <= max_exp; i++) {
        if (exp_used[i]) {
            bv_buffer_release(&exps[i]);
            exp_used[i] = false;
        }
    }
    bool stuck = false;
    for (int i = 0; i <= max_view; i++) {
        if (view_used[i]) {
            if (bv_view_release(&views[i], NULL) != BV_OK)
                stuck = true;
            view_used[i] = false;
        }
    }
    for (int i = 0; i <= max_obj; i++) {
        switch (objs[i].kind) {
        case OBJ_BYTES:
            bv_bytes_decref(objs[i].as.bytes);
            break;
        case OBJ_BYTEARRAY:
            bv_bytearray_decref(objs[i].as.bytearray);
            break;
        case OBJ_ARRAY:
            bv_array_decref(objs[i].as.array);
            break;
        case OBJ_TYPED:
            bv_exporter_decref(&objs[i].as.typed->base);
            break;
        default:
            break;
        }
        objs[i].kind = OBJ_NONE;
    }
    max_obj = max_view = max_exp = -1;
    if (stuck)
        printf("LEAK: a view could not be released after its exports were\n");
    else if (live_allocations != 0)
        printf("LEAK: %zu allocations still live after the sequence\n", live_allocations);
    else
        printf("end\n");
    /* A crash in the next sequence then loses nothing before it: diff.py finds the seed. */
    fflush(stdout);
}

static void run_line(char *text)
{
    toks t = {0};
    for (char *p = strtok(text, " \t"); p != NULL; p = strtok(NULL, " \t")) {
        if (t.n == MAX_TOKENS) {
            printf("SyntaxError: too many tokens\n");
            return;
        }
        t.t[t.n++] = p;
    }
    if (t.n == 0)
        return;
    out_reset();
    bool found = false;
    for (size_t k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
        if (strcmp(OPS[k].name, t.t[0]) == 0) {
            OPS[k].fn(&t);
            found = true;
            break;
        }
    }
    if (!found)
        out_fmt("SyntaxError: unknown operation '%s'", t.t[0]);
    fputs(bv_str_cstr(&line), stdout);
    fputc('\n', stdout);
    /* Freed per line so the leak count at "end" sees only what bufview kept. */
    bv_str_free(&line);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: bv_diff FILE|-\n", stderr);
        return 2;
    }
    FILE *in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
    if (in == NULL) {
        perror(argv[1]);
        return 2;
    }
    bv_allocator alloc = {count_malloc, count_free, NULL};
    static char buf[MAX_LINE];
    bool in_seq = false;
    while (fgets(buf, sizeof buf, in) != NULL) {
        size_t n = strlen(buf);
        if (n == sizeof buf - 1 && buf[n - 1] != '\n') {
            /* Cut in two, the line would run as two operations: stop instead. */
            fprintf(stderr, "bv_diff: an input line is longer than %d bytes\n", MAX_LINE - 2);
            return 2;
        }
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        if (n == 0 || buf[0] == '#')
            continue;
        if (strncmp(buf, "seq ", 4) == 0) {
            if (in_seq)
                end_sequence();
            live_allocations = 0;
            bv_allocator_set(&alloc);
            in_seq = true;
            printf("%s\n", buf);
        } else if (strcmp(buf, "end") == 0) {
            if (in_seq)
                end_sequence();
            in_seq = false;
        } else {
            run_line(buf);
        }
    }
    if (in_seq)
        end_sequence();
    bv_allocator_set(NULL);
    if (in != stdin)
        fclose(in);
    return 0;
}
