/*
 * bufview/slice.h: Python's slice objects and their arithmetic (slice.indices()).
 *
 * A bv_slice is what `a:b:c` means in a subscript, with "not given" kept apart from every
 * number, because Python's defaults depend on the step's sign ([::-1] starts at the end).
 * bv_slice_adjust turns it into a start, a step and a length for a sequence of known
 * length, exactly as CPython's PySlice_Unpack + PySlice_AdjustIndices do; every view
 * operation that takes a slice goes through it, so all of them clamp the same way.
 *
 * Ownership: a bv_slice is a plain value (no pointers); copy it freely.
 */
#ifndef BUFVIEW_SLICE_H
#define BUFVIEW_SLICE_H

#include <stdbool.h>
#include <stddef.h>

#include "bufview/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A Python slice; has_* false means None (the default for that position). */
typedef struct bv_slice {
    ptrdiff_t start, stop, step;
    bool has_start, has_stop, has_step;
} bv_slice;

/* [start:stop:step] with all three given. */
static inline bv_slice bv_slice_make(ptrdiff_t start, ptrdiff_t stop, ptrdiff_t step)
{
    bv_slice s = {start, stop, step, true, true, true};
    return s;
}
/* [start:stop] */
static inline bv_slice bv_slice_range(ptrdiff_t start, ptrdiff_t stop)
{
    bv_slice s = {start, stop, 1, true, true, false};
    return s;
}
/* [:] */
static inline bv_slice bv_slice_all(void)
{
    bv_slice s = {0, 0, 1, false, false, false};
    return s;
}

/* slice.indices(len): clamps s to a sequence of length len (>= 0) and gives the first
 * index, the step and the number of items; each output may be NULL. step 0 is ValueError
 * "slice step cannot be zero" and writes nothing. Never overflows, whatever the values
 * (a step of PTRDIFF_MIN counts as -PTRDIFF_MAX, as in CPython). */
bv_status bv_slice_adjust(bv_slice s, ptrdiff_t len, ptrdiff_t *start, ptrdiff_t *step,
                          ptrdiff_t *slicelength, bv_error *err);

#ifdef __cplusplus
}
#endif
#endif
