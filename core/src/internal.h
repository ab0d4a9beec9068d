/*
 * internal.h: what every source of the core shares and nothing outside it may use.
 *
 * Names here carry the internal prefix bvi_ / BVI_ (the public API is bv_ / BV_), so a
 * use outside core/src is visibly a use of something that may change without notice.
 * Nothing here owns memory.
 */
#ifndef BUFVIEW_INTERNAL_H
#define BUFVIEW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bufview/error.h"
#include "bufview/format.h"

/* Branch hints and inlining control. Hints only: a compiler without them builds the same
 * code, so they are guarded rather than required. */
#if defined(__GNUC__)
#define BVI_LIKELY(x) __builtin_expect(!!(x), 1)
#define BVI_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BVI_NOINLINE __attribute__((noinline))
#define BVI_COLD __attribute__((cold, noinline))
#else
#define BVI_LIKELY(x) (x)
#define BVI_UNLIKELY(x) (x)
#define BVI_NOINLINE
#define BVI_COLD
#endif

/* ---- errors ------------------------------------------------------------------------
 * Two failures are the same everywhere in the core, so each has one function: running out
 * of memory, and a caller breaking the API's contract. Both are cold, so the paths that
 * call them stay short. */

/* MemoryError with CPython's empty message. */
bv_status bvi_error_nomem(bv_error *err) BVI_COLD;

/* A broken API contract (a NULL where an object is required, a negative length...):
 * always TypeError, always the shape of Python's argument errors,
 * "<function>() argument '<name>' <requirement>". It is TypeError because passing None
 * where Python wants an object is TypeError ("argument 'x' must be str, not None"). */
bv_status bvi_error_arg(bv_error *err, const char *function, const char *argument,
                        const char *requirement) BVI_COLD;

/* The one check for the contract, in a public function (the message names it). */
#define BVI_REQUIRE(ok, err, argument, requirement)                                  \
    do {                                                                             \
        if (BVI_UNLIKELY(!(ok)))                                                     \
            return bvi_error_arg((err), __func__, (argument), (requirement));       \
    } while (0)
#define BVI_REQUIRE_NONNULL(p, err) BVI_REQUIRE((p) != NULL, (err), #p, "must not be NULL")

/* ValueError "order must be 'C', 'F' or 'A'" for anything else (tobytes, to/from
 * contiguous). */
bv_status bvi_check_order(char order, bv_error *err);

/* ---- the "@X" format grammar beyond format.h (format.c) ------------------------------ */

/* CPython's equiv_format: the same format once one leading '@' is ignored on each side. */
bool bvi_format_equal(const char *a, const char *b);
/* get_native_fmtstr(): a static copy of a native single-character format ("B", "@B"...),
 * for a view that must outlive the caller's string; NULL when format is not one. */
const char *bvi_format_static(const char *format);

/* Whether this machine stores the least significant byte first (folded by compilers). */
static inline bool bvi_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

/* ---- items: one struct character, read and written (format.c) ------------------------ */

/* How a view's items are read and written: memoryview's formats ("X", "@X", native size
 * and byte order) and, beyond CPython, one character after a byte-order prefix ("<X",
 * ">X", "!X", "=X", struct's standard sizes), like NumPy's byte-order dtypes. */
typedef struct bvi_item {
    char code;           /* the native character of the same size and kind ('i' for "<l") */
    bool swap;           /* stored in the other byte order than this machine's */
    ptrdiff_t size;
    const char *name;    /* what error messages quote: "h" for "@h", "<l" for "<l" */
} bvi_item;

/* Whether prefix is one of struct's byte orders ('<', '>', '!', '=': standard sizes), and
 * then whether its items are stored in the other order than this machine's. */
bool bvi_byte_order(char prefix, bool *swap);
/* format as an item, with memoryview's two NotImplementedError messages for anything
 * else (bv_format_check's). name points into format. */
bv_status bvi_item_parse(const char *format, bvi_item *out, bv_error *err);
/* The standard-size character c in the given byte order (name NULL); false for a
 * character struct has no standard size for (n, N, P, x, s, p...). */
bool bvi_item_standard(char c, bool swap, bvi_item *out);
/* Read the item at p (any alignment). */
void bvi_item_unpack(const bvi_item *it, const void *p, bv_value *out);
/* Write v at p with memoryview's checks and messages; p untouched on failure. */
bv_status bvi_item_pack(const bvi_item *it, void *p, bv_value v, bv_error *err);

/* ---- whole struct formats (format_struct.c) ------------------------------------------- */

/* Whether struct.Struct(format) accepts format and its size is at most itemsize (what
 * struct.unpack_from needs to read one item). */
bool bvi_struct_fits(const char *format, ptrdiff_t itemsize);
/* Python's == between struct.unpack_from(fa, a) and struct.unpack_from(fb, b), each a
 * one-element tuple unwrapped, as CPython's memoryview compares items of any format that
 * is not one native character. Both formats must satisfy bvi_struct_fits. */
bool bvi_struct_items_equal(const char *fa, const void *a, const char *fb, const void *b);

/* ---- values (value.c) ------------------------------------------------------------- */

/* Python ints as sign + magnitude, so INT, UINT and BOOL compare and convert without
 * overflow. */
typedef struct bvi_wide_int {
    bool negative;
    uint64_t magnitude;
} bvi_wide_int;
/* false for FLOAT and BYTES values. */
bool bvi_value_as_wide_int(const bv_value *v, bvi_wide_int *out);
/* The bool field read as bytes (a hand-filled union may hold any byte there). */
bool bvi_value_bool_field(const bv_value *v);

/* ---- arithmetic CPython does with -fwrapv ------------------------------------------- */

/* Pointer arithmetic that may leave the object (an empty slice one past a strided end,
 * or CPython's wrapped strides): done on integers, so it is defined behaviour; such
 * pointers are never dereferenced. */
static inline char *bvi_ptr_add(char *p, ptrdiff_t off)
{
    return (char *)((uintptr_t)p + (uintptr_t)off);
}
static inline const char *bvi_cptr_add(const char *p, ptrdiff_t off)
{
    return (const char *)((uintptr_t)p + (uintptr_t)off);
}

/* CPython is built with -fwrapv; this reproduces its wrapping product without UB. */
static inline ptrdiff_t bvi_wrap_mul(ptrdiff_t a, ptrdiff_t b)
{
    return (ptrdiff_t)((uint64_t)a * (uint64_t)b);
}

/* product(shape) * itemsize, wrapping like CPython's init_len on absurd shapes. */
static inline ptrdiff_t bvi_nbytes(int ndim, const ptrdiff_t *shape, ptrdiff_t itemsize)
{
    ptrdiff_t len = 1;
    for (int i = 0; i < ndim; i++)
        len = bvi_wrap_mul(len, shape[i]);
    return bvi_wrap_mul(len, itemsize);
}

#endif
