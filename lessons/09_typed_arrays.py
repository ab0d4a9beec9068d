"""Lesson 09 twin: typed arrays and formats."""
from array import array


def error_line(e):
    return f"{type(e).__name__}: {e}"


def describe(name, m):
    print(f"{name}: format {m.format!r} itemsize {m.itemsize} nbytes {m.nbytes} len {len(m)}")


a = array('i', [1, 2, 3, -4])
m = memoryview(a)
describe("m", m)
print("shape", m.shape, "strides", m.strides)
print("m[3]", m[3])
print(m.tolist())
m[0] = 100
print("a[0]", a[0])
for value in (2.5, 2**31):
    try:
        m[0] = value
    except Exception as e:
        print(error_line(e))
print(m.tolist())

d = array('d', [0.5, 1.5, 2.25])
md = memoryview(d)
describe("md", md)
md[0] = 7
md[2] = 1e16
print(md.tolist())

ba = bytearray(b'ABC')
mb = memoryview(ba)
describe("mb", mb)
try:
    mb[1] = 300
except Exception as e:
    print(error_line(e))
print(ba)

vi3 = memoryview(array('i', [1, 2, 3]))
vi4 = memoryview(array('i', [1, 2, 4]))
vd3 = memoryview(array('d', [1.0, 2.0, 3.0]))
vi2 = memoryview(array('i', [1, 2]))
print("int [1, 2, 3] == double [1.0, 2.0, 3.0]:", vi3 == vd3)
print("int [1, 2, 3] == int [1, 2, 4]:", vi3 == vi4)
print("int [1, 2, 3] == int [1, 2]:", vi3 == vi2)
print("memoryview(array('i', [1, 2, 3])) == b'\\x01\\x02\\x03':", vi3 == b'\x01\x02\x03')
print("its tobytes() == b'\\x01\\x02\\x03':", vi3.tobytes() == b'\x01\x02\x03')
n = memoryview(array('d', [float('nan')]))
print("n = memoryview(array('d', [nan])); n == n:", n == n)
