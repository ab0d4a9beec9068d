"""Lesson 07 twin: the export lock."""
from array import array


def error_line(e):
    return f"{type(e).__name__}: {e}"


ba = bytearray(b'abc')
mv = memoryview(ba)
for change in (lambda: ba.append(100), lambda: ba.extend(b'de'), lambda: ba.clear()):
    try:
        change()
    except Exception as e:
        print(error_line(e))
print(ba)
mv[0] = ord('A')
print(ba)

tail = mv[1:]
mv.release()
try:
    ba.append(100)
except Exception as e:
    print(error_line(e))
tail.release()
ba.append(100)
print(ba)

a = array('i', [1, 2, 3])
m = memoryview(a)
try:
    a.append(4)
except Exception as e:
    print(error_line(e))
m.release()
a.append(4)
print(len(a))
