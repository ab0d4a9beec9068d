"""Lesson 01 twin: the buffer protocol, called directly through CPython's C API.

memoryview hides the protocol, so this twin uses ctypes to call PyObject_GetBuffer and
PyBuffer_Release on a Py_buffer struct, exactly what the C lesson does with bv_buffer.
Only lines that do not start with '#' are compared with the C lesson.
"""
import ctypes

PyBUF_SIMPLE = 0
PyBUF_WRITABLE = 0x0001
PyBUF_FORMAT = 0x0004
PyBUF_ND = 0x0008
PyBUF_STRIDES = 0x0010 | PyBUF_ND
PyBUF_INDIRECT = 0x0100 | PyBUF_STRIDES
PyBUF_FULL_RO = PyBUF_INDIRECT | PyBUF_FORMAT

Py_ssize_p = ctypes.POINTER(ctypes.c_ssize_t)


class Py_buffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),  # a PyObject *; read it with ctypes.cast
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", Py_ssize_p),
        ("strides", Py_ssize_p),
        ("suboffsets", Py_ssize_p),
        ("internal", ctypes.c_void_p),
    ]


get_buffer = ctypes.pythonapi.PyObject_GetBuffer
get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(Py_buffer), ctypes.c_int]
get_buffer.restype = ctypes.c_int
release_buffer = ctypes.pythonapi.PyBuffer_Release
release_buffer.argtypes = [ctypes.POINTER(Py_buffer)]
release_buffer.restype = None


def error_line(e):
    return f"{type(e).__name__}: {e}"


def tuple_or_null(p, n):
    return str(tuple(p[i] for i in range(n))) if p else "NULL"


def print_fields(b):
    print("obj:", type(ctypes.cast(b.obj, ctypes.py_object).value).__name__)
    print("len:", b.len)
    print("itemsize:", b.itemsize)
    print("readonly:", bool(b.readonly))
    print("ndim:", b.ndim)
    print("format:", repr(b.format.decode()) if b.format is not None else "NULL")
    print("shape:", tuple_or_null(b.shape, b.ndim))
    print("strides:", tuple_or_null(b.strides, b.ndim))
    print("suboffsets:", "set" if b.suboffsets else "NULL")


print("# Lesson 01 (Python twin): PyObject_GetBuffer through ctypes")
ba = bytearray(b"hello, buffer")

full = Py_buffer()
get_buffer(ba, ctypes.byref(full), PyBUF_FULL_RO)
print_fields(full)

simple = Py_buffer()
get_buffer(ba, ctypes.byref(simple), PyBUF_SIMPLE)
print_fields(simple)

print(f"# consumer 1 buf = {full.buf:#x}, consumer 2 buf = {simple.buf:#x}")
print("same address:", full.buf == simple.buf)

writer = Py_buffer()
get_buffer(ba, ctypes.byref(writer), PyBUF_WRITABLE)
ctypes.memset(writer.buf, ord("H"), 1)
print(ctypes.string_at(full.buf, full.len))
print(ba)

release_buffer(ctypes.byref(writer))
release_buffer(ctypes.byref(simple))
release_buffer(ctypes.byref(full))

frozen = b"frozen"
refused = Py_buffer()
try:
    get_buffer(frozen, ctypes.byref(refused), PyBUF_WRITABLE)
except Exception as e:
    print(error_line(e))
try:
    get_buffer(None, ctypes.byref(refused), PyBUF_SIMPLE)
except Exception as e:
    print(error_line(e))
