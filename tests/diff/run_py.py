#!/usr/bin/env python3
"""tests/diff/run_py.py: the CPython side of the differential test.

Runs operation sequences written in the small line language of tests/diff/README.md on
CPython's real memoryview, bytes, bytearray and array.array, and prints one canonical
result line per operation, which bv_diff (run_c.c) must reproduce byte for byte.

bufview follows CPython 3.13 (plus 3.14's count/index). Where the interpreter running this
script is older, the executor translates, so the expected lines are 3.13's:
- 'e' (half float) items arrived in 3.12: on 3.11 an 'e' view is carried as an 'H' view
  plus a tag, and items are converted with struct's half-float codec, which is the same
  PyFloat_Pack2/Unpack2 code 3.13's memoryview uses.
- len() of a 0-dim view is 1 on 3.11; 3.12 made it TypeError "0-dim memory has no length".
- count/index arrived in 3.14: they are computed from the items, in 3.14's order of checks
  and with its messages.
Where bufview deliberately differs from CPython, the executor models bufview and says so:
- mv[...] on a 0-dim view: CPython returns the same object; bufview returns a new view of
  the same memory (view.h), so the executor takes memoryview(mv).
- multi-dimensional slicing and slice assignment: CPython raises NotImplementedError;
  bufview implements them. The line records CPython's error and the expected result,
  computed with nested list slicing.
- items of byte-order formats ("<i", ">d", "=h", "!I"; struct's standard sizes): CPython
  raises NotImplementedError "memoryview: unsupported format <i" for get, tuple get, set,
  tuple set, tolist, count and index; bufview reads and writes them. The executor checks
  that CPython raised exactly that error and then computes bufview's answer: values with
  struct.unpack_from on the exporter's bytes, writes with memoryview's own packing rules
  for the native character of the same size, stored in the format's byte order.
  Successful lines carry CPython's error as a prefix, as the multi-dimensional ones do.
"typed" objects are _testbuffer.ndarray exporters (any struct format and C-contiguous
shape); bv_diff exports the same format, shape and bytes under the same type name. Their
"=" and "!" formats need no translation: the exporter says them as they are, and
CPython's == compares them through struct.

Usage: run_py.py FILE   (a batch of sequences, "seq N" ... "end"; '-' reads stdin)
"""
import array
import contextlib
import itertools
import pickle
import struct
import sys

try:
    from _testbuffer import ND_WRITABLE, ndarray
except ImportError:  # a CPython built without its test modules: no typed objects
    ndarray = None

HAVE_E = sys.version_info >= (3, 12)
HAVE_COUNT = hasattr(memoryview, "count")

RELEASED = "operation forbidden on released memoryview object"
ND_SLICE_MSG = "multi-dimensional slicing is not implemented"
ND_ASSIGN_MSG = "memoryview slice assignments are currently restricted to ndim = 1"
BEYOND_SLICE = "beyond CPython (NotImplementedError: %s):" % ND_SLICE_MSG
BEYOND_ASSIGN = "beyond CPython (NotImplementedError: %s): ok" % ND_ASSIGN_MSG


class View:
    """A memoryview; on CPython < 3.12 the logical format of an emulated 'e' view (tag);
    and the byte offset of its first item in the exporter's memory (off), which lets the
    executor copy raw bytes where bufview goes beyond CPython."""
    __slots__ = ("mv", "tag", "off")

    def __init__(self, mv, tag=None, off=0):
        self.mv = mv
        self.tag = tag
        self.off = off


def is_released(mv):
    try:
        mv.ndim
        return False
    except ValueError:
        return True


def half_unpack(h):
    return struct.unpack("<e", struct.pack("<H", h))[0]


def half_pack(x):
    """3.13's pack_single for 'e': PyFloat_AsDouble, then PyFloat_Pack2, errors mapped."""
    if isinstance(x, (bytes, bytearray)):
        raise TypeError("memoryview: invalid type for format 'e'")
    try:
        d = float(x)
        return struct.unpack("<H", struct.pack("<e", d))[0]
    except OverflowError:
        raise ValueError("memoryview: invalid value for format 'e'") from None


def is_e(fmt):
    return fmt in ("e", "@e")


def deep_map(x, fn, ndim):
    if ndim == 0:
        return fn(x)
    return [deep_map(y, fn, ndim - 1) for y in x]


def flatten(x, ndim):
    if ndim == 0:
        return [x]
    out = []
    for y in x:
        out.extend(flatten(y, ndim - 1))
    return out


def unhex(tok):
    return b"" if tok == "-" else bytes.fromhex(tok)


def parse_value(tok):
    kind, _, text = tok.partition(":")
    if kind in ("i", "u"):
        return int(text)
    if kind == "f":
        return float(text)
    if kind == "b":
        return text == "True"
    if kind == "y":
        return bytes.fromhex(text)
    raise SyntaxError("bad value token %r" % tok)


def parse_slice(tok):
    if not (tok.startswith("[") and tok.endswith("]")):
        raise SyntaxError("bad slice %r" % tok)
    parts = [None if p == "" else int(p) for p in tok[1:-1].split(":")]
    if len(parts) == 2:
        parts.append(None)
    return slice(*parts)


def parse_ints(tok):
    return () if tok == "-" else tuple(int(x) for x in tok.split(","))


def parse_format(tok):
    return "" if tok == '""' else tok


STANDARD_CHARS = "cbB?hHeiIlLqQfd"


def is_byte_order(fmt):
    """A byte-order format whose items bufview reads (view.h): one standard character."""
    return len(fmt) == 2 and fmt[0] in "<>!=" and fmt[1] in STANDARD_CHARS


def typed_object(fmt, shape, data):
    """A _testbuffer.ndarray of this format and shape holding exactly these bytes."""
    size = struct.calcsize(fmt)
    count = 1
    for n in shape:
        count *= n
    items = [x[0] if len(x) == 1 else list(x) for x in struct.iter_unpack(fmt, data)]
    if not shape:
        nd = ndarray(items[0], shape=[], format=fmt, flags=ND_WRITABLE)
    else:
        if count == 0:  # ndarray wants one initializer even for no items
            items = [x[0] if len(x) == 1 else list(x) for x in [struct.unpack(fmt, bytes(size))]]
        nd = ndarray(items, shape=list(shape), format=fmt, flags=ND_WRITABLE)
    with memoryview(nd) as m:
        if m.tobytes() != data:
            raise AssertionError("typed %s bytes %s are not struct's own (the generator writes "
                                 "pack(unpack(bytes)))" % (fmt, data.hex()))
    return nd


def type_name(obj):
    t = type(obj)
    return t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)


@contextlib.contextmanager
def raw_memory(obj):
    """The exporter's whole memory as one 'B' memoryview (every exporter here is
    C-contiguous; one holding no bytes cannot be cast, and needs no reading)."""
    with memoryview(obj) as whole:
        if whole.nbytes == 0:
            with memoryview(bytearray()) as empty:
                yield empty
            return
        with whole.cast("B") as raw:
            yield raw


def equiv_shape(a, b):
    """memoryobject.c equiv_shape(): ndim equal, shapes equal up to the first zero."""
    if a.ndim != b.ndim:
        return False
    for x, y in zip(a.shape, b.shape):
        if x != y:
            return False
        if x == 0:
            break
    return True


class LineRunner:
    """Runs one operation line: op_NAME(tokens) gives the result line; an exception is the
    line Python's traceback would end with. run_np.py's executor is one too."""

    def run(self, line):
        t = line.split()
        op = getattr(self, "op_" + ("cast" if t[0] == "castsh" else t[0]), None)
        if op is None:
            return "SyntaxError: unknown operation %r" % t[0]
        try:
            return op(t)
        except Exception as e:  # the result line is the exception, as Python prints it
            return "%s: %s" % (type(e).__name__, e)


class Executor(LineRunner):
    def __init__(self):
        self.objs = {}
        self.views = {}
        self.exports = {}

    # ---- helpers -------------------------------------------------------------------------

    def fmt(self, v):
        return v.tag if v.tag is not None else v.mv.format

    def logical_list(self, v):
        """tolist() with emulated 'e' items converted (and, beyond CPython, byte-order items
        read with struct)."""
        if self.byte_order(v):
            return self.bo_list(v)
        lst = v.mv.tolist()
        if v.tag is not None:
            lst = deep_map(lst, half_unpack, v.mv.ndim)
        return lst

    def operand(self, name):
        """A view's memoryview, an object, or None, as Python code would pass it."""
        if name == "none":
            return None
        if name in self.views:
            return self.views[name].mv
        return self.objs[name]

    def read(self, v, key):
        if self.byte_order(v):
            return self.bo_read(v, self.bo_offset(v, key if isinstance(key, tuple) else (key,)))
        x = v.mv[key]
        if v.tag is not None:
            x = half_unpack(x)
        return x

    def write(self, v, key, x):
        if v.tag is None:
            v.mv[key] = x
            return
        try:
            h = half_pack(x)
        except (TypeError, ValueError) as e:
            # CPython checks released, read-only and the key before packing: replay them
            # with a value 'H' accepts, put the old item back, then report the packing error.
            err = e
        else:
            v.mv[key] = h
            return
        try:
            old = v.mv[key]
        except Exception:
            old = None
        v.mv[key] = 0
        v.mv[key] = old
        raise err

    def eq_emulated(self, a, b):
        """memory_richcompare() for Views where one side is an emulated 'e' view: every item
        unpacked with struct, as CPython does for all but identical native formats (whose
        C == gives the same answers)."""
        if is_released(a.mv) or is_released(b.mv):
            return a.mv is b.mv
        if not equiv_shape(a.mv, b.mv):
            return False
        return self.struct_items(a) == self.struct_items(b)

    def struct_items(self, v):
        """Every item of v in C order as struct.unpack_from reads it (one value unwrapped),
        from the exporter's bytes."""
        fmt = self.fmt(v)
        mv = v.mv
        out = []
        with raw_memory(mv.obj) as raw:
            for pos in itertools.product(*(range(n) for n in mv.shape)):
                at = v.off + sum(i * st for i, st in zip(pos, mv.strides))
                x = struct.unpack_from(fmt, raw, at)
                out.append(x[0] if len(x) == 1 else x)
        return out

    def lookup_items(self, v):
        """What 3.14's count() iterates over: iter(mv) with its checks, then the items."""
        try:
            items = list(v.mv)
        except NotImplementedError as e:
            if is_released(v.mv) and str(e).startswith("memoryview: "):
                # iter(mv) checks the format before the release, reading a released
                # view's format, which its exporter may have freed; bufview says the view
                # is released instead (view_compare.c).
                raise ValueError(RELEASED) from None
            self.beyond_format(v, e)
            return self.struct_items(v)
        if v.tag is not None:
            items = [half_unpack(x) for x in items]
        return items

    # ---- bufview beyond CPython: items of byte-order formats --------------------------------

    def byte_order(self, v):
        """Whether v is live with a byte-order format (items CPython refuses, bufview reads)."""
        return not is_released(v.mv) and is_byte_order(self.fmt(v))

    def beyond_format(self, v, e):
        """CPython refused v's items with NotImplementedError e: fine when it is the
        byte-order format bufview reads (the caller goes on as bufview); anything else is
        CPython's own answer, raised again."""
        if not (self.byte_order(v) and str(e) == "memoryview: unsupported format " + self.fmt(v)):
            raise e

    def beyond(self, v, result):
        return "beyond CPython (NotImplementedError: memoryview: unsupported format %s): %s" % (
            self.fmt(v), result)

    def bo_offset(self, v, idx):
        """lookup_dimension() for every index: the byte offset of the item in the exporter."""
        off = v.off
        for d, i in enumerate(idx):
            n = v.mv.shape[d]
            if i < 0:
                i += n
            if i < 0 or i >= n:
                raise IndexError("index out of bounds on dimension %d" % (d + 1))
            off += i * v.mv.strides[d]
        return off

    def bo_read(self, v, off):
        with raw_memory(v.mv.obj) as raw:
            return struct.unpack_from(self.fmt(v), raw, off)[0]

    def bo_write(self, v, off, x):
        """bufview's write: memoryview's packing for the native character of the same size
        (its errors, quoting the whole format), then the bytes in the format's order."""
        fmt = self.fmt(v)
        code = {"l": "i", "L": "I"}.get(fmt[1], fmt[1])
        size = struct.calcsize(fmt)
        try:
            if code == "e" and not HAVE_E:
                data = struct.pack("<H", half_pack(x))
            else:
                scratch = memoryview(bytearray(size)).cast(code)
                scratch[0] = x
                data = scratch.tobytes()
        except (TypeError, ValueError) as e:
            raise type(e)(str(e).replace("'%s'" % code, "'%s'" % fmt)) from None
        machine = "<" if sys.byteorder == "little" else ">"
        order = {"=": machine, "!": ">"}.get(fmt[0], fmt[0])
        if order != machine:
            data = data[::-1]
        with raw_memory(v.mv.obj) as raw:
            raw[off:off + size] = data

    def bo_list(self, v):
        """tolist() of a byte-order view, from struct."""
        def level(off, d):
            if d == v.mv.ndim:
                return self.bo_read(v, off)
            return [level(off + i * v.mv.strides[d], d + 1) for i in range(v.mv.shape[d])]
        return level(v.off, 0)

    # ---- operations ------------------------------------------------------------------------

    def op_new(self, t):
        name, kind = t[1], t[2]
        if kind == "bytes":
            self.objs[name] = unhex(t[3])
        elif kind == "bytearray":
            self.objs[name] = bytearray(unhex(t[3]))
        elif kind == "array":
            tc = t[3]
            conv = float if tc in "fd" else int
            items = [] if t[4] == "-" else [conv(x) for x in t[4].split(",")]
            self.objs[name] = array.array(tc, items)
        elif kind == "typed":  # new oN typed FORMAT SHAPE HEX
            self.objs[name] = typed_object(t[3], parse_ints(t[4]), unhex(t[5]))
        else:
            raise SyntaxError("bad object kind %r" % kind)
        return "ok"

    def op_view(self, t):  # view vN = NAME
        src = t[3]
        if src in self.views:
            s = self.views[src]
            self.views[t[1]] = View(memoryview(s.mv), s.tag, s.off)
        else:
            self.views[t[1]] = View(memoryview(self.operand(src)))
        return "ok"

    def op_slice(self, t):  # slice vN = vM [a:b:c]
        s = self.views[t[3]]
        key = parse_slice(t[4])
        r = s.mv[key]
        start = key.indices(s.mv.shape[0])[0]
        self.views[t[1]] = View(r, s.tag, s.off + start * s.mv.strides[0])
        return "ok"

    def op_ellipsis(self, t):  # ellipsis vN = vM
        s = self.views[t[3]]
        r = s.mv[...]
        if r is s.mv:
            # bufview returns a new view of the same memory, not the same object.
            r = memoryview(s.mv)
        self.views[t[1]] = View(r, s.tag, s.off)
        return "ok"

    def op_toreadonly(self, t):
        s = self.views[t[3]]
        self.views[t[1]] = View(s.mv.toreadonly(), s.tag, s.off)
        return "ok"

    def op_cast(self, t):  # cast vN = vM FMT  |  castsh vN = vM FMT d1,d2,...
        s = self.views[t[3]]
        fmt = parse_format(t[4])
        real, tag = fmt, None
        if is_e(fmt) and not HAVE_E:
            real, tag = fmt.replace("e", "H"), fmt
        if t[0] == "castsh":
            r = s.mv.cast(real, list(parse_ints(t[5])))
        else:
            r = s.mv.cast(real)
        self.views[t[1]] = View(r, tag, s.off)
        return "ok"

    def op_get(self, t):
        v, key = self.views[t[1]], int(t[2])
        try:
            return repr(self.read(v, key) if not self.byte_order(v) else v.mv[key])
        except NotImplementedError as e:
            self.beyond_format(v, e)
        # memory_item() after its format check: N-D, then the index.
        if v.mv.ndim != 1:
            raise NotImplementedError("multi-dimensional sub-views are not implemented")
        return self.beyond(v, repr(self.bo_read(v, self.bo_offset(v, (key,)))))

    def op_getnd(self, t):
        v, key = self.views[t[1]], parse_ints(t[2])
        try:
            return repr(self.read(v, key) if not self.byte_order(v) else v.mv[key])
        except NotImplementedError as e:
            self.beyond_format(v, e)
        # memory_item_multi() after its format check.
        self.check_tuple(v, key)
        return self.beyond(v, repr(self.bo_read(v, self.bo_offset(v, key))))

    @staticmethod
    def check_tuple(v, key):
        """ptr_from_tuple()'s checks before the lookups, for a tuple key."""
        if len(key) < v.mv.ndim:
            raise NotImplementedError("sub-views are not implemented")
        if len(key) > v.mv.ndim:
            raise TypeError("cannot index %d-dimension view with %d-element tuple"
                            % (v.mv.ndim, len(key)))

    def store_beyond(self, v, key, x):
        """Whether the store ran on CPython; else memory_ass_sub()'s checks after the format,
        for bufview, and the write."""
        mv = v.mv
        if mv.readonly:
            raise TypeError("cannot modify read-only memory")
        if x is None:
            raise TypeError("cannot delete memory")
        if mv.ndim == 0:
            if key != ():
                raise TypeError("invalid indexing of 0-dim memory")
            idx = ()
        elif isinstance(key, tuple):
            self.check_tuple(v, key)
            idx = key
        else:
            if mv.ndim > 1:
                raise NotImplementedError("sub-views are not implemented")
            idx = (key,)
        self.bo_write(v, self.bo_offset(v, idx), x)

    def store(self, v, key, x):
        """mv[key] = x (x None: del mv[key]); the result line."""
        try:
            if x is None:
                del v.mv[key]
            elif self.byte_order(v):
                v.mv[key] = x
            else:
                self.write(v, key, x)
            return "ok"
        except NotImplementedError as e:
            self.beyond_format(v, e)
        self.store_beyond(v, key, x)
        return self.beyond(v, "ok")

    def op_set(self, t):
        return self.store(self.views[t[1]], int(t[2]), parse_value(t[3]))

    def op_setnd(self, t):
        return self.store(self.views[t[1]], parse_ints(t[2]), parse_value(t[3]))

    def op_del(self, t):
        return self.store(self.views[t[1]], int(t[2]), None)

    def op_assign(self, t):  # assign vN [a:b:c] SRC
        v = self.views[t[1]]
        key = parse_slice(t[2])
        src = self.operand(t[3])
        tfmt = self.fmt(v) if not is_released(v.mv) else None
        sv = self.views.get(t[3])
        sfmt = None
        if sv is not None and not is_released(sv.mv):
            sfmt = self.fmt(sv)
        elif sv is None and src is not None:
            with memoryview(src) as m:
                sfmt = m.format
        if tfmt is not None and sfmt is not None and not HAVE_E:
            strip = lambda f: f[1:] if f.startswith("@") else f
            treal = strip(v.mv.format)
            sreal = strip(sv.mv.format) if sv is not None else strip(sfmt)
            if strip(tfmt) != strip(sfmt) and treal == sreal:
                # Only the emulated 'e' tag tells them apart: a source of another
                # structure makes CPython raise the same error at the same point.
                src = b""
        v.mv[key] = src
        return "ok"

    def op_tolist(self, t):
        v = self.views[t[1]]
        if not self.byte_order(v):
            return repr(self.logical_list(v))
        try:
            v.mv.tolist()
        except NotImplementedError as e:
            self.beyond_format(v, e)
        return self.beyond(v, repr(self.bo_list(v)))

    def op_tobytes(self, t):
        mv = self.views[t[1]].mv
        return repr(mv.tobytes() if t[2] == "-" else mv.tobytes(order=t[2]))

    def op_hex(self, t):  # hex vN SEP BPS   (SEP '-' for none, else 's' + hex of UTF-8)
        mv = self.views[t[1]].mv
        if t[2] == "-":
            return mv.hex()
        sep = bytes.fromhex(t[2][1:]).decode("utf-8")
        return mv.hex(sep, int(t[3]))

    def op_count(self, t):
        v = self.views[t[1]]
        x = parse_value(t[2])
        if HAVE_COUNT and v.tag is None and not self.byte_order(v):
            return repr(v.mv.count(x))
        items = self.lookup_items(v)
        n = repr(sum(1 for y in items if y is x or y == x))
        return self.beyond(v, n) if self.byte_order(v) else n

    def op_index(self, t):  # index vN VALUE START STOP  (STOP '-' for the default)
        v = self.views[t[1]]
        x = parse_value(t[2])
        start = int(t[3])
        stop = sys.maxsize if t[4] == "-" else int(t[4])
        if HAVE_COUNT and v.tag is None and not self.byte_order(v):
            return repr(v.mv.index(x, start, stop))
        mv = v.mv
        if is_released(mv):
            raise ValueError(RELEASED)
        if mv.ndim == 0:
            raise TypeError("invalid lookup on 0-dim memory")
        if mv.ndim != 1:
            raise NotImplementedError("multi-dimensional lookup is not implemented")
        n = mv.shape[0]
        if start < 0:
            start = max(start + n, 0)
        if stop < 0:
            stop = max(stop + n, 0)
        stop = min(stop, n)
        for i in range(start, stop):
            y = self.read(v, i)
            if y is x or y == x:
                return self.beyond(v, repr(i)) if self.byte_order(v) else repr(i)
        raise ValueError("memoryview.index(x): x not found")

    def op_eq(self, t):  # eq vN NAME|none
        a = self.views[t[1]]
        other = t[2]
        if other == "none":
            return repr(a.mv == None)  # noqa: E711 (the point is memoryview.__eq__)
        if other in self.views:
            b = self.views[other]
            if a.tag is None and b.tag is None:
                return repr(a.mv == b.mv)
            return repr(self.eq_emulated(a, b))
        obj = self.objs[other]
        if a.tag is None:
            return repr(a.mv == obj)
        with memoryview(obj) as m:
            return repr(self.eq_emulated(a, View(m)))

    def op_hash(self, t):
        mv = self.views[t[1]].mv
        h = hash(mv)
        try:
            b = mv.tobytes()
        except ValueError:
            # CPython caches the hash, so a view hashed before release() still hashes.
            return "hash ok"
        return "hash ok" if h == hash(b) else "hash differs from hash(tobytes())"

    def op_release(self, t):
        self.views[t[1]].mv.release()
        return "ok"

    def op_attrs(self, t):
        v = self.views[t[1]]
        mv = v.mv
        parts = [
            "obj=" + type_name(mv.obj),
            "nbytes=%r" % mv.nbytes,
            "readonly=%r" % mv.readonly,
            "itemsize=%r" % mv.itemsize,
            "format=" + self.fmt(v),
            "ndim=%r" % mv.ndim,
            "shape=%r" % (mv.shape,),
            "strides=%r" % (mv.strides,),
            "suboffsets=%r" % (mv.suboffsets,),
            "c=%r" % mv.c_contiguous,
            "f=%r" % mv.f_contiguous,
            "contig=%r" % mv.contiguous,
        ]
        return " ".join(parts)

    def op_len(self, t):
        mv = self.views[t[1]].mv
        n = len(mv)
        if mv.ndim == 0:
            # 3.11 returns 1; 3.12 and later raise, as bufview does.
            raise TypeError("0-dim memory has no length")
        return repr(n)

    def op_resize(self, t):  # resize oN append V | extend HEX | clear | size N
        obj = self.objs[t[1]]
        what = t[2]
        if what == "append":
            obj.append(parse_value(t[3]))
        elif what == "extend":
            obj.extend(unhex(t[3]))
        elif what == "clear":
            obj.clear()
        elif what == "size":
            # bytearray.resize() is 3.14; the same effect and errors by slicing.
            n = int(t[3])
            if n > len(obj):
                obj.extend(bytes(n - len(obj)))
            elif n < len(obj):
                del obj[n:]
        else:
            raise SyntaxError("bad resize %r" % what)
        return "ok"

    def op_show(self, t):
        return repr(self.objs[t[1]])

    def op_export(self, t):  # export xN = NAME
        self.exports[t[1]] = pickle.PickleBuffer(self.operand(t[3]))
        return "ok"

    def op_unexport(self, t):
        self.exports.pop(t[1]).release()
        return "ok"

    def op_slicend(self, t):  # slicend vM S0 S1 ...
        v = self.views[t[1]]
        slices = tuple(parse_slice(s) for s in t[2:])
        try:
            v.mv[slices]
        except NotImplementedError as e:
            if str(e) != ND_SLICE_MSG:
                raise
        else:
            raise AssertionError("CPython accepted a multi-dimensional slice")
        for s in slices:
            s.indices(0)  # every slice is checked, even below an empty dimension
        lst = self.logical_list(v)
        res = self.nested_slice(lst, slices)
        return "%s %r" % (BEYOND_SLICE, res)

    @staticmethod
    def nested_slice(lst, slices):
        if not slices:
            return lst
        return [Executor.nested_slice(x, slices[1:]) for x in lst[slices[0]]]

    def op_assignnd(self, t):  # assignnd vM SRC S0 S1 ...
        v = self.views[t[1]]
        src_name = t[2]
        slices = tuple(parse_slice(s) for s in t[3:])
        try:
            v.mv[slices] = self.operand(src_name)
        except NotImplementedError as e:
            if str(e) != ND_ASSIGN_MSG:
                raise
        else:
            raise AssertionError("CPython accepted a multi-dimensional slice assignment")
        # Beyond CPython: bufview's checks in the order of CPython's 1-D slice assignment
        # (source buffer, then the slices, then the structure), and a byte copy.
        mv = v.mv
        if src_name == "none":
            raise TypeError("a bytes-like object is required, not 'NoneType'")
        if src_name in self.views:
            sv = self.views[src_name]
            if is_released(sv.mv):
                raise ValueError(RELEASED)
            self.assign_nd(v, slices, sv.mv, sv.off, self.fmt(sv))
        else:
            with memoryview(self.objs[src_name]) as smv:
                self.assign_nd(v, slices, smv, 0, smv.format)
        return BEYOND_ASSIGN

    def assign_nd(self, v, slices, smv, soff, sfmt):
        mv = v.mv
        ranges = []
        for d in range(mv.ndim):
            s = slices[d] if d < len(slices) else slice(None)
            ranges.append(range(*s.indices(mv.shape[d])))
        strip = lambda f: f[1:] if f.startswith("@") else f
        tshape = tuple(len(r) for r in ranges)
        same_shape = len(smv.shape) == len(tshape)
        if same_shape:
            for x, y in zip(tshape, smv.shape):
                if x != y:
                    same_shape = False
                    break
                if x == 0:
                    break
        if strip(sfmt) != strip(self.fmt(v)) or smv.itemsize != mv.itemsize or not same_shape:
            raise ValueError(
                "memoryview assignment: lvalue and rvalue have different structures")
        # Read every source item's bytes first (overlap is safe), then write them, through
        # byte views of the exporters' whole memory.
        size = mv.itemsize
        with raw_memory(smv.obj) as raw:
            items = []
            for pos in itertools.product(*(range(n) for n in smv.shape)):
                at = soff + sum(i * st for i, st in zip(pos, smv.strides))
                items.append(bytes(raw[at:at + size]))
        with raw_memory(mv.obj) as raw:
            for pos, item in zip(itertools.product(*ranges), items):
                at = v.off + sum(i * st for i, st in zip(pos, mv.strides))
                raw[at:at + size] = item

    # ---- driver ----------------------------------------------------------------------------

    def close(self):
        for x in self.exports.values():
            x.release()
        for v in self.views.values():
            v.mv.release()
        self.exports.clear()
        self.views.clear()
        self.objs.clear()


def run_batch(lines, out, make=Executor):
    """The result lines of a batch, each sequence on a fresh make()."""
    ex = None
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("seq "):
            ex = make()
            out.append(line)
        elif line == "end":
            ex.close()
            ex = None
            out.append("end")
        else:
            out.append(ex.run(line))
    return out


def main(argv, make=Executor):
    if len(argv) != 2:
        sys.stderr.write("usage: %s FILE|-\n" % argv[0])
        return 2
    f = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
    with f:
        out = run_batch(f, [], make)
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
