/*
 * Lesson 03: the article's Example 2, writing through a view.
 *
 * A view of a mutable exporter is writable: bv_view_set() stores a value into the
 * exporter's memory, so the bytearray itself changes, with no copy made and no copy to
 * write back. The value is checked against the item format first ('B': an int in
 * 0..255), exactly as memoryview checks it.
 *
 *     byte_array = bytearray('ABC', 'utf-8')
 *     print('Before updation:', byte_array)
 *     mem_view = memoryview(byte_array)
 *     mem_view[1] = 90
 *     print('After updation:', byte_array)
 */
#include "lesson.h"

int main(void)
{
    bv_error err;
    bv_bytearray *byte_array = NULL;
    bv_view mem_view = {0};

    say("Lesson 03: the article's Example 2");
    say("byte_array = bytearray('ABC', 'utf-8'); print('Before updation:', byte_array)");
    CHECK(bv_bytearray_new(&byte_array, "ABC", 3, &err), &err);
    fputs("Before updation: ", stdout);
    print_bytearray(byte_array);

    say("mem_view = memoryview(byte_array); mem_view[1] = 90 (90 is 'Z'):");
    say("bv_view_set(&mem_view, 1, bv_value_int(90), &err)");
    CHECK(bv_view_from(&mem_view, bv_bytearray_exporter(byte_array), &err), &err);
    CHECK(bv_view_set(&mem_view, 1, bv_value_int(90), &err), &err);
    fputs("After updation: ", stdout);
    print_bytearray(byte_array);

    say("The view wrote into the bytearray's memory; nothing was copied back.");
    say("(A value that does not fit the format, such as 300, would be refused with");
    say("ValueError and change nothing: lesson 09 shows that.)");

    bv_view_release(&mem_view, NULL);
    bv_bytearray_decref(byte_array);
    say("Next: lesson 04, memory that refuses writes.");
    return 0;
}
