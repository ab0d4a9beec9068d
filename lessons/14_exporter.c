/*
 * Lesson 14: writing an exporter.
 *
 * The lessons so far were consumers. This one is the other side, what a C programmer
 * writes to make a Python extension type usable with memoryview, bytes(), zlib and
 * NumPy: an exporter. It owns memory (here a small image whose rows are padded to 16
 * bytes), and implements two callbacks. getbuffer answers a request: it describes the
 * memory (address, length, item size, format, shape, strides), or refuses what the
 * request cannot take (a consumer that cannot follow strides gets no padded image), and
 * counts the export. releasebuffer gives the export back. While an export is counted,
 * consumers hold pointers into the pixels, so the image refuses to resize, with
 * bytearray's BufferError. The image's rules are in lessons/ext/image.c; this file is
 * the glue to bufview's bv_buffer. The Python twin uses the SAME image.c, compiled into
 * a CPython extension (lessons/ext/bvimage.c) behind CPython's real Py_buffer.
 */
#include "image.h"
#include "lesson.h"

/* image.c speaks PEP 3118's bits; bufview's constants must be the same bits. */
_Static_assert(IMAGE_REQ_WRITABLE == BV_BUF_WRITABLE, "BV_BUF_WRITABLE");
_Static_assert(IMAGE_REQ_FORMAT == BV_BUF_FORMAT, "BV_BUF_FORMAT");
_Static_assert(IMAGE_REQ_ND == BV_BUF_ND, "BV_BUF_ND");
_Static_assert(IMAGE_REQ_STRIDES == BV_BUF_STRIDES, "BV_BUF_STRIDES");
_Static_assert(IMAGE_REQ_C_CONTIGUOUS == BV_BUF_C_CONTIGUOUS, "BV_BUF_C_CONTIGUOUS");
_Static_assert(IMAGE_REQ_F_CONTIGUOUS == BV_BUF_F_CONTIGUOUS, "BV_BUF_F_CONTIGUOUS");
_Static_assert(IMAGE_REQ_ANY_CONTIGUOUS == BV_BUF_ANY_CONTIGUOUS, "BV_BUF_ANY_CONTIGUOUS");

/* The exporter object: a bv_exporter header first (so a pointer to it is a
 * bv_exporter *), then the object's own state. */
typedef struct image_object {
    bv_exporter base;
    image img;
} image_object;

static bv_status image_error(image_status st, const char *message, bv_error *err)
{
    switch (st) {
    case IMAGE_OK:
        return BV_OK;
    case IMAGE_VALUE_ERROR:
        return bv_error_set(err, BV_VALUE_ERROR, "%s", message);
    case IMAGE_BUFFER_ERROR:
        return bv_error_set(err, BV_BUFFER_ERROR, "%s", message);
    default:
        return bv_error_set(err, BV_MEMORY_ERROR, "%s", message);
    }
}

/* getbuffer: the image decides; on success fill the bv_buffer (bv_buffer_get sets
 * view->obj and takes the reference), on refusal leave it untouched. */
static bv_status image_getbuffer(bv_exporter *self, bv_buffer *view, int flags, bv_error *err)
{
    image_object *obj = (image_object *)self;
    image_view described;
    const char *message = NULL;
    image_status st = image_export(&obj->img, flags, &described, &message);
    if (st != IMAGE_OK)
        return image_error(st, message, err);
    view->buf = described.buf;
    view->len = described.len;
    view->itemsize = described.itemsize;
    view->readonly = 0;
    view->ndim = described.ndim;
    view->format = described.format;
    view->shape = described.shape;
    view->strides = described.strides;
    view->suboffsets = NULL;
    view->internal = NULL;
    return BV_OK;
}

static void image_releasebuffer(bv_exporter *self, bv_buffer *view)
{
    (void)view;
    image_release(&((image_object *)self)->img);
}

/* Called when the last reference goes: the creator's, or the last view's. */
static void image_destroy(bv_exporter *self)
{
    image_object *obj = (image_object *)self;
    say("(image_destroy: the last reference is gone, the pixels are freed)");
    image_free(&obj->img);
    free(obj);
}

static const bv_exporter_type image_type = {
    .name = "Image",
    .getbuffer = image_getbuffer,
    .releasebuffer = image_releasebuffer,
    .destroy = image_destroy,
};

/* Image(rows, cols): one counted reference for the caller. */
static bv_status image_new(image_object **out, ptrdiff_t rows, ptrdiff_t cols, bv_error *err)
{
    image_object *obj = malloc(sizeof *obj);
    if (obj == NULL)
        return bv_error_set(err, BV_MEMORY_ERROR, "out of memory");
    const char *message = NULL;
    image_status st = image_init(&obj->img, rows, cols, &message);
    if (st != IMAGE_OK) {
        free(obj);
        return image_error(st, message, err);
    }
    /* Counted (the caller's reference), and hashable like any Python object with the
     * default hash: no BV_EXPORTER_UNHASHABLE. */
    bv_exporter_init(&obj->base, &image_type, BV_EXPORTER_COUNTED);
    *out = obj;
    return BV_OK;
}

static bv_status image_resize_checked(image_object *obj, ptrdiff_t rows, ptrdiff_t cols,
                                      bv_error *err)
{
    const char *message = NULL;
    image_status st = image_resize(&obj->img, rows, cols, &message);
    return image_error(st, message, err);
}

static void print_image(const image_object *obj)
{
    printf("rows %td cols %td pitch %td exports %td\n", obj->img.shape[0], obj->img.shape[1],
           obj->img.strides[0], obj->img.exports);
}

static void print_exports(const image_object *obj)
{
    printf("exports %td\n", obj->img.exports);
}

int main(void)
{
    bv_error err;
    image_object *img = NULL;
    bv_view mv = {0}, row = {0}, mv2 = {0};

    say("Lesson 14: writing an exporter");
    say("img = Image(3, 5): 3 rows of 5 16-bit pixels, each row padded to 16 bytes");
    CHECK(image_new(&img, 3, 5, &err), &err);
    bv_exporter *exporter = &img->base;
    print_image(img);

    say_break();
    say("mv = memoryview(img): bufview asks for everything (BV_BUF_FULL) and the image's");
    say("getbuffer describes its pixels, with strides that step over the padding:");
    CHECK(bv_view_from(&mv, exporter, &err), &err);
    printf("format %s itemsize %td ndim %d nbytes %td\n", mv.format, mv.itemsize, mv.ndim,
           mv.len);
    print_shape_strides(&mv);
    bool c_contiguous, readonly;
    CHECK(bv_view_c_contiguous(&mv, &c_contiguous, &err), &err);
    CHECK(bv_view_readonly(&mv, &readonly, &err), &err);
    printf("c_contiguous %s readonly %s\n", py_bool(c_contiguous), py_bool(readonly));
    say("nbytes counts the pixels (3 * 5 * 2 = 30), not the 48 bytes the rows occupy.");
    print_exports(img);

    say("Write every pixel through the view: mv[r, c] = 100 * r + c");
    for (ptrdiff_t r = 0; r < 3; r++)
        for (ptrdiff_t c = 0; c < 5; c++) {
            const ptrdiff_t at[2] = {r, c};
            CHECK(bv_view_set_at(&mv, at, 2, bv_value_int(100 * r + c), &err), &err);
        }
    print_tolist(&mv);
    say("mv.tobytes() gathers the pixels row by row and skips the padding:");
    bv_bytes *packed = NULL;
    CHECK(bv_view_tobytes(&mv, 'C', &packed, &err), &err);
    printf("len(mv.tobytes()) %zu\n", bv_bytes_size(packed));
    bv_bytes_decref(packed);

    say_break();
    say("A slice shares mv's buffer, so it is no new export: row = mv[1:2]");
    CHECK(bv_view_slice(&row, &mv, bv_slice_range(1, 2), &err), &err);
    print_tolist(&row);
    print_exports(img);
    say("A second memoryview(img) asks the image again, and is counted:");
    CHECK(bv_view_from(&mv2, exporter, &err), &err);
    print_exports(img);
    say("While exported, the image refuses to move its pixels: img.resize(4, 4)");
    show_error(image_resize_checked(img, 4, 4, &err), &err);
    print_image(img);

    say_break();
    say("Consumers that want one contiguous run of bytes are refused, by getbuffer itself:");
    say("zlib.crc32(img) asks with PyBUF_SIMPLE; here bv_buffer_get(img, BV_BUF_SIMPLE):");
    bv_buffer simple = {0};
    show_error(bv_buffer_get(exporter, &simple, BV_BUF_SIMPLE, &err), &err);
    say("and memoryview's own rule refuses to cast a non-contiguous view: mv.cast('B')");
    bv_view bytes_view = {0};
    show_error(bv_view_cast(&bytes_view, &mv, "B", &err), &err);

    say_break();
    say("Release every view: mv2, row and mv. The last release of each buffer calls");
    say("the image's releasebuffer, and the count goes back to 0:");
    CHECK(bv_view_release(&mv2, &err), &err);
    CHECK(bv_view_release(&row, &err), &err);
    CHECK(bv_view_release(&mv, &err), &err);
    print_exports(img);
    say("Now it may resize: img.resize(2, 8). 8 pixels are exactly 16 bytes, no padding:");
    CHECK(image_resize_checked(img, 2, 8, &err), &err);
    print_image(img);
    CHECK(bv_view_from(&mv, exporter, &err), &err);
    print_shape_strides(&mv);
    CHECK(bv_view_c_contiguous(&mv, &c_contiguous, &err), &err);
    printf("c_contiguous %s\n", py_bool(c_contiguous));
    say("mv[1, 7] = 65535; and now the simple request succeeds: zlib.crc32(img)");
    const ptrdiff_t last[2] = {1, 7};
    CHECK(bv_view_set_at(&mv, last, 2, bv_value_int(65535), &err), &err);
    CHECK(bv_buffer_get(exporter, &simple, BV_BUF_SIMPLE, &err), &err);
    say("(a BV_BUF_SIMPLE buffer: len %td, format %s, shape %s)", simple.len,
        simple.format != NULL ? simple.format : "NULL", simple.shape != NULL ? "set" : "NULL");
    printf("crc32 0x%08x\n", (unsigned)lesson_crc32(0, simple.buf, (size_t)simple.len));
    bv_buffer_release(&simple);

    say_break();
    say("A view holds a reference: del img (drop ours), and the view still reads it:");
    bv_exporter_decref(exporter);
    img = NULL;
    bv_value item;
    CHECK(bv_view_get_at(&mv, last, 2, &item, &err), &err);
    print_labeled_value("mv[1, 7]", item);
    say("mv.release() drops the last reference:");
    CHECK(bv_view_release(&mv, &err), &err);
    say("Next: lesson 15, reading files and sockets straight into a buffer.");
    return 0;
}
