/*
 * Lesson 01: what the buffer protocol is.
 *
 * An exporter (here a bytearray) owns some memory and can describe it. A consumer asks
 * for that description with bv_buffer_get() and a set of request flags, uses the memory
 * in place, and hands it back with bv_buffer_release(). The description, a bv_buffer
 * (CPython's Py_buffer), says where the memory is, how long it is, how to read its
 * items and whether it may be written. Every consumer gets the same address: nothing
 * is copied, which is the whole point of the protocol.
 */
#include <stdbool.h>

#include "lesson.h"

/* Print the fields of a bv_buffer as the Python twin prints its Py_buffer. */
static void print_fields(const bv_buffer *b)
{
    printf("obj: %s\n", bv_exporter_type_name(b->obj));
    printf("len: %td\n", b->len);
    printf("itemsize: %td\n", b->itemsize);
    printf("readonly: %s\n", py_bool(b->readonly));
    printf("ndim: %d\n", b->ndim);
    if (b->format != NULL)
        printf("format: '%s'\n", b->format);
    else
        puts("format: NULL");
    fputs("shape: ", stdout);
    if (b->shape != NULL)
        print_tuple(b->shape, b->ndim);
    else
        fputs("NULL", stdout);
    fputs("\nstrides: ", stdout);
    if (b->strides != NULL)
        print_tuple(b->strides, b->ndim);
    else
        fputs("NULL", stdout);
    printf("\nsuboffsets: %s\n", b->suboffsets != NULL ? "set" : "NULL");
}

int main(void)
{
    bv_error err;
    bv_bytearray *ba = NULL;

    say("Lesson 01: what the buffer protocol is");
    say("The exporter: ba = bytearray(b'hello, buffer'). It owns 13 bytes of memory.");
    CHECK(bv_bytearray_new(&ba, "hello, buffer", 13, &err), &err);

    say_break();
    say("Consumer 1 asks for the full description: bv_buffer_get(exporter, &buf,");
    say("BV_BUF_FULL_RO, &err), the request memoryview makes. The exporter fills in:");
    bv_buffer full = {0};
    CHECK(bv_buffer_get(bv_bytearray_exporter(ba), &full, BV_BUF_FULL_RO, &err), &err);
    print_fields(&full);
    say("buf (the address) is %p; len counts bytes; format 'B' means unsigned bytes;",
        full.buf);
    say("shape and strides say how to step through the items (here: 13 items, 1 byte apart).");

    say_break();
    say("Consumer 2 asks for less: BV_BUF_SIMPLE, 'just the bytes, I will not write'.");
    say("The exporter leaves out what was not requested (NULL format means 'B'):");
    bv_buffer simple = {0};
    CHECK(bv_buffer_get(bv_bytearray_exporter(ba), &simple, BV_BUF_SIMPLE, &err), &err);
    print_fields(&simple);

    say_break();
    say("Both consumers were given the exporter's own memory, not a copy:");
    say("consumer 1 buf = %p, consumer 2 buf = %p", full.buf, simple.buf);
    printf("same address: %s\n", py_bool(full.buf == simple.buf));

    say_break();
    say("Consumer 3 asks to write (BV_BUF_WRITABLE) and changes byte 0 to 'H'.");
    say("Consumer 1 reads the change, and so does the bytearray itself:");
    bv_buffer writer = {0};
    CHECK(bv_buffer_get(bv_bytearray_exporter(ba), &writer, BV_BUF_WRITABLE, &err), &err);
    ((unsigned char *)writer.buf)[0] = 'H';
    bv_print_bytes(stdout, full.buf, (size_t)full.len);
    fputc('\n', stdout);
    print_bytearray(ba);

    say_break();
    say("While buffers are out, the bytearray counts them as exports: %td now.",
        bv_bytearray_exports(ba));
    say("Each successful bv_buffer_get needs exactly one bv_buffer_release:");
    bv_buffer_release(&writer);
    bv_buffer_release(&simple);
    bv_buffer_release(&full);
    say("after three releases the count is %td.", bv_bytearray_exports(ba));

    say_break();
    say("An exporter refuses a request it cannot meet. bytes are immutable, so a");
    say("writable request on b'frozen' is refused, and the consumer gets nothing:");
    bv_bytes *frozen = NULL;
    CHECK(bv_bytes_new(&frozen, "frozen", 6, &err), &err);
    bv_buffer refused = {0};
    show_error(bv_buffer_get(bv_bytes_exporter(frozen), &refused, BV_BUF_WRITABLE, &err),
               &err);
    say("Something that is not an exporter at all (NULL, Python's None) is refused too:");
    show_error(bv_buffer_get(NULL, &refused, BV_BUF_SIMPLE, &err), &err);

    bv_bytes_decref(frozen);
    bv_bytearray_decref(ba);
    say_break();
    say("Next: lesson 02 uses a view (bv_view, memoryview), the consumer you normally use.");
    return 0;
}
