"""Lesson 06 twin: passing data to functions."""
from array import array


def shout(view):
    """Upper-case the ASCII letters of whatever part of memory the caller hands over."""
    for i in range(len(view)):
        if ord('a') <= view[i] <= ord('z'):
            view[i] = view[i] - 32


def total(view):
    """Sum of the items of any 1-D view of integers, whatever exports them."""
    result = 0
    for i in range(len(view)):
        result += view[i]
    return result


def fill(view, value):
    """Set every byte of the part handed over to one value, as readinto() fills a buffer."""
    for i in range(len(view)):
        view[i] = value


text = bytearray(b'hello, world')
mv = memoryview(text)
shout(mv[7:])
print(text)

copy = bytearray(mv[0:5])
shout(memoryview(copy))
print(copy)
print(text)

try:
    shout(mv.toreadonly())
except Exception as e:
    print(f"{type(e).__name__}: {e}")
print(text)

print("total(memoryview(b'\\x01\\x02\\x03'))", total(memoryview(b'\x01\x02\x03')))
print("total(memoryview(text))", total(mv))
v = memoryview(array('H', [1000, 2000, 3000]))
print("total(memoryview(array('H', [1000, 2000, 3000])))", total(v))
print("total(that view[::2])", total(v[::2]))

out = bytearray(12)
for k in range(3):
    fill(memoryview(out)[4 * k:4 * k + 4], k + 1)
print(out)
