#!/usr/bin/env python3
"""tests/diff/run_np.py: the NumPy side of the differential test of NumPy-style subscripts.

Runs operation sequences in the NumPy part of the line language of tests/diff/README.md
on NumPy arrays over the same bytes bufview sees, and prints one canonical line per
operation, which bv_diff (run_c.c) must reproduce byte for byte. diff.py --against numpy
drives it.

Every view is a NumPy array over its object's memory: a bytes or bytearray object is
numpy.frombuffer(obj, uint8), a typed object the same with its format's dtype and its
shape, a cast is ndarray.view(dtype).reshape(shape), a slice or a subscript is NumPy's
own basic indexing. Each `sub` line shows the result's shape, strides, the offset of its
item [0,...,0] in the object, tolist() and tobytes(), as NumPy has them.

Where NumPy and bufview differ by design, the executor says what bufview does instead
(tests/diff/README.md lists these):
- NumPy returns a scalar when integers take every dimension; bufview a 0-dim view of the
  item: the executor takes NumPy's view arr[key + (...,)].
- An empty result: NumPy moves an empty slice to start 0 with step 1, bufview keeps
  CPython's slice arithmetic, so strides and offset are not compared (both sides print
  "(empty)").
- Error messages: NumPy's own where bufview uses them (a second Ellipsis, too many
  indices, a zero step); an index out of range is NumPy's IndexError "index 5 is out of
  bounds for axis 1 with size 3", which bufview words as CPython does, "index out of
  bounds on dimension 2" (the executor checks NumPy's axis and rewrites the message).
- Assignment: NumPy broadcasts and casts; bufview requires the structure of the sub-view
  (format, itemsize, shape up to its first 0, CPython's rule), checked in CPython's order
  for stores: the executor applies bufview's checks and messages, then assigns with NumPy
  (whose overlap handling is "as if through a temporary", as bufview's).
- Errors NumPy has no counterpart for (read-only, released, a non-buffer source) are
  bufview's, with CPython's messages.

Usage: run_np.py FILE   (a batch of sequences, "seq N" ... "end"; '-' reads stdin)
"""
import re
import sys

import numpy as np

import run_py
from run_py import RELEASED, LineRunner, is_byte_order, parse_ints, parse_slice, unhex

# struct's standard characters as NumPy dtypes.
STANDARD = {"b": "i1", "B": "u1", "?": "b1", "h": "i2", "H": "u2", "i": "i4", "I": "u4",
            "l": "i4", "L": "u4", "q": "i8", "Q": "u8", "e": "f2", "f": "f4", "d": "f8"}
ORDER = {"<": "<", ">": ">", "!": ">", "=": "="}
OUT_OF_BOUNDS = re.compile(r"index -?\d+ is out of bounds for axis (\d+) with size \d+")
STRUCTURE = "memoryview assignment: lvalue and rvalue have different structures"


def np_dtype(fmt):
    """The dtype of a struct format bufview reads items of."""
    if is_byte_order(fmt):
        return np.dtype(ORDER[fmt[0]] + STANDARD[fmt[1]])
    return np.dtype(fmt[1:] if fmt.startswith("@") else fmt)


def address(arr):
    return arr.__array_interface__["data"][0]


def parse_item(tok):
    if tok == "...":
        return Ellipsis
    if tok == "newaxis":
        return None
    if tok.startswith("["):
        return parse_slice(tok)
    return int(tok)


def strip_at(fmt):
    return fmt[1:] if fmt.startswith("@") else fmt


class Obj:
    __slots__ = ("buf", "base")

    def __init__(self, buf):
        self.buf = buf                                   # bytes or bytearray
        self.base = np.frombuffer(buf, dtype=np.uint8)   # its memory, for addresses


class View:
    __slots__ = ("arr", "fmt", "obj", "readonly", "released")

    def __init__(self, arr, fmt, obj, readonly):
        self.arr = arr
        self.fmt = fmt
        self.obj = obj
        self.readonly = readonly
        self.released = False


class NpExecutor(LineRunner):
    def __init__(self):
        self.objs = {}
        self.views = {}

    def live(self, name):
        v = self.views[name]
        if v.released:
            raise ValueError(RELEASED)
        return v

    # ---- building views --------------------------------------------------------------

    def op_new(self, t):  # new oN bytes|bytearray HEX  |  new oN typed FORMAT SHAPE HEX
        kind = t[2]
        if kind == "bytes":
            self.objs[t[1]] = (Obj(unhex(t[3])), "B", None)
        elif kind == "bytearray":
            self.objs[t[1]] = (Obj(bytearray(unhex(t[3]))), "B", None)
        elif kind == "typed":
            self.objs[t[1]] = (Obj(bytearray(unhex(t[5]))), t[3], parse_ints(t[4]))
        else:
            raise SyntaxError("bad object kind %r" % kind)
        return "ok"

    def op_view(self, t):  # view vN = oK
        obj, fmt, shape = self.objs[t[3]]
        arr = np.frombuffer(obj.buf, dtype=np_dtype(fmt))
        if shape is not None:
            arr = arr.reshape(shape)
        self.views[t[1]] = View(arr, fmt, obj, isinstance(obj.buf, bytes))
        return "ok"

    def op_cast(self, t):  # cast vN = vM FMT  |  castsh vN = vM FMT d1,d2,...
        v = self.live(t[3])
        if not v.arr.flags.c_contiguous:
            raise TypeError("memoryview: casts are restricted to C-contiguous views")
        arr = v.arr.reshape(-1).view(np_dtype(t[4]))
        if t[0] == "castsh":
            arr = arr.reshape(parse_ints(t[5]))
        self.views[t[1]] = View(arr, t[4], v.obj, v.readonly)
        return "ok"

    def op_slice(self, t):  # slice vN = vM [a:b:c]   (dimension 0)
        v = self.live(t[3])
        self.views[t[1]] = View(v.arr[parse_slice(t[4])], v.fmt, v.obj, v.readonly)
        return "ok"

    def op_toreadonly(self, t):
        v = self.live(t[3])
        self.views[t[1]] = View(v.arr, v.fmt, v.obj, True)
        return "ok"

    def op_release(self, t):
        self.views[t[1]].released = True
        return "ok"

    # ---- subscripts ----------------------------------------------------------------------

    def subscript(self, v, items):
        """v.arr[items] as bufview makes it: always a view, bufview's messages."""
        key = tuple(parse_item(x) for x in items)
        try:
            r = v.arr[key]
            if not isinstance(r, np.ndarray):   # every dimension taken: NumPy's scalar
                r = v.arr[key + (Ellipsis,)]
        except IndexError as e:
            m = OUT_OF_BOUNDS.fullmatch(str(e))
            if m:
                raise IndexError("index out of bounds on dimension %d" % (int(m.group(1)) + 1))
            raise
        return r

    def layout(self, r, obj):
        empty = r.size == 0
        parts = ["shape=%r" % (r.shape,)]
        if empty:
            parts.append("strides=(empty) offset=(empty)")
        else:
            parts.append("strides=%r offset=%d" % (r.strides, address(r) - address(obj.base)))
        parts.append("tolist=%r" % (r.tolist(),))
        parts.append("tobytes=%r" % (r.tobytes(),))
        return " ".join(parts)

    def op_sub(self, t):  # sub vN = vM ITEM...
        v = self.live(t[3])
        r = self.subscript(v, t[4:])
        self.views[t[1]] = View(r, v.fmt, v.obj, v.readonly)
        return self.layout(r, v.obj)

    def source(self, name):
        """The rvalue's array and format, as bv_buffer_get(FULL_RO) would take it."""
        if name == "none":
            raise TypeError("a bytes-like object is required, not 'NoneType'")
        if name in self.views:
            v = self.live(name)
            return v.arr, v.fmt
        obj, fmt, shape = self.objs[name]
        arr = np.frombuffer(obj.buf, dtype=np_dtype(fmt))
        return (arr.reshape(shape) if shape is not None else arr), fmt

    def op_assignsub(self, t):  # assignsub vM SRC ITEM...
        v = self.live(t[1])
        if v.readonly:
            raise TypeError("cannot modify read-only memory")
        src, sfmt = self.source(t[2])
        dest = self.subscript(v, t[3:])
        same = (strip_at(sfmt) == strip_at(v.fmt) and src.itemsize == dest.itemsize
                and src.ndim == dest.ndim)
        for a, b in zip(dest.shape, src.shape):
            if not same or a != b:
                same = False
                break
            if a == 0:
                break
        if not same:
            raise ValueError(STRUCTURE)
        if dest.size > 0:   # CPython's rule compares shapes up to the first 0 only
            dest[...] = src
        return "ok"

    def op_bytes(self, t):  # bytes oN
        buf = self.objs[t[1]][0].buf
        return buf.hex() if buf else "-"

    def close(self):
        self.views.clear()
        self.objs.clear()


if __name__ == "__main__":
    sys.exit(run_py.main(sys.argv, NpExecutor))
