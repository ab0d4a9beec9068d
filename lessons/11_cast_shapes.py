"""Lesson 11 twin: cast and shapes."""


def error_line(e):
    return f"{type(e).__name__}: {e}"


def show(name, v):
    print(f"{name}: format {v.format!r} ndim {v.ndim} shape {v.shape} strides {v.strides}")
    print(v.tolist())


data = bytes(range(12))
m = memoryview(data)
m2 = m.cast('B', [3, 4])
show("m2", m2)
print(m2[1, 2])
print(m2.tobytes('C'))
print(m2.tobytes('F'))
print("c_contiguous", m2.c_contiguous, "f_contiguous", m2.f_contiguous)

try:
    m2.cast('B', [4, 3])
except Exception as e:
    print(error_line(e))
flat = m2.cast('B')
m43 = flat.cast('B', [4, 3])
show("m43", m43)

ints = m.cast('i')
show("ints", ints)
chars = memoryview(b'AB').cast('c')
show("chars", chars)
scalar = memoryview(b'\x07').cast('B', [])
show("scalar", scalar)
print("scalar[()]", scalar[()])

ten_view = memoryview(bytes(10))
stepped = m[::2]
for attempt in (lambda: m.cast('B', [5, 2]), lambda: ten_view.cast('i'),
                lambda: ints.cast('d'), lambda: stepped.cast('B'), lambda: m.cast('x')):
    try:
        attempt()
    except Exception as e:
        print(error_line(e))

ba = bytearray(12)
grid = memoryview(ba).cast('B', [3, 4])
grid[2, 3] = 255
grid[0, 1] = 1
print(ba)
