"""Lesson 08 twin: release and scope."""
import pickle
import re


def error_line(e):
    return f"{type(e).__name__}: {e}"


ba = bytearray(b'abc')
mv = memoryview(ba)
mv.release()
for use in (lambda: mv[0], lambda: len(mv), lambda: mv.tobytes(), lambda: mv.readonly):
    try:
        use()
    except Exception as e:
        print(error_line(e))
mv.release()
print("mv.release() again: no error")
print("#", repr(mv))
print(re.sub(r"0x[0-9a-f]+", "0x...", repr(mv)))

with memoryview(ba) as m:
    m[0] = ord('A')
ba.append(ord('d'))
print(ba)
try:
    with memoryview(ba) as m:
        m[10] = 1
except Exception as e:
    print(error_line(e))
ba.append(ord('e'))
print(ba)

m = memoryview(ba)
held = pickle.PickleBuffer(m)
try:
    m.release()
except Exception as e:
    print(error_line(e))
try:
    m.nbytes
    print("m released:", False)
except ValueError:
    print("m released:", True)
held.release()
m.release()
try:
    m.nbytes
    print("m released:", False)
except ValueError:
    print("m released:", True)

mv = memoryview(bytes(b'xyz'))
print(mv.tobytes())
mv.release()
