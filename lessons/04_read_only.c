/*
 * Lesson 04: read-only memory.
 *
 * Whether a view may write is decided by the exporter, not by the view: bytes are
 * immutable, so every view of bytes is read-only and any write through it fails with
 * TypeError "cannot modify read-only memory" before anything is touched. A writable
 * exporter can still be handed out read-only: toreadonly() makes a second view of the
 * same memory that refuses writes, the usual way to give a function data it may read
 * but not change.
 */
#include "lesson.h"

int main(void)
{
    bv_error err;
    bv_bytes *data = NULL;
    bv_view mv = {0};
    bool readonly;

    say("Lesson 04: read-only memory");
    say("data = b'ABC'; mv = memoryview(data)");
    CHECK(bv_bytes_new(&data, "ABC", 3, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytes_exporter(data), &err), &err);
    say("print(mv.readonly): bv_view_readonly()");
    CHECK(bv_view_readonly(&mv, &readonly, &err), &err);
    puts(py_bool(readonly));

    say("Reading is fine: print(mv[1])");
    bv_value item;
    CHECK(bv_view_get(&mv, 1, &item, &err), &err);
    bv_print_value(stdout, item);
    fputc('\n', stdout);

    say("Writing is not: mv[1] = 90 (bv_view_set) fails and the bytes are unchanged:");
    show_error(bv_view_set(&mv, 1, bv_value_int(90), &err), &err);
    bv_print_bytes(stdout, bv_bytes_data(data), bv_bytes_size(data));
    fputc('\n', stdout);

    say("The read-only check comes first, before the index or the value is looked at:");
    say("mv[99] = 300");
    show_error(bv_view_set(&mv, 99, bv_value_int(300), &err), &err);
    say("mv[0:2] = b'XY' (bv_view_assign_slice) and del mv[0] (bv_view_delete):");
    bv_bytes *xy = NULL;
    CHECK(bv_bytes_new(&xy, "XY", 2, &err), &err);
    show_error(bv_view_assign_slice(&mv, bv_slice_range(0, 2), bv_bytes_exporter(xy), &err),
               &err);
    show_error(bv_view_delete(&mv, 0, &err), &err);
    bv_print_bytes(stdout, bv_bytes_data(data), bv_bytes_size(data));
    fputc('\n', stdout);

    say_break();
    say("A writable exporter handed out read-only: ba = bytearray(b'ABC'),");
    say("rw = memoryview(ba), ro = rw.toreadonly() (bv_view_toreadonly)");
    bv_bytearray *ba = NULL;
    bv_view rw = {0}, ro = {0};
    CHECK(bv_bytearray_new(&ba, "ABC", 3, &err), &err);
    CHECK(bv_view_from(&rw, bv_bytearray_exporter(ba), &err), &err);
    CHECK(bv_view_toreadonly(&ro, &rw, &err), &err);
    CHECK(bv_view_readonly(&rw, &readonly, &err), &err);
    printf("rw.readonly %s\n", py_bool(readonly));
    CHECK(bv_view_readonly(&ro, &readonly, &err), &err);
    printf("ro.readonly %s\n", py_bool(readonly));
    say("ro[0] = 97 is refused; rw[0] = 97 works, and ro sees the change because both");
    char *rw_at, *ro_at;
    CHECK(bv_view_buf(&rw, &rw_at, &err), &err);
    CHECK(bv_view_buf(&ro, &ro_at, &err), &err);
    say("views look at the same memory (rw at %p, ro at %p):", (void *)rw_at, (void *)ro_at);
    show_error(bv_view_set(&ro, 0, bv_value_int(97), &err), &err);
    CHECK(bv_view_set(&rw, 0, bv_value_int(97), &err), &err);
    print_bytearray(ba);
    CHECK(bv_view_get(&ro, 0, &item, &err), &err);
    print_labeled_value("ro[0]", item);
    say("On a writable view, deleting is still impossible (memory has a fixed size):");
    show_error(bv_view_delete(&rw, 0, &err), &err);

    bv_view_release(&ro, NULL);
    bv_view_release(&rw, NULL);
    bv_bytearray_decref(ba);
    bv_bytes_decref(xy);
    bv_view_release(&mv, NULL);
    bv_bytes_decref(data);
    say("Next: lesson 05, slices that share memory.");
    return 0;
}
