"""Lesson 17 twin: formats beyond 'B', hex(), count() and index().

memoryview.count() and memoryview.index() are new in CPython 3.14. Where they exist the
twin calls them; on older versions it runs the same comparisons (==, item by item) over
tolist(), and for a missing value raises the ValueError with 3.14's message itself (the
one result line here that CPython 3.11-3.13 cannot check). Multi-byte items are in the
machine's byte order: the golden file was recorded on little-endian x86-64.
"""
import sys
from array import array


def error_line(e):
    return f"{type(e).__name__}: {e}"


def attempt(action):
    try:
        action()
        print("no error (the C lesson expects one)")
    except Exception as e:
        print(error_line(e))


def count(mv, value):
    if hasattr(mv, "count"):
        return mv.count(value)
    return mv.tolist().count(value)


def index(mv, value, start=0, stop=sys.maxsize):
    if hasattr(mv, "index"):
        return mv.index(value, start, stop)
    try:
        return mv.tolist().index(value, start, stop)
    except ValueError:
        raise ValueError("memoryview.index(x): x not found") from None


def describe(name, mv):
    print(name, "format", mv.format, "itemsize", mv.itemsize, "len", len(mv),
          "nbytes", mv.nbytes)
    print(mv.tolist())


def set_item(mv, i, value):
    mv[i] = value


print("# memoryview.count/index:", "CPython's own" if hasattr(memoryview, "count") else
      f"emulated over tolist() (CPython {sys.version.split()[0]} has none)")
h = memoryview(array('h', [1, -2, 300, -32768]))
describe("h", h)
print(h.cast('B').tolist())
attempt(lambda: set_item(h, 0, 40000))
attempt(lambda: set_item(h, 0, 1.5))
set_item(h, 3, True)
print(h.tolist())

i = memoryview(array('i', [2**31 - 1, -2**31, 7]))
describe("i", i)
q = memoryview(array('q', [2**63 - 1, -2**63, 0]))
describe("q", q)
attempt(lambda: set_item(q, 2, 2**63))

d = memoryview(array('d', [0.1, -2.5, 1e300]))
describe("d", d)
f = memoryview(array('f', [0.1, -2.5, 1e30]))
describe("f", f)
set_item(f, 0, 3)
print(f[0])

flags = memoryview(bytes([0, 1, 2])).cast('?')
describe("?", flags)
store = memoryview(bytearray(3)).cast('?')
set_item(store, 0, 5)
set_item(store, 1, 0.0)
set_item(store, 2, b'x')
print(store.tolist(), bytes(store))

chars = memoryview(bytearray(b'abc')).cast('c')
describe("c", chars)
print(chars[0])
set_item(chars, 1, b'Z')
print(chars.tolist())
attempt(lambda: set_item(chars, 1, b'ZZ'))
attempt(lambda: set_item(chars, 1, 65))

raw = memoryview(bytes(range(8)))
attempt(lambda: raw.cast('<i'))
print(raw.cast('@i').format, raw.cast('@i').tolist())

print(h.hex())
print(h.hex(' '))
print(h.hex(' ', 2))
print(h.hex(':', -3))
print(h.hex('-', 3))
print(h[::2].hex())
print(q.hex(' ', 8))
attempt(lambda: h.hex('ab'))

print("h.count(300)", count(h, 300))
print("h.count(300.0)", count(h, 300.0))
print("h.index(-2)", index(h, -2))
attempt(lambda: index(h, -2, 2))
print("d.count(0.1)", count(d, 0.1))
print("f.count(0.1)", count(f, 0.1))
print("f.count(-2.5)", count(f, -2.5))
print("?.count(True)", count(flags, True))
print("?.index(1)", index(flags, 1))
print("c.index(b'c')", index(chars, b'c'))
