"""Lesson 18 (Python twin): indexing views like NumPy arrays.

The same subscripts on a NumPy array over the same twelve bytes: NumPy's basic indexing
is what bufview's bv_view_subscript follows, so shapes, strides, offsets and items must
agree with the C lesson. Where NumPy words an error differently (an index out of range),
NumPy's words are narrative and the result line is CPython's own memoryview message,
which bufview keeps. Needs NumPy (Debian: python3-numpy); without it this twin exits 77
and the lesson is checked against its golden file instead.
"""
import sys

try:
    import numpy as np
except ImportError:
    sys.stderr.write("lesson 18's twin needs NumPy, which %s cannot import (Debian: apt-get "
                     "install python3-numpy)\n" % sys.executable)
    sys.exit(77)


def say(text=""):
    print("# " + text if text else "#")


def address(a):
    return a.__array_interface__["data"][0]


def show(label, r, base):
    print("%s: offset %d shape %r strides %r" % (label, address(r) - address(base), r.shape,
                                                 r.strides))
    print(r.tolist())


def error(e):
    print("%s: %s" % (type(e).__name__, e))


say("Lesson 18: indexing views like NumPy arrays")
say("data = bytearray(range(12)); m = memoryview(data).cast('B', [3, 4])")
say("(the twin: m = numpy.frombuffer(data, numpy.uint8).reshape(3, 4))")
data = bytearray(range(12))
base = np.frombuffer(data, np.uint8)
m = base.reshape(3, 4)
show("m", m, base)

say()
say("An integer takes its axis away; a slice keeps it. Each result is a view:")
say("a new start (offset), shape and strides over the same twelve bytes.")
show("m[1]", m[1], base)
show("m[1:3, 1:3]", m[1:3, 1:3], base)
say("The Ellipsis stands for every axis not named: m[..., 1] is column 1.")
show("m[..., 1]", m[..., 1], base)
say("Negative steps walk backwards (a negative stride):")
show("m[::-1, 0:4:2]", m[::-1, 0:4:2], base)
say("newaxis adds an axis of length 1 and stride 0 (no bytes to step over):")
show("m[:, newaxis, 0]", m[:, np.newaxis, 0], base)

say()
say("Every axis taken by an integer: the item itself, as a 0-dim view (NumPy gives a")
say("scalar for m[2, 3]; m[2, 3, ...] is its 0-dim view).")
one = m[2, 3, ...]
print("m[2, 3]: offset %d ndim %d item %r" % (address(one) - address(base), one.ndim,
                                              one.item()))

say()
say("Writing through a sub-view: m[1:3, 1:3] = [[90, 91], [92, 93]]")
src = np.frombuffer(bytes([0x5a, 0x5b, 0x5c, 0x5d]), np.uint8).reshape(2, 2)
m[1:3, 1:3] = src
print(m.tolist())
say("The source overlapping the target is fine: m[:, ::-1] = m reverses each row.")
m[:, ::-1] = m
print(m.tolist())
print(data)
say("The shapes must match (no broadcasting, unlike NumPy): m[0] = the 2x2 source")
try:
    m[0] = src
except ValueError as e:
    say("numpy: %s: %s" % (type(e).__name__, e))
# bufview's rule is memoryview's slice assignment rule; CPython words it:
try:
    memoryview(data)[0:4] = memoryview(bytes(src.tobytes())).cast("B", [2, 2])
except ValueError as e:
    error(e)

say()
say("Mistakes, and NumPy's words for them:")
for key in [(1, 2, 3), (Ellipsis, 0, Ellipsis)]:
    try:
        m[key]
    except IndexError as e:
        error(e)
say("An index out of range: NumPy says 'index 5 is out of bounds for axis 0 with size")
say("3'; bufview keeps CPython's words, with dimensions counted from 1:")
try:
    m[5]
except IndexError as e:
    say("numpy: %s: %s" % (type(e).__name__, e))
try:
    memoryview(data).cast("B", [3, 4])[5, 0]
except IndexError as e:
    error(e)

say()
say("Byte order. A packet of four big-endian 16-bit readings, format '>H':")
packet = bytearray([0x01, 0x02, 0x00, 0xff, 0x12, 0x34, 0xff, 0xfe])
be = np.frombuffer(packet, ">u2")
mv = memoryview(be)
print("format %s itemsize %d" % (mv.format, mv.itemsize))
try:
    mv[0]
except NotImplementedError as e:
    say("CPython: memoryview(packet)[0] raises NotImplementedError: %s;" % e)
say("bufview (and NumPy's dtype '>u2') read the values:")
print(be.tolist())
print("be[1]", int(be[1]))
be[3] = 0x0102
say("be[3] = 0x0102 stores the bytes in the packet's order:")
print("%02x %02x" % (packet[6], packet[7]))
say("== compares values, as CPython does (through the struct module): the same")
say("readings stored little-endian ('H' here) are equal, the raw bytes are not.")
le_bytes = bytes([0x02, 0x01, 0xff, 0x00, 0x34, 0x12, 0x02, 0x01])
print("be == le: %r" % (memoryview(be) == memoryview(le_bytes).cast("H")))
print("be == le's bytes: %r" % (memoryview(be) == le_bytes))
