"""Lesson 04 twin: read-only memory."""


def error_line(e):
    return f"{type(e).__name__}: {e}"


data = b'ABC'
mv = memoryview(data)
print(mv.readonly)
print(mv[1])
try:
    mv[1] = 90
except Exception as e:
    print(error_line(e))
print(data)

try:
    mv[99] = 300
except Exception as e:
    print(error_line(e))
try:
    mv[0:2] = b'XY'
except Exception as e:
    print(error_line(e))
try:
    del mv[0]
except Exception as e:
    print(error_line(e))
print(data)

ba = bytearray(b'ABC')
rw = memoryview(ba)
ro = rw.toreadonly()
print("rw.readonly", rw.readonly)
print("ro.readonly", ro.readonly)
try:
    ro[0] = 97
except Exception as e:
    print(error_line(e))
rw[0] = 97
print(ba)
print("ro[0]", ro[0])
try:
    del rw[0]
except Exception as e:
    print(error_line(e))

ro.release()
rw.release()
mv.release()
