/*
 * array.c: the typed array exporter (Python's array.array).
 *
 * Its buffer is the first exporter in bufview whose items are wider than a byte: the
 * format it exports ("h", "d", ...) is what lets a view index typed items. Values are
 * converted here rather than through format.c because array.array has its own messages
 * ("signed char is greater than maximum"), which differ from memoryview's.
 */
#include "bufview/array.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "bufview/memory.h"
#include "internal.h"

typedef enum item_kind { ITEM_SIGNED, ITEM_UNSIGNED, ITEM_FLOAT } item_kind;

/* One supported typecode with the limits and the two OverflowError messages its setitem
 * raises in CPython (PyLong_AsLong & co. for the wide types, array's own for the rest). */
typedef struct typecode_info {
    char code;
    item_kind kind;
    ptrdiff_t size;
    int64_t min;        /* signed kinds */
    uint64_t max;       /* integer kinds */
    const char *too_big;
    const char *too_small;
} typecode_info;

static const typecode_info typecodes[] = {
    {'b', ITEM_SIGNED, sizeof(signed char), SCHAR_MIN, SCHAR_MAX,
     "signed char is greater than maximum", "signed char is less than minimum"},
    {'B', ITEM_UNSIGNED, sizeof(unsigned char), 0, UCHAR_MAX,
     "unsigned byte integer is greater than maximum",
     "unsigned byte integer is less than minimum"},
    {'h', ITEM_SIGNED, sizeof(short), SHRT_MIN, SHRT_MAX,
     "signed short integer is greater than maximum",
     "signed short integer is less than minimum"},
    {'H', ITEM_UNSIGNED, sizeof(unsigned short), 0, USHRT_MAX,
     "unsigned short is greater than maximum", "unsigned short is less than minimum"},
    {'i', ITEM_SIGNED, sizeof(int), INT_MIN, INT_MAX,
     "signed integer is greater than maximum", "signed integer is less than minimum"},
    {'I', ITEM_UNSIGNED, sizeof(unsigned int), 0, UINT_MAX,
     "unsigned int is greater than maximum", "can't convert negative value to unsigned int"},
    {'l', ITEM_SIGNED, sizeof(long), LONG_MIN, LONG_MAX,
     "Python int too large to convert to C long", "Python int too large to convert to C long"},
    /* "unsigned int" for 'L' too: that is PyLong_AsUnsignedLong's wording. */
    {'L', ITEM_UNSIGNED, sizeof(unsigned long), 0, ULONG_MAX,
     "Python int too large to convert to C unsigned long",
     "can't convert negative value to unsigned int"},
    {'q', ITEM_SIGNED, sizeof(long long), LLONG_MIN, LLONG_MAX,
     "int too big to convert", "int too big to convert"},
    {'Q', ITEM_UNSIGNED, sizeof(unsigned long long), 0, ULLONG_MAX,
     "int too big to convert", "can't convert negative int to unsigned"},
    {'f', ITEM_FLOAT, sizeof(float), 0, 0, NULL, NULL},
    {'d', ITEM_FLOAT, sizeof(double), 0, 0, NULL, NULL},
};

/* Largest item, for converting a value before knowing there is room for it. */
#define MAX_ITEMSIZE 8

/* The converters below copy through fixed-width types of 1, 2, 4 or 8 bytes. */
_Static_assert(sizeof(short) == 2 && sizeof(int) == 4 && sizeof(long long) == 8 &&
                   (sizeof(long) == 4 || sizeof(long) == 8) && sizeof(float) == 4 &&
                   sizeof(double) == 8,
               "array.c assumes the common C data model (ILP32 or LP64)");

struct bv_array {
    bv_exporter base;           /* first, so a bv_exporter * is a bv_array * */
    const typecode_info *info;
    /* Exported buffers point at these, so they live in the object, not in the
     * bv_buffer (which a consumer may copy); they cannot change while exported. */
    char format[2];
    ptrdiff_t shape[1];
    ptrdiff_t strides[1];
    unsigned char *items;       /* NULL while nothing is allocated */
    size_t len;                 /* items */
    size_t alloc;               /* items */
    ptrdiff_t exports;
};

/* What an empty array exports (CPython's emptybuf): a real address even for no items. */
static unsigned char empty_items[MAX_ITEMSIZE];

static const typecode_info *find_typecode(char c)
{
    for (size_t i = 0; i < sizeof typecodes / sizeof typecodes[0]; i++)
        if (typecodes[i].code == c)
            return &typecodes[i];
    return NULL;
}

static bv_status not_an_array(const char *method, bv_error *err)
{
    return bv_error_set(err, BV_TYPE_ERROR,
                        "descriptor '%s' for 'array.array' objects doesn't apply to a "
                        "'NoneType' object",
                        method);
}

static unsigned char *item_storage(bv_array *a)
{
    return a->items != NULL ? a->items : empty_items;
}

/* Convert v as array's setitem would and write it native-sized to out. */
static bv_status convert_item(const typecode_info *info, bv_value v, unsigned char *out,
                              bv_error *err)
{
    if (info->kind == ITEM_FLOAT) {
        double d;
        switch (v.kind) {
        case BV_VALUE_INT: d = (double)v.as.i; break;
        case BV_VALUE_UINT: d = (double)v.as.u; break;
        case BV_VALUE_FLOAT: d = v.as.f; break;
        case BV_VALUE_BOOL: d = v.as.b ? 1.0 : 0.0; break;
        default:
            return bv_error_set(err, BV_TYPE_ERROR, "must be real number, not bytes");
        }
        if (info->code == 'f') {
            /* Out of float range rounds to +-inf, as array('f', [1e300]) gives; IEEE 754
             * (C17 Annex F) defines this narrowing. */
            float f = (float)d;
            memcpy(out, &f, sizeof f);
        } else {
            memcpy(out, &d, sizeof d);
        }
        return BV_OK;
    }

    bool negative;
    uint64_t magnitude;   /* the value itself when not negative */
    int64_t signed_value = 0;
    switch (v.kind) {
    case BV_VALUE_INT:
        negative = v.as.i < 0;
        signed_value = v.as.i;
        magnitude = negative ? 0 : (uint64_t)v.as.i;
        break;
    case BV_VALUE_UINT:
        negative = false;
        magnitude = v.as.u;
        break;
    case BV_VALUE_BOOL:
        negative = false;
        magnitude = v.as.b ? 1 : 0;
        break;
    case BV_VALUE_FLOAT:
        return bv_error_set(err, BV_TYPE_ERROR,
                            "'float' object cannot be interpreted as an integer");
    default:
        return bv_error_set(err, BV_TYPE_ERROR,
                            "'bytes' object cannot be interpreted as an integer");
    }

    /* array's setitem for b B h H i goes through PyArg_Parse, which first converts to a
     * C long and then, for 'b' and 'H', to a wider C type than the item's, so the first
     * range a value leaves decides the message. */
    if (strchr("bBhHi", info->code) != NULL && !negative && magnitude > (uint64_t)LONG_MAX)
        return bv_error_set(err, BV_OVERFLOW_ERROR, "Python int too large to convert to C long");
    if (info->code == 'b') {
        if (negative && signed_value < SHRT_MIN)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "signed short integer is less than minimum");
        if (!negative && magnitude > (uint64_t)SHRT_MAX)
            return bv_error_set(err, BV_OVERFLOW_ERROR,
                                "signed short integer is greater than maximum");
    } else if (info->code == 'H') {
        if (negative && signed_value < INT_MIN)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "signed integer is less than minimum");
        if (!negative && magnitude > (uint64_t)INT_MAX)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "signed integer is greater than maximum");
    }

    if (info->kind == ITEM_SIGNED) {
        if (negative && signed_value < info->min)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "%s", info->too_small);
        if (!negative && magnitude > info->max)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "%s", info->too_big);
        int64_t x = negative ? signed_value : (int64_t)magnitude;
        switch (info->size) {
        case 1: { int8_t t = (int8_t)x; memcpy(out, &t, 1); break; }
        case 2: { int16_t t = (int16_t)x; memcpy(out, &t, 2); break; }
        case 4: { int32_t t = (int32_t)x; memcpy(out, &t, 4); break; }
        default: memcpy(out, &x, 8); break;
        }
    } else {
        if (negative)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "%s", info->too_small);
        if (magnitude > info->max)
            return bv_error_set(err, BV_OVERFLOW_ERROR, "%s", info->too_big);
        switch (info->size) {
        case 1: { uint8_t t = (uint8_t)magnitude; memcpy(out, &t, 1); break; }
        case 2: { uint16_t t = (uint16_t)magnitude; memcpy(out, &t, 2); break; }
        case 4: { uint32_t t = (uint32_t)magnitude; memcpy(out, &t, 4); break; }
        default: memcpy(out, &magnitude, 8); break;
        }
    }
    return BV_OK;
}

static bv_value read_item(const typecode_info *info, const unsigned char *p)
{
    switch (info->kind) {
    case ITEM_FLOAT:
        if (info->code == 'f') {
            float f;
            memcpy(&f, p, sizeof f);
            return bv_value_float((double)f);
        } else {
            double d;
            memcpy(&d, p, sizeof d);
            return bv_value_float(d);
        }
    case ITEM_SIGNED:
        switch (info->size) {
        case 1: { int8_t t; memcpy(&t, p, 1); return bv_value_int(t); }
        case 2: { int16_t t; memcpy(&t, p, 2); return bv_value_int(t); }
        case 4: { int32_t t; memcpy(&t, p, 4); return bv_value_int(t); }
        default: { int64_t t; memcpy(&t, p, 8); return bv_value_int(t); }
        }
    default:
        switch (info->size) {
        case 1: { uint8_t t; memcpy(&t, p, 1); return bv_value_uint(t); }
        case 2: { uint16_t t; memcpy(&t, p, 2); return bv_value_uint(t); }
        case 4: { uint32_t t; memcpy(&t, p, 4); return bv_value_uint(t); }
        default: { uint64_t t; memcpy(&t, p, 8); return bv_value_uint(t); }
        }
    }
}

/* array_buffer_getbuf: always contiguous and writable, so no request is refused; the
 * flags only decide which fields are filled in. */
static bv_status array_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    (void)err;
    bv_array *a = (bv_array *)self;
    view->buf = item_storage(a);
    view->obj = self;
    view->len = (ptrdiff_t)a->len * a->info->size;
    view->itemsize = a->info->size;
    view->readonly = 0;
    view->ndim = 1;
    a->shape[0] = (ptrdiff_t)a->len;
    a->strides[0] = a->info->size;
    view->format = (flags & BV_BUF_FORMAT) == BV_BUF_FORMAT ? a->format : NULL;
    view->shape = (flags & BV_BUF_ND) == BV_BUF_ND ? a->shape : NULL;
    view->strides = (flags & BV_BUF_STRIDES) == BV_BUF_STRIDES ? a->strides : NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    a->exports++;
    return BV_OK;
}

static void array_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    bv_array *a = (bv_array *)self;
    if (a->exports > 0)
        a->exports--;
}

static void array_destroy(bv_exporter *self)
{
    bv_array *a = (bv_array *)self;
    bv_free(a->items);
    bv_free(a);
}

static const bv_exporter_type array_type = {
    .name = "array.array",
    .getbuffer = array_getbuffer,
    .releasebuffer = array_releasebuffer,
    .destroy = array_destroy,
};

bv_status bv_array_new(bv_array **out, char typecode, const void *items, size_t count,
                       bv_error *err)
{
    BVI_REQUIRE_NONNULL(out, err);
    const typecode_info *info = find_typecode(typecode);
    if (info == NULL)
        return bv_error_set(err, BV_VALUE_ERROR,
                            "bad typecode (must be b, B, u, w, h, H, i, I, l, L, q, Q, f or d)");
    if (count > (size_t)PTRDIFF_MAX / (size_t)info->size)
        return bvi_error_nomem(err);

    bv_array *a = bv_malloc(sizeof *a);
    if (a == NULL)
        return bvi_error_nomem(err);
    bv_exporter_init(&a->base, &array_type, BV_EXPORTER_COUNTED | BV_EXPORTER_UNHASHABLE);
    a->info = info;
    a->format[0] = info->code;
    a->format[1] = '\0';
    a->shape[0] = 0;
    a->strides[0] = info->size;
    a->items = NULL;
    a->len = 0;
    a->alloc = 0;
    a->exports = 0;
    if (count > 0) {
        size_t nbytes = count * (size_t)info->size;
        a->items = bv_malloc(nbytes);
        if (a->items == NULL) {
            bv_free(a);
            return bvi_error_nomem(err);
        }
        if (items != NULL)
            memcpy(a->items, items, nbytes);
        else
            memset(a->items, 0, nbytes);
        a->len = count;
        a->alloc = count;
    }
    *out = a;
    return BV_OK;
}

char bv_array_typecode(const bv_array *a)
{
    return a == NULL ? '\0' : a->info->code;
}

size_t bv_array_len(const bv_array *a)
{
    return a == NULL ? 0 : a->len;
}

ptrdiff_t bv_array_itemsize(const bv_array *a)
{
    return a == NULL ? 0 : a->info->size;
}

void *bv_array_data(bv_array *a)
{
    return a == NULL ? NULL : item_storage(a);
}

ptrdiff_t bv_array_exports(const bv_array *a)
{
    return a == NULL ? 0 : a->exports;
}

bv_status bv_array_get(const bv_array *a, ptrdiff_t index, bv_value *out, bv_error *err)
{
    if (a == NULL)
        return not_an_array("__getitem__", err);
    BVI_REQUIRE_NONNULL(out, err);
    ptrdiff_t len = (ptrdiff_t)a->len;
    if (index < 0)
        index += len;   /* cannot overflow: len >= 0 and index < 0 */
    if (index < 0 || index >= len)
        return bv_error_set(err, BV_INDEX_ERROR, "array index out of range");
    *out = read_item(a->info, a->items + index * a->info->size);
    return BV_OK;
}

bv_status bv_array_append(bv_array *a, bv_value v, bv_error *err)
{
    if (a == NULL)
        return not_an_array("append", err);
    /* Convert first, as array's ins1() validates the value before resizing: a bad value
     * is reported as such even while the array is exported. */
    unsigned char item[MAX_ITEMSIZE];
    bv_status st = convert_item(a->info, v, item, err);
    if (st != BV_OK)
        return st;
    if (a->exports > 0)
        return bv_error_set(err, BV_BUFFER_ERROR,
                            "cannot resize an array that is exporting buffers");

    size_t size = (size_t)a->info->size;
    if (a->len == a->alloc) {
        size_t max_items = (size_t)PTRDIFF_MAX / size;
        if (a->len >= max_items)
            return bvi_error_nomem(err);
        /* array_resize's growth: about 1/16 extra, so appends are amortised O(1). */
        size_t want = a->len + 1;
        size_t extra = (want >> 4) + (a->len < 8 ? 3 : 7);
        size_t new_alloc = want > max_items - extra ? max_items : want + extra;
        unsigned char *bigger = bv_malloc(new_alloc * size);
        if (bigger == NULL)
            return bvi_error_nomem(err);
        if (a->len > 0)
            memcpy(bigger, a->items, a->len * size);
        bv_free(a->items);
        a->items = bigger;
        a->alloc = new_alloc;
    }
    memcpy(a->items + a->len * size, item, size);
    a->len++;
    return BV_OK;
}

bv_exporter *bv_array_exporter(bv_array *a)
{
    return a == NULL ? NULL : &a->base;
}

void bv_array_decref(bv_array *a)
{
    if (a != NULL)
        bv_exporter_decref(&a->base);
}
