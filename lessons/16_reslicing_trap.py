"""Lesson 16 twin: the re-slicing trap.

Consume n bytes k at a time from the front: data = data[k:] makes a new bytes object
holding the whole rest at every step, mv = mv[k:] makes a new view of it. The bytes
copied are counted from what the loop really made: the size of every new bytes object
(a slice CPython hands back without copying, such as the shared empty b'', counts 0).
"""
import zlib

K = 4096


def copied_by(new, old):
    """Bytes a slicing step copied: the size of the new bytes object it made, if any."""
    return len(new) if isinstance(new, bytes) and new is not old else 0


def consume(data):
    """while data: process(data[:K]); data = data[K:]. The same code for bytes and for a
    memoryview: only what slicing makes differs."""
    copied = 0
    crc = 0
    while data:
        crc = zlib.crc32(data[:K], crc)
        rest = data[K:]
        copied += copied_by(rest, data)
        data = rest
    return copied, crc


for n in (256 * 1024, 512 * 1024, 1024 * 1024):
    data = bytes(range(256)) * (n // 256)
    print("n", n, "k", K, "steps", n // K)
    copied, crc_bytes = consume(data)
    print(f"bytes: data = data[k:] copied {copied} bytes "
          f"(n*n/2k = {n * n // (2 * K)}, exactly n*(n-k)/2k = {n * (n - K) // (2 * K)})")
    copied, crc_view = consume(memoryview(data))
    print(f"view: mv = mv[k:] copied {copied} bytes")
    print("same chunks consumed:", crc_bytes == crc_view == zlib.crc32(data))
