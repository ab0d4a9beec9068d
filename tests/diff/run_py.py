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

Usage: run_py.py FILE   (a batch of sequences, "seq N" ... "end"; '-' reads stdin)
"""
import array
import itertools
import pickle
import struct
import sys

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


def type_name(obj):
    t = type(obj)
    return t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)


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


class Executor:
    def __init__(self):
        self.objs = {}
        self.views = {}
        self.exports = {}

    # ---- helpers -------------------------------------------------------------------------

    def fmt(self, v):
        return v.tag if v.tag is not None else v.mv.format

    def logical_list(self, v):
        """tolist() with emulated 'e' items converted."""
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

    def eq_emulated(self, a, atag, b, btag):
        """memory_richcompare() for views where one side is an emulated 'e' view."""
        if is_released(a) or is_released(b):
            return a is b
        if not equiv_shape(a, b):
            return False
        la, lb = a.tolist(), b.tolist()
        if atag is not None:
            la = deep_map(la, half_unpack, a.ndim)
        if btag is not None:
            lb = deep_map(lb, half_unpack, b.ndim)
        fa, fb = flatten(la, a.ndim), flatten(lb, a.ndim)
        return all(x == y for x, y in zip(fa, fb))

    def lookup_items(self, v):
        """What 3.14's count() iterates over: iter(mv) with its checks, then the items."""
        items = list(v.mv)
        if v.tag is not None:
            items = [half_unpack(x) for x in items]
        return items

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
        return repr(self.read(self.views[t[1]], int(t[2])))

    def op_getnd(self, t):
        return repr(self.read(self.views[t[1]], parse_ints(t[2])))

    def op_set(self, t):
        self.write(self.views[t[1]], int(t[2]), parse_value(t[3]))
        return "ok"

    def op_setnd(self, t):
        self.write(self.views[t[1]], parse_ints(t[2]), parse_value(t[3]))
        return "ok"

    def op_del(self, t):
        del self.views[t[1]].mv[int(t[2])]
        return "ok"

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
        return repr(self.logical_list(self.views[t[1]]))

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
        if HAVE_COUNT and v.tag is None:
            return repr(v.mv.count(x))
        items = self.lookup_items(v)
        return repr(sum(1 for y in items if y is x or y == x))

    def op_index(self, t):  # index vN VALUE START STOP  (STOP '-' for the default)
        v = self.views[t[1]]
        x = parse_value(t[2])
        start = int(t[3])
        stop = sys.maxsize if t[4] == "-" else int(t[4])
        if HAVE_COUNT and v.tag is None:
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
                return repr(i)
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
            return repr(self.eq_emulated(a.mv, a.tag, b.mv, b.tag))
        obj = self.objs[other]
        if a.tag is None:
            return repr(a.mv == obj)
        with memoryview(obj) as m:
            return repr(self.eq_emulated(a.mv, a.tag, m, None))

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
        with memoryview(smv.obj) as whole, whole.cast("B") as raw:
            items = []
            for pos in itertools.product(*(range(n) for n in smv.shape)):
                at = soff + sum(i * st for i, st in zip(pos, smv.strides))
                items.append(bytes(raw[at:at + size]))
        with memoryview(mv.obj) as whole, whole.cast("B") as raw:
            for pos, item in zip(itertools.product(*ranges), items):
                at = v.off + sum(i * st for i, st in zip(pos, mv.strides))
                raw[at:at + size] = item

    # ---- driver ----------------------------------------------------------------------------

    def run(self, line):
        t = line.split()
        op = getattr(self, "op_" + ("cast" if t[0] == "castsh" else t[0]), None)
        if op is None:
            return "SyntaxError: unknown operation %r" % t[0]
        try:
            return op(t)
        except Exception as e:  # the result line is the exception, as Python prints it
            return "%s: %s" % (type(e).__name__, e)

    def close(self):
        for x in self.exports.values():
            x.release()
        for v in self.views.values():
            v.mv.release()
        self.exports.clear()
        self.views.clear()
        self.objs.clear()


def run_batch(lines, out):
    ex = None
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("seq "):
            ex = Executor()
            out.append(line)
        elif line == "end":
            ex.close()
            ex = None
            out.append("end")
        else:
            out.append(ex.run(line))
    return out


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: run_py.py FILE|-\n")
        return 2
    f = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
    with f:
        out = run_batch(f, [])
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
