#!/bin/sh
# smoke.sh: the whole pipeline on fresh data: bench/run_all.sh runs every benchmark
# program and python_bench.py in a smoke mode (--quick, sizes up to 1 MiB), then the
# charts and the report are made and checked (check_outputs.sh), and the CPython results'
# shape is checked. No timing is checked.
#
# usage: smoke.sh REPO_DIR WORK_DIR BUILD_DIR
# Exit 77 (skipped) when jq or gnuplot is missing.
set -u
repo=$1
work=$2
build=$3
. "$(dirname "$0")/lib.sh"
plots_test_need jq gnuplot
rm -rf "$work"
mkdir -p "$work"
echo "== bench/run_all.sh $build $work --quick --max-bytes=1M"
if ! "$repo/bench/run_all.sh" "$build" "$work" --quick --max-bytes=1M > "$work/run_all.log" 2>&1; then
    cat "$work/run_all.log"
    echo "FAIL bench/run_all.sh failed"
    exit 1
fi
grep -v '^    \[' "$work/run_all.log"

charts="slicing copies layout pages speedup passing throughput memory_peak memory_alloc faults consume io"
fails=0
json=$work/results/python.json
if [ -s "$json" ]; then
    sizes=$("$build/bench/bench_bufview" --list-sizes --quick --max-bytes=1M | jq -s -c .)
    check() {
        if jq -e --slurpfile fams "$repo/bench/families.json" --argjson sizes "$sizes" "$2" "$json" >/dev/null; then
            echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi
    }
    check "python.json: its families (bench/families.json) over the C programs' sizes, 3 repetitions each" \
        '[.benchmarks[] | select(.run_type == "iteration") | .name] | group_by(.) | map([.[0], length])
         == ([$fams[0].families[] | select(.program == "python_bench") | .name]
             | map(. as $f | $sizes[]
                   # the consume families run from one step (64 KiB) to CONSUME_MAX (16 MiB)
                   | select(($f | startswith("python/consume/") | not) or (. >= 65536 and . <= 16777216))
                   | ["\($f)/\(.)", 3]) | sort)'
    check "python.json: the six aggregates (mean, median, stddev, cv, min, max) of every benchmark" \
        '[.benchmarks[] | select(.run_type == "aggregate")] | group_by(.run_name)
         | all(map(.aggregate_name) | sort == ["cv", "max", "mean", "median", "min", "stddev"])'
    check "python.json: counters minflt, peak_rss, peak_rss_added, alloc_bytes" \
        '[.benchmarks[] | has("minflt") and has("peak_rss") and has("peak_rss_added") and has("alloc_bytes")] | all'
    check "python.json: context names the interpreter, the O(n) consumer and the memory policy" \
        '.context | .python_implementation == "CPython" and .sum_function == "zlib.crc32"
          and (.python_executable | length > 0) and (.malloc_policy | length > 0) and (.date | length > 0)'
    c_dst=$(jq -r .context.bufview_dst_page_offset "$work/results/bench_bufview.json")
    py_dst=$(jq -r '[.benchmarks[] | select(.run_type == "iteration" and (.name | startswith("python/slice/copy/1048576"))) | .dst_page_offset] | first' "$json")
    if [ "$c_dst" = "$py_dst" ]; then echo "ok   bufview's copies are placed where CPython's are (page offset $c_dst)"
    else echo "FAIL bufview's copies at page offset $c_dst, CPython's at $py_dst"; fails=$((fails + 1)); fi
    charts="$charts python_slicing python_passing"
else
    echo "NOTICE: no CPython results (python3 missing): the CPython part is not tested here"
fi

sh "$(dirname "$0")/check_outputs.sh" "$repo/plots" "$work/results" "$work/out" $charts || exit 1
[ "$fails" -eq 0 ] || { echo "smoke.sh: $fails check(s) failed"; exit 1; }
echo "smoke.sh: all checks passed"
