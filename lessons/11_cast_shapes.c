/*
 * Lesson 11: cast and shapes.
 *
 * cast() reinterprets the same memory with another format and/or shape, without
 * copying: twelve bytes can be read as a 3x4 matrix, as three 4-byte ints, or as
 * single characters. An N-D view carries a shape and one stride per dimension;
 * tolist() nests by shape, and tobytes() lays the items out in C order (rows first)
 * or Fortran order (columns first). CPython's rules are strict: only C-contiguous
 * views cast, only 1-D <-> N-D, one side must be a byte format, and the sizes must add
 * up. Multi-byte items are read in this machine's byte order (little-endian on x86-64).
 */
#include "lesson.h"

/* print(name, "ndim", v.ndim, "shape", v.shape, "strides", v.strides) and the items */
static void show(const char *name, const bv_view *v)
{
    bv_error err;
    int ndim;
    const char *format;
    CHECK(bv_view_ndim(v, &ndim, &err), &err);
    CHECK(bv_view_format(v, &format, &err), &err);
    printf("%s: format '%s' ndim %d ", name, format, ndim);
    print_shape_strides(v);
    print_tolist(v);
}

int main(void)
{
    bv_error err;
    unsigned char twelve[12];
    for (int i = 0; i < 12; i++)
        twelve[i] = (unsigned char)i;

    say("Lesson 11: cast and shapes");
    say("data = bytes(range(12)); m = memoryview(data); m2 = m.cast('B', [3, 4])");
    bv_bytes *data = NULL;
    bv_view m = {0}, m2 = {0};
    CHECK(bv_bytes_new(&data, twelve, 12, &err), &err);
    CHECK(bv_view_from(&m, bv_bytes_exporter(data), &err), &err);
    const ptrdiff_t shape34[] = {3, 4};
    CHECK(bv_view_cast_shape(&m2, &m, "B", shape34, 2, &err), &err);
    show("m2", &m2);
    char *m_at, *m2_at;
    CHECK(bv_view_buf(&m, &m_at, &err), &err);
    CHECK(bv_view_buf(&m2, &m2_at, &err), &err);
    say("Same memory, new shape: m at %p, m2 at %p. Item [i, j] is at", (void *)m_at,
        (void *)m2_at);
    say("buf + i*4 + j*1 (the strides). m2[1, 2] (bv_view_get_at with 2 indices):");
    const ptrdiff_t at12[] = {1, 2};
    bv_value item;
    CHECK(bv_view_get_at(&m2, at12, 2, &item, &err), &err);
    bv_print_value(stdout, item);
    fputc('\n', stdout);
    say("tobytes in C order (row by row) and in Fortran order (column by column):");
    print_tobytes(&m2, 'C');
    print_tobytes(&m2, 'F');
    bool c_contiguous, f_contiguous;
    CHECK(bv_view_c_contiguous(&m2, &c_contiguous, &err), &err);
    CHECK(bv_view_f_contiguous(&m2, &f_contiguous, &err), &err);
    printf("c_contiguous %s f_contiguous %s\n", py_bool(c_contiguous), py_bool(f_contiguous));

    say_break();
    say("N-D -> N-D is refused; go through 1-D: m2.cast('B', [4, 3]), then");
    say("m2.cast('B').cast('B', [4, 3])");
    bv_view flat = {0}, m43 = {0};
    const ptrdiff_t shape43[] = {4, 3};
    show_error(bv_view_cast_shape(&m43, &m2, "B", shape43, 2, &err), &err);
    CHECK(bv_view_cast(&flat, &m2, "B", &err), &err);
    CHECK(bv_view_cast_shape(&m43, &flat, "B", shape43, 2, &err), &err);
    show("m43", &m43);

    say_break();
    say("The same bytes as 4-byte ints: m.cast('i')");
    bv_view ints = {0};
    CHECK(bv_view_cast(&ints, &m, "i", &err), &err);
    show("ints", &ints);
    say("and as characters: memoryview(b'AB').cast('c') gives bytes of length 1:");
    bv_bytes *ab = NULL;
    bv_view mab = {0}, chars = {0};
    CHECK(bv_bytes_new(&ab, "AB", 2, &err), &err);
    CHECK(bv_view_from(&mab, bv_bytes_exporter(ab), &err), &err);
    CHECK(bv_view_cast(&chars, &mab, "c", &err), &err);
    show("chars", &chars);
    say("shape [] gives a 0-dim view holding one item: memoryview(b'\\x07').cast('B', [])");
    bv_bytes *seven = NULL;
    bv_view mseven = {0}, scalar = {0};
    CHECK(bv_bytes_new(&seven, "\x07", 1, &err), &err);
    CHECK(bv_view_from(&mseven, bv_bytes_exporter(seven), &err), &err);
    CHECK(bv_view_cast_shape(&scalar, &mseven, "B", NULL, 0, &err), &err);
    show("scalar", &scalar);
    CHECK(bv_view_get_at(&scalar, NULL, 0, &item, &err), &err);
    print_labeled_value("scalar[()]", item);

    say_break();
    say("The rules, each with CPython's error:");
    bv_view bad = {0}, stepped = {0}, ten_view = {0};
    const ptrdiff_t shape52[] = {5, 2};
    say("m.cast('B', [5, 2]): 10 items do not fill 12 bytes");
    show_error(bv_view_cast_shape(&bad, &m, "B", shape52, 2, &err), &err);
    say("memoryview(bytes(10)).cast('i'): 10 is not a multiple of 4");
    bv_bytes *ten = NULL;
    CHECK(bv_bytes_new(&ten, "\0\0\0\0\0\0\0\0\0\0", 10, &err), &err);
    CHECK(bv_view_from(&ten_view, bv_bytes_exporter(ten), &err), &err);
    show_error(bv_view_cast(&bad, &ten_view, "i", &err), &err);
    say("ints.cast('d'): neither side is a byte format");
    show_error(bv_view_cast(&bad, &ints, "d", &err), &err);
    say("m[::2].cast('B'): a strided view is not C-contiguous");
    bv_slice every_other = {0, 0, 2, false, false, true};
    CHECK(bv_view_slice(&stepped, &m, every_other, &err), &err);
    show_error(bv_view_cast(&bad, &stepped, "B", &err), &err);
    say("m.cast('x'): not a native single-character format");
    show_error(bv_view_cast(&bad, &m, "x", &err), &err);

    say_break();
    say("A cast of writable memory writes through: ba = bytearray(12);");
    say("grid = memoryview(ba).cast('B', [3, 4]); grid[2, 3] = 255; grid[0, 1] = 1");
    bv_bytearray *ba = NULL;
    bv_view mba = {0}, grid = {0};
    CHECK(bv_bytearray_new(&ba, NULL, 12, &err), &err);
    CHECK(bv_view_from(&mba, bv_bytearray_exporter(ba), &err), &err);
    CHECK(bv_view_cast_shape(&grid, &mba, "B", shape34, 2, &err), &err);
    const ptrdiff_t at23[] = {2, 3}, at01[] = {0, 1};
    CHECK(bv_view_set_at(&grid, at23, 2, bv_value_int(255), &err), &err);
    CHECK(bv_view_set_at(&grid, at01, 2, bv_value_int(1), &err), &err);
    print_bytearray(ba);

    bv_view_release(&grid, NULL);
    bv_view_release(&mba, NULL);
    bv_bytearray_decref(ba);
    bv_view_release(&stepped, NULL);
    bv_view_release(&ten_view, NULL);
    bv_bytes_decref(ten);
    bv_view_release(&scalar, NULL);
    bv_view_release(&mseven, NULL);
    bv_bytes_decref(seven);
    bv_view_release(&chars, NULL);
    bv_view_release(&mab, NULL);
    bv_bytes_decref(ab);
    bv_view_release(&ints, NULL);
    bv_view_release(&m43, NULL);
    bv_view_release(&flat, NULL);
    bv_view_release(&m2, NULL);
    bv_view_release(&m, NULL);
    bv_bytes_decref(data);
    say("Next: lesson 12, views of memory-mapped files.");
    return 0;
}
