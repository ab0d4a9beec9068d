/*
 * Lesson 17: formats beyond 'B', hex(), count() and index().
 *
 * A buffer's format is a struct-module character that says what one item is: 'h', 'i',
 * 'q' signed integers of 2, 4 and 8 bytes, 'd' and 'f' C doubles and floats, '?' a C
 * bool, 'c' one byte read as bytes of length 1. Items come out as Python values of the
 * matching kind, and values going in are checked against the format: the wrong kind is
 * TypeError, out of range is ValueError, and the memory is untouched. A float item is
 * only as precise as its format ('f' keeps 24 bits, so 0.1 reads back as
 * 0.10000000149011612 and does not count as equal to 0.1). memoryview accepts only the
 * native formats (optionally '@'), never '<i' or '>i': byte order is the machine's, and
 * the golden file was recorded on little-endian x86-64. hex() prints the raw bytes with
 * optional separators; count() and index() (CPython 3.14) compare items by value.
 */
#include <stdint.h>

#include "lesson.h"

/* print(name, "format", ..., "itemsize", ..., "len", ..., "nbytes", ...) and tolist() */
static void describe(const char *name, const bv_view *v)
{
    bv_error err;
    ptrdiff_t len;
    CHECK(bv_view_len(v, &len, &err), &err);
    printf("%s format %s itemsize %td len %td nbytes %td\n", name, v->format, v->itemsize, len,
           v->len);
    print_tolist(v);
}

/* mv = memoryview(array(typecode, items)) */
static void view_of_array(bv_view *out, char typecode, const void *items, size_t count)
{
    bv_error err;
    bv_array *a = NULL;
    CHECK(bv_array_new(&a, typecode, items, count, &err), &err);
    CHECK(bv_view_from(out, bv_array_exporter(a), &err), &err);
    bv_array_decref(a);   /* the view holds its own reference */
}

/* print(mv.hex(sep, bytes_per_sep)) */
static void print_hex(const bv_view *v, const char *sep, ptrdiff_t bytes_per_sep)
{
    bv_error err;
    char *text = NULL;
    CHECK(bv_view_hex(v, sep, bytes_per_sep, &text, &err), &err);
    puts(text);
    bv_free(text);
}

static void print_count(const char *label, const bv_view *v, bv_value value)
{
    bv_error err;
    ptrdiff_t n;
    CHECK(bv_view_count(v, value, &n, &err), &err);
    printf("%s %td\n", label, n);
}

static void print_index(const char *label, const bv_view *v, bv_value value)
{
    bv_error err;
    ptrdiff_t at;
    CHECK(bv_view_index(v, value, 0, PTRDIFF_MAX, &at, &err), &err);
    printf("%s %td\n", label, at);
}

int main(void)
{
    bv_error err;
    bv_value item;

    say("Lesson 17: formats beyond 'B'");
    say("h = memoryview(array('h', [1, -2, 300, -32768])): signed 16-bit items");
    const int16_t h_items[] = {1, -2, 300, -32768};
    bv_view h = {0}, h_bytes = {0};
    view_of_array(&h, 'h', h_items, 4);
    describe("h", &h);
    say("The same 8 bytes as 'B': each item is two bytes, low byte first:");
    CHECK(bv_view_cast(&h_bytes, &h, "B", &err), &err);
    print_tolist(&h_bytes);
    bv_view_release(&h_bytes, NULL);
    say("h[0] = 40000 is out of range for 'h'; h[0] = 1.5 is not an int. h is unchanged:");
    show_error(bv_view_set(&h, 0, bv_value_int(40000), &err), &err);
    show_error(bv_view_set(&h, 0, bv_value_float(1.5), &err), &err);
    say("A bool is an int in Python: h[3] = True");
    CHECK(bv_view_set(&h, 3, bv_value_bool(true), &err), &err);
    print_tolist(&h);

    say_break();
    say("'i' and 'q': 4- and 8-byte ints, down to their extremes");
    const int32_t i_items[] = {INT32_MAX, INT32_MIN, 7};
    const int64_t q_items[] = {INT64_MAX, INT64_MIN, 0};
    bv_view i = {0}, q = {0};
    view_of_array(&i, 'i', i_items, 3);
    describe("i", &i);
    view_of_array(&q, 'q', q_items, 3);
    describe("q", &q);
    say("q[2] = 2**63 does not fit:");
    show_error(bv_view_set(&q, 2, bv_value_uint(UINT64_C(1) << 63), &err), &err);

    say_break();
    say("'d' (C double) and 'f' (C float) hold the same values at different precision:");
    const double d_items[] = {0.1, -2.5, 1e300};
    const float f_items[] = {0.1f, -2.5f, 1e30f};
    bv_view d = {0}, f = {0};
    view_of_array(&d, 'd', d_items, 3);
    describe("d", &d);
    view_of_array(&f, 'f', f_items, 3);
    describe("f", &f);
    say("A float item takes an int, and reads back as a float: f[0] = 3; f[0]");
    CHECK(bv_view_set(&f, 0, bv_value_int(3), &err), &err);
    CHECK(bv_view_get(&f, 0, &item, &err), &err);
    bv_print_value(stdout, item);
    fputc('\n', stdout);

    say_break();
    say("'?' is a C bool: memoryview(bytes([0, 1, 2])).cast('?') reads any non-zero byte");
    say("as True, and storing keeps only the truth of the value (5, 0.0, b'x'):");
    bv_bytes *raw3 = NULL;
    bv_bytearray *store_bytes = NULL;
    bv_view raw3_view = {0}, flags = {0}, store_view = {0}, store = {0};
    CHECK(bv_bytes_new(&raw3, "\x00\x01\x02", 3, &err), &err);
    CHECK(bv_view_from(&raw3_view, bv_bytes_exporter(raw3), &err), &err);
    CHECK(bv_view_cast(&flags, &raw3_view, "?", &err), &err);
    describe("?", &flags);
    CHECK(bv_bytearray_new(&store_bytes, NULL, 3, &err), &err);
    CHECK(bv_view_from(&store_view, bv_bytearray_exporter(store_bytes), &err), &err);
    CHECK(bv_view_cast(&store, &store_view, "?", &err), &err);
    CHECK(bv_view_set(&store, 0, bv_value_int(5), &err), &err);
    CHECK(bv_view_set(&store, 1, bv_value_float(0.0), &err), &err);
    CHECK(bv_view_set(&store, 2, bv_value_bytes("x", 1), &err), &err);
    {
        bv_list list = {0};
        CHECK(bv_view_tolist(&store, &list, &err), &err);
        bv_print_list(stdout, &list);
        bv_list_free(&list);
        fputc(' ', stdout);
        print_tobytes(&store, 'C');
    }

    say("'c' is one byte as bytes: chars = memoryview(bytearray(b'abc')).cast('c')");
    bv_bytearray *abc = NULL;
    bv_view abc_view = {0}, chars = {0};
    CHECK(bv_bytearray_new(&abc, "abc", 3, &err), &err);
    CHECK(bv_view_from(&abc_view, bv_bytearray_exporter(abc), &err), &err);
    CHECK(bv_view_cast(&chars, &abc_view, "c", &err), &err);
    describe("c", &chars);
    CHECK(bv_view_get(&chars, 0, &item, &err), &err);
    bv_print_value(stdout, item);
    fputc('\n', stdout);
    say("chars[1] = b'Z' works; b'ZZ' (two bytes) and 65 (an int) do not:");
    CHECK(bv_view_set(&chars, 1, bv_value_bytes("Z", 1), &err), &err);
    print_tolist(&chars);
    show_error(bv_view_set(&chars, 1, bv_value_bytes("ZZ", 2), &err), &err);
    show_error(bv_view_set(&chars, 1, bv_value_int(65), &err), &err);

    say_break();
    say("Only native formats: raw = memoryview(bytes(range(8))); raw.cast('<i') is");
    say("refused (use the struct module for a fixed byte order); raw.cast('@i') works:");
    unsigned char eight[8];
    for (int k = 0; k < 8; k++)
        eight[k] = (unsigned char)k;
    bv_bytes *raw8 = NULL;
    bv_view raw = {0}, as_int = {0};
    CHECK(bv_bytes_new(&raw8, eight, 8, &err), &err);
    CHECK(bv_view_from(&raw, bv_bytes_exporter(raw8), &err), &err);
    show_error(bv_view_cast(&as_int, &raw, "<i", &err), &err);
    CHECK(bv_view_cast(&as_int, &raw, "@i", &err), &err);
    printf("%s ", as_int.format);
    print_tolist(&as_int);

    say_break();
    say("hex(): the raw bytes in memory order; sep between groups of bytes_per_sep bytes,");
    say("counted from the right (or from the left when negative); strided views in order:");
    say("h.hex(), h.hex(' '), h.hex(' ', 2), h.hex(':', -3), h.hex('-', 3), h[::2].hex(),");
    say("q.hex(' ', 8), h.hex('ab')");
    print_hex(&h, NULL, 1);
    print_hex(&h, " ", 1);
    print_hex(&h, " ", 2);
    print_hex(&h, ":", -3);
    print_hex(&h, "-", 3);
    bv_view every_other = {0};
    CHECK(bv_view_slice(&every_other, &h, bv_slice_make(0, 4, 2), &err), &err);
    print_hex(&every_other, NULL, 1);
    bv_view_release(&every_other, NULL);
    print_hex(&q, " ", 8);
    char *text = NULL;
    show_error(bv_view_hex(&h, "ab", 1, &text, &err), &err);

    say_break();
    say("count() and index() compare item values with ==, as Python does:");
    print_count("h.count(300)", &h, bv_value_int(300));
    print_count("h.count(300.0)", &h, bv_value_float(300.0));
    print_index("h.index(-2)", &h, bv_value_int(-2));
    say("h.index(-2, 2): not found from position 2 on");
    ptrdiff_t at;
    show_error(bv_view_index(&h, bv_value_int(-2), 2, PTRDIFF_MAX, &at, &err), &err);
    print_count("d.count(0.1)", &d, bv_value_float(0.1));
    say("the 'f' item nearest 0.1 is not 0.1:");
    print_count("f.count(0.1)", &f, bv_value_float(0.1));
    print_count("f.count(-2.5)", &f, bv_value_float(-2.5));
    print_count("?.count(True)", &flags, bv_value_bool(true));
    print_index("?.index(1)", &flags, bv_value_int(1));
    print_index("c.index(b'c')", &chars, bv_value_bytes("c", 1));

    bv_view *views[] = {&h, &i, &q, &d, &f, &flags, &raw3_view, &store, &store_view,
                        &chars, &abc_view, &as_int, &raw};
    for (size_t k = 0; k < sizeof views / sizeof views[0]; k++)
        bv_view_release(views[k], NULL);
    bv_bytes_decref(raw3);
    bv_bytes_decref(raw8);
    bv_bytearray_decref(store_bytes);
    bv_bytearray_decref(abc);
    say("That is the end of the lessons: lessons/README.md says where to go next.");
    return 0;
}
