/*
 * Lesson 09: typed arrays and formats.
 *
 * A buffer is bytes plus a format that says how to read them: 'B' is one unsigned
 * byte, 'i' a 4-byte C int, 'd' an 8-byte double (struct-module characters). A view of
 * a typed array indexes items, not bytes: len() counts items, itemsize is the size of
 * one, nbytes is their total. Writes are checked against the format (right type, in
 * range) before anything is stored. Equality compares values, not raw bytes: an int
 * view can equal a double view, and a NaN is not equal to itself.
 */
#include <math.h>
#include <string.h>

#include "lesson.h"

/* print(m.format, m.itemsize, m.nbytes, len(m)) */
static void describe(const char *name, const bv_view *m)
{
    bv_error err;
    const char *format;
    ptrdiff_t itemsize, nbytes, len;
    CHECK(bv_view_format(m, &format, &err), &err);
    CHECK(bv_view_itemsize(m, &itemsize, &err), &err);
    CHECK(bv_view_nbytes(m, &nbytes, &err), &err);
    CHECK(bv_view_len(m, &len, &err), &err);
    printf("%s: format '%s' itemsize %td nbytes %td len %td\n", name, format, itemsize,
           nbytes, len);
}

static void print_equal(const char *what, const bv_view *a, const bv_view *b)
{
    bv_error err;
    bool eq;
    CHECK(bv_view_equal(a, b, &eq, &err), &err);
    printf("%s %s\n", what, py_bool(eq));
}

int main(void)
{
    bv_error err;
    bv_value item;

    say("Lesson 09: typed arrays and formats");
    say("a = array('i', [1, 2, 3, -4]); m = memoryview(a)");
    const int ints[] = {1, 2, 3, -4};
    bv_array *a = NULL;
    bv_view m = {0};
    CHECK(bv_array_new(&a, 'i', ints, 4, &err), &err);
    CHECK(bv_view_from(&m, bv_array_exporter(a), &err), &err);
    describe("m", &m);
    print_shape_strides(&m);
    say("m[3] and m.tolist() give typed items, not bytes:");
    CHECK(bv_view_get(&m, 3, &item, &err), &err);
    print_labeled_value("m[3]", item);
    print_tolist(&m);

    say("m[0] = 100 writes a whole C int into the array:");
    CHECK(bv_view_set(&m, 0, bv_value_int(100), &err), &err);
    CHECK(bv_array_get(a, 0, &item, &err), &err);
    print_labeled_value("a[0]", item);
    say("The value is checked against the format first, and nothing changes on failure:");
    say("m[0] = 2.5 (a float for an int format), m[0] = 2**31 (too big for a C int)");
    show_error(bv_view_set(&m, 0, bv_value_float(2.5), &err), &err);
    show_error(bv_view_set(&m, 0, bv_value_int(INT64_C(1) << 31), &err), &err);
    print_tolist(&m);

    say_break();
    say("Doubles: d = array('d', [0.5, 1.5, 2.25]); md = memoryview(d)");
    const double doubles[] = {0.5, 1.5, 2.25};
    bv_array *d = NULL;
    bv_view md = {0};
    CHECK(bv_array_new(&d, 'd', doubles, 3, &err), &err);
    CHECK(bv_view_from(&md, bv_array_exporter(d), &err), &err);
    describe("md", &md);
    say("A float format takes ints too: md[0] = 7; md[2] = 1e16");
    CHECK(bv_view_set(&md, 0, bv_value_int(7), &err), &err);
    CHECK(bv_view_set(&md, 2, bv_value_float(1e16), &err), &err);
    print_tolist(&md);

    say("Bytes are format 'B': one unsigned byte per item, so 300 does not fit:");
    bv_bytearray *ba = NULL;
    bv_view mb = {0};
    CHECK(bv_bytearray_new(&ba, "ABC", 3, &err), &err);
    CHECK(bv_view_from(&mb, bv_bytearray_exporter(ba), &err), &err);
    describe("mb", &mb);
    show_error(bv_view_set(&mb, 1, bv_value_int(300), &err), &err);
    print_bytearray(ba);

    say_break();
    say("Equality compares values, item by item, whatever the format:");
    const int one_two_three[] = {1, 2, 3};
    const int one_two_four[] = {1, 2, 4};
    const double one_two_three_d[] = {1.0, 2.0, 3.0};
    bv_array *i3 = NULL, *i4 = NULL, *d3 = NULL, *i2 = NULL;
    bv_view vi3 = {0}, vi4 = {0}, vd3 = {0}, vi2 = {0};
    CHECK(bv_array_new(&i3, 'i', one_two_three, 3, &err), &err);
    CHECK(bv_array_new(&i4, 'i', one_two_four, 3, &err), &err);
    CHECK(bv_array_new(&d3, 'd', one_two_three_d, 3, &err), &err);
    CHECK(bv_array_new(&i2, 'i', one_two_three, 2, &err), &err);
    CHECK(bv_view_from(&vi3, bv_array_exporter(i3), &err), &err);
    CHECK(bv_view_from(&vi4, bv_array_exporter(i4), &err), &err);
    CHECK(bv_view_from(&vd3, bv_array_exporter(d3), &err), &err);
    CHECK(bv_view_from(&vi2, bv_array_exporter(i2), &err), &err);
    print_equal("int [1, 2, 3] == double [1.0, 2.0, 3.0]:", &vi3, &vd3);
    print_equal("int [1, 2, 3] == int [1, 2, 4]:", &vi3, &vi4);
    print_equal("int [1, 2, 3] == int [1, 2]:", &vi3, &vi2);

    say("An int view equals b'\\x01\\x02\\x03' (same values) though its bytes differ:");
    bv_bytes *small = NULL;
    bool eq;
    CHECK(bv_bytes_new(&small, "\x01\x02\x03", 3, &err), &err);
    CHECK(bv_view_equal_exporter(&vi3, bv_bytes_exporter(small), &eq, &err), &err);
    printf("memoryview(array('i', [1, 2, 3])) == b'\\x01\\x02\\x03': %s\n", py_bool(eq));
    bv_bytes *raw = NULL;
    CHECK(bv_view_tobytes(&vi3, 'C', &raw, &err), &err);
    bool same = bv_bytes_size(raw) == 3 && memcmp(bv_bytes_data(raw), "\x01\x02\x03", 3) == 0;
    printf("its tobytes() == b'\\x01\\x02\\x03': %s\n", py_bool(same));
    bv_bytes_decref(raw);

    say("A NaN is not equal to anything, itself included, so neither is its view:");
    const double nan_item[] = {NAN};
    bv_array *nan_array = NULL;
    bv_view vnan = {0};
    CHECK(bv_array_new(&nan_array, 'd', nan_item, 1, &err), &err);
    CHECK(bv_view_from(&vnan, bv_array_exporter(nan_array), &err), &err);
    print_equal("n = memoryview(array('d', [nan])); n == n:", &vnan, &vnan);

    bv_view_release(&vnan, NULL);
    bv_array_decref(nan_array);
    bv_bytes_decref(small);
    bv_view_release(&vi2, NULL);
    bv_view_release(&vd3, NULL);
    bv_view_release(&vi4, NULL);
    bv_view_release(&vi3, NULL);
    bv_array_decref(i2);
    bv_array_decref(d3);
    bv_array_decref(i4);
    bv_array_decref(i3);
    bv_view_release(&mb, NULL);
    bv_bytearray_decref(ba);
    bv_view_release(&md, NULL);
    bv_array_decref(d);
    bv_view_release(&m, NULL);
    bv_array_decref(a);
    say("Next: lesson 10, strides and steps.");
    return 0;
}
