#!/bin/sh
# fixture.sh: charts and report from the committed results in plots/testdata/ (real
# output of a smoke run: bench programs with --quick --max-bytes=256K and python_bench.py
# --quick), with and without the CPython results. Without them, the CPython charts must
# not be drawn, a notice must say so, and the report must still reference only files
# that exist.
#
# usage: fixture.sh REPO_DIR WORK_DIR
# Exit 77 (skipped) when jq or gnuplot is missing.
set -u
repo=$1
work=$2
. "$(dirname "$0")/lib.sh"
plots_test_need jq gnuplot
here=$(dirname "$0")
all="slicing copies layout pages speedup passing throughput memory_peak memory_alloc faults consume io"
status=0

echo "== with CPython results"
sh "$here/check_outputs.sh" "$repo/plots" "$repo/plots/testdata" "$work/with-python" \
    $all python_slicing python_passing || status=1

echo "== without CPython results"
rm -rf "$work/c-only"
mkdir -p "$work/c-only"
cp "$repo/plots/testdata"/bench_*.json "$work/c-only/"
sh "$here/check_outputs.sh" "$repo/plots" "$work/c-only" "$work/without-python" \
    $all '!python_slicing' '!python_passing' || status=1
if grep -q "NOTICE: no CPython results" "$work/without-python/make_plots.log"; then
    echo "ok   make_plots.sh printed a notice about the missing CPython results"
else
    echo "FAIL make_plots.sh did not say the CPython charts were skipped"; status=1
fi
if grep -q "No CPython results in this run" "$work/without-python/report.html"; then
    echo "ok   the report says the CPython charts are missing"
else
    echo "FAIL the report does not mention the missing CPython results"; status=1
fi

echo "== no results at all"
mkdir -p "$work/empty"
if "$repo/plots/make_plots.sh" "$work/empty" "$work/empty-out" > "$work/empty.log" 2>&1; then
    echo "FAIL make_plots.sh succeeded without results"; status=1
else
    echo "ok   make_plots.sh refuses an empty results directory: $(head -n 1 "$work/empty.log")"
fi
exit $status
