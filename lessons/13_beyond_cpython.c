/*
 * Lesson 13: where bufview goes beyond CPython, multi-dimensional slicing.
 *
 * CPython's memoryview understands N-D shapes (lesson 11) but refuses m[0:2, 1:3]
 * with NotImplementedError, and refuses to assign to such a slice too. Nothing in the
 * buffer protocol forbids it: a rectangle of a matrix is just a new start address, a
 * new shape and the same (or multiplied) strides, exactly what NumPy does. bufview
 * implements it (bv_view_slice_nd, bv_view_assign_slice_nd), still without copying.
 * The Python twin shows CPython's refusal and computes the expected result another way,
 * from CPython's own tolist() and item access, so the results are still checked.
 */
#include "lesson.h"

static bv_slice every(ptrdiff_t step)
{
    bv_slice s = {0, 0, step, false, false, true};
    return s;
}

/* print(name, shape, strides, offset from base) and the items */
static void show(const char *name, const bv_view *v, const bv_view *base)
{
    bv_error err;
    char *at, *base_at;
    CHECK(bv_view_buf(v, &at, &err), &err);
    CHECK(bv_view_buf(base, &base_at, &err), &err);
    printf("%s: offset %td ", name, at - base_at);
    print_shape_strides(v);
    print_tolist(v);
}

int main(void)
{
    bv_error err;
    unsigned char twelve[12];
    for (int i = 0; i < 12; i++)
        twelve[i] = (unsigned char)i;

    say("Lesson 13: where bufview goes beyond CPython");
    say("data = bytearray(range(12)); m = memoryview(data).cast('B', [3, 4])");
    bv_bytearray *data = NULL;
    bv_view flat = {0}, m = {0};
    CHECK(bv_bytearray_new(&data, twelve, 12, &err), &err);
    CHECK(bv_view_from(&flat, bv_bytearray_exporter(data), &err), &err);
    const ptrdiff_t shape34[] = {3, 4};
    CHECK(bv_view_cast_shape(&m, &flat, "B", shape34, 2, &err), &err);
    show("m", &m, &m);

    say("What both refuse: m[1], a row as a sub-view of lower dimension:");
    bv_value item;
    show_error(bv_view_get(&m, 1, &item, &err), &err);
    say("What both allow: one slice, applied to the first dimension: m[0:2]");
    bv_view rows = {0};
    CHECK(bv_view_slice(&rows, &m, bv_slice_range(0, 2), &err), &err);
    show("m[0:2]", &rows, &m);
    bv_view_release(&rows, NULL);

    say_break();
    say("What CPython refuses and bufview does: sub = m[0:2, 1:3], a 2x2 window.");
    say("CPython: NotImplementedError: multi-dimensional slicing is not implemented");
    say("bufview: bv_view_slice_nd(&sub, &m, (bv_slice[]){[0:2], [1:3]}, 2, &err)");
    bv_view sub = {0};
    const bv_slice window[] = {bv_slice_range(0, 2), bv_slice_range(1, 3)};
    CHECK(bv_view_slice_nd(&sub, &m, window, 2, &err), &err);
    show("sub", &sub, &m);
    char *m_at, *sub_at;
    CHECK(bv_view_buf(&m, &m_at, &err), &err);
    CHECK(bv_view_buf(&sub, &sub_at, &err), &err);
    say("Same strides as m, start 1 byte in: m at %p, sub at %p. No copy.", (void *)m_at,
        (void *)sub_at);
    bool contiguous;
    CHECK(bv_view_contiguous(&sub, &contiguous, &err), &err);
    say("sub is not contiguous (contiguous = %s): its rows have gaps between them,",
        py_bool(contiguous));
    say("so tobytes() gathers the items, in C or Fortran order:");
    print_tobytes(&sub, 'C');
    print_tobytes(&sub, 'F');
    say("Writes through sub land in data: sub[0, 0] = 99 (that is m[0, 1])");
    const ptrdiff_t origin[] = {0, 0};
    CHECK(bv_view_set_at(&sub, origin, 2, bv_value_int(99), &err), &err);
    print_tolist(&m);

    say_break();
    say("Steps work per dimension: every other row, each row reversed: m[::2, ::-1]");
    bv_view odd = {0};
    const bv_slice rows_reversed[] = {every(2), every(-1)};
    CHECK(bv_view_slice_nd(&odd, &m, rows_reversed, 2, &err), &err);
    show("m[::2, ::-1]", &odd, &m);
    bv_view_release(&odd, NULL);

    say_break();
    say("Assignment to a 2-D window, also refused by CPython (NotImplementedError:");
    say("memoryview slice assignments are currently restricted to ndim = 1):");
    say("m[1:3, 0:2] = memoryview(b'\\xa0\\xa1\\xb0\\xb1').cast('B', [2, 2])");
    bv_bytes *patch = NULL;
    bv_view patch_flat = {0}, patch2 = {0};
    const ptrdiff_t shape22[] = {2, 2};
    CHECK(bv_bytes_new(&patch, "\xa0\xa1\xb0\xb1", 4, &err), &err);
    CHECK(bv_view_from(&patch_flat, bv_bytes_exporter(patch), &err), &err);
    CHECK(bv_view_cast_shape(&patch2, &patch_flat, "B", shape22, 2, &err), &err);
    const bv_slice target[] = {bv_slice_range(1, 3), bv_slice_range(0, 2)};
    CHECK(bv_view_assign_slice_nd(&m, target, 2, bv_view_exporter(&patch2), &err), &err);
    print_tolist(&m);
    say("The source must have the window's structure (here a 2x2 into a 2x3 window):");
    const bv_slice too_wide[] = {bv_slice_range(1, 3), bv_slice_range(0, 3)};
    show_error(bv_view_assign_slice_nd(&m, too_wide, 2, bv_view_exporter(&patch2), &err),
               &err);
    bv_view_release(&patch2, NULL);
    bv_view_release(&patch_flat, NULL);
    bv_bytes_decref(patch);

    say_break();
    say("The exporter saw every change, through every view:");
    print_bytearray(data);

    bv_view_release(&sub, NULL);
    bv_view_release(&m, NULL);
    bv_view_release(&flat, NULL);
    bv_bytearray_decref(data);
    say("Next: lesson 14, the other side of the protocol: writing an exporter.");
    return 0;
}
