#!/bin/sh
# skip.sh: a size that cannot be allocated is reported as an error result with a clear
# message while the other sizes still run and the program exits normally. Uses a 64 TiB
# top size, which no machine running this test has available (only its check runs: the
# dataset is refused before anything is allocated).
# usage: skip.sh BENCH_BUFVIEW_EXE OUT_DIR JQ
set -eu
exe=$1
dir=$2
jq=$3
command -v "$jq" >/dev/null 2>&1 || { echo "skip.sh: jq not found (apt-get install jq)"; exit 1; }
rm -rf "$dir"
json=$dir/results/bench_bufview.json
"$exe" --max-bytes=64T --out-dir="$dir" --benchmark_min_time=0.0001 \
    --benchmark_min_warmup_time=0 --benchmark_filter='slice/view/(1024|70368744177664)$'
"$jq" -e '[.benchmarks[] | .run_name] | unique == ["slice/view/1024", "slice/view/70368744177664"]' "$json"
"$jq" -e '[.benchmarks[] | select(.run_name == "slice/view/1024")] | length > 0 and
          all((.error_occurred // false) == false and .iterations > 0)' "$json"
"$jq" -e '[.benchmarks[] | select(.run_name == "slice/view/70368744177664")] | length > 0 and
          all(.error_occurred == true and
              (.error_message | test("^skipped: the dataset needs 64 TiB but MemAvailable is ")))' "$json"
echo "skip.sh: the unallocatable size was skipped with its message; the run went on"
