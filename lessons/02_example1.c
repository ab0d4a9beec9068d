/*
 * Lesson 02: the article's Example 1, reading through a view.
 *
 * A view (bv_view, Python's memoryview) is the consumer you normally use: bv_view_from()
 * acquires the exporter's buffer once and keeps it, so indexing and slicing read the
 * exporter's memory directly. Reading one item gives a number (an unsigned byte here),
 * a slice is another view of the same memory, and tobytes()/tolist() make copies only
 * when you ask for them, typically to print.
 *
 *     byte_array = bytearray('ABC', 'utf-8')
 *     mv = memoryview(byte_array)
 *     print(mv[0])
 *     print(bytes(mv[0:2]))
 *     print(list(mv[0:3]))
 */
#include "lesson.h"

int main(void)
{
    bv_error err;
    bv_bytearray *byte_array = NULL;
    bv_view mv = {0};

    say("Lesson 02: the article's Example 1");
    say("byte_array = bytearray('ABC', 'utf-8'); mv = memoryview(byte_array)");
    CHECK(bv_bytearray_new(&byte_array, "ABC", 3, &err), &err);
    CHECK(bv_view_from(&mv, bv_bytearray_exporter(byte_array), &err), &err);

    say("print(mv[0]): bv_view_get(&mv, 0, &value, &err) reads item 0, an int:");
    bv_value first;
    CHECK(bv_view_get(&mv, 0, &first, &err), &err);
    bv_print_value(stdout, first);
    fputc('\n', stdout);

    say("print(bytes(mv[0:2])): bv_view_slice makes a view of items 0 and 1 (no copy);");
    say("bv_view_tobytes copies them into a new bytes object, here only to print it:");
    bv_view head = {0};
    CHECK(bv_view_slice(&head, &mv, bv_slice_range(0, 2), &err), &err);
    print_tobytes(&head, 'C');

    say("print(list(mv[0:3])): bv_view_tolist gives the items as a list of ints:");
    bv_view all = {0};
    CHECK(bv_view_slice(&all, &mv, bv_slice_range(0, 3), &err), &err);
    print_tolist(&all);

    char *mv_at, *head_at;
    CHECK(bv_view_buf(&mv, &mv_at, &err), &err);
    CHECK(bv_view_buf(&head, &head_at, &err), &err);
    say("The slices start at the exporter's own memory: mv at %p, mv[0:2] at %p.",
        (void *)mv_at, (void *)head_at);

    /* Release every view; the last release gives the buffer back to the bytearray. */
    bv_view_release(&all, NULL);
    bv_view_release(&head, NULL);
    bv_view_release(&mv, NULL);
    bv_bytearray_decref(byte_array);
    say("Next: lesson 03 writes through the view.");
    return 0;
}
