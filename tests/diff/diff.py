#!/usr/bin/env python3
"""tests/diff/diff.py: the differential tests of bufview against CPython and NumPy.

For COUNT seeds starting at SEED, generates an operation sequence (gen.py), runs the whole
batch once on the reference (run_py.py on CPython's memoryview, or with --against numpy
run_np.py on NumPy arrays) and once on bufview (bv_diff), and compares the result lines.
Batches of sequences run in worker processes, one per core, so thousands of sequences
take seconds. The NumPy test needs an interpreter that imports numpy, for this script
and for run_np.py (--python).

On a mismatch it prints the seed, the operation, both lines and a one-line command that
replays just that seed with every line shown (--verbose).

    python3 tests/diff/diff.py --bin build/release/tests/diff/bv_diff --count 100000
    python3 tests/diff/diff.py --bin build/release/tests/diff/bv_diff --seed 123 --count 1 --verbose
    /usr/bin/python3 tests/diff/diff.py --against numpy --bin build/release/tests/diff/bv_diff

Exit status: 0 all equal, 1 mismatches or a crash, 2 usage error.
"""
import argparse
import concurrent.futures
import os
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402


def split_sequences(lines):
    """{seed: [result lines]} from a batch output."""
    out = {}
    cur = None
    for line in lines:
        if line.startswith("seq "):
            cur = int(line[4:])
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
            if line == "end" or line.startswith("LEAK:"):
                cur = None
    return out


def run_tool(cmd, path, timeout):
    p = subprocess.run(cmd + [path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def run_chunk(job):
    """Generate, run both sides, compare. Returns (ops compared, [failure records])."""
    seeds, binary, python, exclude, verbose, against = job
    texts = {s: gen.generate(s, exclude, against) for s in seeds}
    batch = []
    for s in seeds:
        batch.append("seq %d" % s)
        batch.extend(texts[s])
        batch.append("end")
    fd, path = tempfile.mkstemp(prefix="bv_diff_", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(batch) + "\n")
        timeout = 60 + 2 * len(seeds)
        prc, pout, perr = run_tool([python, os.path.join(HERE, EXECUTORS[against])], path,
                                   timeout)
        crc, cout, cerr = run_tool([binary], path, timeout)
    finally:
        os.unlink(path)
    failures = []
    if prc != 0:
        return 0, [{"seed": seeds[0], "kind": "python", "detail": perr.strip()[-2000:]}]
    py = split_sequences(pout.splitlines())
    c = split_sequences(cout.splitlines())
    ops = 0
    for s in seeds:
        ops_text = texts[s] + ["end"]
        pl, cl = py.get(s), c.get(s)
        if cl is None or (len(cl) < len(ops_text) and crc != 0):
            failures.append({"seed": s, "kind": "crash",
                             "detail": "bv_diff exited with status %d\n%s"
                                       % (crc, cerr.strip()[-3000:])})
            break  # the rest of the batch did not run
        lines = []
        bad = None
        for k, op in enumerate(ops_text):
            a = pl[k] if k < len(pl) else "<missing>"
            b = cl[k] if k < len(cl) else "<missing>"
            if verbose:
                lines.append((op, a, b))
            if a != b and bad is None:
                bad = (k, op, a, b)
        ops += len(ops_text)
        if bad is not None or verbose:
            failures.append({"seed": s, "kind": "mismatch" if bad else "ok", "first": bad,
                             "lines": lines, "ops": texts[s]})
    return ops, failures


ROOT = os.path.dirname(os.path.dirname(HERE))
EXECUTORS = {"cpython": "run_py.py", "numpy": "run_np.py"}


def short_path(p):
    """Relative when running from the repository root (as the README shows), else absolute,
    so the replay line works wherever it is pasted from (CTest runs in the build tree)."""
    p = os.path.abspath(p)
    if os.getcwd() == ROOT and not os.path.relpath(p, ROOT).startswith(".."):
        return os.path.relpath(p, ROOT)
    return p


def replay_command(args, seed):
    interpreter = "python3" if args.against == "cpython" else sys.executable
    cmd = [interpreter, short_path(os.path.join(HERE, "diff.py")),
           "--bin", short_path(args.bin), "--seed", str(seed), "--count", "1", "--verbose"]
    if args.python != sys.executable:
        cmd += ["--python", args.python]
    if args.exclude:
        cmd += ["--exclude", args.exclude]
    if args.against != "cpython":
        cmd += ["--against", args.against]
    return " ".join(shlex.quote(x) for x in cmd)


def report(args, f):
    seed = f["seed"]
    if f["kind"] == "ok":
        print("seed %d: all lines equal" % seed)
        for op, a, _ in f["lines"]:
            print("  %-50s | %s" % (op, a))
        return
    if f["kind"] in ("python", "crash"):
        print("FAILURE (%s) in the batch starting at or containing seed %d:\n%s"
              % (f["kind"], seed, f["detail"]))
        print("replay: " + replay_command(args, seed))
        return
    k, op, a, b = f["first"]
    print("MISMATCH seed %d, operation %d: %s" % (seed, k + 1, op))
    print("  %s: %s" % (args.against, a))
    print("  bufview: %s" % b)
    if f["lines"]:
        print("  full sequence (%s | bufview):" % args.against)
        for op2, x, y in f["lines"]:
            mark = "  " if x == y else "!!"
            print("  %s %-48s | %s" % (mark, op2, x))
            if x != y:
                print("  %s %-48s | %s" % (mark, "", y))
    print("replay: " + replay_command(args, seed))


def main(argv):
    ap = argparse.ArgumentParser(
        description="Differential tests of bufview against CPython's memoryview and NumPy.")
    ap.add_argument("--against", choices=sorted(EXECUTORS), default="cpython",
                    help="the reference: CPython's memoryview (default) or NumPy's indexing")
    ap.add_argument("--bin", required=True, help="the bv_diff program")
    ap.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    ap.add_argument("--count", type=int, default=2000, help="number of sequences")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--chunk", type=int, default=250, help="sequences per batch")
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter that runs run_py.py / run_np.py (default: this one)")
    ap.add_argument("--exclude", default="",
                    help="comma-separated operation kinds not to generate (for exploring)")
    ap.add_argument("--max-report", type=int, default=5,
                    help="mismatching seeds to print in full (all are counted)")
    ap.add_argument("--verbose", action="store_true", help="print every line of every seed")
    ap.add_argument("--ctest", action="store_true",
                    help="take the count from $BUFVIEW_DIFF_COUNT when set")
    args = ap.parse_args(argv[1:])
    if args.ctest and os.environ.get("BUFVIEW_DIFF_COUNT"):
        args.count = int(os.environ["BUFVIEW_DIFF_COUNT"])
    if not os.access(args.bin, os.X_OK):
        print("diff.py: %s is not an executable bv_diff" % args.bin)
        return 2
    exclude = [x for x in args.exclude.split(",") if x]
    unknown = [x for x in exclude if x not in dict(gen.GENERATORS[args.against].WEIGHTS)]
    if unknown:
        print("diff.py: unknown operation kinds %s" % ",".join(unknown))
        return 2

    seeds = list(range(args.seed, args.seed + args.count))
    chunk = max(1, min(args.chunk, (len(seeds) + args.jobs - 1) // max(args.jobs, 1)))
    jobs = [(seeds[i:i + chunk], os.path.abspath(args.bin), args.python, exclude,
             args.verbose, args.against) for i in range(0, len(seeds), chunk)]
    t0 = time.time()
    total_ops = 0
    failures = []
    if args.jobs <= 1 or len(jobs) == 1:
        results = list(map(run_chunk, jobs))
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(run_chunk, jobs))
    for ops, fs in results:
        total_ops += ops
        failures.extend(fs)
    elapsed = time.time() - t0

    bad = [f for f in failures if f["kind"] != "ok"]
    for f in sorted(failures, key=lambda f: f["seed"])[:max(args.max_report, 0)
                                                          if not args.verbose else None]:
        report(args, f)
    version = ("import sys; print('CPython ' + sys.version.split()[0])" if args.against == "cpython"
               else "import sys, numpy; print('NumPy %s (CPython %s)' % (numpy.__version__, "
                    "sys.version.split()[0]))")
    reference = subprocess.run([args.python, "-c", version],
                               stdout=subprocess.PIPE).stdout.decode().strip()
    status = "PASS" if not bad else "FAIL"
    print("diff.%s %s: %d sequences (seeds %d..%d), %d operations compared against "
          "%s, %d mismatching sequences, %.1f s"
          % (args.against, status, len(seeds), seeds[0] if seeds else 0,
             seeds[-1] if seeds else 0, total_ops, reference, len(bad), elapsed))
    if bad:
        kinds = {}
        for f in bad:
            if f["kind"] == "mismatch":
                key = f["first"][1].split()[0]
            else:
                key = f["kind"]
            kinds[key] = kinds.get(key, 0) + 1
        print("mismatching sequences by first failing operation: " +
              ", ".join("%s=%d" % kv for kv in sorted(kinds.items())))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
