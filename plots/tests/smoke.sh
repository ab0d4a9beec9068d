#!/bin/sh
# smoke.sh: the whole pipeline on fresh data. Runs every benchmark program and
# bench/python_bench.py in a tiny smoke mode, checks the CPython JSON's shape, draws
# every chart and writes the report (check_outputs.sh). No timing is checked.
#
# usage: smoke.sh REPO_DIR WORK_DIR BENCH_EXE...
# Exit 77 (skipped) when jq or gnuplot is missing.
set -u
repo=$1
work=$2
shift 2
for tool in jq gnuplot; do
    command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
rm -rf "$work"
mkdir -p "$work"
for exe in "$@"; do
    echo "== $(basename "$exe") --quick --max-bytes=64K"
    if ! "$exe" --quick --max-bytes=64K --out-dir="$work" --benchmark_min_time=0.0001 \
            > "$work/$(basename "$exe").log" 2>&1; then
        cat "$work/$(basename "$exe").log"
        echo "FAIL $(basename "$exe") failed"
        exit 1
    fi
done

charts="slicing speedup passing throughput memory_peak memory_alloc faults"
fails=0
if command -v python3 >/dev/null 2>&1; then
    echo "== python_bench.py --quick --max-bytes=64K"
    if ! python3 "$repo/bench/python_bench.py" --quick --max-bytes=64K --min-time=0.001 \
            --sizes-from="$work/results/bench_slice.json" --out-dir="$work" > "$work/python.log" 2>&1; then
        cat "$work/python.log"
        echo "FAIL python_bench.py failed"
        exit 1
    fi
    json=$work/results/python.json
    check() {
        if jq -e "$2" "$json" >/dev/null; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi
    }
    check "python.json: the seven families over the C sizes (1024, 4096, 16384, 65536), 3 repetitions each" \
        '[.benchmarks[] | select(.run_type == "iteration") | .name] | group_by(.) | map([.[0], length])
         == ([ "python/slice/view", "python/slice/view_new", "python/slice/copy", "python/pass/view/header",
               "python/pass/copy/header", "python/pass/view/sum", "python/pass/copy/sum" ]
             | map(. as $f | [1024, 4096, 16384, 65536][] | ["\($f)/\(.)", 3]) | sort)'
    check "python.json: Google Benchmark fields on every repetition" \
        '[.benchmarks[] | select(.run_type == "iteration") | has("real_time") and has("cpu_time")
          and .time_unit == "ns" and (.iterations >= 1) and has("bytes_per_second") and .repetitions == 3] | all'
    check "python.json: the six aggregates (mean, median, stddev, cv, min, max) of every benchmark" \
        '[.benchmarks[] | select(.run_type == "aggregate") | .aggregate_name] | group_by(.)
         | map([.[0], length]) == [["cv", 28], ["max", 28], ["mean", 28], ["median", 28], ["min", 28], ["stddev", 28]]'
    check "python.json: counters minflt, peak_rss, peak_rss_added, alloc_bytes" \
        '[.benchmarks[] | has("minflt") and has("peak_rss") and has("peak_rss_added") and has("alloc_bytes")] | all'
    check "python.json: a copy allocates at least the slice and records its page offsets" \
        '[.benchmarks[] | select(.run_type == "iteration" and (.name | startswith("python/slice/copy/")))
          | .alloc_bytes >= ((.name | split("/") | last | tonumber) - 2)
            and has("src_page_offset") and has("dst_page_offset")] | all'
    check "python.json: context names the interpreter, the O(n) consumer and the memory policy" \
        '.context | .python_implementation == "CPython" and .sum_function == "zlib.crc32"
          and (.python_executable | length > 0) and (.malloc_policy | length > 0) and (.date | length > 0)'
    charts="$charts python_slicing python_passing"
else
    echo "NOTICE: python3 not installed: the CPython part is not tested here"
fi

sh "$(dirname "$0")/check_outputs.sh" "$repo/plots" "$work/results" "$work/out" $charts || exit 1
[ "$fails" -eq 0 ] || { echo "smoke.sh: $fails check(s) failed"; exit 1; }
echo "smoke.sh: all checks passed"
