"""Lesson 14 twin: the same image exporter, under CPython's real buffer protocol.

bvimage is a CPython extension module written in C (lessons/ext/bvimage.c) around the
very lessons/ext/image.c the C lesson uses, so its getbuffer and releasebuffer are
called by CPython's memoryview, bytes and zlib with a real Py_buffer. CMake builds it
with FindPython for one interpreter (the one whose headers it found), and the lesson
test runs this twin under exactly that interpreter with BUFVIEW_EXT_DIR set to the
module's directory. By hand:

    BUFVIEW_EXT_DIR=build/release/lessons/ext /usr/bin/python3 lessons/14_exporter.py

(without BUFVIEW_EXT_DIR it looks in build/release and build/debug). If the module
cannot be imported the twin says why on stderr and exits with status 77, which
lessons/compare.sh reports as a skipped twin, never as a pass.
"""
import os
import sys
import zlib

here = os.path.dirname(os.path.abspath(__file__))
ext_dir = os.environ.get("BUFVIEW_EXT_DIR")
search = [ext_dir] if ext_dir else [
    os.path.join(here, os.pardir, "build", preset, "lessons", "ext")
    for preset in ("release", "debug")]
sys.path[:0] = search
try:
    import bvimage
except ImportError as e:
    print(f"the extension module bvimage cannot be imported under {sys.executable} "
          f"({e}); looked in {', '.join(search)}. Build it with CMake (it needs the "
          "Python headers: Debian's python3-dev) and run this twin under the "
          "interpreter it was built for.", file=sys.stderr)
    sys.exit(77)


def error_line(e):
    return f"{type(e).__name__}: {e}"


def print_image(img):
    print("rows", img.rows, "cols", img.cols, "pitch", img.pitch, "exports", img.exports)


print(f"# Lesson 14 twin: bvimage from {bvimage.__file__}")
img = bvimage.Image(3, 5)
print_image(img)

mv = memoryview(img)
print("format", mv.format, "itemsize", mv.itemsize, "ndim", mv.ndim, "nbytes", mv.nbytes)
print("shape", mv.shape, "strides", mv.strides)
print("c_contiguous", mv.c_contiguous, "readonly", mv.readonly)
print("exports", img.exports)
for r in range(3):
    for c in range(5):
        mv[r, c] = 100 * r + c
print(mv.tolist())
print("len(mv.tobytes())", len(mv.tobytes()))

row = mv[1:2]
print(row.tolist())
print("exports", img.exports)
mv2 = memoryview(img)
print("exports", img.exports)
try:
    img.resize(4, 4)
except Exception as e:
    print(error_line(e))
print_image(img)

for consumer in (lambda: zlib.crc32(img), lambda: mv.cast('B')):
    try:
        consumer()
        print("no error (the C lesson expects one)")
    except Exception as e:
        print(error_line(e))

mv2.release()
row.release()
mv.release()
print("exports", img.exports)
img.resize(2, 8)
print_image(img)
mv = memoryview(img)
print("shape", mv.shape, "strides", mv.strides)
print("c_contiguous", mv.c_contiguous)
mv[1, 7] = 65535
print(f"crc32 {zlib.crc32(img):#010x}")

del img
print("mv[1, 7]", mv[1, 7])
mv.release()
