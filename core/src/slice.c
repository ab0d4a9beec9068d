/*
 * slice.c: Python's slice.indices() arithmetic (CPython's PySlice_Unpack followed by
 * PySlice_AdjustIndices), the one place bufview clamps a slice to a length.
 */
#include "bufview/slice.h"

#include <stdint.h>

bv_status bv_slice_adjust(bv_slice s, ptrdiff_t len, ptrdiff_t *start_out, ptrdiff_t *step_out,
                          ptrdiff_t *slicelength, bv_error *err)
{
    /* PySlice_Unpack: defaults by the step's sign; a step of PTRDIFF_MIN would overflow
     * when negated, so it is clamped as CPython clamps it. */
    ptrdiff_t step = 1, start, stop;
    if (s.has_step) {
        step = s.step;
        if (step == 0)
            return bv_error_set(err, BV_VALUE_ERROR, "slice step cannot be zero");
        if (step < -PTRDIFF_MAX)
            step = -PTRDIFF_MAX;
    }
    start = s.has_start ? s.start : (step < 0 ? PTRDIFF_MAX : 0);
    stop = s.has_stop ? s.stop : (step < 0 ? PTRDIFF_MIN : PTRDIFF_MAX);
    /* PySlice_AdjustIndices: negative bounds count from the end, then both are clamped
     * to the sequence (to -1 / len - 1 when walking backwards). */
    if (start < 0) {
        start += len;
        if (start < 0)
            start = step < 0 ? -1 : 0;
    } else if (start >= len) {
        start = step < 0 ? len - 1 : len;
    }
    if (stop < 0) {
        stop += len;
        if (stop < 0)
            stop = step < 0 ? -1 : 0;
    } else if (stop >= len) {
        stop = step < 0 ? len - 1 : len;
    }
    ptrdiff_t n = 0;
    if (step < 0) {
        if (stop < start)
            n = (start - stop - 1) / (-step) + 1;
    } else if (start < stop) {
        n = (stop - start - 1) / step + 1;
    }
    if (start_out)
        *start_out = start;
    if (step_out)
        *step_out = step;
    if (slicelength)
        *slicelength = n;
    return BV_OK;
}
