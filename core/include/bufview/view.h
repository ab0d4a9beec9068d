/*
 * bufview/view.h: bv_view, CPython's memoryview in C.
 *
 * A view is a small value (136 bytes on 64-bit machines) that the caller owns, usually on
 * the stack: a pointer to a shared "managed buffer" plus the view's own start address,
 * shape and strides (inline for up to BV_VIEW_INLINE_DIMS dimensions; more spill to the
 * heap).
 *
 * Ownership, exactly as CPython's memoryview and its managed buffer:
 * - bv_view_from(obj) takes ONE buffer from the exporter (a counted reference plus an
 *   export, so a bytearray is locked against resizing) and wraps it in a managed buffer.
 * - Every view derived from it (bv_view_from_view, slices, casts, toreadonly) shares that
 *   managed buffer and bumps its count; deriving never copies or allocates per byte of
 *   data (up to BV_VIEW_INLINE_DIMS dimensions it allocates nothing at all).
 * - bv_view_release() drops the view's share. When the last view of a managed buffer is
 *   released, the buffer goes back to the exporter (its export count drops and it may
 *   resize again) and the exporter reference is dropped. Every initialised view must be
 *   released exactly once; release is idempotent, so releasing twice is harmless.
 * - A view is never copied by assignment (`bv_view b = a;`): the copy would be a second
 *   handle on the same share, and releasing both would drop the managed buffer twice. For
 *   a second view use bv_view_from_view(). Moving a view (copying its bytes and never
 *   touching the original again, as returning a new view by value does) is fine while it
 *   has no exports.
 * - A view can itself be exported through bv_view_exporter(): while such a buffer is held,
 *   bv_view_release() fails with BufferError "memoryview has 1 exported buffer", and the
 *   view must not be moved in memory (the consumer holds its address).
 * - Output views (`out` parameters) are overwritten without being released: pass a fresh
 *   or already released view, never the source itself. On failure `out` is untouched.
 *
 * After release (and for a zero-initialised bv_view) every operation except release,
 * repr and equality fails with ValueError "operation forbidden on released memoryview
 * object". Errors follow CPython 3.13's classes and messages; where bufview goes beyond
 * CPython (multi-dimensional slicing and slice assignment, NumPy-style subscripts, items
 * of byte-order formats) the function says so, and whose messages it uses.
 *
 * Fields: the first block of bv_view is public and read-only, for hot loops; the second is
 * private. Everything else about a view is answered by a function, which also checks that
 * the view is live.
 * Thread safety: none (views sharing a managed buffer must be used from one thread).
 */
#ifndef BUFVIEW_VIEW_H
#define BUFVIEW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bufview/buffer.h"
#include "bufview/bytes.h"
#include "bufview/error.h"
#include "bufview/format.h"
#include "bufview/hash.h"
#include "bufview/slice.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Views of up to this many dimensions keep shape and strides inline: no allocation. */
#define BV_VIEW_INLINE_DIMS 3

struct bvi_managed;

typedef struct bv_view {
    /* ---- public, read-only --------------------------------------------------------
     * Valid while the view is live (from the call that made it until bv_view_release).
     * Read them directly in hot loops; never write them. */
    char *buf;              /* address of item [0,...,0] */
    ptrdiff_t len;          /* nbytes: product(shape) * itemsize */
    ptrdiff_t itemsize;     /* bytes per item */
    const char *format;     /* struct syntax ("B", "<i"...); owned by the view's buffer */
    int ndim;               /* 0..BV_MAXDIM */

    /* ---- private: not part of the API ---------------------------------------------
     * bufview's own bookkeeping. Names, types and meaning may change in any release, and
     * some are left unset where unused (the slice fast path writes only what a 1-D view
     * reads). Read and write none of them: bv_view_shape, bv_view_strides,
     * bv_view_readonly, bv_view_exports, bv_view_shares_buffer, bv_view_is_released and
     * bv_view_exporter answer for them. */
    unsigned flags;
    struct bvi_managed *mbuf;
    ptrdiff_t exports;
    ptrdiff_t *spill;
    uint64_t hash_value;
    ptrdiff_t shape_inline[BV_VIEW_INLINE_DIMS];
    ptrdiff_t strides_inline[BV_VIEW_INLINE_DIMS];
    bv_exporter exporter;
} bv_view;

/* Nested values from tolist(): items in C order with the view's shape. ndim 0 holds one
 * scalar. Ownership: filled by bv_view_tolist, freed (and zeroed) by bv_list_free. */
typedef struct bv_list {
    int ndim;
    ptrdiff_t *shape;
    ptrdiff_t count;
    bv_value *items;
} bv_list;
void bv_list_free(bv_list *list);

/* ---- creating and releasing ------------------------------------------------------- */

/* memoryview(obj). obj NULL: TypeError "memoryview: a bytes-like object is required, not
 * 'NoneType'". A view's exporter shares that view's managed buffer (like memoryview(mv)).
 * The buffer is requested writable when the exporter allows it, read-only otherwise. */
bv_status bv_view_from(bv_view *out, bv_exporter *obj, bv_error *err);
/* memoryview(mv): a new view on the same managed buffer. */
bv_status bv_view_from_view(bv_view *out, const bv_view *src, bv_error *err);
/* mv.release(). Idempotent. Refused (nothing changes) while the view has exports. */
bv_status bv_view_release(bv_view *v, bv_error *err);
/* Whether v has been released (or never initialised). */
bool bv_view_is_released(const bv_view *v);

/* The view as an exporter, for assigning from it or building another consumer on it. */
bv_exporter *bv_view_exporter(bv_view *v);
/* Buffers taken from bv_view_exporter(v) and not yet released (0 for NULL or released). */
ptrdiff_t bv_view_exports(const bv_view *v);
/* Whether a and b are live views on one managed buffer (derived, directly or not, from
 * one bv_view_from): the exporter gets its buffer back only when all such views are
 * released. */
bool bv_view_shares_buffer(const bv_view *a, const bv_view *b);

/* ---- attributes (each fails on a released view) ------------------------------------ */
bv_status bv_view_obj(const bv_view *v, bv_exporter **out, bv_error *err);
/* The address of item [0,...,0] (the public field buf, checked). */
bv_status bv_view_buf(const bv_view *v, char **out, bv_error *err);
bv_status bv_view_nbytes(const bv_view *v, ptrdiff_t *out, bv_error *err);
bv_status bv_view_readonly(const bv_view *v, bool *out, bv_error *err);
bv_status bv_view_itemsize(const bv_view *v, ptrdiff_t *out, bv_error *err);
bv_status bv_view_format(const bv_view *v, const char **out, bv_error *err);
bv_status bv_view_ndim(const bv_view *v, int *out, bv_error *err);
/* Pointers into the view, valid until it is released; ndim entries each. */
bv_status bv_view_shape(const bv_view *v, const ptrdiff_t **out, bv_error *err);
bv_status bv_view_strides(const bv_view *v, const ptrdiff_t **out, bv_error *err);
/* Always an empty tuple in bufview (no PIL-style exporters): *out_len = 0. */
bv_status bv_view_suboffsets(const bv_view *v, ptrdiff_t *out_len, bv_error *err);
bv_status bv_view_c_contiguous(const bv_view *v, bool *out, bv_error *err);
bv_status bv_view_f_contiguous(const bv_view *v, bool *out, bv_error *err);
bv_status bv_view_contiguous(const bv_view *v, bool *out, bv_error *err);
/* len(mv): shape[0]; 0-dim is TypeError "0-dim memory has no length". */
bv_status bv_view_len(const bv_view *v, ptrdiff_t *out, bv_error *err);

/* ---- items ------------------------------------------------------------------------ *
 * Formats: CPython's memoryview reads and writes one native struct character with an
 * optional '@' (format.h). Beyond CPython, which raises NotImplementedError "memoryview:
 * unsupported format <i" for them, bufview also reads and writes one character after a
 * byte-order prefix, with struct's standard sizes, as NumPy does with byte-order dtypes:
 * '<' little-endian, '>' and '!' big-endian, '=' this machine's order; characters
 * c b B ? h H e i I l L q Q f d ('<l' is 4 bytes). Values are struct.unpack's; writing
 * follows the native character's rules with the whole format in the message
 * ("memoryview: invalid value for format '<h'"). This applies to get/set (and _at),
 * slice assignment, tolist, count and index. Casting keeps CPython's rules (such a view
 * casts only to a byte format), and == compares through struct's values as CPython's
 * does for every format that is not one native character. Any other format (struct
 * formats of several items, "<n") keeps CPython's NotImplementedError. */
/* mv[index]. 0-dim: TypeError "invalid indexing of 0-dim memory"; N-D: NotImplementedError
 * "multi-dimensional sub-views are not implemented"; out of range: IndexError "index out
 * of bounds on dimension 1". */
bv_status bv_view_get(const bv_view *v, ptrdiff_t index, bv_value *out, bv_error *err);
/* mv[index] = value. Read-only: TypeError "cannot modify read-only memory" (checked
 * first); N-D: NotImplementedError "sub-views are not implemented". */
bv_status bv_view_set(bv_view *v, ptrdiff_t index, bv_value value, bv_error *err);
/* mv[i, j, ...] with n indices (n == 0 is mv[()], the item of a 0-dim view). */
bv_status bv_view_get_at(const bv_view *v, const ptrdiff_t *indices, size_t n, bv_value *out,
                         bv_error *err);
bv_status bv_view_set_at(bv_view *v, const ptrdiff_t *indices, size_t n, bv_value value,
                         bv_error *err);
/* del mv[index]: always fails, with the same checks first (TypeError "cannot delete memory"). */
bv_status bv_view_delete(bv_view *v, ptrdiff_t index, bv_error *err);
/* mv[...]: a new view of the same memory (CPython returns the view itself). */
bv_status bv_view_ellipsis(bv_view *out, const bv_view *v, bv_error *err);

/* ---- slices ----------------------------------------------------------------------- */
/* mv[s], applied to dimension 0. O(1), no allocation for ndim <= BV_VIEW_INLINE_DIMS.
 * (Inline, defined at the end of this header.) */
static inline bv_status bv_view_slice(bv_view *out, const bv_view *v, bv_slice s,
                                      bv_error *err);
/* mv[s0, s1, ...] with n == ndim slices (fewer: the remaining dimensions are kept whole).
 * Beyond CPython, which raises NotImplementedError "multi-dimensional slicing is not
 * implemented": bufview returns the strided view, still without copying. */
bv_status bv_view_slice_nd(bv_view *out, const bv_view *v, const bv_slice *slices, size_t n,
                           bv_error *err);
/* mv[s] = src. src is any exporter (a view's too); its format (ignoring '@'), itemsize and
 * shape must equal the slice's, else ValueError "memoryview assignment: lvalue and rvalue
 * have different structures". Overlapping memory is handled. 1-D only, as in CPython. */
bv_status bv_view_assign_slice(bv_view *v, bv_slice s, bv_exporter *src, bv_error *err);
/* mv[s0, s1, ...] = src: beyond CPython ("memoryview slice assignments are currently
 * restricted to ndim = 1"), the same structure rule per dimension. */
bv_status bv_view_assign_slice_nd(bv_view *v, const bv_slice *slices, size_t n,
                                  bv_exporter *src, bv_error *err);

/* ---- NumPy-style subscripts (beyond CPython) ---------------------------------------
 * mv[i, a:b, ..., newaxis]: a tuple mixing integers, slices, at most one Ellipsis and
 * NumPy's newaxis, with NumPy's basic-indexing rules, as CPython's PR gh-58338 (#153661)
 * proposes for memoryview (without newaxis). CPython 3.13 refuses all of it but a full
 * tuple of integers (an item) and a single slice.
 *
 * The result is always a view sharing v's managed buffer, never a copy:
 * - an integer takes its dimension away (a negative one counts from the end); when every
 *   dimension is taken by an integer the result is the 0-dim view of that item;
 * - a slice keeps its dimension (CPython's slice arithmetic: an empty slice still moves
 *   buf by stride * start and keeps stride * step, where NumPy would reset both);
 * - the Ellipsis stands for whole slices over the dimensions no other item names; the
 *   dimensions after the last item are kept whole too, so n == 0 and a bare Ellipsis
 *   give the whole view (also for a 0-dim view);
 * - newaxis inserts a dimension of length 1 and stride 0.
 * No allocation for results of up to BV_VIEW_INLINE_DIMS dimensions, whatever v's.
 *
 * Errors, checked in NumPy's order (the items in order, then their count, then the
 * result's dimensions, then each item in order), and whose words they are:
 * - a second Ellipsis: IndexError "an index can only have a single ellipsis ('...')"
 *   (NumPy);
 * - more integers and slices than dimensions: IndexError "too many indices for array:
 *   array is 2-dimensional, but 3 were indexed" (NumPy; also for a 0-dim view, where
 *   CPython's own mv[0] says TypeError "invalid indexing of 0-dim memory");
 * - a result of more than BV_MAXDIM dimensions: IndexError "number of dimensions must be
 *   within [0, 64], indexing result would have 65" (NumPy's words, bufview's limit);
 * - an integer out of range: IndexError "index out of bounds on dimension 2" (CPython's,
 *   dimensions counted from 1 in v; NumPy says "index 5 is out of bounds for axis 1 with
 *   size 3");
 * - a slice step of 0: ValueError "slice step cannot be zero" (CPython's and NumPy's);
 * - a released view: ValueError "operation forbidden on released memoryview object"
 *   (CPython's); out, v or items (when n > 0) NULL, or an item not made by the four
 *   constructors below: the API-contract TypeError of error.h.
 * CPython's PR does not word any of these differently in what it publishes; where it
 * keeps memoryview's existing messages, bufview's other functions keep them too.
 *
 * bv_view_slice_nd / bv_view_assign_slice_nd are the slice-only case with CPython's
 * checks and messages, and run through the same code. */
typedef enum bv_index_kind {
    BV_INDEX_INT,        /* i: drops the dimension */
    BV_INDEX_SLICE,      /* a:b:c: keeps it */
    BV_INDEX_ELLIPSIS,   /* ...: whole slices over the dimensions not named */
    BV_INDEX_NEWAXIS     /* numpy.newaxis (None): a new dimension of length 1 */
} bv_index_kind;

/* One item of a subscript tuple (a small value; copy it freely). Make it with the four
 * constructors; its fields may be read. */
typedef struct bv_index bv_index;
struct bv_index {
    bv_index_kind kind;
    ptrdiff_t i;         /* BV_INDEX_INT */
    bv_slice slice;      /* BV_INDEX_SLICE */
};

/* Drops the dimension; negative counts from the end. */
static inline bv_index bv_index_int(ptrdiff_t i)
{
    bv_index x = {BV_INDEX_INT, i, bv_slice_all()};
    return x;
}
/* Keeps the dimension. */
static inline bv_index bv_index_slice(bv_slice s)
{
    bv_index x = {BV_INDEX_SLICE, 0, s};
    return x;
}
/* Full slices over the dimensions not named. */
static inline bv_index bv_index_ellipsis(void)
{
    bv_index x = {BV_INDEX_ELLIPSIS, 0, bv_slice_all()};
    return x;
}
/* Inserts a dimension of length 1. */
static inline bv_index bv_index_newaxis(void)
{
    bv_index x = {BV_INDEX_NEWAXIS, 0, bv_slice_all()};
    return x;
}

/* mv[items[0], ..., items[n-1]]: the sub-view described above, written to out. */
bv_status bv_view_subscript(bv_view *out, const bv_view *v, const bv_index *items, size_t n,
                            bv_error *err);
/* mv[items...] = src: the sub-view's items replaced by src's, with the slice-assignment
 * structure rule on every dimension (src's format, ignoring '@', itemsize and shape equal
 * the sub-view's, else ValueError "memoryview assignment: lvalue and rvalue have
 * different structures"; a 0-dim sub-view takes a 0-dim source). Overlapping memory is
 * handled. Checked in CPython's order for stores: v (released, format, then TypeError
 * "cannot modify read-only memory"), src's buffer (TypeError "a bytes-like object is
 * required, not 'NoneType'" for NULL), the subscript's errors above, the structure.
 * Allocates a temporary copy of the items unless source and sub-view are both
 * C-contiguous, and a spill for a sub-view of more than BV_VIEW_INLINE_DIMS dimensions. */
bv_status bv_view_assign_subscript(bv_view *v, const bv_index *items, size_t n,
                                   bv_exporter *src, bv_error *err);

/* ---- methods ---------------------------------------------------------------------- */
/* mv.tobytes(order): order 'C', 'F', 'A' (0 means the default 'C'); other: ValueError
 * "order must be 'C', 'F' or 'A'". A new bytes object the caller decrefs. */
bv_status bv_view_tobytes(const bv_view *v, char order, bv_bytes **out, bv_error *err);
/* The same bytes written to dst (capacity cap >= nbytes, else ValueError). One memcpy
 * when contiguous, a tight strided loop otherwise. */
bv_status bv_view_tobytes_into(const bv_view *v, char order, void *dst, size_t cap,
                               bv_error *err);
/* mv.tolist() */
bv_status bv_view_tolist(const bv_view *v, bv_list *out, bv_error *err);
/* mv.toreadonly() */
bv_status bv_view_toreadonly(bv_view *out, const bv_view *v, bv_error *err);
/* mv.cast(format) and mv.cast(format, shape) (ndim may be 0 for shape=[]). */
bv_status bv_view_cast(bv_view *out, const bv_view *v, const char *format, bv_error *err);
bv_status bv_view_cast_shape(bv_view *out, const bv_view *v, const char *format,
                             const ptrdiff_t *shape, ptrdiff_t ndim, bv_error *err);
/* mv.hex(sep, bytes_per_sep): sep NULL for none, else one ASCII character (ValueError
 * "sep must be length 1." / "sep must be ASCII."). *out is a NUL-terminated string from
 * bv_malloc; free it with bv_free. */
bv_status bv_view_hex(const bv_view *v, const char *sep, ptrdiff_t bytes_per_sep, char **out,
                      bv_error *err);
/* mv.count(value) and mv.index(value, start, stop) (CPython 3.14); use PTRDIFF_MAX as the
 * default stop. ValueError "memoryview.index(x): x not found". count() iterates the view,
 * so like iter(mv) it checks the dimensions before whether the view was released. */
bv_status bv_view_count(const bv_view *v, bv_value value, ptrdiff_t *out, bv_error *err);
bv_status bv_view_index(const bv_view *v, bv_value value, ptrdiff_t start, ptrdiff_t stop,
                        ptrdiff_t *out, bv_error *err);
/* a == b with CPython's rules (never fails for released views: they equal only themselves). */
bv_status bv_view_equal(const bv_view *a, const bv_view *b, bool *out, bv_error *err);
/* mv == obj for any exporter (a non-exporter, NULL, compares unequal). */
bv_status bv_view_equal_exporter(const bv_view *a, bv_exporter *obj, bool *out, bv_error *err);
/* hash(mv): read-only views of format B, b or c only, over a hashable object (not a
 * bytearray or array.array: TypeError "unhashable type: 'bytearray'"); equals
 * bv_hash_bytes(tobytes()). Like CPython, the first successful hash is remembered in the
 * view (so it is not const) and answered again even after release. */
bv_status bv_view_hash(bv_view *v, uint64_t *out, bv_error *err);

/* ==== not part of the API ============================================================
 * What the inline bv_view_slice needs; call bv_view_slice, never these (they may change).
 *
 * Why inline: passed by value through memory, gcc copies the 32-byte bv_slice with loads
 * that straddle the stores that built it, and the stalled store forwarding costs more
 * than the whole slice. Taking the slice apart here keeps its fields in registers. */
bv_status bvi_view_slice_fields(bv_view *out, const bv_view *v, ptrdiff_t start,
                                ptrdiff_t stop, ptrdiff_t step, unsigned has_mask,
                                bv_error *err);
#define BVI_SLICE_HAS_START 1u
#define BVI_SLICE_HAS_STOP 2u
#define BVI_SLICE_HAS_STEP 4u
static inline bv_status bv_view_slice(bv_view *out, const bv_view *v, bv_slice s,
                                      bv_error *err)
{
    return bvi_view_slice_fields(out, v, s.start, s.stop, s.step,
                                 (s.has_start ? BVI_SLICE_HAS_START : 0u) |
                                     (s.has_stop ? BVI_SLICE_HAS_STOP : 0u) |
                                     (s.has_step ? BVI_SLICE_HAS_STEP : 0u),
                                 err);
}

#ifdef __cplusplus
}
#endif
#endif
