/*
 * lessons/ext/bvimage.c: the CPython extension module `bvimage`, lesson 14's image
 * exported through CPython's real buffer protocol (Py_buffer, PyBufferProcs).
 *
 * Python sees:
 *     img = bvimage.Image(rows, cols)   # zero pixels, format 'H', padded rows
 *     img.rows, img.cols, img.pitch, img.exports
 *     img.resize(rows, cols)            # BufferError while exported
 *     memoryview(img), bytes(img), zlib.crc32(img), ...  (any buffer consumer)
 *
 * Every decision (what a request gets, when to refuse, when resizing is allowed) is made
 * by lessons/ext/image.c, which lesson 14's C program uses through bufview: this file is
 * only the glue between those rules and Py_buffer, as lessons/14_exporter.c is the glue
 * to bv_buffer. It does not use bufview at all.
 *
 * Ownership: the Image object owns its image; CPython's reference counting keeps it
 * alive while any Py_buffer refers to it (getbuffer stores a new reference in view->obj
 * and PyBuffer_Release drops it after calling releasebuffer).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "image.h"

/* image.c speaks PEP 3118's bits; CPython's constants must be the same bits. */
_Static_assert(IMAGE_REQ_WRITABLE == PyBUF_WRITABLE, "PyBUF_WRITABLE");
_Static_assert(IMAGE_REQ_FORMAT == PyBUF_FORMAT, "PyBUF_FORMAT");
_Static_assert(IMAGE_REQ_ND == PyBUF_ND, "PyBUF_ND");
_Static_assert(IMAGE_REQ_STRIDES == PyBUF_STRIDES, "PyBUF_STRIDES");
_Static_assert(IMAGE_REQ_C_CONTIGUOUS == PyBUF_C_CONTIGUOUS, "PyBUF_C_CONTIGUOUS");
_Static_assert(IMAGE_REQ_F_CONTIGUOUS == PyBUF_F_CONTIGUOUS, "PyBUF_F_CONTIGUOUS");
_Static_assert(IMAGE_REQ_ANY_CONTIGUOUS == PyBUF_ANY_CONTIGUOUS, "PyBUF_ANY_CONTIGUOUS");
_Static_assert(sizeof(ptrdiff_t) == sizeof(Py_ssize_t), "Py_ssize_t is ptrdiff_t");

typedef struct {
    PyObject_HEAD
    image img;
} ImageObject;

/* Raise the Python exception for an image_status (never called with IMAGE_OK). */
static void raise_image_error(image_status st, const char *message)
{
    switch (st) {
    case IMAGE_VALUE_ERROR:
        PyErr_SetString(PyExc_ValueError, message);
        break;
    case IMAGE_BUFFER_ERROR:
        PyErr_SetString(PyExc_BufferError, message);
        break;
    default:
        PyErr_NoMemory();
        break;
    }
}

static int Image_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *keywords[] = {"rows", "cols", NULL};
    Py_ssize_t rows, cols;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "nn:Image", keywords, &rows, &cols))
        return -1;
    ImageObject *obj = (ImageObject *)self;
    const char *message = NULL;
    /* __init__ may run twice on one object: it is a resize then, with the same lock. */
    image_status st = obj->img.pixels == NULL ? image_init(&obj->img, rows, cols, &message)
                                              : image_resize(&obj->img, rows, cols, &message);
    if (st != IMAGE_OK) {
        raise_image_error(st, message);
        return -1;
    }
    return 0;
}

static void Image_dealloc(PyObject *self)
{
    image_free(&((ImageObject *)self)->img);
    Py_TYPE(self)->tp_free(self);
}

/* bf_getbuffer: fill CPython's Py_buffer from the image's answer. */
static int Image_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    ImageObject *obj = (ImageObject *)self;
    image_view described;
    const char *message = NULL;
    image_status st = image_export(&obj->img, flags, &described, &message);
    if (st != IMAGE_OK) {
        view->obj = NULL;
        raise_image_error(st, message);
        return -1;
    }
    view->buf = described.buf;
    Py_INCREF(self);
    view->obj = self;
    view->len = described.len;
    view->itemsize = described.itemsize;
    view->readonly = 0;
    view->ndim = described.ndim;
    view->format = (char *)described.format;   /* Py_buffer's field is not const */
    view->shape = described.shape;
    view->strides = described.strides;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

/* bf_releasebuffer: CPython calls it once per successful getbuffer, then drops view->obj. */
static void Image_releasebuffer(PyObject *self, Py_buffer *view)
{
    (void)view;
    image_release(&((ImageObject *)self)->img);
}

static PyObject *Image_resize(PyObject *self, PyObject *args)
{
    Py_ssize_t rows, cols;
    if (!PyArg_ParseTuple(args, "nn:resize", &rows, &cols))
        return NULL;
    const char *message = NULL;
    image_status st = image_resize(&((ImageObject *)self)->img, rows, cols, &message);
    if (st != IMAGE_OK) {
        raise_image_error(st, message);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *Image_rows(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromSsize_t(((ImageObject *)self)->img.shape[0]);
}

static PyObject *Image_cols(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromSsize_t(((ImageObject *)self)->img.shape[1]);
}

static PyObject *Image_pitch(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromSsize_t(((ImageObject *)self)->img.strides[0]);
}

static PyObject *Image_exports(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromSsize_t(((ImageObject *)self)->img.exports);
}

static PyMethodDef Image_methods[] = {
    {"resize", Image_resize, METH_VARARGS,
     "resize(rows, cols): new zero pixels; BufferError while exported"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef Image_getset[] = {
    {"rows", Image_rows, NULL, "number of rows", NULL},
    {"cols", Image_cols, NULL, "pixels per row", NULL},
    {"pitch", Image_pitch, NULL, "bytes from one row to the next", NULL},
    {"exports", Image_exports, NULL, "buffers exported and not yet released", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyBufferProcs Image_as_buffer = {
    .bf_getbuffer = Image_getbuffer,
    .bf_releasebuffer = Image_releasebuffer,
};

static PyTypeObject ImageType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bvimage.Image",
    .tp_doc = "Image(rows, cols): 16-bit pixels in rows padded to 16 bytes, exported "
              "through the buffer protocol",
    .tp_basicsize = sizeof(ImageObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = Image_init,
    .tp_dealloc = Image_dealloc,
    .tp_as_buffer = &Image_as_buffer,
    .tp_methods = Image_methods,
    .tp_getset = Image_getset,
};

static struct PyModuleDef bvimage_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "bvimage",
    .m_doc = "Lesson 14's image exporter under CPython's buffer protocol.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit_bvimage(void)
{
    if (PyType_Ready(&ImageType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&bvimage_module);
    if (module == NULL)
        return NULL;
    Py_INCREF(&ImageType);
    if (PyModule_AddObject(module, "Image", (PyObject *)&ImageType) < 0) {
        Py_DECREF(&ImageType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
