"""Lesson 15 twin: zero-copy I/O with f.readinto, sock.recv_into and partial sends.

Everything here is CPython's real I/O on memoryview slices: FileIO.readinto and
socket.recv_into fill the slice they are given (read(2)/recv(2) straight into it), and
socket.send takes a slice of what is left. Counts that depend on the kernel (how much
one send() accepts) are narrative lines; the results are what any kernel gives.
"""
import os
import socket
import tempfile
import zlib

N = 1_000_000
CHUNK = 64 * 1024
SNDBUF = 4096

content = (bytes(range(251)) * (N // 251 + 1))[:N]
fd, path = tempfile.mkstemp(prefix="bufview-lesson15-")
with os.fdopen(fd, "wb") as f:
    f.write(content)
size = os.path.getsize(path)
print("file size", size)

# The copying way: each f.read(CHUNK) is a new bytes object; join copies them all again.
chunks = []
calls = 0
with open(path, "rb", buffering=0) as f:
    got = 0
    while got < size:
        chunk = f.read(CHUNK)
        calls += 1
        chunks.append(chunk)
        got += len(chunk)
data = b"".join(chunks)
copied = sum(len(chunk) for chunk in chunks)
print("read + join:", len(data), "bytes in", calls, "reads,", copied, "bytes copied after reading")
print(f"crc32 {zlib.crc32(data):#010x}")

# The view way: readinto successive slices of one preallocated buffer.
buf = bytearray(size)
mv = memoryview(buf)
calls = 0
copied = 0
with open(path, "rb", buffering=0) as f:
    off = 0
    while off < size:
        n = f.readinto(mv[off:off + CHUNK])
        calls += 1
        off += n
print("readinto:", off, "bytes in", calls, "reads,", copied, "bytes copied after reading")
print(f"crc32 {zlib.crc32(buf):#010x}")
print("same contents:", buf == data)
os.remove(path)

# A socketpair: a small send buffer and non-blocking sockets, so send() takes only part.
a, b = socket.socketpair()
a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SNDBUF)
a.setblocking(False)
b.setblocking(False)
inbuf = bytearray(size)
inv = memoryview(inbuf)
sent = received = 0
sends = partial = refused = recvs = would_copy = 0
while received < size:
    if sent < size:
        if sent > 0:
            would_copy += size - sent  # what data[sent:] would have copied for this call
        try:
            n = a.send(mv[sent:])
            sends += 1
            if n < size - sent:
                partial += 1
            sent += n
        except BlockingIOError:
            refused += 1
    try:
        k = b.recv_into(inv[received:])
        recvs += 1
        received += k
    except BlockingIOError:
        pass
print(f"# {sends} send() calls, {partial} of them partial, {refused} refused (EAGAIN); "
      f"{recvs} recv_into() calls")
print("partial sends happened:", partial > 0)
print("sent", sent, "received", received, "bytes copied 0")
print(f"crc32 {zlib.crc32(inbuf):#010x}")
print("same contents:", inbuf == buf)
print(f"# sending data[sent:] (bytes) instead of mv[sent:] would have copied {would_copy} bytes")
a.close()
b.close()
