/*
 * lessons/ext/image.h: a tiny 2-D image of 16-bit pixels, and the export rules of an
 * object that hands out its memory through the buffer protocol.
 *
 * Why it exists: lesson 14 writes an exporter. The same image is exported twice, to
 * bufview (lessons/14_exporter.c, through bv_exporter_type) and to CPython (the
 * extension module lessons/ext/bvimage.c, through PyBufferProcs), and both glue layers
 * call this file for every decision: what to describe for a request, when to refuse it,
 * and when the image may change size. So the C lesson and its Python twin run the very
 * same exporter logic; only the protocol's structs differ (bv_buffer vs Py_buffer).
 *
 * The image keeps its rows aligned: each row starts IMAGE_ROW_ALIGN bytes after the
 * previous one (the "pitch"), so a row of 5 pixels (10 bytes) is followed by 6 bytes of
 * padding. That is what real image and matrix libraries do, and it is why the exporter
 * must describe strides: the pixels are not one contiguous run of bytes.
 *
 * Ownership: an image owns its pixel memory (malloc). image_init() allocates it,
 * image_free() frees it. Every successful image_export() counts an export that one
 * image_release() gives back; while exports are counted the pixel memory must not move,
 * so image_resize() refuses with BufferError (bytearray's message). The shape and
 * strides an export points to live inside the image and stay valid until then.
 *
 * Thread safety: none (the caller serialises, as CPython's GIL does for the extension).
 * This file uses only the C library: no bufview, no Python.
 */
#ifndef BUFVIEW_LESSON_IMAGE_H
#define BUFVIEW_LESSON_IMAGE_H

#include <stddef.h>

/* The request bits of PEP 3118, the same values as CPython's PyBUF_* and bufview's
 * BV_BUF_*; each glue layer checks that with static assertions. */
#define IMAGE_REQ_WRITABLE 0x0001
#define IMAGE_REQ_FORMAT 0x0004
#define IMAGE_REQ_ND 0x0008
#define IMAGE_REQ_STRIDES (0x0010 | IMAGE_REQ_ND)
#define IMAGE_REQ_C_CONTIGUOUS (0x0020 | IMAGE_REQ_STRIDES)
#define IMAGE_REQ_F_CONTIGUOUS (0x0040 | IMAGE_REQ_STRIDES)
#define IMAGE_REQ_ANY_CONTIGUOUS (0x0080 | IMAGE_REQ_STRIDES)

/* The kind of a failure; each glue layer maps it to its own exception or status. */
typedef enum image_status {
    IMAGE_OK = 0,
    IMAGE_VALUE_ERROR,
    IMAGE_BUFFER_ERROR,
    IMAGE_MEMORY_ERROR
} image_status;

#define IMAGE_FORMAT "H"          /* struct format of one pixel: unsigned 16-bit */
#define IMAGE_ITEMSIZE 2
#define IMAGE_ROW_ALIGN 16        /* rows start on 16-byte boundaries */

typedef struct image {
    unsigned char *pixels;        /* shape[0] * strides[0] bytes */
    ptrdiff_t shape[2];           /* rows, cols */
    ptrdiff_t strides[2];         /* pitch (bytes from one row to the next), itemsize */
    ptrdiff_t exports;            /* buffers handed out and not yet released */
} image;

/* What an export describes: the fields of Py_buffer / bv_buffer that depend on the
 * request. shape, strides and format are NULL when the request did not ask for them. */
typedef struct image_view {
    void *buf;
    ptrdiff_t len;                /* rows * cols * itemsize: the pixels, not the padding */
    ptrdiff_t itemsize;
    int ndim;
    const char *format;
    ptrdiff_t *shape;
    ptrdiff_t *strides;
} image_view;

/* A rows x cols image of zero pixels. rows and cols must be >= 1 (ValueError "image
 * size must be at least 1 x 1"); too large is MemoryError. On failure *img is zeroed and
 * *message says why. */
image_status image_init(image *img, ptrdiff_t rows, ptrdiff_t cols, const char **message);
/* Free the pixels. Only with no export counted (the glue layers guarantee it). */
void image_free(image *img);

/* Change the size (the pixels become zero). Refused while exported, with BufferError
 * "Existing exports of data: object cannot be re-sized", and the image unchanged. */
image_status image_resize(image *img, ptrdiff_t rows, ptrdiff_t cols, const char **message);

/* Whether the pixels are one C-ordered run (no padding between rows). */
int image_c_contiguous(const image *img);

/* getbuffer: describe the pixels for a request with PEP 3118 flags and count the export,
 * or refuse with BufferError. A consumer that cannot follow strides (no IMAGE_REQ_STRIDES
 * bit) or asks for contiguity is refused when the rows are padded. */
image_status image_export(image *img, int flags, image_view *out, const char **message);
/* releasebuffer: give one export back. */
void image_release(image *img);

#endif
