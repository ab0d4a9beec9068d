/*
 * Lesson 10: strides and steps.
 *
 * A view finds item i at buf + i * stride. Contiguous memory has stride == itemsize,
 * but a slice with a step only multiplies the stride (mv[::2] has stride 2) and a
 * negative step makes it negative, with buf at the last item (mv[::-1]). So every
 * other item, a reversed sequence, or every third column of a record is still a view
 * of the same memory, made without copying, and writes go to the right places. Such a
 * view is no longer contiguous; tobytes() gathers its items in order when asked.
 */
#include "lesson.h"

/* print(name, bytes(v), "shape", v.shape, "strides", v.strides, "contiguous", v.contiguous) */
static void show(const char *name, const bv_view *v, bool as_list)
{
    bv_error err;
    bool contiguous;
    int ndim;
    const ptrdiff_t *shape, *strides;
    CHECK(bv_view_contiguous(v, &contiguous, &err), &err);
    CHECK(bv_view_ndim(v, &ndim, &err), &err);
    CHECK(bv_view_shape(v, &shape, &err), &err);
    CHECK(bv_view_strides(v, &strides, &err), &err);
    printf("%s: ", name);
    if (as_list) {
        bv_list list = {0};
        CHECK(bv_view_tolist(v, &list, &err), &err);
        bv_print_list(stdout, &list);
        bv_list_free(&list);
    } else {
        bv_bytes *b = NULL;
        CHECK(bv_view_tobytes(v, 'C', &b, &err), &err);
        bv_print_bytes(stdout, bv_bytes_data(b), bv_bytes_size(b));
        bv_bytes_decref(b);
    }
    fputs(" shape ", stdout);
    print_tuple(shape, ndim);
    fputs(" strides ", stdout);
    print_tuple(strides, ndim);
    printf(" contiguous %s\n", py_bool(contiguous));
}

/* [::step]: start and stop left out (None), as bv_slice's has_* flags allow. */
static bv_slice every(ptrdiff_t step)
{
    bv_slice s = {0, 0, step, false, false, true};
    return s;
}

/* out = v[s], shown, then released */
static void show_slice(const char *name, const bv_view *v, bv_slice s, bool as_list)
{
    bv_error err;
    bv_view out = {0};
    CHECK(bv_view_slice(&out, v, s, &err), &err);
    show(name, &out, as_list);
    bv_view_release(&out, NULL);
}

int main(void)
{
    bv_error err;
    bv_bytearray *ba = NULL;
    bv_view mv = {0}, ev = {0}, rv = {0};

    say("Lesson 10: strides and steps");
    say("ba = bytearray(b'abcdefgh'); mv = memoryview(ba)");
    CHECK(bv_bytearray_new(&ba, "abcdefgh", 8, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), &err);
    show("mv", &mv, false);
    say("Every other item, mv[::2]: the stride doubles. A bv_slice is Python's slice;");
    say("has_start/has_stop/has_step false mean 'left out' (None), as in every(2) here,");
    say("and bv_slice_make(start, stop, step) gives all three:");
    CHECK(bv_view_slice(&ev, &mv, every(2), &err), &err);
    show("mv[::2]", &ev, false);
    say("Reversed: the stride is negative and the view starts at the last byte:");
    CHECK(bv_view_slice(&rv, &mv, every(-1), &err), &err);
    show("mv[::-1]", &rv, false);
    char *mv_at, *rv_at;
    CHECK(bv_view_buf(&mv, &mv_at, &err), &err);
    CHECK(bv_view_buf(&rv, &rv_at, &err), &err);
    say("mv starts at %p, mv[::-1] at %p (7 bytes further)", (void *)mv_at, (void *)rv_at);
    show_slice("mv[::-2]", &mv, every(-2), false);
    show_slice("mv[1:7:3]", &mv, bv_slice_make(1, 7, 3), false);
    say("Bounds are clamped as Python clamps them; an empty slice is fine:");
    show_slice("mv[-100:100:3]", &mv, bv_slice_make(-100, 100, 3), false);
    show_slice("mv[5:2]", &mv, bv_slice_range(5, 2), false);
    say("A single item is contiguous whatever its stride: mv[::-1][0:1]");
    show_slice("mv[::-1][0:1]", &rv, bv_slice_range(0, 1), false);
    say("A zero step is meaningless:");
    bv_view bad = {0};
    show_error(bv_view_slice(&bad, &mv, every(0), &err), &err);

    say_break();
    say("Writes through a strided view land in the right places:");
    say("ev = mv[::2]; ev[1] = ord('C')");
    CHECK(bv_view_set(&ev, 1, bv_value_int('C'), &err), &err);
    print_bytearray(ba);
    say("Slice assignment with a step: mv[1::2] = b'BDFH'");
    bv_bytes *bdfh = NULL;
    CHECK(bv_bytes_new(&bdfh, "BDFH", 4, &err), &err);
    bv_slice odd = {1, 0, 2, true, false, true};
    CHECK(bv_view_assign_slice(&mv, odd, bv_bytes_exporter(bdfh), &err), &err);
    print_bytearray(ba);
    say("The reversed view sees all of it, backwards:");
    print_tobytes(&rv, 'C');
    bv_bytes_decref(bdfh);

    say_break();
    say("Strides are in bytes, so for 4-byte ints they are multiples of 4:");
    say("t = memoryview(array('i', range(6)))");
    const int six[] = {0, 1, 2, 3, 4, 5};
    bv_array *arr = NULL;
    bv_view t = {0}, tr = {0};
    CHECK(bv_array_new(&arr, 'i', six, 6, &err), &err);
    CHECK(bv_view_from(&t, bv_array_exporter(arr), &err), &err);
    show("t", &t, true);
    show_slice("t[::2]", &t, every(2), true);
    CHECK(bv_view_slice(&tr, &t, every(-1), &err), &err);
    show("t[::-1]", &tr, true);
    say("A step of a reversed view multiplies the negative stride:");
    show_slice("t[::-1][::2]", &tr, every(2), true);

    bv_view_release(&tr, NULL);
    bv_view_release(&t, NULL);
    bv_array_decref(arr);
    bv_view_release(&rv, NULL);
    bv_view_release(&ev, NULL);
    bv_view_release(&mv, NULL);
    bv_bytearray_decref(ba);
    say("Next: lesson 11, casting bytes to other formats and shapes.");
    return 0;
}
