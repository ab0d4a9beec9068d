"""Lesson 10 twin: strides and steps."""
from array import array


def show(name, v, as_list=False):
    items = v.tolist() if as_list else v.tobytes()
    print(f"{name}: {items!r} shape {v.shape} strides {v.strides} contiguous {v.contiguous}")


ba = bytearray(b'abcdefgh')
mv = memoryview(ba)
show("mv", mv)
ev = mv[::2]
show("mv[::2]", ev)
rv = mv[::-1]
show("mv[::-1]", rv)
show("mv[::-2]", mv[::-2])
show("mv[1:7:3]", mv[1:7:3])
show("mv[-100:100:3]", mv[-100:100:3])
show("mv[5:2]", mv[5:2])
show("mv[::-1][0:1]", rv[0:1])
try:
    mv[::0]
except Exception as e:
    print(f"{type(e).__name__}: {e}")

ev[1] = ord('C')
print(ba)
mv[1::2] = b'BDFH'
print(ba)
print(rv.tobytes())

t = memoryview(array('i', range(6)))
show("t", t, True)
show("t[::2]", t[::2], True)
tr = t[::-1]
show("t[::-1]", tr, True)
show("t[::-1][::2]", tr[::2], True)
