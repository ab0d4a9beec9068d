"""Lesson 12 twin: zero-copy files with mmap and memoryview."""
import mmap
import os
import resource
import tempfile


def error_line(e):
    return f"{type(e).__name__}: {e}"


def page_faults():
    """Minor and major page faults so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_minflt + usage.ru_majflt


fd, path = tempfile.mkstemp(prefix="bufview-lesson12-")
os.close(fd)
with open(path, "wb") as f:
    f.write(b"hello, mapped file!\n")

with open(path, "r+b") as f:
    mm = mmap.mmap(f.fileno(), 0)
mv = memoryview(mm)
print("len(mv)", len(mv))
print(mv[0:5].tobytes())
mv[0:5] = b"HELLO"
mm.flush()
with open(path, "rb") as f:
    print(f.read())
try:
    mm.close()
except Exception as e:
    print(error_line(e))
mv.release()
mm.close()
try:
    memoryview(mm)
except Exception as e:
    print(error_line(e))

with open(path, "rb") as f:
    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
mv = memoryview(mm)
print("readonly", mv.readonly)
try:
    mv[0] = ord('h')
except Exception as e:
    print(error_line(e))
mv.release()
mm.close()

big = 16 << 20
middle = big // 2
os.truncate(path, big)

faults_before = page_faults()
with open(path, "r+b") as f:
    mm = mmap.mmap(f.fileno(), 0)
mv = memoryview(mm)
mv[middle] = 42
mm.flush()
faults = page_faults() - faults_before
mv.release()
mm.close()
with open(path, "rb") as f:
    print(f"byte at offset {middle}:", os.pread(f.fileno(), 1, middle)[0])
print(f"# {faults} page fault(s) while mapping 16 MiB and writing one byte")

os.truncate(path, 0)
try:
    with open(path, "r+b") as f:
        mmap.mmap(f.fileno(), 0)
except Exception as e:
    print(error_line(e))
try:
    with open("bufview-lesson12-missing.bin", "r+b") as f:
        mmap.mmap(f.fileno(), 0)
except Exception as e:
    print(error_line(e))

os.remove(path)
