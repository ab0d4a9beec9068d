#!/usr/bin/env python3
"""tests/diff/gen.py: random operation sequences for the differential test.

From one integer seed, writes a reproducible sequence of operations in the line language of
tests/diff/README.md: create bytes/bytearray/array objects, take views, slice with random
bounds and steps, read and write items, cast (1-D <-> N-D, 0-dim), tolist/tobytes/hex,
count/index, equality, hash, release, exports, resize attempts, and the multi-dimensional
operations bufview adds.

The generator runs each operation on CPython (run_py.Executor) as it writes it, so it knows
every view's real shape, format and state and can keep most operations valid: sequences
then go deep instead of stopping at the first error. A fraction of each operation kind is
deliberately wrong (bad index, wrong value type, released view, bad format...) to compare
the error paths too. The same seed always gives the same text (only random.Random(seed)
decides), whatever interpreter runs it.

Usage: gen.py --seed N [--count K] [--exclude op,op] [--against cpython|numpy]
       (a batch of K sequences on stdout; --against numpy writes the NumPy language)
"""
import argparse
import array
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_py import Executor, is_byte_order, is_released, ndarray  # noqa: E402

I64_MIN, I64_MAX, U64_MAX = -(2**63), 2**63 - 1, 2**64 - 1

ITEM_FORMATS = "cbBhHiIlLqQnNfde?P"
ARRAY_CODES = "bBhHiIlLqQfd"
BYTE_FORMATS = "bBc"
BAD_FORMATS = ["x", "Z", "ii", "<i", "=B", "2B", "@", '""', "@@B", "s", "u", "w", "E", "Bx"]
# Formats of "typed" objects (_testbuffer.ndarray): byte orders with struct's standard
# sizes (bufview reads their items, beyond CPython), native ones, and struct formats of
# several values (compared through struct, indexed by neither).
TYPED_FORMATS = ["<b", "<B", "<h", ">h", "=h", "!h", "<H", ">H", "<i", ">i", "=i", "!I",
                 "<l", ">L", "<q", ">q", "=Q", "<f", ">f", "!d", "<d", "<e", ">e", "<?",
                 "=?", "<c", "B", "b", "h", "i", "d", "f", "?", "c", "@h", "<hh", "2h", "bx",
                 "3s", "<2e"]


def int_range(c):
    size = struct.calcsize(c)
    if c == "P":
        return I64_MIN, U64_MAX
    if c in "bhilqn":
        return -(2 ** (8 * size - 1)), 2 ** (8 * size - 1) - 1
    return 0, 2 ** (8 * size) - 1


FLOAT_TEXTS = ["nan", "-nan", "inf", "-inf", "-0.0", "0.0", "1.5", "0.1", "-2.75", "1e+300",
               "-1e-300", "5e-324", "3.4028234663852886e+38", "3.5e+38", "65504.0",
               "65520.0", "65519.99", "-65504.0", "1e-08", "6e-08", "2.5", "100.0",
               "1e+16", "0.0001", "1e-05", "123456789.125"]

SPECIAL_DOUBLES = [float("nan"), float("-nan"), float("inf"), float("-inf"), -0.0, 0.0, 1.0,
                   0.1, 1e300, 5e-324, 65504.0, -2.5]


class Gen:
    def __init__(self, seed, exclude=()):
        self.r = random.Random(seed)
        self.ex = Executor()
        self.lines = []
        self.exclude = set(exclude)
        self.nobj = 0
        self.nview = 0
        self.nexp = 0

    # ---- bookkeeping ----------------------------------------------------------------------

    def emit(self, line):
        self.lines.append(line)
        return self.ex.run(line)

    def new_view_name(self):
        self.nview += 1
        return "v%d" % (self.nview - 1)

    def live_views(self):
        return [n for n, v in self.ex.views.items() if not is_released(v.mv)]

    def pick_view(self, pred=None, released_chance=0.04):
        views = list(self.ex.views)
        if not views:
            return None
        if self.r.random() < released_chance:
            return self.r.choice(views)
        live = self.live_views()
        if pred is not None:
            good = [n for n in live if pred(self.info(n))]
            if good and self.r.random() < 0.85:
                return self.r.choice(good)
        if live:
            return self.r.choice(live)
        return self.r.choice(views)

    def info(self, name):
        v = self.ex.views[name]
        mv = v.mv
        if is_released(mv):
            return None
        fmt = self.ex.fmt(v)
        return {
            "ndim": mv.ndim, "shape": mv.shape, "fmt": fmt, "char": fmt.lstrip("@"),
            "readonly": mv.readonly, "c": mv.c_contiguous, "nbytes": mv.nbytes,
            "itemsize": mv.itemsize, "len": mv.shape[0] if mv.ndim else None,
            "bo": is_byte_order(fmt), "typed": ndarray is not None and isinstance(mv.obj, ndarray),
        }

    # ---- random pieces --------------------------------------------------------------------

    def gen_bytes(self, n=None):
        r = self.r
        if n is None:
            n = r.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 12, 16, 16, 24, 32, 48, 64])
        mode = r.random()
        if mode < 0.45:
            return bytes(r.getrandbits(8) for _ in range(n))
        if mode < 0.65:
            return bytes(r.choice([0, 1, 2, 0x80, 0xFF]) for _ in range(n))
        out = b""
        while len(out) < n:
            c = r.choice("dfeqiHB")
            if c in "dfe":
                x = r.choice(SPECIAL_DOUBLES)
                try:
                    out += struct.pack("<" + c, x)
                except OverflowError:
                    out += struct.pack("<" + c, 0.5)
            else:
                lo, hi = int_range(c)
                out += struct.pack("<" + c, r.choice([lo, hi, 0, 1, lo + 1, hi - 1]))
        return out[:n]

    def hex_tok(self, b):
        return b.hex() if b else "-"

    def int_tok(self, v):
        if v > I64_MAX or (v >= 0 and self.r.random() < 0.1):
            return "u:%d" % v
        return "i:%d" % v

    def valid_int(self, c):
        lo, hi = int_range(c)
        r = self.r
        x = r.random()
        if x < 0.3:
            return r.choice([v for v in (lo, hi, 0, 1, -1, lo + 1, hi - 1, 2, 127, 255)
                             if lo <= v <= hi])
        if x < 0.7:
            return r.randint(max(lo, -5), min(hi, 9))
        return r.randint(lo, hi)

    def float_text(self):
        r = self.r
        x = r.random()
        if x < 0.6:
            return r.choice(FLOAT_TEXTS)
        if x < 0.8:
            return repr(r.uniform(-1e6, 1e6))
        return repr(float(r.randint(-40, 40)))

    def value_tok(self, c, wrong=0.15):
        """A value for an item of format c; mostly valid, sometimes of the wrong range/kind."""
        r = self.r
        bad = r.random() < wrong
        if c in "fde":
            if bad:
                return r.choice(["y:61", "y:", "f:1e+10", "i:%d" % I64_MAX, "u:%d" % U64_MAX])
            x = r.random()
            if x < 0.7:
                return "f:" + self.float_text()
            if x < 0.9:
                return self.int_tok(r.randint(-300, 300))
            return "b:" + r.choice(["True", "False"])
        if c == "?":
            return r.choice(["b:True", "b:False", "i:0", "i:2", "i:-1", "f:0.0", "f:nan",
                             "y:", "y:00", "u:%d" % U64_MAX, "f:-0.0"])
        if c == "c":
            if bad:
                return r.choice(["y:", "y:6162", "i:97", "f:1.0", "b:True"])
            return "y:%02x" % r.choice([0, 0x61, 0x7F, 0x80, 0xFF, r.getrandbits(8)])
        lo, hi = int_range(c)
        if bad:
            x = r.random()
            if x < 0.5:
                cands = [v for v in (lo - 1, hi + 1, lo - 1000, hi + 1000, I64_MIN, U64_MAX)
                         if I64_MIN <= v <= U64_MAX and not lo <= v <= hi]
                if cands:
                    return self.int_tok(r.choice(cands))
            if x < 0.8:
                return "f:" + r.choice(["1.0", "0.5", "nan", "-0.0"])
            return r.choice(["y:01", "y:"])
        if r.random() < 0.07:
            return "b:" + r.choice(["True", "False"])
        return self.int_tok(self.valid_int(c))

    def existing_value_tok(self, name):
        """A value taken from the view's own items, so count/index find something."""
        v = self.ex.views[name]
        try:
            items = self.ex.lookup_items(v)
        except Exception:
            items = []
        if not items:
            return None
        x = self.r.choice(items)
        if isinstance(x, bool):
            return "b:%r" % x
        if isinstance(x, int):
            return self.int_tok(x)
        if isinstance(x, float):
            return "f:" + repr(x)
        return "y:" + x.hex()

    def bound(self, n):
        r = self.r
        x = r.random()
        if x < 0.22:
            return ""
        if x < 0.9:
            return str(r.randint(-n - 3, n + 3))
        return str(r.choice([I64_MAX, I64_MIN, 10**12, -(10**12), I64_MIN + 1]))

    def step(self, n, zero=0.02):
        r = self.r
        x = r.random()
        if x < zero:
            return "0"
        if x < 0.3:
            return ""
        if x < 0.6:
            return r.choice(["1", "-1"])
        if x < 0.88:
            return str(r.choice([1, -1]) * r.randint(2, 4))
        return str(r.choice([n + 1, -(n + 1), I64_MAX, -I64_MAX, I64_MIN]))

    def slice_tok(self, n, zero=0.02):
        if n > 0 and self.r.random() < 0.45:
            return self.nonempty_slice_tok(n)
        s = self.step(n, zero)
        if s == "" and self.r.random() < 0.5:
            return "[%s:%s]" % (self.bound(n), self.bound(n))
        return "[%s:%s:%s]" % (self.bound(n), self.bound(n), s)

    def nonempty_slice_tok(self, n):
        """A slice selecting at least one of n > 0 items, written in varied ways."""
        r = self.r
        step = r.choice([1, 1, 2, 3, -1, -1, -2])
        a = r.randint(0, n - 1)
        if step > 0:
            b = r.randint(a + 1, n)
            start = r.choice([str(a), str(a - n)]) if a else r.choice(["", "0", str(-n)])
            stop = str(b) if b < n else r.choice(["", str(n), str(n + 5), str(I64_MAX)])
        else:
            b = r.randint(-1, a - 1)
            start = r.choice([str(a), str(a - n)]) if a < n - 1 else r.choice(["", str(n + 2)])
            stop = str(b) if b >= 0 else r.choice(["", str(-n - 1), str(I64_MIN)])
        st = "" if step == 1 and r.random() < 0.5 else str(step)
        return "[%s:%s:%s]" % (start, stop, st)

    def index(self, n):
        r = self.r
        x = r.random()
        if x < 0.8 and n > 0:
            return r.randint(-n, n - 1)
        if x < 0.93:
            return r.choice([n, -n - 1, n + 5])
        return r.choice([I64_MAX, I64_MIN, 10**15])

    def factor(self, n, k):
        """A random shape of k positive dimensions whose product is n."""
        dims = []
        for _ in range(k - 1):
            divs = [d for d in range(1, n + 1) if n % d == 0]
            d = self.r.choice(divs)
            dims.append(d)
            n //= d
        dims.append(n)
        self.r.shuffle(dims)
        return dims

    # ---- operations -----------------------------------------------------------------------

    def op_new(self):
        r = self.r
        name = "o%d" % self.nobj
        self.nobj += 1
        kinds = ["bytes", "bytearray", "bytearray", "array"]
        if ndarray is not None and "typed" not in self.exclude:
            kinds.append("typed")
        kind = r.choice(kinds)
        if kind == "typed":
            fmt, shape, data = self.typed_parts()
            self.emit("new %s typed %s" % (name, self.typed_text(fmt, shape, data)))
            twin = self.typed_twin(fmt, data) if r.random() < 0.35 else None
            if twin is not None:
                # The same values spelled another way ('<i' and 'i', '>h' over swapped
                # bytes...): == must see them equal, as CPython's struct comparison does.
                name = "o%d" % self.nobj
                self.nobj += 1
                self.emit("new %s typed %s" % (name, self.typed_text(twin[0], shape, twin[1])))
        elif kind != "array":
            self.emit("new %s %s %s" % (name, kind, self.hex_tok(self.gen_bytes())))
        else:
            tc = r.choice(ARRAY_CODES)
            n = r.choice([0, 1, 2, 3, 4, 5, 6, 8, 12])
            if tc in "fd":
                items = [self.float_text() for _ in range(n)]
            else:
                items = [str(self.valid_int(tc)) for _ in range(n)]
            self.emit("new %s array %s %s" % (name, tc, ",".join(items) if items else "-"))
        return True

    def typed_parts(self):
        """FORMAT, SHAPE and bytes of a typed object: 0 to 3 dimensions (now and then an
        empty one), and bytes struct packs exactly so (pack(unpack(bytes)), twice to settle
        NaNs and bools)."""
        r = self.r
        fmt = r.choice(TYPED_FORMATS)
        ndim = r.choice([0, 1, 1, 1, 2, 2, 3])
        shape = [r.choice([1, 2, 2, 3, 4]) if r.random() > 0.06 else 0 for _ in range(ndim)]
        count = 1
        for n in shape:
            count *= n
        data = self.gen_bytes(count * struct.calcsize(fmt))
        for _ in range(2):
            data = b"".join(struct.pack(fmt, *x) for x in struct.iter_unpack(fmt, data))
        return fmt, shape, data

    def typed_text(self, fmt, shape, data):
        return "%s %s %s" % (fmt, ",".join(map(str, shape)) if shape else "-", self.hex_tok(data))

    def typed_twin(self, fmt, data):
        """The same values in another spelling of the format, or None."""
        if not is_byte_order(fmt) and fmt not in "bBhHiqQfd?c":
            return None
        c = fmt[-1]
        spellings = [o + c for o in "<>=!"]
        if struct.calcsize(c) == struct.calcsize("<" + c) and c != "e":
            spellings.append(c)   # (CPython 3.11's memoryview cannot read native 'e')
        twin = self.r.choice(spellings)
        return twin, b"".join(struct.pack(twin, *x) for x in struct.iter_unpack(fmt, data))

    def typed_view(self, name):
        """Whether a live view's memory belongs to a typed object."""
        mv = self.ex.views[name].mv
        return not is_released(mv) and ndarray is not None and isinstance(mv.obj, ndarray)

    def byte_order_view(self, name):
        v = self.ex.views[name]
        return not is_released(v.mv) and is_byte_order(self.ex.fmt(v))

    def op_view(self):
        r = self.r
        if r.random() < 0.02:
            src = "none"
        elif self.ex.views and r.random() < 0.3:
            src = self.pick_view()
        elif self.ex.objs:
            src = r.choice(list(self.ex.objs))
        else:
            return False
        self.emit("view %s = %s" % (self.new_view_name(), src))
        return True

    def op_slice(self):
        src = self.pick_view(lambda i: i["ndim"] >= 1)
        if src is None:
            return False
        i = self.info(src)
        n = i["len"] if i and i["len"] is not None else 4
        self.emit("slice %s = %s %s" % (self.new_view_name(), src, self.slice_tok(n)))
        return True

    def op_ellipsis(self):
        src = self.pick_view(lambda i: i["ndim"] == 0)
        if src is None:
            return False
        self.emit("ellipsis %s = %s" % (self.new_view_name(), src))
        return True

    def op_toreadonly(self):
        src = self.pick_view()
        if src is None:
            return False
        self.emit("toreadonly %s = %s" % (self.new_view_name(), src))
        return True

    def op_cast(self):
        r = self.r
        src = self.pick_view(lambda i: i["c"])
        if src is None:
            return False
        i = self.info(src) or {"ndim": 1, "char": "B", "nbytes": 8, "c": True}
        x = r.random()
        if x < 0.06:
            dest = r.choice(BAD_FORMATS)
        else:
            if i["char"] not in BYTE_FORMATS and r.random() < 0.8:
                c = r.choice(BYTE_FORMATS)
            else:
                c = r.choice(ITEM_FORMATS)
            dest = ("@" + c) if r.random() < 0.12 else c
        nbytes = i["nbytes"]
        scalar = [f for f in ITEM_FORMATS if struct.calcsize(f) == nbytes]
        if i["ndim"] == 1 and scalar and r.random() < 0.12:
            # A 0-dim view: one item filling the whole buffer, shape=[].
            c = r.choice(scalar)
            if c not in BYTE_FORMATS and i["char"] not in BYTE_FORMATS:
                c = "B" if nbytes == 1 else c
            self.emit("castsh %s = %s %s -" % (self.new_view_name(), src, c))
            return True
        c = dest.lstrip("@")
        size = struct.calcsize(c) if len(c) == 1 and c in ITEM_FORMATS else 1
        n = nbytes // size
        name = self.new_view_name()
        y = r.random()
        if i["ndim"] != 1:
            # N-D -> 1-D, with or without shape=[n]; sometimes a forbidden N-D -> N-D.
            if y < 0.5:
                self.emit("cast %s = %s %s" % (name, src, dest))
            elif y < 0.85:
                self.emit("castsh %s = %s %s %d" % (name, src, dest, max(n, 1)))
            else:
                self.emit("castsh %s = %s %s %s" % (name, src, dest,
                                                    ",".join(map(str, self.factor(max(n, 1), 2)))))
            return True
        if y < 0.4:
            self.emit("cast %s = %s %s" % (name, src, dest))
            return True
        if n > 0 and nbytes % size == 0 and r.random() < 0.85:
            shape = self.factor(n, r.choice([1, 2, 2, 3, 3, 4]))
            if n == 1 and r.random() < 0.3:
                shape = r.choice([[], [], [1] * 5, [1] * 64])
        elif r.random() < 0.05:
            shape = [1] * 65
        else:
            shape = r.choice([[0], [-1, n], [n + 1], [2**62, 4], [I64_MAX], [n, 0],
                              [max(n, 1) * 2, 1]])
        self.emit("castsh %s = %s %s %s" % (name, src, dest,
                                            ",".join(map(str, shape)) if shape else "-"))
        return True

    def op_get(self):
        src = self.pick_view(lambda i: i["ndim"] == 1)
        if src is None:
            return False
        i = self.info(src)
        n = i["len"] if i and i["len"] is not None else 2
        self.emit("get %s %d" % (src, self.index(n)))
        return True

    def nd_index(self, i):
        r = self.r
        if i is None:
            return "0"
        k = i["ndim"]
        x = r.random()
        if x < 0.1:
            k = max(0, k + r.choice([-1, 1]))
        idx = []
        for d in range(k):
            n = i["shape"][d] if d < i["ndim"] else 1
            idx.append(self.index(n) if r.random() < 0.3 else r.randint(0, max(n - 1, 0)))
        return ",".join(map(str, idx)) if idx else "-"

    def op_getnd(self):
        src = self.pick_view(lambda i: i["ndim"] != 1)
        if src is None:
            return False
        self.emit("getnd %s %s" % (src, self.nd_index(self.info(src))))
        return True

    def op_set(self):
        src = self.pick_view(lambda i: i["ndim"] == 1 and not i["readonly"])
        if src is None:
            return False
        i = self.info(src)
        n = i["len"] if i and i["len"] is not None else 2
        c = i["char"] if i else "B"
        self.emit("set %s %d %s" % (src, self.index(n), self.value_tok(c)))
        return True

    def op_setnd(self):
        src = self.pick_view(lambda i: i["ndim"] != 1 and not i["readonly"])
        if src is None:
            return False
        i = self.info(src)
        c = i["char"] if i else "B"
        self.emit("setnd %s %s %s" % (src, self.nd_index(i), self.value_tok(c)))
        return True

    def op_del(self):
        src = self.pick_view()
        if src is None:
            return False
        self.emit("del %s %d" % (src, self.r.randint(-2, 2)))
        return True

    def op_assign(self):
        r = self.r
        dst = self.pick_view(lambda i: i["ndim"] == 1 and not i["readonly"])
        if dst is None or self.byte_order_view(dst):
            return False   # slice assignment into byte-order items is bufview's alone: not modelled
        i = self.info(dst)
        n = i["len"] if i and i["len"] is not None else 4
        s = self.slice_tok(n, zero=0.01)
        x = r.random()
        if i is None or x < 0.15:
            srcs = list(self.ex.views) + list(self.ex.objs) + ["none"]
            self.emit("assign %s %s %s" % (dst, s, r.choice(srcs)))
            return True
        length = self.slice_len(s, n)
        if length is None:
            self.emit("assign %s %s %s" % (dst, s, dst))
            return True
        if x < 0.45:
            cands = [v for v in self.live_views()
                     if (lambda j: j["ndim"] == 1 and j["len"] == length
                         and j["char"] == i["char"])(self.info(v))]
            for o, obj in self.ex.objs.items():
                if not isinstance(obj, (bytes, bytearray, array.array)):
                    continue
                code = obj.typecode if hasattr(obj, "typecode") else "B"
                if code == i["char"] and len(obj) == length:
                    cands.append(o)
            if cands:
                self.emit("assign %s %s %s" % (dst, s, r.choice(cands)))
                return True
        # A slice of the target itself of the same length: overlapping assignment.
        a = r.randint(0, n - length)
        if r.random() < 0.5:
            other = "[%d:%d]" % (a, a + length)
        else:
            other = "[%d:%s:-1]" % (a + length - 1, str(a - 1) if a > 0 else "")
        tmp = self.new_view_name()
        self.emit("slice %s = %s %s" % (tmp, dst, other))
        self.emit("assign %s %s %s" % (dst, s, tmp))
        return True

    @staticmethod
    def slice_len(tok, n):
        parts = [None if p == "" else int(p) for p in tok[1:-1].split(":")]
        if len(parts) == 3 and parts[2] == 0:
            return None
        return len(range(*slice(*parts).indices(n)))

    def op_tolist(self):
        src = self.pick_view()
        if src is None:
            return False
        self.emit("tolist %s" % src)
        return True

    def op_tobytes(self):
        src = self.pick_view()
        if src is None:
            return False
        order = self.r.choice(["-", "C", "F", "A", "C", "F", "A", "X"])
        self.emit("tobytes %s %s" % (src, order))
        return True

    def op_hex(self):
        r = self.r
        src = self.pick_view()
        if src is None:
            return False
        if r.random() < 0.35:
            self.emit("hex %s - 1" % src)
            return True
        sep = r.choice([":", "-", " ", "_", ".", ":", "", "ab", "\u00e9", "\u20ac"])
        bps = r.choice([1, 1, 2, 3, 4, -1, -2, -3, 0, 7, -7, 2**31 - 1, -(2**31 - 1)])
        self.emit("hex %s s%s %d" % (src, sep.encode("utf-8").hex(), bps))
        return True

    def op_count(self):
        src = self.pick_view(lambda i: i["ndim"] == 1)
        if src is None:
            return False
        i = self.info(src)
        tok = self.existing_value_tok(src) if self.r.random() < 0.6 else None
        if tok is None:
            tok = self.value_tok(i["char"] if i else "B", wrong=0.3)
        self.emit("count %s %s" % (src, tok))
        return True

    def op_index(self):
        r = self.r
        src = self.pick_view(lambda i: i["ndim"] == 1)
        if src is None:
            return False
        i = self.info(src)
        n = i["len"] if i and i["len"] is not None else 4
        tok = self.existing_value_tok(src) if r.random() < 0.6 else None
        if tok is None:
            tok = self.value_tok(i["char"] if i else "B", wrong=0.3)
        if r.random() < 0.7:
            start, stop = 0, "-"
        else:
            start = int(self.bound(n) or 0)
            stop = self.bound(n) or "-"
        self.emit("index %s %s %d %s" % (src, tok, start, stop))
        return True

    def op_eq(self):
        r = self.r
        a = self.pick_view()
        if a is None:
            return False
        x = r.random()
        if x < 0.6:
            b = self.pick_view()
        elif x < 0.75:
            b = a
        elif x < 0.95 and self.ex.objs:
            b = r.choice(list(self.ex.objs))
        else:
            b = "none"
        # CPython compares two '?' buffers with C == on _Bool, undefined behaviour for a
        # byte other than 0 or 1 on either side (in practice the bytes are compared);
        # bufview reads such bytes as bools. Do not compare them.
        x, y = self.bool_bytes(a), self.bool_bytes(b)
        if x is not None and y is not None and any(c > 1 for c in x + y):
            return False
        self.emit("eq %s %s" % (a, b))
        return True

    def bool_bytes(self, name):
        """The bytes of view or object `name` when it is a live '?' buffer, else None."""
        if name in self.ex.views:
            v = self.ex.views[name]
            if is_released(v.mv) or self.ex.fmt(v).lstrip("@") != "?":
                return None
            return v.mv.tobytes()
        if name in self.ex.objs:
            with memoryview(self.ex.objs[name]) as m:
                return m.tobytes() if m.format.lstrip("@") == "?" else None
        return None

    def op_hash(self):
        src = self.pick_view(lambda i: i["readonly"], released_chance=0.08)
        if src is None or self.typed_view(src):
            return False   # hash(ndarray) differs from bufview's hashable test exporter
        self.emit("hash %s" % src)
        return True

    def op_release(self):
        src = self.pick_view(released_chance=0.1)
        if src is None:
            return False
        self.emit("release %s" % src)
        return True

    def op_attrs(self):
        src = self.pick_view()
        if src is None:
            return False
        self.emit("attrs %s" % src)
        return True

    def op_len(self):
        src = self.pick_view()
        if src is None:
            return False
        self.emit("len %s" % src)
        return True

    def op_resize(self):
        r = self.r
        objs = [o for o, x in self.ex.objs.items() if isinstance(x, (bytearray, array.array))]
        if not objs:
            return False
        o = r.choice(objs)
        obj = self.ex.objs[o]
        if isinstance(obj, bytearray):
            x = r.random()
            if x < 0.35:
                self.emit("resize %s append %s" % (o, self.int_tok(
                    r.choice([0, 7, 255, r.getrandbits(8), -1, 256]))))
            elif x < 0.6:
                self.emit("resize %s extend %s" % (
                    o, self.hex_tok(self.gen_bytes(r.choice([0, 1, 3, 8])))))
            elif x < 0.75:
                self.emit("resize %s clear" % o)
            else:
                self.emit("resize %s size %d" % (o, r.choice(
                    [0, len(obj), len(obj), max(len(obj) - 1, 0), len(obj) + 3, 8])))
        else:
            self.emit("resize %s append %s" % (o, self.value_tok(obj.typecode, wrong=0.25)))
        return True

    def op_show(self):
        objs = [o for o, x in self.ex.objs.items() if isinstance(x, (bytes, bytearray, array.array))]
        if not objs:
            return False   # an ndarray's repr shows its address
        self.emit("show %s" % self.r.choice(objs))
        return True

    def op_export(self):
        r = self.r
        if self.ex.exports and r.random() < 0.45:
            self.emit("unexport %s" % r.choice(list(self.ex.exports)))
            return True
        if self.ex.views and r.random() < 0.6:
            target = self.pick_view()
        elif self.ex.objs:
            target = r.choice(list(self.ex.objs))
        else:
            return False
        if r.random() < 0.03:
            target = "none"
        name = "x%d" % self.nexp
        self.nexp += 1
        self.emit("export %s = %s" % (name, target))
        return True

    def op_slicend(self):
        r = self.r
        src = self.pick_view(lambda i: i["ndim"] >= 2)
        if src is None:
            return False
        i = self.info(src)
        if i is None or i["ndim"] == 0:
            k, shape = 1, [4]
        else:
            k = r.randint(1, i["ndim"]) if r.random() < 0.3 else i["ndim"]
            shape = i["shape"]
        toks = [self.slice_tok(shape[d], zero=0.01) for d in range(k)]
        self.emit("slicend %s %s" % (src, " ".join(toks)))
        return True

    def op_assignnd(self):
        r = self.r
        dst = self.pick_view(lambda i: i["ndim"] >= 2 and not i["readonly"])
        if dst is None or self.byte_order_view(dst):
            return False   # as in op_assign
        i = self.info(dst)
        if i is None or i["ndim"] == 0 or i["readonly"] or r.random() < 0.1:
            srcs = list(self.ex.views) + list(self.ex.objs)
            self.emit("assignnd %s %s [:]" % (dst, r.choice(srcs)))
            return True
        k = i["ndim"] if r.random() < 0.8 else r.randint(1, i["ndim"])
        toks, tshape = [], []
        for d in range(i["ndim"]):
            n = i["shape"][d]
            if d < k:
                t = self.slice_tok(n, zero=0.005)
                toks.append(t)
                tshape.append(self.slice_len(t, n))
            else:
                tshape.append(n)
        if None in tshape or 0 in tshape or r.random() < 0.05:
            srcs = list(self.ex.views) + list(self.ex.objs)
            self.emit("assignnd %s %s %s" % (dst, r.choice(srcs), " ".join(toks)))
            return True
        c = i["char"]
        src = None
        cands = [v for v in self.live_views()
                 if (lambda j: j["char"] == c and list(j["shape"]) == tshape)(self.info(v))]
        if cands and r.random() < 0.5:
            src = r.choice(cands)
        if src is None:
            count = 1
            for d in tshape:
                count *= d
            data = self.gen_bytes(count * struct.calcsize(c))
            o = "o%d" % self.nobj
            self.nobj += 1
            self.emit("new %s bytearray %s" % (o, self.hex_tok(data)))
            base = self.new_view_name()
            self.emit("view %s = %s" % (base, o))
            src = self.new_view_name()
            self.emit("castsh %s = %s %s %s" % (src, base, i["fmt"], ",".join(map(str, tshape))))
        self.emit("assignnd %s %s %s" % (dst, src, " ".join(toks)))
        return True

    WEIGHTS = [
        ("new", 2), ("view", 6), ("slice", 10), ("ellipsis", 1), ("toreadonly", 3),
        ("cast", 9), ("get", 10), ("getnd", 5), ("set", 10), ("setnd", 5), ("del", 1),
        ("assign", 7), ("tolist", 6), ("tobytes", 5), ("hex", 4), ("count", 3),
        ("index", 3), ("eq", 7), ("hash", 3), ("release", 3), ("attrs", 5), ("len", 2),
        ("resize", 5), ("show", 3), ("export", 3), ("slicend", 2), ("assignnd", 2),
    ]

    def sequence(self):
        r = self.r
        weights = [(n, w) for n, w in self.WEIGHTS if n not in self.exclude]
        names = [n for n, _ in weights]
        cum = [w for _, w in weights]
        for _ in range(r.choice([1, 1, 2, 3])):
            self.op_new()
        self.op_view()
        steps = r.randint(5, 60)
        done = 0
        tries = 0
        while done < steps and tries < steps * 4:
            tries += 1
            op = r.choices(names, cum)[0]
            if getattr(self, "op_" + op)():
                done += 1
        self.ex.close()
        return self.lines


# ---- the NumPy language: subscripts checked against NumPy --------------------------------

# Formats NumPy reads as struct does ('c' is left out: NumPy's S1 drops NUL bytes; so are
# n, N and P, which have no NumPy character of their own).
NUMPY_FORMATS = ["B", "b", "h", "H", "i", "I", "l", "L", "q", "Q", "e", "f", "d", "?", "@i",
                 "<h", ">h", "=i", "!I", "<l", ">q", "=Q", "<e", ">e", "!f", "<d", ">?", "<B"]
NUMPY_CASTS = "bBhHiIlLqQefd?"


class GenNumpy(Gen):
    """Sequences of the NumPy language (tests/diff/README.md): objects of 0 to 5 dimensions
    (empty ones too), layouts made by casts and by strided and negative-step slices, then
    subscripts mixing integers, slices, the Ellipsis and newaxis, and assignment through
    them from sources of the same structure (fresh, overlapping, or wrong on purpose)."""

    WEIGHTS = [("new", 2), ("view", 2), ("cast", 3), ("slice", 2), ("toreadonly", 1),
               ("release", 1), ("sub", 20), ("assignsub", 8)]

    def __init__(self, seed, exclude=()):
        super().__init__(seed, exclude)
        from run_np import NpExecutor   # NumPy is needed only here
        self.ex = NpExecutor()

    def live_views(self):
        return [n for n, v in self.ex.views.items() if not v.released]

    def info(self, name):
        v = self.ex.views[name]
        if v.released:
            return None
        return {"shape": v.arr.shape, "ndim": v.arr.ndim, "fmt": v.fmt, "readonly": v.readonly,
                "c": v.arr.flags.c_contiguous, "size": v.arr.size, "nbytes": v.arr.nbytes}

    def obj_name(self, view):
        obj = self.ex.views[view].obj
        return next(n for n, (o, _, _) in self.ex.objs.items() if o is obj)

    def new_typed(self, fmt, shape, data=None):
        """A typed object and a view of it; the view's name."""
        count = 1
        for n in shape:
            count *= n
        if data is None:
            data = self.gen_bytes(count * struct.calcsize(fmt))
        o = "o%d" % self.nobj
        self.nobj += 1
        self.emit("new %s typed %s" % (o, self.typed_text(fmt, shape, data)))
        v = self.new_view_name()
        self.emit("view %s = %s" % (v, o))
        return v

    def op_new(self):
        r = self.r
        if r.random() < 0.3:
            o = "o%d" % self.nobj
            self.nobj += 1
            kind = r.choice(["bytes", "bytearray", "bytearray"])
            self.emit("new %s %s %s" % (o, kind, self.hex_tok(self.gen_bytes())))
            self.emit("view %s = %s" % (self.new_view_name(), o))
            return True
        ndim = r.choice([0, 1, 2, 2, 3, 3, 4, 5])
        shape = [r.choice([1, 2, 2, 3, 3]) if r.random() > 0.04 else 0 for _ in range(ndim)]
        self.new_typed(r.choice(NUMPY_FORMATS), shape)
        return True

    def op_view(self):
        if not self.ex.objs:
            return False
        self.emit("view %s = %s" % (self.new_view_name(), self.r.choice(list(self.ex.objs))))
        return True

    def op_cast(self):
        """A C-contiguous view back to 1-D bytes, or 1-D bytes to a native format and shape
        (memoryview casts only 1-D <-> N-D)."""
        r = self.r
        src = self.pick_view(lambda i: i["c"] and i["size"] > 0, released_chance=0)
        i = self.info(src) if src is not None else None
        if i is None or not i["c"] or i["size"] == 0:
            return False
        if i["fmt"].lstrip("@") not in ("B", "b") or i["ndim"] != 1 or r.random() < 0.2:
            self.emit("cast %s = %s B" % (self.new_view_name(), src))
            return True
        c = r.choice(NUMPY_CASTS)
        size = struct.calcsize(c)
        if i["nbytes"] % size:
            c, size = "B", 1
        shape = self.factor(i["nbytes"] // size, r.choice([1, 2, 3, 3, 4, 5]))
        self.emit("castsh %s = %s %s %s" % (self.new_view_name(), src, c, ",".join(map(str, shape))))
        return True

    def op_slice(self):
        src = self.pick_view(lambda i: i["ndim"] >= 1, released_chance=0)
        i = self.info(src) if src is not None else None
        if i is None or i["ndim"] == 0:
            return False
        self.emit("slice %s = %s %s" % (self.new_view_name(), src, self.slice_tok(i["shape"][0])))
        return True

    def op_toreadonly(self):
        src = self.pick_view(released_chance=0)
        if src is None:
            return False
        self.emit("toreadonly %s = %s" % (self.new_view_name(), src))
        return True

    def op_release(self):
        src = self.pick_view(released_chance=0)
        if src is None:
            return False
        self.emit("release %s" % src)
        return True

    def items_toks(self, shape):
        """A subscript for an array of this shape: integers (mostly in range) and slices
        aimed at the dimensions they take, maybe an Ellipsis standing for the rest, a few
        newaxis; now and then two Ellipses or one index too many."""
        r = self.r
        ndim = len(shape)
        take = r.randint(0, ndim)
        if r.random() < 0.05:
            take = ndim + r.randint(1, 2)
        ell = r.random() < 0.45
        split = r.randint(0, take) if ell else take   # items before the Ellipsis
        toks = []
        for k in range(take):
            d = k if k < split else ndim - (take - k)
            n = shape[d] if 0 <= d < ndim else 1
            if r.random() < 0.45:
                toks.append(str(self.index(n)))
            else:
                toks.append(self.slice_tok(n, zero=0.02))
        if ell:
            toks.insert(split, "...")
            if r.random() < 0.04:
                toks.insert(r.randint(0, len(toks)), "...")
        for _ in range(r.choice([0, 0, 0, 1, 1, 2, 3])):
            toks.insert(r.randint(0, len(toks)), "newaxis")
        return toks

    def op_sub(self):
        src = self.pick_view(released_chance=0.03)
        if src is None:
            return False
        i = self.info(src)
        toks = self.items_toks(i["shape"] if i else (2,))
        self.emit(("sub %s = %s %s" % (self.new_view_name(), src, " ".join(toks))).rstrip())
        return True

    def op_assignsub(self):
        r = self.r
        dst = self.pick_view(lambda i: not i["readonly"], released_chance=0.03)
        if dst is None:
            return False
        i = self.info(dst)
        toks = self.items_toks(i["shape"] if i else (2,))
        target = None
        if i is not None:
            try:
                target = self.ex.subscript(self.ex.views[dst], toks).shape
            except Exception:
                target = None
        x = r.random()
        if target is None or x < 0.08:
            srcs = self.live_views() + list(self.ex.objs) + ["none"]
            src = r.choice(srcs)
        elif x < 0.55:   # a fresh source of the sub-view's structure
            src = self.new_typed(i["fmt"], list(target))
        elif x < 0.8:    # the sub-view itself, reversed where it can be: overlapping
            tmp = self.new_view_name()
            self.emit(("sub %s = %s %s" % (tmp, dst, " ".join(toks))).rstrip())
            src = tmp
            if target:
                src = self.new_view_name()
                self.emit("sub %s = %s [::-1]" % (src, tmp))
        else:            # another structure: the shape or the format differs
            shape = list(target)
            if shape and r.random() < 0.5:
                shape[r.randrange(len(shape))] += 1
                fmt = i["fmt"]
            else:
                fmt = r.choice([f for f in NUMPY_FORMATS if f.lstrip("@") != i["fmt"].lstrip("@")])
            src = self.new_typed(fmt, shape)
        self.emit(("assignsub %s %s %s" % (dst, src, " ".join(toks))).rstrip())
        if i is not None:
            self.emit("bytes %s" % self.obj_name(dst))
        return True

    def sequence(self):
        r = self.r
        for _ in range(r.choice([1, 1, 2])):
            self.op_new()
        weights = [(n, w) for n, w in self.WEIGHTS if n not in self.exclude]
        names = [n for n, _ in weights]
        cum = [w for _, w in weights]
        steps = r.randint(5, 40)
        done = tries = 0
        while done < steps and tries < steps * 4:
            tries += 1
            if getattr(self, "op_" + r.choices(names, cum)[0])():
                done += 1
        self.ex.close()
        return self.lines


GENERATORS = {"cpython": Gen, "numpy": GenNumpy}


def generate(seed, exclude=(), against="cpython"):
    return GENERATORS[against](seed, exclude).sequence()


def batch_text(seeds, exclude=(), against="cpython"):
    out = []
    for s in seeds:
        out.append("seq %d" % s)
        out.extend(generate(s, exclude, against))
        out.append("end")
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--exclude", default="", help="comma-separated operation names to omit")
    ap.add_argument("--against", choices=sorted(GENERATORS), default="cpython",
                    help="the language: CPython's (default) or NumPy's subscripts")
    a = ap.parse_args(argv[1:])
    excl = [x for x in a.exclude.split(",") if x]
    sys.stdout.write(batch_text(range(a.seed, a.seed + a.count), excl, a.against))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
