/*
 * lessons/ext/image.c: the image's storage and export rules (image.h says why they are
 * shared by lesson 14 and the CPython extension).
 */
#include "image.h"

#include <stdint.h>
#include <stdlib.h>

/* Work out a rows x cols image's pitch and byte size, or say why it cannot exist. */
static image_status image_layout(ptrdiff_t rows, ptrdiff_t cols, ptrdiff_t *pitch,
                                 const char **message)
{
    if (rows < 1 || cols < 1) {
        *message = "image size must be at least 1 x 1";
        return IMAGE_VALUE_ERROR;
    }
    if (cols > (PTRDIFF_MAX - IMAGE_ROW_ALIGN) / IMAGE_ITEMSIZE) {
        *message = "image too large";
        return IMAGE_MEMORY_ERROR;
    }
    const ptrdiff_t row_bytes = cols * IMAGE_ITEMSIZE;
    const ptrdiff_t p = (row_bytes + IMAGE_ROW_ALIGN - 1) / IMAGE_ROW_ALIGN * IMAGE_ROW_ALIGN;
    if (rows > PTRDIFF_MAX / p) {
        *message = "image too large";
        return IMAGE_MEMORY_ERROR;
    }
    *pitch = p;
    return IMAGE_OK;
}

image_status image_init(image *img, ptrdiff_t rows, ptrdiff_t cols, const char **message)
{
    *img = (image){0};
    return image_resize(img, rows, cols, message);
}

void image_free(image *img)
{
    free(img->pixels);
    *img = (image){0};
}

image_status image_resize(image *img, ptrdiff_t rows, ptrdiff_t cols, const char **message)
{
    /* The check every exporter of resizable memory needs: a consumer holds a pointer
     * into the pixels, and reallocating them would leave it dangling. */
    if (img->exports > 0) {
        *message = "Existing exports of data: object cannot be re-sized";
        return IMAGE_BUFFER_ERROR;
    }
    ptrdiff_t pitch;
    image_status st = image_layout(rows, cols, &pitch, message);
    if (st != IMAGE_OK)
        return st;
    unsigned char *pixels = calloc((size_t)rows, (size_t)pitch);
    if (pixels == NULL) {
        *message = "out of memory";
        return IMAGE_MEMORY_ERROR;
    }
    free(img->pixels);
    img->pixels = pixels;
    img->shape[0] = rows;
    img->shape[1] = cols;
    img->strides[0] = pitch;
    img->strides[1] = IMAGE_ITEMSIZE;
    return IMAGE_OK;
}

/* CPython's contiguity rule for this 2-D layout: walking the dimensions from the
 * fastest-varying one, each stride equals the bytes of one step in the previous one;
 * dimensions of extent 1 do not count. order 'C' walks from the last dimension, 'F'
 * from the first. */
static int image_contiguous(const image *img, char order)
{
    ptrdiff_t expected = IMAGE_ITEMSIZE;
    for (int k = 0; k < 2; k++) {
        const int d = order == 'C' ? 1 - k : k;
        if (img->shape[d] > 1 && img->strides[d] != expected)
            return 0;
        expected *= img->shape[d];
    }
    return 1;
}

int image_c_contiguous(const image *img)
{
    return image_contiguous(img, 'C');
}

static int wants(int flags, int request)
{
    return (flags & request) == request;
}

image_status image_export(image *img, int flags, image_view *out, const char **message)
{
    /* A consumer that did not ask for strides will walk the memory as one C-ordered
     * run; padded rows would give it the padding as pixels, so it is refused. */
    if ((!wants(flags, IMAGE_REQ_STRIDES) || wants(flags, IMAGE_REQ_C_CONTIGUOUS)) &&
        !image_contiguous(img, 'C')) {
        *message = "image is not C-contiguous";
        return IMAGE_BUFFER_ERROR;
    }
    if (wants(flags, IMAGE_REQ_F_CONTIGUOUS) && !image_contiguous(img, 'F')) {
        *message = "image is not Fortran contiguous";
        return IMAGE_BUFFER_ERROR;
    }
    if (wants(flags, IMAGE_REQ_ANY_CONTIGUOUS) && !image_contiguous(img, 'C') &&
        !image_contiguous(img, 'F')) {
        *message = "image is not contiguous";
        return IMAGE_BUFFER_ERROR;
    }
    /* The pixels are always writable, so IMAGE_REQ_WRITABLE needs no check. */
    *out = (image_view){
        .buf = img->pixels,
        .len = img->shape[0] * img->shape[1] * IMAGE_ITEMSIZE,
        .itemsize = IMAGE_ITEMSIZE,
        .ndim = 2,
        .format = wants(flags, IMAGE_REQ_FORMAT) ? IMAGE_FORMAT : NULL,
        .shape = wants(flags, IMAGE_REQ_ND) ? img->shape : NULL,
        .strides = wants(flags, IMAGE_REQ_STRIDES) ? img->strides : NULL,
    };
    img->exports++;
    return IMAGE_OK;
}

void image_release(image *img)
{
    img->exports--;
}
