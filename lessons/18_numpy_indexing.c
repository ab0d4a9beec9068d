/*
 * Lesson 18: indexing views like NumPy arrays.
 *
 * Lesson 13 sliced a matrix on every axis at once. NumPy's "basic indexing" goes further
 * and mixes, in one subscript, integers (each takes its axis away), slices (each keeps
 * its axis), one Ellipsis (whole slices over the axes nobody names) and newaxis (a new
 * axis of length 1), and every result is a view of the same memory, never a copy.
 * CPython's memoryview refuses all that but whole items and single slices (its PR
 * gh-58338 proposes the same without newaxis); bufview implements it
 * (bv_view_subscript, bv_view_assign_subscript). And because NumPy reads data in either
 * byte order (dtypes '>u2', '<i4'), so do bufview's views of formats such as ">H", which
 * CPython's memoryview compares but cannot index.
 *
 * The Python twin runs the same subscripts on a NumPy array over the same bytes: shapes,
 * strides, offsets and items must agree. NumPy words one error differently; the twin
 * shows NumPy's words as narrative and prints bufview's (CPython's) as the result.
 */
#include <string.h>

#include "lesson.h"

#define I(x) bv_index_int(x)
#define S(a, b, c) bv_index_slice(bv_slice_make((a), (b), (c)))
#define ALL bv_index_slice(bv_slice_all())
#define REV bv_index_slice((bv_slice){0, 0, -1, false, false, true})
#define ELL bv_index_ellipsis()
#define NEW bv_index_newaxis()

/* print(label, shape, strides, offset in the bytes, items) for a sub-view of m */
static void show(const char *label, const bv_view *v, const char *base)
{
    printf("%s: offset %td ", label, v->buf - base);
    print_shape_strides(v);
    print_tolist(v);
}

/* r = m[items]; show it; release it */
static void sub(const char *label, const bv_view *m, const bv_index *items, size_t n,
                const char *base)
{
    bv_error err;
    bv_view r = {0};
    CHECK(bv_view_subscript(&r, m, items, n, &err), &err);
    show(label, &r, base);
    CHECK(bv_view_release(&r, &err), &err);
}

/* ---- an exporter of big-endian 16-bit readings (a network packet) --------------------- */

typedef struct packet {
    bv_exporter base;
    unsigned char bytes[8];
    ptrdiff_t shape[1], strides[1];
} packet;

static bv_status packet_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    packet *p = (packet *)self;
    (void)err;
    memset(view, 0, sizeof *view);
    view->buf = p->bytes;
    view->len = sizeof p->bytes;
    view->itemsize = 2;
    view->ndim = 1;
    view->format = (flags & BV_BUF_FORMAT) ? ">H" : NULL;   /* network order, 2 bytes */
    view->shape = (flags & BV_BUF_ND) == BV_BUF_ND ? p->shape : NULL;
    view->strides = (flags & BV_BUF_STRIDES) == BV_BUF_STRIDES ? p->strides : NULL;
    return BV_OK;
}

static const bv_exporter_type packet_type = {"packet", packet_getbuffer, NULL, NULL};

int main(void)
{
    bv_error err;
    unsigned char twelve[12];
    for (int i = 0; i < 12; i++)
        twelve[i] = (unsigned char)i;

    say("Lesson 18: indexing views like NumPy arrays");
    say("data = bytearray(range(12)); m = memoryview(data).cast('B', [3, 4])");
    say("(the twin: m = numpy.frombuffer(data, numpy.uint8).reshape(3, 4))");
    bv_bytearray *data = NULL;
    bv_view flat = {0}, m = {0};
    CHECK(bv_bytearray_new(&data, twelve, 12, &err), &err);
    CHECK(bv_view_from(&flat, bv_bytearray_exporter(data), &err), &err);
    const ptrdiff_t shape34[] = {3, 4};
    CHECK(bv_view_cast_shape(&m, &flat, "B", shape34, 2, &err), &err);
    const char *base = (const char *)bv_bytearray_data(data);
    show("m", &m, base);

    say_break();
    say("An integer takes its axis away; a slice keeps it. Each result is a view:");
    say("a new start (offset), shape and strides over the same twelve bytes.");
    const bv_index row[] = {I(1)};
    sub("m[1]", &m, row, 1, base);
    const bv_index block[] = {S(1, 3, 1), S(1, 3, 1)};
    sub("m[1:3, 1:3]", &m, block, 2, base);
    const bv_index column[] = {ELL, I(1)};
    say("The Ellipsis stands for every axis not named: m[..., 1] is column 1.");
    sub("m[..., 1]", &m, column, 2, base);
    const bv_index flip[] = {REV, S(0, 4, 2)};
    say("Negative steps walk backwards (a negative stride):");
    sub("m[::-1, 0:4:2]", &m, flip, 2, base);
    const bv_index axis[] = {ALL, NEW, I(0)};
    say("newaxis adds an axis of length 1 and stride 0 (no bytes to step over):");
    sub("m[:, newaxis, 0]", &m, axis, 3, base);

    say_break();
    say("Every axis taken by an integer: the item itself, as a 0-dim view (NumPy gives a");
    say("scalar for m[2, 3]; m[2, 3, ...] is its 0-dim view).");
    const bv_index item[] = {I(2), I(3)};
    bv_view one = {0};
    CHECK(bv_view_subscript(&one, &m, item, 2, &err), &err);
    bv_value value;
    CHECK(bv_view_get_at(&one, NULL, 0, &value, &err), &err);
    printf("m[2, 3]: offset %td ndim %d ", one.buf - base, one.ndim);
    print_labeled_value("item", value);
    CHECK(bv_view_release(&one, &err), &err);

    say_break();
    say("Writing through a sub-view: m[1:3, 1:3] = [[90, 91], [92, 93]]");
    bv_bytes *four = NULL;
    bv_view src_flat = {0}, src = {0};
    CHECK(bv_bytes_new(&four, "\x5a\x5b\x5c\x5d", 4, &err), &err);
    CHECK(bv_view_from(&src_flat, bv_bytes_exporter(four), &err), &err);
    const ptrdiff_t shape22[] = {2, 2};
    CHECK(bv_view_cast_shape(&src, &src_flat, "B", shape22, 2, &err), &err);
    CHECK(bv_view_assign_subscript(&m, block, 2, bv_view_exporter(&src), &err), &err);
    print_tolist(&m);
    say("The source overlapping the target is fine: m[:, ::-1] = m reverses each row.");
    const bv_index mirror[] = {ALL, REV};
    CHECK(bv_view_assign_subscript(&m, mirror, 2, bv_view_exporter(&m), &err), &err);
    print_tolist(&m);
    print_bytearray(data);
    say("The shapes must match (no broadcasting, unlike NumPy): m[0] = the 2x2 source");
    show_error(bv_view_assign_subscript(&m, row, 1, bv_view_exporter(&src), &err), &err);

    say_break();
    say("Mistakes, and NumPy's words for them:");
    const bv_index three[] = {I(1), I(2), I(3)};
    bv_view bad = {0};
    show_error(bv_view_subscript(&bad, &m, three, 3, &err), &err);
    const bv_index two_ellipses[] = {ELL, I(0), ELL};
    show_error(bv_view_subscript(&bad, &m, two_ellipses, 3, &err), &err);
    say("An index out of range: NumPy says 'index 5 is out of bounds for axis 0 with size");
    say("3'; bufview keeps CPython's words, with dimensions counted from 1:");
    const bv_index five[] = {I(5)};
    show_error(bv_view_subscript(&bad, &m, five, 1, &err), &err);

    say_break();
    say("Byte order. A packet of four big-endian 16-bit readings, format '>H':");
    packet pkt = {.bytes = {0x01, 0x02, 0x00, 0xff, 0x12, 0x34, 0xff, 0xfe},
                  .shape = {4}, .strides = {2}};
    bv_exporter_init(&pkt.base, &packet_type, 0);
    bv_view be = {0};
    CHECK(bv_view_from(&be, &pkt.base, &err), &err);
    const char *format;
    CHECK(bv_view_format(&be, &format, &err), &err);
    printf("format %s itemsize %td\n", format, be.itemsize);
    say("CPython: memoryview(packet)[0] raises NotImplementedError: memoryview: "
        "unsupported format >H;");
    say("bufview (and NumPy's dtype '>u2') read the values:");
    print_tolist(&be);
    CHECK(bv_view_get(&be, 1, &value, &err), &err);
    print_labeled_value("be[1]", value);
    CHECK(bv_view_set(&be, 3, bv_value_int(0x0102), &err), &err);
    say("be[3] = 0x0102 stores the bytes in the packet's order:");
    printf("%02x %02x\n", pkt.bytes[6], pkt.bytes[7]);
    say("== compares values, as CPython does (through the struct module): the same");
    say("readings stored little-endian ('H' here) are equal, the raw bytes are not.");
    bv_bytes *le_bytes = NULL;
    bv_view le_flat = {0}, le = {0};
    CHECK(bv_bytes_new(&le_bytes, "\x02\x01\xff\x00\x34\x12\x02\x01", 8, &err), &err);
    CHECK(bv_view_from(&le_flat, bv_bytes_exporter(le_bytes), &err), &err);
    CHECK(bv_view_cast(&le, &le_flat, "H", &err), &err);
    bool equal;
    CHECK(bv_view_equal(&be, &le, &equal, &err), &err);
    printf("be == le: %s\n", py_bool(equal));
    CHECK(bv_view_equal_exporter(&be, bv_bytes_exporter(le_bytes), &equal, &err), &err);
    printf("be == le's bytes: %s\n", py_bool(equal));

    bv_view *all[] = {&le, &le_flat, &be, &src, &src_flat, &m, &flat};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        CHECK(bv_view_release(all[k], &err), &err);
    bv_bytes_decref(le_bytes);
    bv_bytes_decref(four);
    bv_bytearray_decref(data);
    return 0;
}
