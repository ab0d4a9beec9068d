/*
 * Lesson 07: the export lock.
 *
 * A view points straight into the exporter's memory. If a bytearray could grow while a
 * view is alive, it might move its bytes and leave the view pointing at freed memory.
 * So the exporter counts its exports and refuses to change size while any is alive
 * (BufferError), changing nothing. Writing in place stays allowed. The lock is held by
 * the managed buffer that all views derived from one bv_view_from() share, so it lasts
 * until the LAST of them is released, not the first.
 */
#include "lesson.h"

int main(void)
{
    bv_error err;
    bv_bytearray *ba = NULL;
    bv_view mv = {0}, tail = {0};

    say("Lesson 07: the export lock");
    say("ba = bytearray(b'abc'); mv = memoryview(ba)");
    CHECK(bv_bytearray_new(&ba, "abc", 3, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(ba), &err), &err);
    say("ba has %td export(s) now (bv_bytearray_exports).", bv_bytearray_exports(ba));

    say("Anything that changes the size is refused, and ba is unchanged:");
    say("ba.append(100), ba.extend(b'de'), ba.clear()");
    show_error(bv_bytearray_append(ba, 100, &err), &err);
    show_error(bv_bytearray_extend(ba, "de", 2, &err), &err);
    show_error(bv_bytearray_clear(ba, &err), &err);
    print_bytearray(ba);
    say("Writing in place does not move memory, so it is allowed: mv[0] = ord('A')");
    CHECK(bv_view_set(&mv, 0, bv_value_int('A'), &err), &err);
    print_bytearray(ba);

    say_break();
    say("Derived views share the lock: tail = mv[1:]; mv.release(); ba.append(100)");
    CHECK(bv_view_slice(&tail, &mv, bv_slice_range(1, 3), &err), &err);
    CHECK(bv_view_release(&mv, &err), &err);
    show_error(bv_bytearray_append(ba, 100, &err), &err);
    say("Releasing the last view gives the buffer back: tail.release(); ba.append(100)");
    CHECK(bv_view_release(&tail, &err), &err);
    say("ba has %td export(s) now.", bv_bytearray_exports(ba));
    CHECK(bv_bytearray_append(ba, 100, &err), &err);
    print_bytearray(ba);

    say_break();
    say("Typed arrays lock the same way: a = array('i', [1, 2, 3]); m = memoryview(a)");
    const int items[] = {1, 2, 3};
    bv_array *a = NULL;
    bv_view m = {0};
    CHECK(bv_array_new(&a, 'i', items, 3, &err), &err);
    CHECK(bv_view_from(&m, bv_array_exporter(a), &err), &err);
    say("a.append(4):");
    show_error(bv_array_append(a, bv_value_int(4), &err), &err);
    say("m.release(); a.append(4); print(len(a))");
    CHECK(bv_view_release(&m, &err), &err);
    CHECK(bv_array_append(a, bv_value_int(4), &err), &err);
    printf("%zu\n", bv_array_len(a));
    bv_array_decref(a);

    bv_bytearray_decref(ba);
    say("Next: lesson 08, releasing views and what happens after.");
    return 0;
}
