"""Lesson 05 twin: slicing without copying.

Addresses come from ctypes (c_char.from_buffer for writable memory, c_char_p for the
data of a bytes object); they and the timings are narrative lines, never compared.
"""
import ctypes
import time


def address(buffer):
    return ctypes.addressof(ctypes.c_char.from_buffer(buffer))


ba = bytearray(b'0123456789abcdef')
mv = memoryview(ba)
s = mv[4:8]
print("bytes(s)", bytes(s))
print(f"# mv.buf = {address(mv):#x}, s.buf = {address(s):#x}")
print("s.obj is ba:", s.obj is ba)
print("s starts at offset", address(s) - address(mv))
inner = s[1:3]
print("inner starts at offset", address(inner) - address(mv))
print("bytes(inner)", bytes(inner))

copy = s.tobytes()
copy_address = ctypes.cast(ctypes.c_char_p(copy), ctypes.c_void_p).value
print(f"# copy's bytes are at {copy_address:#x}")
print("copy at the same address as s:", copy_address == address(s))
s[1] = ord('X')
print(ba)
print("copy", copy)
print("bytes(inner)", bytes(inner))
inner.release()
s.release()
mv.release()

n = 64 << 20
big = bytearray(n)
bigv = memoryview(big)
best_copy = 1e30
big_copy = None
for rep in range(3):
    big_copy = None
    t0 = time.perf_counter()
    big_copy = bigv[1:n - 1].tobytes()
    best_copy = min(best_copy, time.perf_counter() - t0)

slices = 100000
t0 = time.perf_counter()
for i in range(slices):
    bigv[1:n - 1].release()
per_view = (time.perf_counter() - t0) / slices

window = bigv[1:n - 1]
print("len(copy)", len(big_copy))
print("len(view)", len(window))
print("same contents:", big_copy == window)
print(f"# copy: {best_copy * 1e3:.1f} ms (best of 3); view: {per_view * 1e9:.1f} ns per slice")
window.release()
bigv.release()
