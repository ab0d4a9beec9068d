#!/usr/bin/env python3
"""The CPython series: the slicing and passing that bufview's C benchmarks measure, done
with CPython's own bytes and memoryview, so that each C figure has a Python peer measured
the same way (a = 1, b = n - 1):

    mv[a:b]                  python/slice/view/<n>      slices an existing memoryview (made
                                                        once, untimed): the peer of slice/view
    memoryview(data)[a:b]    python/slice/view_new/<n>  a new memoryview, then its slice: the
                                                        peer of slice/view_new
    data[a:b]                python/slice/copy/<n>      copies n-2 bytes into a new bytes object
    header(<slice>)          python/pass/*/header/<n>   O(1) consumer: len() and two bytes
    checksum(<slice>)        python/pass/*/sum/<n>      O(n) consumer: zlib.crc32, reads every
                                                        byte once

and the everyday reasons to reach for memoryview, in steps of k = 64 KiB (n bytes each):

    data = data[k:]          python/consume/copy/<n>    until empty: a new bytes object of
                                                        what is left each step (n^2/2k copied)
    mv = mv[k:]              python/consume/view/<n>    until empty: nothing copied
    f.read(k)                python/io/read/copy/<n>    a new bytes object per chunk (a file
                                                        opened with buffering=0)
    f.readinto(mv[off:off+k])  python/io/read/view/<n>  into one preallocated bytearray
    sock.recv(k)             python/io/recv/copy/<n>    from an AF_UNIX socketpair fed by a
    sock.recv_into(mv[off:off+k])  python/io/recv/view  writer process, per chunk as above

Why zlib.crc32 for the O(n) consumer: it accepts any buffer (bytes or memoryview) without
converting it, reads every byte exactly once, runs in C at several GB/s, and is what real
code does to a payload (checksumming). sum(memoryview) would also read every byte but at
tens of ns per byte, which measures the interpreter, not the copy.

Sizes come from the C programs, the one place the size rule lives: the driver passes
--sizes=N,N,... (or --sizes-from=RESULT.json, the sizes of a C run's slice/... results);
without either, this script asks build/release/bench/bench_bufview --list-sizes.

One dataset serves every size: a single bytes object `big` of the largest size is built
once and each size n uses big[1:n-1] (the copy) or a slice of memoryview(big) (the view).
Copying bytes 1..n-1 of a larger object costs what copying them out of an n-byte object
costs, and views are O(1) either way. Memory then peaks at the dataset plus one copy, like
the C side. A size whose dataset plus copy does not fit in MemAvailable with 256 MiB to
spare is an error entry, never attempted. The io families add a file in the page cache
holding the dataset (in /dev/shm when it is a tmpfs, as bench_io does) and one bytearray,
both of their largest size and kept to the end: an io size whose file and buffer do not
fit beside the dataset and the largest copy is an error entry too.

Memory: fresh pages for every copy, as a one-off copy in a program gets them. At start,
mallopt(M_MMAP_THRESHOLD, 128 KiB) (through ctypes, glibc only) fixes glibc's mmap
threshold. Left alone, glibc raises the threshold after each free of a large block (up to
32 MiB), so a loop that frees and remakes one copy reuses the same heap memory and never
faults: a best case no single copy in a program gets. With the threshold fixed, every
allocation of 128 KiB or more (each copy, and the dataset) is a new mmap whose pages fault
on first touch, unmapped again on free; smaller ones come from the heap. malloc_trim(0)
runs before each calibration and each repetition, so no benchmark inherits another's
resident memory in its peak RSS. The C programs' default ("fresh") does the same.

Placement: where a copy's bytes sit within a 4 KiB page changes memcpy's speed (4K
aliasing between source and destination), so every copying benchmark records both page
offsets, read from the copy its first trial makes (copy_trial: the statement with the copy
bound to a name for an instant, timed as timeit times it). In CPython id(obj) is the object's address, and a
bytes object's data follows its header of sys.getsizeof(b"") - 1 bytes (32 on 64-bit
builds): the slice's first source byte is at id(data) + header + 1, the copy's data at
id(copy) + header. Under the policy above, objects of 128 KiB or more are mmap'd chunks
that start 16 bytes into a page, so the offsets are the same every time (data at 48,
the slice's source at 49 with glibc on x86-64); --placement prints them for the C programs
to copy.

Timing, per benchmark instance (a family at one size), with the standard library's timeit:
1. Calibration, which is also the warm-up (not reported): trials of 1, 2, 5, 10, 20, 50, ...
   loops (Timer.autorange's growth) until one trial lasts at least --min-time (0.05 s,
   0.005 s with --quick). That loop count is `number`, the iterations of every row.
2. Repetitions, each a timeit trial of `number` loops: 5 when the calibrated trial took
   under 1.5 s, 3 when a single loop took 1.5 s or more (--quick: 3; --repetitions=N: N).
   A single loop that long (gigabyte copies on fresh pages) is all page faults and memory
   traffic, which no warm-up makes cheaper: its calibration trial is the first repetition,
   as the C programs skip their warm-up there (a warm-up would add a copy of seconds to
   each of the most expensive benchmarks). The repetitions
   of all instances run in a random order (random.Random(seed), --seed; --no-interleave
   keeps instance order), so slow drifts of the machine spread over every benchmark rather
   than landing on one.
3. Per repetition: real time per loop (perf_counter, timeit's clock), CPU time per loop
   (process_time), minor page faults per loop (getrusage), peak RSS (VmHWM after resetting
   it through /proc/self/clear_refs just before the trial) and how far it rose above the
   RSS at the start, bytes per second ((n-2) / real time), and alloc_bytes, the tracemalloc
   peak of one untimed execution (tracemalloc slows every allocation, so never in a trial;
   for the copies whose loop takes 1.5 s or more, sys.getsizeof of the new object: what the
   allocator gave it, without another copy of seconds).
4. The median is the figure; mean, median, stddev (sample), cv (stddev / mean, a fraction),
   min and max over the repetitions are aggregate rows, for times and for every counter, as
   Google Benchmark computes them (including its iterations = repetitions on aggregate rows
   and its NaN for a cv of 0 / 0, which jq reads as null).

Output: Google Benchmark 1.7.1's JSON shape (context + benchmarks), an instance's iteration
rows then its aggregates once its last repetition is done, written atomically at the end so
the same jq filters and charts read C and Python results. --progress-file=PATH receives
tab-separated plan/result/error lines for the driver. The console gets one line per
finished instance: median, [min .. max], CPU median, loops x repetitions, rate.

Only the standard library is used, so any CPython 3.9+ runs it (python3 on PATH or
/usr/bin/python3); the first output line and the context name the interpreter. Series that
need another module (NumPy) import it inside their own namespace builder.
"""

import argparse
import atexit
import dataclasses
import datetime
import json
import os
import platform
import random
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
import zlib

PROGRAM = "python_bench"
KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
PAGE = 4096
MMAP_THRESHOLD = 128 * KIB
M_MMAP_THRESHOLD = -3          # glibc's <malloc.h> parameter number
GUARD_SPARE = 256 * MIB        # memory left over for everything else
PLACEMENT_BYTES = 64 * MIB     # the dataset stand-in of --placement
PLACEMENT_TRIES = 5
LONG_REPETITION = 1.5          # seconds: from here on, 3 repetitions and no warm-up
EXTRA_COPY_MAX = 1024 * MIB    # the copy families that add work to data[1:n-1] stop here
STEP = 64 * KIB                # the consume and io families' step: BENCH_STEP in bench_common.h
# The consume families stop at 16 MiB, as CONSUME_MAX in bench/bench_io.c: data = data[k:]
# copies n^2/2k bytes, each onto a fresh page, so the copy grows 16 times per size step;
# at 16 MiB it copies 2 GiB (seconds), at 64 MiB it would copy 32 GiB (over a minute).
CONSUME_MAX = 16 * MIB
SIZE_ENV = "BUFVIEW_MAX_BYTES"
BUILD_ENV = "BUFVIEW_BUILD_DIR"
BYTES_HEADER = sys.getsizeof(b"") - 1   # bytes before a bytes object's data (32 on 64-bit)


class UsageError(Exception):
    """Bad command line or no way to get sizes: exit status 2, nothing measured."""


def parse_size(text):
    """'4G', '512MiB', '65536' -> bytes (binary multiples). Raises UsageError."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if not m:
        raise UsageError(f"'{text}' is not a size (examples: 65536, 64K, 512M, 4G)")
    value = int(m.group(1)) * {"": 1, "K": KIB, "M": MIB, "G": GIB, "T": 1024 * GIB}[
        m.group(2).upper()]
    if value <= 0:
        raise UsageError(f"size '{text}' must be greater than zero")
    return value


def parse_size_list(items, where):
    """Sizes in bytes, plain integers, each at least 3 ([1:n-1] must hold a byte): sorted,
    duplicates dropped. Raises UsageError naming `where`."""
    sizes = set()
    for item in items:
        if not re.fullmatch(r"[0-9]+", item):
            raise UsageError(f"{where}: '{item}' is not a size in bytes (a plain integer)")
        n = int(item)
        if n < 3:
            raise UsageError(f"{where}: {n} is too small: the slice [1:n-1] needs n >= 3")
        sizes.add(n)
    if not sizes:
        raise UsageError(f"{where}: no sizes")
    return sorted(sizes)


def human(n):
    for unit, div in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= div and n % div == 0:
            return f"{n // div} {unit}"
    return f"{n} B"


def proc_field(path, key, scale=1):
    """The first number of the first 'key: value' line of a /proc file, times scale, or
    None."""
    try:
        with open(path) as f:
            for line in f:
                name, colon, value = line.partition(":")
                if colon and name.strip() == key:
                    return int(float(value.split()[0]) * scale)
    except (OSError, ValueError, IndexError):
        pass
    return None


def meminfo(key):
    return proc_field("/proc/meminfo", key, 1024)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


# ---- sizes: from the driver, from a C result file, or from the C programs ----------------

def sizes_from_results(paths):
    """The sizes a C run used: the trailing number of every slice/... result name."""
    sizes = set()
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        for b in doc.get("benchmarks", []):
            parts = b.get("name", "").split("/")
            if len(parts) >= 3 and parts[0] == "slice" and parts[-1].isdigit():
                sizes.add(int(parts[-1]))
    return sorted(sizes)


def sizes_program():
    build = os.environ.get(BUILD_ENV)
    if not build:
        build = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             "build", "release")
    return os.path.join(build, "bench", "bench_bufview")


def sizes_from_program(args):
    """Ask the C programs, which own the size rule, with this run's --quick/--max-bytes."""
    exe = sizes_program()
    hint = ("pass --sizes=N,N,... or --sizes-from=RESULT.json, or build the C programs "
            "(cmake --preset release && cmake --build --preset release) so that "
            "bench_bufview --list-sizes can give them")
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        raise UsageError(f"no sizes: {exe} does not exist or is not executable; {hint}")
    cmd = [exe, "--list-sizes"] + (["--quick"] if args.quick else [])
    if args.max_bytes is not None:
        cmd.append(f"--max-bytes={args.max_bytes}")
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        raise UsageError(f"no sizes: {' '.join(cmd)} could not run ({e}); {hint}") from None
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise UsageError(f"no sizes: {' '.join(cmd)} failed with exit status "
                         f"{done.returncode} ({said}); {hint}")
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    try:
        return parse_size_list(lines, f"{' '.join(cmd)} printed")
    except UsageError as e:
        raise UsageError(f"no sizes: {e}; {hint}") from None


def resolve_sizes(args):
    """(sizes, where they came from). --max-bytes caps sizes given here; the C program
    applies it itself."""
    if args.sizes is not None:
        sizes, source = parse_size_list(args.sizes.split(","), "--sizes"), "--sizes"
    elif args.sizes_from:
        try:
            found = sizes_from_results(args.sizes_from)
        except (OSError, ValueError) as e:
            raise UsageError(f"--sizes-from: cannot read {args.sizes_from}: {e}") from None
        if not found:
            raise UsageError(f"--sizes-from: no slice/<...>/<n> results in {args.sizes_from}")
        sizes = parse_size_list([str(n) for n in found], "--sizes-from")
        source = "--sizes-from " + " ".join(args.sizes_from)
    else:
        return sizes_from_program(args), f"{sizes_program()} --list-sizes"
    if args.max is not None:
        sizes = [n for n in sizes if n <= args.max]
        if not sizes:
            raise UsageError(f"no sizes at or below --max-bytes ({args.max} bytes)")
    return sizes, source


# ---- memory policy ----------------------------------------------------------------------

class MallocPolicy:
    """Fixed mmap threshold through glibc's mallopt, malloc_trim between measurements."""

    def __init__(self):
        self._trim = None
        self.fixed = False
        try:
            import ctypes
            libc = ctypes.CDLL(None)
            libc.gnu_get_libc_version.restype = ctypes.c_char_p
            glibc = libc.gnu_get_libc_version().decode()
            mallopt, trim = libc.mallopt, libc.malloc_trim
        except (ImportError, OSError, AttributeError) as e:
            self.sentence = (f"default allocator policy (glibc's dynamic mmap threshold, if "
                             f"glibc): mallopt is not reachable through ctypes ({e}), so "
                             f"copies may reuse heap memory freed by the previous loop")
            return
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
        self._trim = trim
        if mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1:
            self.sentence = (f"glibc {glibc}'s dynamic mmap threshold: mallopt(M_MMAP_THRESHOLD, "
                             f"{MMAP_THRESHOLD}) was refused, so copies may reuse heap memory "
                             f"freed by the previous loop; malloc_trim(0) before each "
                             f"calibration and repetition")
            return
        self.fixed = True
        self.sentence = (f"fresh: glibc {glibc}, mallopt(M_MMAP_THRESHOLD, {MMAP_THRESHOLD}) at "
                         f"start fixes the mmap threshold (glibc then stops raising it after "
                         f"frees), so every allocation of {MMAP_THRESHOLD // KIB} KiB or more, "
                         f"each copy included, is a fresh mmap (fresh pages, a fault on first "
                         f"touch of each) unmapped on free, as a one-off copy in a program "
                         f"pays; smaller ones come from the heap; malloc_trim(0) before each "
                         f"calibration and each repetition, so peak RSS is not inherited")

    def trim(self):
        if self._trim is not None:
            self._trim(0)


# ---- what is measured -------------------------------------------------------------------

def header(buf):
    """O(1) consumer: what a protocol parser does with a message before the payload."""
    return len(buf), buf[0], buf[1]


def checksum(buf):
    """O(n) consumer: reads every byte once (zlib.crc32 takes any buffer as is)."""
    return zlib.crc32(buf)


def build_dataset(size):
    """A bytes object of at least `size` bytes, every byte written once (pages touched, no
    zero-page reads). The length is rounded up to a multiple of 256; only [1:n-1] is read."""
    return bytes(range(256)) * (-(-size // 256))


def bytes_data_address(obj):
    """Address of a bytes object's first data byte: id() is the address in CPython."""
    return id(obj) + BYTES_HEADER


@dataclasses.dataclass
class Dataset:
    data: bytes
    view: memoryview     # memoryview(data), made once: python/slice/view slices this one
    io_bytes: int = 0    # the largest size of the io families (their file and buffer)
    array: object = None  # numpy.frombuffer(data, uint8), made once when NumPy is measured


def python_names(ds, n):
    """What the python/... statements use."""
    return {"data": ds.data, "mv": ds.view, "a": 1, "b": n - 1, "header": header,
            "checksum": checksum, "memoryview": memoryview}


def numpy_available():
    """The NumPy version this interpreter imports, or None."""
    try:
        import numpy
    except ImportError:
        return None
    return numpy.__version__


def numpy_names(ds, n):
    """What the numpy/... statements use: one uint8 array over the dataset's bytes (made
    once, no copy) and NumPy's own O(n) consumer. NumPy is imported only here, so the
    CPython series run on an interpreter without it."""
    import numpy
    if ds.array is None:
        ds.array = numpy.frombuffer(ds.data, dtype=numpy.uint8)
    return {"arr": ds.array, "mv": ds.view, "a": 1, "b": n - 1,
            "xor": numpy.bitwise_xor.reduce}


def numpy_data_address(arr):
    """Address of an array's first data byte."""
    return arr.__array_interface__["data"][0]


@dataclasses.dataclass(frozen=True)
class Family:
    name: str            # "python/slice/copy": the instance is "<name>/<n>"
    stmt: str            # the timed statement
    copy: str = None     # the expression in stmt that makes the copy, for statements that copy
    reads: bool = False  # reads the slice's bytes (a copy, a checksum): warmed before trials
    names: object = python_names
    address: object = bytes_data_address   # the copy's first data byte
    needs_numpy: bool = False
    max_n: int = None    # the largest size it runs at (None: every size)
    min_n: int = None    # the smallest size it runs at (None: every size)
    whole: bool = False  # bytes_per_second counts all n bytes (not the slice's n - 2)
    prepare: object = None   # prepare(names, n) before every trial, after warm(), untimed
    placement: object = None  # placement(names, n) -> (src, dst) page offsets of a copy made
                              # untimed, for copies that are not one expression of stmt
    peak: object = None  # peak(names, n) -> the bytes a trial of 1.5 s or more allocates at
                         # its peak, instead of another traced execution of seconds


FAMILIES = (
    Family("python/slice/view", "mv[a:b]"),
    Family("python/slice/view_new", "memoryview(data)[a:b]"),
    Family("python/slice/copy", "data[a:b]", "data[a:b]", reads=True),
    Family("python/pass/view/header", "header(mv[a:b])"),
    # The passing families that copy repeat data[1:n-1]'s copy with O(1) or one fast pass
    # after it; above 1 GiB that copy alone takes seconds of page faults (bench/README.md),
    # so they stop at 1 GiB, as their C peers do.
    Family("python/pass/copy/header", "header(data[a:b])", "data[a:b]", reads=True,
           max_n=EXTRA_COPY_MAX),
    Family("python/pass/view/sum", "checksum(mv[a:b])", reads=True),
    Family("python/pass/copy/sum", "checksum(data[a:b])", "data[a:b]", reads=True,
           max_n=EXTRA_COPY_MAX),
    # NumPy, what numerical Python code uses: a basic slice of an existing uint8 array is a
    # view (its peer is slice/view), .copy() a new array. NumPy asks the kernel for huge
    # pages (madvise) for arrays of 4 MiB and more, so its copies fault once per 2 MiB.
    # The O(n) consumer is np.bitwise_xor.reduce: it reads every byte at memory speed (22+
    # GB/s here), where np.add.reduce on uint8 widens every byte and runs at about 3 GB/s.
    Family("numpy/slice/view", "arr[a:b]", names=numpy_names, needs_numpy=True),
    Family("numpy/slice/copy", "arr[a:b].copy()", "arr[a:b].copy()", reads=True,
           names=numpy_names, address=numpy_data_address, needs_numpy=True),
    Family("numpy/pass/view/sum", "xor(arr[a:b])", reads=True, names=numpy_names,
           needs_numpy=True),
    Family("numpy/pass/copy/sum", "xor(arr[a:b].copy())", "arr[a:b].copy()", reads=True,
           names=numpy_names, address=numpy_data_address, needs_numpy=True,
           max_n=EXTRA_COPY_MAX),
)


# ---- consuming, reading, receiving in steps (the io families) ---------------------------
# Each timed statement is one call of a function below: one pass over n bytes.

def consume_copy(data, k):
    while data:
        data = data[k:]


def consume_view(mv, k):
    while mv:
        mv = mv[k:]


# n bytes in chunks of at most k: each into a new bytes object (`read` is f.read or
# sock.recv), or into the next slice of buf (`read_into` is f.readinto or sock.recv_into).
# A short read leaves the rest of its chunk to the next call. The statements seek the file
# back to its start first.
def take_copy(read, n, k):
    got = 0
    while got < n:
        chunk = read(k if n - got > k else n - got)
        if not chunk:
            raise EOFError("the data ended early")
        got += len(chunk)


def take_view(read_into, buf, n, k):
    got = 0
    while got < n:
        end = got + k if n - got > k else n
        r = read_into(buf[got:end])
        if not r:
            raise EOFError("the data ended early")
        got += r


def consume_names(ds, n):
    """A bytes object of n bytes (the dataset's prefix, copied once, untimed) to consume."""
    start = ds.data[:n]
    return {"data": start, "mv": memoryview(start), "k": STEP,
            "consume_copy": consume_copy, "consume_view": consume_view}


def consume_peak(names, n):
    """data = data[k:] holds two new objects at once: what was left and what is left."""
    data = names["data"]
    return sys.getsizeof(data[STEP:]) + sys.getsizeof(data[2 * STEP:])


def consume_placement(names, n):
    """Where the first step's copy data[k:] reads and writes (made untimed)."""
    data = names["data"]
    first = data[STEP:]
    return (bytes_data_address(data) + STEP) % PAGE, bytes_data_address(first) % PAGE


def io_dir():
    """/dev/shm when it is a writable tmpfs (page-cache pages never written back to a disk
    nor evicted), else the temporary directory: the same rule as bench/bench_io.c."""
    try:
        with open("/proc/self/mounts") as f:
            tmpfs = any(line.split()[1:3] == ["/dev/shm", "tmpfs"] for line in f)
    except OSError:
        tmpfs = False
    if tmpfs and os.access("/dev/shm", os.W_OK):
        return "/dev/shm", "tmpfs"
    return tempfile.gettempdir(), "the file system of the directory"


# The writer: a separate process, so that it takes no GIL from the benchmark (a writer
# thread in this process made python/io/recv/copy at 1 GiB take 0.22 to 0.80 s from one
# repetition to the next, a writer process 0.20 to 0.21 s). It maps the io file (the
# dataset's bytes, no second copy) and sends data[0:span] over and over in blocking
# STEP-byte sends, as bench_io's writer thread does (non-blocking sends that wait for room
# go out in smaller pieces, and the reader then loops several times per chunk); a span
# below one step is repeated up to a step (a Python loop per 1 KiB send would be slower
# than the reader it feeds). A second thread of the writer reads the control pipe: for each
# new span it touches every page of it (mapped and backed before the trial starts), hands
# it to the sending thread and acknowledges. The process ends at the end of the control
# pipe or of the socket.
WRITER_CODE = r"""
import mmap, os, socket, sys, threading
sock_fd, ctl, ack, fd, size, step = map(int, sys.argv[1:7])
sock = socket.socket(fileno=sock_fd)
data = memoryview(mmap.mmap(fd, size, prot=mmap.PROT_READ))
os.close(fd)
job = None              # (source, period, generation): replaced whole, read whole
ready = threading.Event()

def control():
    global job
    generation = 0
    while True:
        msg = os.read(ctl, 4096)
        if len(msg) < 8:
            os._exit(0)
        span = int.from_bytes(msg[-8:], "little")
        data[0:span:4096].tobytes()
        src = data if span >= step else memoryview(bytes(data[0:span]) * (step // span))
        generation += 1
        job = (src, span if span >= step else len(src), generation)
        ready.set()
        os.write(ack, b"k")

threading.Thread(target=control, daemon=True).start()
ready.wait()
seen = off = 0
try:
    while True:
        src, period, generation = job
        if generation != seen or off >= period:
            seen, off = generation, 0
        off += sock.send(src[off:off + step if period - off > step else period])
except OSError:
    os._exit(0)
"""


class Writer:
    """The writer process (WRITER_CODE) and its control pipe."""

    def __init__(self, sock, file, size):
        ctl_r, self.ctl = os.pipe()
        self.ack, ack_w = os.pipe()
        fds = (sock.fileno(), ctl_r, ack_w, file.fileno())
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WRITER_CODE] + [str(x) for x in fds + (size, STEP)],
            pass_fds=fds, stdin=subprocess.DEVNULL)
        for fd in (ctl_r, ack_w):
            os.close(fd)
        sock.close()   # the writer has its own

    def send(self, span):
        """From now on send data[0:span]; returns once the writer has touched it."""
        os.write(self.ctl, span.to_bytes(8, "little"))
        if os.read(self.ack, 1) != b"k":
            raise OSError("the io writer process ended")

    def close(self):
        os.close(self.ctl)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class IO:
    """The file, the buffer and the socketpair of the io families, made when the first of
    them needs them, kept to the end: a file holding the dataset's first io_bytes bytes
    (unlinked: TemporaryFile), one bytearray of io_bytes bytes (every page written), and a
    socketpair with its writer process, stopped at exit."""
    made = None

    def __init__(self, ds):
        size = ds.io_bytes
        t0 = time.perf_counter()
        self.dir, fs = io_dir()
        self.file = tempfile.TemporaryFile(dir=self.dir, buffering=0)
        for off in range(0, size, 64 * MIB):
            view = ds.view[off:min(off + 64 * MIB, size)]
            while view:
                view = view[self.file.write(view):]
        self.buf = bytearray(size)   # zero-filled: every page written, resident
        self.buf_mv = memoryview(self.buf)
        self.reader, writer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.writer = Writer(writer, self.file, size)
        atexit.register(self.writer.close)
        self.where = f"{self.dir} ({fs})"
        print(f"{PROGRAM}: io file ({human(size)}, unlinked, in {self.where}) and buffer "
              f"built in {time.perf_counter() - t0:.2f} s", flush=True)

    @classmethod
    def get(cls, ds):
        if cls.made is None:
            cls.made = cls(ds)
        return cls.made


def io_names(ds, n):
    io = IO.get(ds)
    return {"f": io.file, "sock": io.reader, "buf": io.buf_mv, "n": n, "k": STEP,
            "mv": ds.view, "io": io, "take_copy": take_copy, "take_view": take_view}


def io_read_prepare(names, n):
    """Read the file's first n bytes into the buffer (resident pages of both), untimed."""
    f, buf = names["f"], names["buf"]
    f.seek(0)
    got = 0
    while got < n:
        r = f.readinto(buf[got:n])
        if not r:
            raise EOFError("the file ended early")
        got += r


def io_recv_prepare(names, n):
    """Tell the writer to send the dataset's first n bytes (it touches them first)."""
    names["io"].writer.send(n)


def io_recv_view_prepare(names, n):
    """The same, and touch the buffer's first n bytes."""
    buf = names["buf"]
    buf[0:n:PAGE] = bytes(len(range(0, n, PAGE)))
    io_recv_prepare(names, n)


# The consume families start at one step (below it there is nothing to consume in steps)
# and stop at CONSUME_MAX. The io families run at every size; their copies are 64 KiB
# bytes objects, below the mmap threshold: heap memory, no page faults, no placement.
FAMILIES += (
    Family("python/consume/copy", "consume_copy(data, k)", reads=True, names=consume_names,
           min_n=STEP, max_n=CONSUME_MAX, whole=True, placement=consume_placement,
           peak=consume_peak),
    Family("python/consume/view", "consume_view(mv, k)", names=consume_names,
           min_n=STEP, max_n=CONSUME_MAX, whole=True),
    Family("python/io/read/copy", "f.seek(0); take_copy(f.read, n, k)", names=io_names,
           whole=True, prepare=io_read_prepare),
    Family("python/io/read/view", "f.seek(0); take_view(f.readinto, buf, n, k)",
           names=io_names, whole=True, prepare=io_read_prepare),
    Family("python/io/recv/copy", "take_copy(sock.recv, n, k)", names=io_names, whole=True,
           prepare=io_recv_prepare),
    Family("python/io/recv/view", "take_view(sock.recv_into, buf, n, k)", names=io_names,
           whole=True, prepare=io_recv_view_prepare),
)


@dataclasses.dataclass
class Instance:
    family: Family
    n: int
    family_index: int
    instance_index: int
    error: str = None
    timer: timeit.Timer = None
    number: int = 0
    repetitions: int = 0
    fixed: dict = dataclasses.field(default_factory=dict)   # counters equal on every row
    names: dict = None   # what the statement uses (for warm())
    trials: list = dataclasses.field(default_factory=list)

    @property
    def name(self):
        return f"{self.family.name}/{self.n}"

    @property
    def moved(self):
        """Bytes per loop for bytes_per_second: the slice's n - 2, or all n."""
        return self.n if self.family.whole else self.n - 2


def make_timer(family, ds, n):
    # timeit runs SETUP inside its generated function: every name becomes a local there,
    # so the loop pays LOAD_FAST, not a dictionary lookup.
    names = family.names(ds, n)
    setup = "; ".join(f"{k} = _{k}" for k in names)
    return timeit.Timer(family.stmt, setup=setup,
                        globals={f"_{k}": v for k, v in names.items()}), names


# ---- per-trial process figures ----------------------------------------------------------

def reset_peak_rss():
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def rss(key):
    value = proc_field("/proc/self/status", key, 1024)
    if value is None:   # no /proc: the lifetime peak is all there is
        value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return value


def minflt():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def calibrate(timer, min_time, first):
    """Timer.autorange's growth (1, 2, 5, 10, 20, 50, ... loops) until one trial lasts
    min_time; returns (loops, seconds of that trial). `first` is the time of the trial of
    1 loop, already run. These trials are the warm-up."""
    if first >= min_time:
        return 1, first
    scale = 1
    while True:
        for step in (1, 2, 5):
            number = scale * step
            if number == 1:
                continue
            taken = timer.timeit(number)
            if taken >= min_time:
                return number, taken
        scale *= 10


def alloc_bytes(timer):
    """Peak bytes one execution allocates above what was live before (tracemalloc)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        live = tracemalloc.get_traced_memory()[0]
        timer.timeit(1)
        return tracemalloc.get_traced_memory()[1] - live
    finally:
        tracemalloc.stop()


WARM_FAST_NS_PER_PAGE = 100.0
WARM_MAX_PASSES = 4


def warm(inst, names):
    """Touch one byte in every 4 KiB page of the bytes a trial will read, outside the timing,
    as the C programs do before every run (bench/common/dataset.h): on this kind of VM,
    memory a process already has costs a fault in the host again after other memory was
    freed, which would otherwise land in the next trial (a 64 MiB copy took 40% longer).
    The host takes the pages a few milliseconds after the free, so passes repeat until
    one finds every page in place (under 100 ns a page), four at most."""
    if inst.family.reads:
        pages = max(1, -(-inst.n // PAGE))
        for _ in range(WARM_MAX_PASSES):
            t0 = time.perf_counter()
            names["mv"][0:inst.n:PAGE].tobytes()
            if (time.perf_counter() - t0) * 1e9 / pages < WARM_FAST_NS_PER_PAGE:
                break
    if inst.family.prepare is not None:
        inst.family.prepare(names, inst.n)


def copy_trial(inst, names, policy):
    """The first trial of one loop of a statement that copies, run so that the copy can be
    seen: the statement with its copy bound to a name (an assignment expression), the
    object's address and size read, then dropped, all inside the timing, as timeit's loop
    drops it at once. Returns the trial's figures plus the copy's page offsets and size."""
    stmt = inst.family.stmt.replace(inst.family.copy, f"(_copy := {inst.family.copy})", 1)
    code = compile(stmt, f"<{inst.name}>", "exec")
    ns = dict(names)
    policy.trim()
    warm(inst, names)
    reset_peak_rss()
    rss_before = rss("VmRSS")
    faults, cpu = minflt(), time.process_time()
    t0 = time.perf_counter()
    exec(code, ns)
    address, size = inst.family.address(ns["_copy"]), sys.getsizeof(ns["_copy"])
    del ns["_copy"]
    real = time.perf_counter() - t0
    cpu, faults = time.process_time() - cpu, minflt() - faults
    peak = rss("VmHWM")
    return ({"real": real, "cpu": cpu, "minflt": float(faults), "peak_rss": float(peak),
             "peak_rss_added": float(peak - rss_before)},
            (bytes_data_address(names["mv"].obj) + names["a"]) % PAGE, address % PAGE, size)


def run_trial(inst, policy, names):
    """One repetition: a timeit trial of inst.number loops, with its process figures."""
    policy.trim()
    warm(inst, names)
    reset_peak_rss()
    rss_before = rss("VmRSS")
    faults, cpu = minflt(), time.process_time()
    real = inst.timer.timeit(inst.number)
    cpu, faults = time.process_time() - cpu, minflt() - faults
    peak = rss("VmHWM")
    return {"real": real / inst.number, "cpu": cpu / inst.number,
            "minflt": faults / inst.number, "peak_rss": float(peak),
            "peak_rss_added": float(peak - rss_before)}


# ---- Google Benchmark rows --------------------------------------------------------------

def cv(values):
    mean = statistics.mean(values)
    return statistics.stdev(values) / mean if mean else float("nan")   # GB: 0 / 0 is NaN


AGGREGATES = (("mean", statistics.mean, "time"), ("median", statistics.median, "time"),
              ("stddev", statistics.stdev, "time"), ("cv", cv, "percentage"),
              ("min", min, "time"), ("max", max, "time"))


def counters(inst, trial):
    c = dict(inst.fixed)
    c["minflt"] = trial["minflt"]
    c["peak_rss"] = trial["peak_rss"]
    c["peak_rss_added"] = trial["peak_rss_added"]
    c["bytes_per_second"] = inst.moved / trial["real"] if trial["real"] > 0 else 0.0
    return dict(sorted(c.items()))   # GB keeps counters in a sorted map


def row_head(inst, name, run_type, repetitions):
    return {"name": name, "family_index": inst.family_index,
            "per_family_instance_index": inst.instance_index, "run_name": inst.name,
            "run_type": run_type, "repetitions": repetitions}


def error_row(inst):
    row = row_head(inst, inst.name, "iteration", 1)
    row.update(repetition_index=0, threads=1, error_occurred=True, error_message=inst.error)
    return row


def instance_rows(inst):
    """R iteration rows, then (for R > 1) mean, median, stddev, cv, min, max."""
    reps = len(inst.trials)
    per_rep = [counters(inst, t) for t in inst.trials]
    real = [t["real"] * 1e9 for t in inst.trials]
    cpu = [t["cpu"] * 1e9 for t in inst.trials]
    rows = []
    for i, c in enumerate(per_rep):
        row = row_head(inst, inst.name, "iteration", reps)
        row.update(repetition_index=i, threads=1, iterations=inst.number,
                   real_time=real[i], cpu_time=cpu[i], time_unit="ns")
        row.update(c)
        rows.append(row)
    if reps < 2:
        return rows
    for agg, fn, unit in AGGREGATES:
        row = row_head(inst, f"{inst.name}_{agg}", "aggregate", reps)
        # GB counts the repetitions as an aggregate's iterations, not the loops of each.
        row.update(threads=1, aggregate_name=agg, aggregate_unit=unit, iterations=reps,
                   real_time=fn(real), cpu_time=fn(cpu), time_unit="ns")
        row.update({k: fn([c[k] for c in per_rep]) for k in per_rep[0]})
        rows.append(row)
    return rows


# ---- output -----------------------------------------------------------------------------

def machine_context(args, sizes, source, top, policy, reps_rule):
    now = datetime.datetime.now().astimezone()
    load = list(os.getloadavg()) if hasattr(os, "getloadavg") else []
    return {
        "date": now.isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": f"{sys.executable} {os.path.abspath(__file__)}",
        "num_cpus": os.cpu_count() or 1,
        "mhz_per_cpu": proc_field("/proc/cpuinfo", "cpu MHz") or 0,
        "cpu_scaling_enabled": False,
        "load_avg": load,
        "cpu_model": cpu_model(),
        "mem_total_bytes": str(meminfo("MemTotal") or 0),
        "python_executable": sys.executable or "unknown",
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "timer": "timeit (time.perf_counter): calibration with Timer.autorange's growth until "
                 "one trial lasts min_time (the warm-up, not reported), then one timeit trial "
                 "of the calibrated loop count per repetition",
        "min_time_seconds": str(args.min_time),
        "repetitions_rule": reps_rule,
        "interleave": "random" if args.interleave else "none",
        "interleave_seed": args.seed if args.interleave else None,
        "malloc_policy": policy.sentence,
        "bytes_header": BYTES_HEADER,
        "bufview_program": PROGRAM,
        "bufview_sizes": ",".join(str(n) for n in sizes),
        "bufview_sizes_source": source,
        "bufview_top_bytes": str(top),
        "bufview_quick": "true" if args.quick else "false",
        "bufview_counters": "bytes_per_second: bytes of the slice (n-2) per second of real "
                            "time (all n bytes for the consume and io families); minflt: minor page faults per loop (getrusage over the "
                            "repetition); peak_rss: bytes, VmHWM after a reset just before the "
                            "repetition; peak_rss_added: peak_rss minus VmRSS at the start of "
                            "the repetition; alloc_bytes: peak bytes allocated by one untimed "
                            "execution (tracemalloc); src_page_offset, dst_page_offset (copies "
                            "only): address mod 4096 of the slice's first source byte and of "
                            "the new object's data, from one untimed execution",
        "sum_function": "zlib.crc32",
        "io": f"python/io/read/...: an unlinked file (tempfile.TemporaryFile, buffering=0) in "
              f"{io_dir()[0]} ({io_dir()[1]}) holding the dataset; python/io/recv/...: an "
              f"AF_UNIX stream socketpair, a writer process (not a thread: no GIL shared with "
              f"the benchmark) sending the dataset's first n bytes from the file in "
              f"{STEP}-byte sends; chunks of {STEP} bytes",
        "sum_function_numpy": "numpy.bitwise_xor.reduce",
        "numpy_version": numpy_available() or "not available in this interpreter",
        "dataset": f"one bytes object of {top} bytes built once; size n uses [1:n-1]",
        "mode": "quick" if args.quick else "full",
    }


def write_json_atomically(path, doc):
    """Write to a temporary file in the same directory and rename it into place, so an
    interrupted run never leaves half a file and the previous results survive."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".python.", suffix=".json.tmp", dir=directory)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)   # mkstemp makes it 0600; results are for everyone
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def fmt_time(ns):
    if ns >= 1e9:
        return f"{ns / 1e9:.3f} s"
    if ns >= 1e6:
        return f"{ns / 1e6:.3f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.3f} us"
    return f"{ns:.1f} ns"


class Progress:
    """Tab-separated lines for the driver (--progress-file), nothing without it."""

    def __init__(self, path):
        self.f = open(path, "a", buffering=1) if path else None

    def line(self, *fields):
        if self.f:
            self.f.write("\t".join(str(x) for x in fields) + "\n")


def report_done(inst, rows, progress):
    times = [r["real_time"] for r in rows if r["run_type"] == "iteration"]
    cpus = [r["cpu_time"] for r in rows if r["run_type"] == "iteration"]
    median = statistics.median(times)
    progress.line("result", inst.name, repr(median), repr(min(times)), repr(max(times)),
                  len(times))
    rate = inst.moved / (median / 1e9) / 1e9 if median > 0 else 0.0
    print(f"{inst.name:<40}{fmt_time(median):>12}  [{fmt_time(min(times))} .. "
          f"{fmt_time(max(times))}]  cpu {fmt_time(statistics.median(cpus))}  "
          f"{inst.number} x {len(times)}  {rate:.3g} GB/s", flush=True)


# ---- --placement ------------------------------------------------------------------------

def placement():
    """Where CPython puts the dataset's data, the slice's source and the copy's data within
    a page, for PLACEMENT_TRIES fresh objects; exit 1 if they do not agree."""
    MallocPolicy()
    n = PLACEMENT_BYTES
    seen = []
    for _ in range(PLACEMENT_TRIES):
        data = build_dataset(n)
        copy = data[1:n - 1]
        seen.append({"dataset_data_page_offset": bytes_data_address(data) % PAGE,
                     "slice_src_page_offset": (bytes_data_address(data) + 1) % PAGE,
                     "copy_data_page_offset": bytes_data_address(copy) % PAGE})
        del data, copy
    if any(s != seen[0] for s in seen):
        print(f"{PROGRAM}: --placement: the page offsets differ between {PLACEMENT_TRIES} "
              f"fresh objects, so no layout can be copied from CPython here: "
              f"{json.dumps(seen)}", file=sys.stderr)
        return 1
    print(json.dumps({"interpreter": sys.executable,
                      "python_version": platform.python_version(),
                      "bytes_header": BYTES_HEADER, **seen[0]}))
    return 0


# ---- command line -----------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python_bench.py",
        description="CPython's bytes slicing vs memoryview, in Google Benchmark's JSON shape.")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 3 repetitions, trials of 0.005 s, and the C programs' "
                        "--quick sizes when they give the sizes")
    p.add_argument("--sizes", metavar="N,N,...",
                   help="sizes in bytes (the driver passes the C programs' list)")
    p.add_argument("--sizes-from", metavar="RESULT.json", action="append", default=[],
                   help="the sizes of the slice/... results in this C result file (repeatable)")
    p.add_argument("--max-bytes", metavar="SIZE",
                   help=f"largest size, e.g. 4G (default: ${SIZE_ENV}); passed on to "
                        "bench_bufview --list-sizes, or caps --sizes/--sizes-from")
    p.add_argument("--min-time", metavar="SECONDS", type=float, default=None,
                   help="one repetition lasts at least this long (default 0.05, 0.005 with "
                        "--quick)")
    p.add_argument("--repetitions", metavar="N", type=int, default=None,
                   help="repetitions of every benchmark (default: 5 when one takes under 1 s, "
                        "3 from 1 s; 3 with --quick)")
    p.add_argument("--filter", metavar="REGEX", default=None,
                   help="run only benchmarks whose name matches (re.search)")
    p.add_argument("--list", action="store_true",
                   help="print the benchmark names that would run, in order, and exit")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out-dir", metavar="DIR", default=None,
                     help="results go to DIR/results/python.json (default: a new "
                          "OUT/hand/<UTC time>, OUT being $BUFVIEW_OUT_DIR or out, as the C "
                          "programs: a hand run never writes a run's results)")
    out.add_argument("--out", metavar="FILE", default=None, help="JSON output file")
    p.add_argument("--progress-file", metavar="PATH", default=None,
                   help="append tab-separated plan/result/error lines here, for the driver")
    p.add_argument("--seed", metavar="N", type=int, default=None,
                   help="seed of the random order of repetitions (default: from the clock)")
    p.add_argument("--no-interleave", dest="interleave", action="store_false",
                   help="run each benchmark's repetitions together, in benchmark order")
    p.add_argument("--placement", action="store_true",
                   help="print where CPython places a copy's data within a page (JSON), exit")
    args = p.parse_args(argv)

    try:
        if args.max_bytes is None and os.environ.get(SIZE_ENV):
            args.max_bytes = os.environ[SIZE_ENV]
        args.max = parse_size(args.max_bytes) if args.max_bytes is not None else None
    except UsageError as e:
        p.error(f"--max-bytes: {e}")
    if args.sizes is not None and args.sizes_from:
        p.error("--sizes and --sizes-from exclude each other")
    if args.min_time is None:
        args.min_time = 0.005 if args.quick else 0.05
    if not 0 < args.min_time < float("inf"):
        p.error("--min-time must be a number of seconds greater than 0")
    if args.repetitions is not None and args.repetitions < 1:
        p.error("--repetitions must be at least 1")
    if args.seed is None:
        args.seed = time.time_ns() % 2**32
    elif args.seed < 0:
        p.error("--seed must be 0 or more")
    if args.filter is not None:
        try:
            args.filter = re.compile(args.filter)
        except re.error as e:
            p.error(f"--filter: {e}")
    if args.out is None:
        # By hand: a directory of its own, never a run's results (as the C programs).
        out_dir = args.out_dir or os.path.join(
            os.environ.get("BUFVIEW_OUT_DIR") or "out", "hand",
            datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
        args.out = os.path.join(out_dir, "results", "python.json")
    return args


def repetitions_rule(args):
    if args.repetitions is not None:
        return f"--repetitions={args.repetitions}: {args.repetitions} for every benchmark"
    if args.quick:
        return "--quick: 3 for every benchmark"
    return (f"5 after the calibration (the warm-up) when one repetition takes under "
            f"{LONG_REPETITION:g} s; 3 when a single loop takes {LONG_REPETITION:g} s or more, "
            f"the first of them the calibration's own trial (no warm-up)")


def repetitions_for(args, seconds):
    if args.repetitions is not None:
        return args.repetitions
    return 3 if args.quick or seconds >= LONG_REPETITION else 5


def plan(args, sizes, have_numpy):
    """Every selected instance, family by family, size by size. As in GB, family_index
    counts only the families with a selected instance. The NumPy families need an
    interpreter that imports numpy."""
    instances = []
    for family in FAMILIES:
        if family.needs_numpy and not have_numpy:
            continue
        fi = instances[-1].family_index + 1 if instances else 0
        k = 0
        for n in sizes:
            if (family.max_n is not None and n > family.max_n) or \
                    (family.min_n is not None and n < family.min_n):
                continue
            if args.filter is None or args.filter.search(f"{family.name}/{n}"):
                instances.append(Instance(family, n, fi, k))
                k += 1
    return instances


def main(argv):
    args = parse_args(argv)
    if args.placement:
        return placement()
    try:
        sizes, source = resolve_sizes(args)
    except UsageError as e:
        print(f"{PROGRAM}: {e}", file=sys.stderr)
        return 2
    numpy_version = numpy_available()
    instances = plan(args, sizes, numpy_version is not None)
    if not instances:
        print(f"{PROGRAM}: no benchmark matches --filter={args.filter.pattern}", file=sys.stderr)
        return 2
    if args.list:
        for inst in instances:
            print(inst.name)
        return 0
    try:
        progress = Progress(args.progress_file)
    except OSError as e:
        print(f"{PROGRAM}: --progress-file: {e}", file=sys.stderr)
        return 2

    policy = MallocPolicy()
    reps_rule = repetitions_rule(args)
    print(f"{PROGRAM}: {platform.python_implementation()} {platform.python_version()} "
          f"({sys.executable}), {len(instances)} benchmarks, {len(sizes)} sizes "
          f"{human(sizes[0])} .. {human(sizes[-1])}, min time {args.min_time} s, repetitions: "
          f"{reps_rule}, order: "
          f"{f'random (seed {args.seed})' if args.interleave else 'as listed'}", flush=True)
    print(f"{PROGRAM}: memory: {policy.sentence}", flush=True)
    if numpy_version is None:
        print(f"NOTICE: {sys.executable} cannot import numpy: the numpy/... series are not "
              f"measured (Debian: apt-get install python3-numpy, and run this script with "
              f"/usr/bin/python3)", flush=True)
    else:
        print(f"{PROGRAM}: NumPy {numpy_version}", flush=True)
    progress.line("plan", PROGRAM, len(instances))

    # Memory guard: the dataset plus one copy of the size, with room to spare; the io
    # families' file and buffer (n bytes each) live beside both to the end.
    avail = meminfo("MemAvailable")
    fits = {n: avail is None or 2 * n + GUARD_SPARE <= avail for n in sizes}
    top = max((inst.n for inst in instances if fits[inst.n]), default=0)
    io_fits = {n: fits[n] and (avail is None or 2 * top + 2 * n + GUARD_SPARE <= avail)
               for n in sizes}
    io_top = max((inst.n for inst in instances
                  if inst.family.names is io_names and io_fits[inst.n]), default=0)
    t0 = time.perf_counter()
    big = build_dataset(top) if top else b""
    ds = Dataset(big, memoryview(big), io_bytes=io_top)
    if top:
        print(f"{PROGRAM}: dataset of {human(top)} built in {time.perf_counter() - t0:.2f} s",
              flush=True)

    doc = {"context": machine_context(args, sizes, source, top, policy, reps_rule),
           "benchmarks": []}
    # 1. Calibration (the warm-up), alloc_bytes and placement, instance by instance.
    t0 = time.perf_counter()
    todo, measured = [], 0
    for inst in instances:
        if not fits[inst.n]:
            inst.error = (f"skipped: dataset plus copy ({human(2 * inst.n)}) does not fit in "
                          f"MemAvailable ({avail} bytes) with {human(GUARD_SPARE)} to spare")
        elif inst.family.names is io_names and not io_fits[inst.n]:
            inst.error = (f"skipped: the io file and buffer ({human(2 * inst.n)}) beside the "
                          f"dataset and a copy ({human(2 * top)}) do not fit in MemAvailable "
                          f"({avail} bytes) with {human(GUARD_SPARE)} to spare")
        if inst.error:
            doc["benchmarks"].append(error_row(inst))
            progress.line("error", inst.name, inst.error)
            print(f"{inst.name:<40}ERROR: {inst.error}", flush=True)
            continue
        inst.timer, names = make_timer(inst.family, ds, inst.n)
        # The trial of one loop starts the calibration (for a statement that copies, made so
        # that the copy's placement can be read: copy_trial). Where it takes LONG_REPETITION or
        # more, it is also the first repetition: such a trial is all page faults and memory
        # traffic that no warm-up makes cheaper, and a warm-up copy of gigabytes would add
        # seconds per benchmark (the C programs do the same; bench/README.md).
        inst.number = 1
        if inst.family.copy is not None:
            first, src, dst, size = copy_trial(inst, names, policy)
            inst.fixed.update(src_page_offset=float(src), dst_page_offset=float(dst))
        else:
            first = run_trial(inst, policy, names)
            if inst.family.placement is not None:
                src, dst = inst.family.placement(names, inst.n)
                inst.fixed.update(src_page_offset=float(src), dst_page_offset=float(dst))
        long_one = first["real"] >= LONG_REPETITION and not args.quick
        inst.number, seconds = calibrate(inst.timer, args.min_time, first["real"])
        inst.repetitions = repetitions_for(args, seconds)
        if long_one and args.repetitions is None:
            inst.trials.append(first)
        if long_one and inst.family.copy is not None:
            # Another traced execution would add seconds: the bytes the copy was given.
            inst.fixed["alloc_bytes"] = float(size)
        elif long_one and inst.family.peak is not None:
            inst.fixed["alloc_bytes"] = float(inst.family.peak(names, inst.n))
        else:
            inst.fixed["alloc_bytes"] = float(alloc_bytes(inst.timer))
        inst.names = names
        todo += [inst] * (inst.repetitions - len(inst.trials))
        measured += 1
    print(f"{PROGRAM}: calibrated {measured} benchmarks in "
          f"{time.perf_counter() - t0:.2f} s; {len(todo)} repetitions to run", flush=True)

    print(f"{'Benchmark':<40}{'median':>12}  [min .. max]  cpu median  loops x repetitions  "
          "rate", flush=True)

    # 2. The repetitions, in a random order unless --no-interleave.
    if args.interleave:
        random.Random(args.seed).shuffle(todo)
    for inst in todo:
        inst.trials.append(run_trial(inst, policy, inst.names))
        if len(inst.trials) == inst.repetitions:
            rows = instance_rows(inst)
            doc["benchmarks"] += rows
            report_done(inst, rows, progress)
            inst.timer = inst.names = None

    write_json_atomically(args.out, doc)
    print(f"{PROGRAM}: wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print(f"{PROGRAM}: interrupted; previous results left as they were", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # Output piped into a reader that stopped (e.g. head): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
