#!/usr/bin/env python3
"""The CPython series: the slicing and passing that bufview's C benchmarks measure, done
with CPython's own bytes and memoryview, so the charts can show both side by side.

    data[1:n-1]               copies n-2 bytes into a new bytes object (python/slice/copy/<n>)
    memoryview(data)[1:n-1]   makes a view, copies nothing            (python/slice/view/<n>)
    header(<slice>)           O(1) consumer: len() and the first bytes (python/pass/*/header/<n>)
    checksum(<slice>)         O(n) consumer: zlib.crc32, reads every byte once
                                                                      (python/pass/*/sum/<n>)

Timing is the standard library's timeit: Timer.autorange() calibrates the loop count
(1, 2, 5, 10, 20, 50, ... loops) until one trial lasts at least the minimum time, and the
last trial is the result, as Google Benchmark reports its last calibrated run. The output
is Google Benchmark's JSON shape (context + benchmarks), so the same jq filters and charts
read it.

Why zlib.crc32 for the O(n) consumer: it accepts any buffer (bytes or memoryview) without
converting it, reads every byte exactly once, runs in C at several GB/s, and is what real
code does to a payload (checksumming). sum(memoryview) would also read every byte but at
tens of ns per byte, which measures the interpreter, not the copy.

One dataset serves every size: a single bytes object `big` of the top size is built once
and each size n uses big[1:n-1] (the copy) or memoryview(big)[1:n-1] (the view). Copying
bytes 1..n-1 of a larger object costs exactly what copying them out of an n-byte object
costs, and views are O(1) either way, so no per-size bytes objects (each a full copy) are
needed. Memory then peaks at the dataset plus one copy, like the C side.
"""

import argparse
import datetime
import json
import os
import platform
import re
import resource
import socket
import sys
import tempfile
import time
import timeit
import tracemalloc
import zlib

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB
DEFAULT_CAP = 8 * GIB      # the C programs' default ceiling
QUICK_CAP = 64 * MIB       # the C programs' --quick ceiling
MIN_SIZE = 1 * KIB
SIZE_ENV = "BUFVIEW_MAX_BYTES"


class UsageError(Exception):
    pass


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


def human(n):
    for unit, div in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= div and n % div == 0:
            return f"{n // div} {unit}"
    return f"{n} B"


def meminfo(key):
    """A /proc/meminfo field in bytes, or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cpu_mhz():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    return int(float(line.split(":", 1)[1]))
    except (OSError, ValueError):
        pass
    return 0


def default_top():
    """Same rule as the C programs: the largest power of two whose source and copy fit in
    half of MemAvailable, at most 8 GiB."""
    avail = meminfo("MemAvailable") or 4 * GIB
    top = MIN_SIZE
    while top * 2 <= DEFAULT_CAP and 2 * (top * 2) <= avail // 2:
        top *= 2
    return top


def sizes_up_to(top, factor):
    """The C programs' sizes: 1 KiB, then x factor while below the top, then the top."""
    sizes, n = [], MIN_SIZE
    while n < top:
        sizes.append(n)
        n *= factor
    sizes.append(top)
    return sizes


def sizes_from_results(paths):
    """The sizes the C run used: the trailing number of every slice/... benchmark name."""
    sizes = set()
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        for b in doc.get("benchmarks", []):
            parts = b.get("name", "").split("/")
            if len(parts) >= 3 and parts[0] == "slice" and parts[-1].isdigit():
                sizes.add(int(parts[-1]))
    return sorted(sizes)


# ---- what is measured -----------------------------------------------------------------

def header(buf):
    """O(1) consumer: what a protocol parser does with a message before the payload."""
    return len(buf), buf[0], buf[1]


def checksum(buf):
    """O(n) consumer: reads every byte once (zlib.crc32 takes any buffer as is)."""
    return zlib.crc32(buf)


# (name, statement). The statements run inside timeit's generated function; SETUP binds
# every name to a local there, so the loop pays LOAD_FAST, not a dictionary lookup.
BENCHMARKS = [
    ("python/slice/view", "memoryview(data)[a:b]"),
    ("python/slice/copy", "data[a:b]"),
    ("python/pass/view/header", "header(memoryview(data)[a:b])"),
    ("python/pass/copy/header", "header(data[a:b])"),
    ("python/pass/view/sum", "checksum(memoryview(data)[a:b])"),
    ("python/pass/copy/sum", "checksum(data[a:b])"),
]
SETUP = ("data = _data; a = _a; b = _b; header = _header; checksum = _checksum; "
         "memoryview = _memoryview")


def reset_peak_rss():
    """Reset VmHWM so the peak is this benchmark's own (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class _Enough(Exception):
    """Stops Timer.autorange() once a trial reaches the requested minimum time."""


def measure(stmt, big, n, min_time):
    """Calibrate with timeit's autorange and return the last trial's figures."""
    timer = timeit.Timer(stmt, setup=SETUP, globals={
        "_data": big, "_a": 1, "_b": n - 1, "_header": header, "_checksum": checksum,
        "_memoryview": memoryview})
    last = {}
    before = [time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt]

    def trial_done(number, taken):
        # Called by autorange right after each trial: the CPU time and page faults since
        # the previous call belong to that trial alone.
        cpu = time.process_time()
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        last.update(number=number, real=taken, cpu=cpu - before[0],
                    faults=faults - before[1])
        before[0], before[1] = cpu, faults
        if taken >= min_time:
            raise _Enough

    try:
        timer.autorange(trial_done)   # returns by itself once a trial takes >= 0.2 s
    except _Enough:
        pass

    # Bytes allocated by one execution, measured apart from the timing (tracemalloc slows
    # every allocation): the peak of traced memory above what was live before.
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        live = tracemalloc.get_traced_memory()[0]
        timer.timeit(1)
        last["alloc"] = tracemalloc.get_traced_memory()[1] - live
    finally:
        tracemalloc.stop()
    return last


def machine_context(args, top):
    now = datetime.datetime.now().astimezone()
    load = list(os.getloadavg()) if hasattr(os, "getloadavg") else []
    return {
        "date": now.isoformat(timespec="seconds"),
        "host_name": socket.gethostname(),
        "executable": f"{sys.executable} {os.path.abspath(__file__)}",
        "num_cpus": os.cpu_count() or 1,
        "mhz_per_cpu": cpu_mhz(),
        "cpu_scaling_enabled": False,
        "load_avg": load,
        "cpu_model": cpu_model(),
        "mem_total_bytes": str(meminfo("MemTotal") or 0),
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "timer": "timeit.default_timer (time.perf_counter), Timer.autorange calibration; "
                 "the last trial is reported",
        "min_time_seconds": str(args.min_time),
        "bufview_program": "python_bench",
        "bufview_top_bytes": str(top),
        "bufview_quick": "true" if args.quick else "false",
        "bufview_counters": "bytes_per_second: bytes of the slice (n-2) per second of real "
                            "time; minflt: minor page faults per iteration (getrusage over "
                            "the reported trial); peak_rss: bytes, VmHWM after a reset "
                            "before the benchmark; alloc_bytes: peak bytes allocated by one "
                            "untimed execution (tracemalloc)",
        "sum_function": "zlib.crc32",
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
        return f"{ns / 1e9:10.3f} s "
    if ns >= 1e6:
        return f"{ns / 1e6:10.3f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:10.3f} us"
    return f"{ns:10.1f} ns"


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python_bench.py",
        description="CPython's bytes slicing vs memoryview, in Google Benchmark's JSON shape.")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: sizes up to 64 MiB, short trials (0.01 s)")
    p.add_argument("--max-bytes", metavar="SIZE",
                   help=f"largest dataset, e.g. 4G (default: ${SIZE_ENV}, else the largest "
                        "power of two whose source and copy fit in half of MemAvailable, "
                        "at most 8 GiB)")
    p.add_argument("--sizes-from", metavar="JSON", action="append", default=[],
                   help="use exactly the sizes of the slice/... benchmarks in this C result "
                        "file (repeatable); --max-bytes still caps them")
    p.add_argument("--size-factor", metavar="N", type=int, choices=(2, 4), default=4,
                   help="sizes grow by 2 or 4 from 1 KiB to the top (default 4, as the C "
                        "programs)")
    p.add_argument("--min-time", metavar="SECONDS", type=float, default=None,
                   help="stop calibrating once a trial lasts this long (at most 0.2, "
                        "timeit's own threshold; default 0.2, 0.01 with --quick)")
    p.add_argument("--filter", metavar="REGEX", default=None,
                   help="run only benchmarks whose name matches (re.search)")
    p.add_argument("--list", action="store_true",
                   help="print the benchmark names that would run, in order, and exit")
    p.add_argument("--out-dir", metavar="DIR", default=None,
                   help="results go to DIR/results/python.json (default: $BUFVIEW_OUT_DIR, "
                        "else out), as the C programs")
    p.add_argument("--out", metavar="FILE", default=None,
                   help="JSON output file (replaces --out-dir)")
    args = p.parse_args(argv)

    try:
        if args.max_bytes is not None:
            args.max = parse_size(args.max_bytes)
        elif os.environ.get(SIZE_ENV):
            args.max = parse_size(os.environ[SIZE_ENV])
        else:
            args.max = None
    except UsageError as e:
        p.error(f"--max-bytes: {e}")
    if args.min_time is None:
        args.min_time = 0.01 if args.quick else 0.2
    if not 0 < args.min_time <= 0.2:
        p.error("--min-time must be greater than 0 and at most 0.2 (timeit's threshold)")
    if args.filter is not None:
        try:
            args.filter = re.compile(args.filter)
        except re.error as e:
            p.error(f"--filter: {e}")
    if args.out is None:
        out_dir = args.out_dir or os.environ.get("BUFVIEW_OUT_DIR") or "out"
        args.out = os.path.join(out_dir, "results", "python.json")
    return args


def main(argv):
    args = parse_args(argv)

    if args.sizes_from:
        try:
            sizes = sizes_from_results(args.sizes_from)
        except (OSError, ValueError) as e:
            print(f"python_bench: cannot read sizes from {args.sizes_from}: {e}",
                  file=sys.stderr)
            return 1
        if not sizes:
            print(f"python_bench: no slice/... sizes in {args.sizes_from}", file=sys.stderr)
            return 1
    else:
        top = args.max if args.max is not None else default_top()
        if args.quick:
            top = min(top, QUICK_CAP)
        sizes = sizes_up_to(top, args.size_factor)
    if args.max is not None:
        sizes = [n for n in sizes if n <= args.max]
    if args.quick:
        sizes = [n for n in sizes if n <= QUICK_CAP]
    sizes = [n for n in sizes if n >= 3]    # [1:n-1] needs at least one byte
    if not sizes:
        print("python_bench: no sizes to run (is --max-bytes below 1 KiB?)", file=sys.stderr)
        return 2

    # Memory guard: the dataset plus one copy of the largest size, with room to spare. A
    # size that does not fit is reported as an error entry, never attempted.
    avail = meminfo("MemAvailable")
    fitting = [n for n in sizes if avail is None or 2 * n + 256 * MIB <= avail]
    too_big = [n for n in sizes if n not in fitting]
    top = max(fitting) if fitting else 0

    selected = [(name, stmt) for name, stmt in BENCHMARKS
                if args.filter is None or any(args.filter.search(f"{name}/{n}") for n in sizes)]
    if args.list:
        for name, _ in selected:
            for n in sizes:
                if args.filter is None or args.filter.search(f"{name}/{n}"):
                    print(f"{name}/{n}")
        return 0

    print(f"python_bench: CPython {platform.python_version()}, {len(sizes)} sizes "
          f"{human(sizes[0])} .. {human(sizes[-1])}, min time {args.min_time} s, "
          f"O(n) consumer zlib.crc32", flush=True)
    big = b""
    if top:
        t0 = time.perf_counter()
        pattern = bytes(range(256))
        # Every byte written once (pages touched, no zero-page reads); the length is
        # rounded up to a multiple of 256, and only [1:n-1] is ever read.
        big = pattern * (-(-top // 256))
        print(f"python_bench: dataset of {human(top)} built in "
              f"{time.perf_counter() - t0:.2f} s", flush=True)

    doc = {"context": machine_context(args, top), "benchmarks": []}
    print(f"{'Benchmark':<40}{'Time':>14}{'CPU':>14}{'Iterations':>12}  rate", flush=True)
    family_index = 0
    for name, stmt in selected:
        instance = 0
        for n in sizes:
            full = f"{name}/{n}"
            if args.filter is not None and not args.filter.search(full):
                continue
            entry = {"name": full, "family_index": family_index,
                     "per_family_instance_index": instance, "run_name": full,
                     "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
                     "threads": 1}
            instance += 1
            if n in too_big:
                msg = (f"skipped: dataset plus copy ({human(2 * n)}) does not fit in "
                       f"MemAvailable ({avail} bytes)")
                entry.update(error_occurred=True, error_message=msg)
                doc["benchmarks"].append(entry)
                print(f"{full:<40}ERROR: {msg}", flush=True)
                continue
            reset_peak_rss()
            if sys.stdout.isatty():
                print(f"{full:<40}running...", end="\r", flush=True)
            r = measure(stmt, big, n, args.min_time)
            iters = r["number"]
            real_ns = r["real"] / iters * 1e9
            cpu_ns = r["cpu"] / iters * 1e9
            moved = n - 2
            entry.update(
                iterations=iters, real_time=real_ns, cpu_time=cpu_ns, time_unit="ns",
                bytes_per_second=moved / (real_ns / 1e9) if real_ns > 0 else 0.0,
                alloc_bytes=float(r["alloc"]),
                minflt=r["faults"] / iters,
                peak_rss=float(peak_rss()))
            doc["benchmarks"].append(entry)
            print(f"{full:<40}{fmt_time(real_ns):>14}{fmt_time(cpu_ns):>14}{iters:>12}  "
                  f"{entry['bytes_per_second'] / 1e9:.3g} GB/s", flush=True)
        family_index += 1

    write_json_atomically(args.out, doc)
    print(f"python_bench: wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("python_bench: interrupted; previous results left as they were", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        # Output piped into a reader that stopped (e.g. head): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
