#!/usr/bin/env python3
"""Shrink fuzz inputs to a few dozen seeds that keep as many coverage edges as possible.

libFuzzer's -merge=1 keeps any input that adds a feature, which leaves hundreds of files;
committed seeds should be a few dozen. This learns which coverage edges each input reaches
(from the control file of a one-input merge), then picks inputs greedily, most new edges
first, until every edge is covered or --max inputs are chosen, and copies them into OUT_DIR
named by content hash. Feed it an already merged corpus: it runs the harness per input.

    tests/fuzz/minimize_corpus.py [--max N] BUILD_DIR/tests/fuzz/fuzz_ops tests/fuzz/corpus/ops DIR...
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile


def edges_of(harness, path, scratch):
    """The coverage edges one input reaches. A merge records only edges new to the merge,
    so each input gets a merge of its own."""
    single = os.path.join(scratch, "in")
    out = os.path.join(scratch, "out")
    control = os.path.join(scratch, "control")
    for d in (single, out):
        shutil.rmtree(d, ignore_errors=True)
        os.mkdir(d)
    if os.path.exists(control):
        os.remove(control)   # an existing control file would resume the last merge
    shutil.copyfile(path, os.path.join(single, "input"))
    subprocess.run([harness, "-merge=1", "-merge_control_file=" + control, out, single],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(control) as f:
        for line in f:
            fields = line.split()
            if fields and fields[0] == "COV":
                return set(fields[2:])
    return set()


def coverage_per_input(harness, dirs):
    """Map each input path to the set of coverage edges it reaches."""
    paths = sorted(os.path.join(d, name) for d in dirs for name in os.listdir(d)
                   if os.path.isfile(os.path.join(d, name)))
    with tempfile.TemporaryDirectory() as scratch:
        return {p: edges_of(harness, p, scratch) for p in paths}


def greedy_cover(edges, limit):
    """Up to limit inputs, most new edges first (smaller on ties), until all are covered."""
    left = set().union(*edges.values()) if edges else set()
    chosen = []
    while left and len(chosen) < limit:
        best = max(edges, key=lambda p: (len(edges[p] & left), -os.path.getsize(p)))
        gain = edges[best] & left
        if not gain:
            break
        chosen.append(best)
        left -= gain
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("harness", help="the fuzz target, e.g. build/debug/tests/fuzz/fuzz_ops")
    parser.add_argument("out_dir", help="where the seeds go, e.g. tests/fuzz/corpus/ops")
    parser.add_argument("in_dirs", nargs="+", help="inputs to choose from")
    parser.add_argument("--max", type=int, default=64, help="most seeds to keep (default 64)")
    args = parser.parse_args()
    if args.max < 1:
        parser.error("--max must be at least 1")
    edges = coverage_per_input(args.harness, args.in_dirs)
    chosen = greedy_cover(edges, args.max)
    os.makedirs(args.out_dir, exist_ok=True)
    kept = set()
    for path in chosen:
        kept |= edges[path]
        with open(path, "rb") as f:
            name = hashlib.sha1(f.read()).hexdigest()
        shutil.copyfile(path, os.path.join(args.out_dir, name))
    total = len(set().union(*edges.values())) if edges else 0
    print(f"{len(chosen)} of {len(edges)} inputs keep {len(kept)} of {total} edges "
          f"-> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
