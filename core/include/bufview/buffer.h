/*
 * bufview/buffer.h: the buffer protocol (PEP 3118) in C.
 *
 * An exporter is any C object that owns memory and can describe it: it embeds a
 * bv_exporter as its first member and implements bv_exporter_type's callbacks. A consumer
 * asks for a bv_buffer with bv_buffer_get() and a set of BV_BUF_* request flags; the
 * exporter fills it (or refuses with BufferError), and the consumer hands it back with
 * bv_buffer_release(). This is Py_buffer / PyObject_GetBuffer / PyBuffer_Release.
 *
 * Ownership:
 * - Exporters are reference counted, like PyObject. Whoever creates one holds one
 *   reference and drops it with bv_exporter_decref(); the exporter is destroyed when the
 *   count reaches zero. A negative count marks an object that is not counted at all
 *   (for instance the exporter embedded in a bv_view, which lives as long as the view).
 * - A failed bv_buffer_get() zeroes *view, the one exception to error.h's rule that a
 *   failed call writes nothing (it is CPython's: a failed getbuffer leaves view->obj
 *   NULL), so that releasing it afterwards is always a harmless no-op.
 * - A successful bv_buffer_get() takes a reference on the exporter (stored in buf->obj)
 *   and the exporter may lock itself (bytearray refuses to resize while exported).
 *   bv_buffer_release() gives both back. Each successful get needs exactly one release;
 *   releasing a zeroed or already released bv_buffer is a no-op.
 * - The memory, shape, strides, suboffsets and format a bv_buffer points to belong to the
 *   exporter and stay valid until the buffer is released. shape and strides may point
 *   into the bv_buffer itself (as PyBuffer_FillInfo does), so a held bv_buffer must not
 *   be moved or copied by value.
 *
 * Thread safety: none. Like CPython without its GIL, callers serialise access to an
 * exporter and everything derived from it.
 */
#ifndef BUFVIEW_BUFFER_H
#define BUFVIEW_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

#include "bufview/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CPython's PyBUF_MAX_NDIM. */
#define BV_MAXDIM 64

/* Request flags: the same bits as CPython's PyBUF_* constants. */
enum {
    BV_BUF_SIMPLE = 0,
    BV_BUF_WRITABLE = 0x0001,
    BV_BUF_FORMAT = 0x0004,
    BV_BUF_ND = 0x0008,
    BV_BUF_STRIDES = 0x0010 | BV_BUF_ND,
    BV_BUF_C_CONTIGUOUS = 0x0020 | BV_BUF_STRIDES,
    BV_BUF_F_CONTIGUOUS = 0x0040 | BV_BUF_STRIDES,
    BV_BUF_ANY_CONTIGUOUS = 0x0080 | BV_BUF_STRIDES,
    BV_BUF_INDIRECT = 0x0100 | BV_BUF_STRIDES,

    BV_BUF_CONTIG = BV_BUF_ND | BV_BUF_WRITABLE,
    BV_BUF_CONTIG_RO = BV_BUF_ND,
    BV_BUF_STRIDED = BV_BUF_STRIDES | BV_BUF_WRITABLE,
    BV_BUF_STRIDED_RO = BV_BUF_STRIDES,
    BV_BUF_RECORDS = BV_BUF_STRIDES | BV_BUF_WRITABLE | BV_BUF_FORMAT,
    BV_BUF_RECORDS_RO = BV_BUF_STRIDES | BV_BUF_FORMAT,
    BV_BUF_FULL = BV_BUF_INDIRECT | BV_BUF_WRITABLE | BV_BUF_FORMAT,
    BV_BUF_FULL_RO = BV_BUF_INDIRECT | BV_BUF_FORMAT
};

typedef struct bv_exporter bv_exporter;

/* Mirrors Py_buffer field for field. */
typedef struct bv_buffer {
    void *buf;              /* address of the first item (of item [0,...,0]) */
    bv_exporter *obj;       /* owning exporter (a counted reference); NULL if none */
    ptrdiff_t len;          /* product(shape) * itemsize, in bytes */
    ptrdiff_t itemsize;
    int readonly;
    int ndim;               /* 0..BV_MAXDIM */
    const char *format;     /* struct syntax; NULL means "B" */
    ptrdiff_t *shape;       /* ndim entries, or NULL when ND was not requested */
    ptrdiff_t *strides;     /* ndim entries in bytes (may be negative), or NULL */
    ptrdiff_t *suboffsets;  /* NULL unless PIL-style indirect memory */
    void *internal;         /* for the exporter's own use */
} bv_buffer;

typedef struct bv_exporter_type {
    /* Python's type name: "bytes", "bytearray", "array.array", "mmap.mmap". Used in
     * messages such as "memoryview: a bytes-like object is required, not 'int'". */
    const char *name;
    /* Fill *view for the request, or refuse with an error and leave *view untouched.
     * bv_buffer_get() sets view->obj and takes the reference; getbuffer need not. */
    bv_status (*getbuffer)(bv_exporter *self, bv_buffer *view, int flags, bv_error *err);
    /* Undo what getbuffer did (e.g. drop an export count). May be NULL. */
    void (*releasebuffer)(bv_exporter *self, bv_buffer *view);
    /* Free the object; called when its reference count drops to zero. May be NULL. */
    void (*destroy)(bv_exporter *self);
} bv_exporter_type;

/* The object header every exporter embeds first: PyObject's part of it. */
struct bv_exporter {
    const bv_exporter_type *type;
    ptrdiff_t refcount;     /* < 0: not counted (embedded or static objects) */
    /* hash(obj) is a TypeError in Python ("unhashable type: 'bytearray'"). A property of
     * the object, not of the buffer protocol (CPython's tp_hash, not bf_getbuffer), so it
     * is set here by bv_exporter_init, not in the type's buffer callbacks. It matters to
     * bufview because a read-only view of such an object is unhashable too: CPython's
     * memory_hash hashes the exporter first. Mutability alone does not decide it: an
     * mmap.mmap is writable and hashable (by identity). */
    bool unhashable;
};

/* bv_exporter_init flags. */
enum {
    BV_EXPORTER_COUNTED = 0x1,      /* reference counted: starts at 1 (else never freed) */
    BV_EXPORTER_UNHASHABLE = 0x2    /* hash() refuses the object (bytearray, array.array) */
};

/* Initialise an embedded header with BV_EXPORTER_* flags (0: uncounted and hashable). */
void bv_exporter_init(bv_exporter *self, const bv_exporter_type *type, unsigned flags);
void bv_exporter_incref(bv_exporter *self);   /* NULL and uncounted objects: no-op */
void bv_exporter_decref(bv_exporter *self);   /* NULL and uncounted objects: no-op */
/* The type name, or "NoneType" for NULL. */
const char *bv_exporter_type_name(const bv_exporter *self);

/* Acquire a buffer (PyObject_GetBuffer). On failure *view is zeroed (see the top of this
 * header). A NULL exporter or an object without getbuffer is TypeError "a bytes-like
 * object is required, not '%s'". */
bv_status bv_buffer_get(bv_exporter *obj, bv_buffer *view, int flags, bv_error *err);
/* Give it back (PyBuffer_Release); zeroes *view. NULL and released buffers: no-op. */
void bv_buffer_release(bv_buffer *view);

/* PyBuffer_FillInfo: describe one contiguous run of unsigned bytes for an exporter's
 * getbuffer. Refuses a writable request on read-only memory with BufferError
 * "Object is not writable.". Does not take a reference (bv_buffer_get does). */
bv_status bv_buffer_fill_info(bv_buffer *view, bv_exporter *obj, void *buf, ptrdiff_t len,
                              bool readonly, int flags, bv_error *err);

/* CPython's contiguity rules. order is 'C', 'F' or 'A' (either); anything else is false.
 * Suboffsets: never contiguous. len 0: contiguous. Dimensions of extent <= 1 are ignored. */
bool bv_buffer_is_contiguous(const bv_buffer *view, char order);

/* Address of the item at indices[0..ndim-1] (PyBuffer_GetPointer); indices are not
 * bounds-checked here (views check them), so callers pass indices already in range. */
void *bv_buffer_get_pointer(const bv_buffer *view, const ptrdiff_t *indices);

/* Write the strides of a contiguous array of this shape in 'C' or 'F' order
 * (PyBuffer_FillContiguousStrides). */
void bv_buffer_fill_contiguous_strides(int ndim, const ptrdiff_t *shape, ptrdiff_t *strides,
                                       ptrdiff_t itemsize, char order);

/* Copy the whole buffer to/from len bytes of contiguous memory laid out in 'C', 'F' or
 * 'A' order (PyBuffer_ToContiguous / PyBuffer_FromContiguous). len must equal view->len
 * (ValueError otherwise); a bad order is ValueError "order must be 'C', 'F' or 'A'". One
 * memcpy when the layouts agree; a tight strided loop otherwise. */
bv_status bv_buffer_to_contiguous(void *dst, const bv_buffer *src, ptrdiff_t len, char order,
                                  bv_error *err);
bv_status bv_buffer_from_contiguous(const bv_buffer *dst, const void *src, ptrdiff_t len,
                                    char order, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
