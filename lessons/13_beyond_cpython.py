"""Lesson 13 twin: multi-dimensional slicing, which CPython does not implement.

For each operation CPython refuses, the twin first tries it for real and prints
CPython's refusal as a narrative line. It then computes what bufview should produce
from CPython's own results (tolist(), item access and slice.indices(), with NumPy's
rules for N-D slices), so the C lesson's result lines are still checked against
CPython's arithmetic. Should a future CPython implement the operation, the twin checks
that CPython's own result agrees with that computation.
"""
import ctypes


def error_line(e):
    return f"{type(e).__name__}: {e}"


def offset_of(v, base):
    """Where v starts in base's memory (both writable and C-contiguous)."""
    return ctypes.addressof(ctypes.c_char.from_buffer(v)) - \
        ctypes.addressof(ctypes.c_char.from_buffer(base))


class Window:
    """What m[keys] is under NumPy's rules, computed from CPython's m and tolist()."""

    def __init__(self, m, keys):
        self.m = m
        self.ranges = [range(*k.indices(n)) for k, n in zip(keys, m.shape)]
        self.shape = tuple(len(r) for r in self.ranges)
        self.strides = tuple(s * r.step for s, r in zip(m.strides, self.ranges))
        self.offset = sum(s * r.start for s, r in zip(m.strides, self.ranges))

    def tolist(self):
        full = self.m.tolist()
        return [[full[i][j] for j in self.ranges[1]] for i in self.ranges[0]]

    def tobytes(self, order='C'):
        rows = self.tolist()
        if order == 'F':
            rows = [list(col) for col in zip(*rows)]
        return bytes(x for row in rows for x in row)

    def index(self, i, j):
        """The index into m of the window's item [i, j]."""
        return (self.ranges[0][i], self.ranges[1][j])


def slice_nd(m, keys):
    window = Window(m, keys)
    try:
        real = m[keys]
    except NotImplementedError as e:
        print("# CPython:", error_line(e))
    else:
        print("# this CPython implements multi-dimensional slicing; checking it agrees")
        assert (real.shape, real.strides, real.tolist()) == \
            (window.shape, window.strides, window.tolist())
    return window


def show(name, v, offset):
    print(f"{name}: offset {offset} shape {v.shape} strides {v.strides}")
    print(v.tolist())


data = bytearray(range(12))
m = memoryview(data).cast('B', [3, 4])
show("m", m, 0)
try:
    m[1]
except Exception as e:
    print(error_line(e))
rows = m[0:2]
show("m[0:2]", rows, offset_of(rows, m))

sub = slice_nd(m, (slice(0, 2), slice(1, 3)))
show("sub", sub, sub.offset)
print(sub.tobytes('C'))
print(sub.tobytes('F'))
m[sub.index(0, 0)] = 99
print(m.tolist())

odd = slice_nd(m, (slice(None, None, 2), slice(None, None, -1)))
show("m[::2, ::-1]", odd, odd.offset)

patch = memoryview(b'\xa0\xa1\xb0\xb1').cast('B', [2, 2])
try:
    m[1:3, 0:2] = patch
    print("# this CPython implements multi-dimensional slice assignment")
except NotImplementedError as e:
    print("# CPython:", error_line(e))
    target = Window(m, (slice(1, 3), slice(0, 2)))
    for a in range(2):
        for b in range(2):
            m[target.index(a, b)] = patch[a, b]
print(m.tolist())
# bufview applies CPython's structure rule for slice assignment per dimension, with
# CPython's message; shown here on the 1-D case CPython does implement (6 items <- 4).
try:
    memoryview(bytearray(6))[0:6] = memoryview(b'\xa0\xa1\xb0\xb1')
except Exception as e:
    print(error_line(e))

print(data)
