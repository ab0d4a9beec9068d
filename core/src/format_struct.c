/*
 * format_struct.c: whole struct-module format strings ("<hh", "3i2s", "@Bx"): the size of
 * one item (struct.calcsize) and the values struct.unpack reads from it. CPython's
 * memoryview hands every item whose format is not one native character to the struct
 * module to compare it, so bufview's equality needs the same values: ints, floats, bools
 * and bytes, in the byte order and with the sizes and native alignment struct uses.
 *
 * The grammar is walked in one place (next_token); calcsize and the value walker are
 * both built on it. Nothing here allocates.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bufview/format.h"
#include "internal.h"

/* ---- the grammar ---------------------------------------------------------------------- */

/* CPython measures native alignment as the offset of a member after a char. */
struct align_short { char c; short x; };
struct align_int { char c; int x; };
struct align_long { char c; long x; };
struct align_llong { char c; long long x; };
struct align_size { char c; size_t x; };
struct align_float { char c; float x; };
struct align_double { char c; double x; };
struct align_bool { char c; bool x; };
struct align_ptr { char c; void *x; };

/* Size and alignment of c in native ('@') mode; false for a character struct rejects. */
static bool native_entry(char c, ptrdiff_t *size, ptrdiff_t *align)
{
    switch (c) {
    case 'x': case 's': case 'p': case 'c': case 'b': case 'B':
        *size = 1; *align = 1; return true;
    case '?': *size = sizeof(bool); *align = offsetof(struct align_bool, x); return true;
    case 'h': case 'H':
        *size = sizeof(short); *align = offsetof(struct align_short, x); return true;
    case 'e': *size = 2; *align = offsetof(struct align_short, x); return true;
    case 'i': case 'I':
        *size = sizeof(int); *align = offsetof(struct align_int, x); return true;
    case 'l': case 'L':
        *size = sizeof(long); *align = offsetof(struct align_long, x); return true;
    case 'q': case 'Q':
        *size = sizeof(long long); *align = offsetof(struct align_llong, x); return true;
    case 'n': case 'N':
        *size = sizeof(size_t); *align = offsetof(struct align_size, x); return true;
    case 'f': *size = sizeof(float); *align = offsetof(struct align_float, x); return true;
    case 'd': *size = sizeof(double); *align = offsetof(struct align_double, x); return true;
    case 'P': *size = sizeof(void *); *align = offsetof(struct align_ptr, x); return true;
    default: return false;
    }
}

/* Standard sizes ('<', '>', '!', '='): fixed, never padded; no n, N or P. */
static bool standard_entry(char c, ptrdiff_t *size, ptrdiff_t *align)
{
    *align = 1;
    switch (c) {
    case 'x': case 's': case 'p': case 'c': case 'b': case 'B': case '?':
        *size = 1; return true;
    case 'h': case 'H': case 'e': *size = 2; return true;
    case 'i': case 'I': case 'l': case 'L': case 'f': *size = 4; return true;
    case 'q': case 'Q': case 'd': *size = 8; return true;
    default: return false;
    }
}

/* struct's own whitespace set (Py_ISSPACE), independent of the C locale. */
static bool is_struct_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

typedef struct parser {
    const char *s;       /* the next character */
    bool native;         /* '@' or no prefix: native sizes, alignment and byte order */
    bool swap;           /* standard mode in the other byte order than this machine's */
    ptrdiff_t size;      /* bytes up to the end of the tokens read so far */
} parser;

/* One "<count><character>" of the format. */
typedef struct token {
    char code;
    ptrdiff_t count;     /* the repeat count; for s and p, the length of the bytes */
    ptrdiff_t size;      /* bytes of one code */
    ptrdiff_t offset;    /* where the token starts in the item, alignment applied */
} token;

static void parser_begin(parser *p, const char *format)
{
    p->s = format;
    p->native = true;
    p->swap = false;
    p->size = 0;
    if (*p->s == '@') {
        p->s++;
    } else if (bvi_byte_order(*p->s, &p->swap)) {
        p->native = false;
        p->s++;
    }
}

/* 1 with the next token in *t, 0 at the end, -1 with struct's error (ValueError, as
 * struct.error is one) when the format is not one struct accepts. */
static int next_token(parser *p, token *t, bv_error *err)
{
    char c;
    do {
        c = *p->s;
        if (c == '\0')
            return 0;
        p->s++;
    } while (is_struct_space(c));
    ptrdiff_t num = 1;
    if (c >= '0' && c <= '9') {
        num = c - '0';
        while (*p->s >= '0' && *p->s <= '9') {
            int digit = *p->s++ - '0';
            if (num > (PTRDIFF_MAX - digit) / 10)
                goto too_long;
            num = num * 10 + digit;
        }
        if (*p->s == '\0') {
            bv_error_set(err, BV_VALUE_ERROR, "repeat count given without format specifier");
            return -1;
        }
        c = *p->s++;
    }
    ptrdiff_t itemsize = 1, align = 1;
    if (!(p->native ? native_entry(c, &itemsize, &align) : standard_entry(c, &itemsize, &align))) {
        bv_error_set(err, BV_VALUE_ERROR, "bad char in struct format");
        return -1;
    }
    if (align > 1 && p->size > 0) {
        ptrdiff_t extra = (align - 1) - (p->size - 1) % align;
        if (extra > PTRDIFF_MAX - p->size)
            goto too_long;
        p->size += extra;
    }
    if (num > (PTRDIFF_MAX - p->size) / itemsize)
        goto too_long;
    t->code = c;
    t->count = num;
    t->size = itemsize;
    t->offset = p->size;
    p->size += num * itemsize;
    return 1;

too_long:
    bv_error_set(err, BV_VALUE_ERROR, "total struct size too long");
    return -1;
}

ptrdiff_t bv_format_calcsize(const char *format, bv_error *err)
{
    if (format == NULL)
        return 1;
    parser p;
    parser_begin(&p, format);
    token t;
    int more;
    while ((more = next_token(&p, &t, err)) > 0)
        ;
    return more < 0 ? -1 : p.size;
}

bool bvi_struct_fits(const char *format, ptrdiff_t itemsize)
{
    ptrdiff_t size = bv_format_calcsize(format, NULL);
    return size >= 0 && size <= itemsize;
}

/* ---- the values of one item ------------------------------------------------------------ */

/* One value struct.unpack returns: a number or bool, or bytes (c, s and p). */
typedef struct value {
    bool is_bytes;
    bv_value number;
    const unsigned char *bytes;
    size_t len;
} value;

typedef struct walker {
    parser p;
    token t;
    ptrdiff_t left;      /* values of the current token not yet read */
    ptrdiff_t at;        /* offset of the next one */
} walker;

static void walker_begin(walker *w, const char *format)
{
    parser_begin(&w->p, format != NULL ? format : "B");
    w->left = 0;
    w->at = 0;
}

/* The next value of the item at base into *out; false after the last. */
static bool walker_next(walker *w, const unsigned char *base, value *out)
{
    while (w->left == 0) {
        if (next_token(&w->p, &w->t, NULL) <= 0)
            return false;
        w->at = w->t.offset;
        switch (w->t.code) {
        case 'x': break;                              /* padding: no value */
        case 's': case 'p': w->left = 1; break;       /* one bytes value of count bytes */
        default: w->left = w->t.count; break;
        }
    }
    const unsigned char *p = base + w->at;
    w->left--;
    out->is_bytes = false;
    switch (w->t.code) {
    case 's':
        out->is_bytes = true;
        out->bytes = p;
        out->len = (size_t)w->t.count;
        w->at += w->t.count;
        return true;
    case 'p': {
        /* A Pascal string: its first byte is the length, at most count - 1. */
        size_t n = w->t.count == 0 ? 0 : p[0];
        if (w->t.count > 0 && n >= (size_t)w->t.count)
            n = (size_t)w->t.count - 1;
        out->is_bytes = true;
        out->bytes = p + 1;
        out->len = n;
        w->at += w->t.count;
        return true;
    }
    case 'c':
        out->is_bytes = true;
        out->bytes = p;
        out->len = 1;
        break;
    default:
        if (w->p.native) {
            (void)bv_format_unpack(w->t.code, p, &out->number, NULL);
        } else {
            bvi_item it;
            (void)bvi_item_standard(w->t.code, w->p.swap, &it);
            bvi_item_unpack(&it, p, &out->number);
        }
        break;
    }
    w->at += w->t.size;
    return true;
}

static bool values_equal(const value *a, const value *b)
{
    if (a->is_bytes || b->is_bytes)
        return a->is_bytes && b->is_bytes && a->len == b->len &&
               (a->len == 0 || memcmp(a->bytes, b->bytes, a->len) == 0);
    return bv_value_equal(a->number, b->number);
}

bool bvi_struct_items_equal(const char *fa, const void *a, const char *fb, const void *b)
{
    /* One value on each side compares the values; otherwise two tuples, equal when they
     * have the same length and equal values pairwise. Both are "the same number of values,
     * pairwise equal". */
    walker wa, wb;
    walker_begin(&wa, fa);
    walker_begin(&wb, fb);
    for (;;) {
        value va, vb;
        bool more_a = walker_next(&wa, a, &va), more_b = walker_next(&wb, b, &vb);
        if (!more_a || !more_b)
            return more_a == more_b;
        if (!values_equal(&va, &vb))
            return false;
    }
}
