#!/bin/sh
# smoke.sh: runs one benchmark program in a tiny smoke mode and checks, with jq, that its
# JSON file exists where the program writes it by default and lists every expected
# benchmark with the size as the last part of its name, without errors, and with the
# counters every result must carry. No timing is checked.
# usage: smoke.sh PROGRAM_EXE PROGRAM_NAME OUT_DIR JQ NAME...
set -eu
exe=$1
prog=$2
dir=$3
jq=$4
shift 4
command -v "$jq" >/dev/null 2>&1 || { echo "smoke.sh: jq not found (apt-get install jq)"; exit 1; }
rm -rf "$dir"
json=$dir/results/$prog.json

"$exe" --quick --max-bytes=16K --out-dir="$dir" --benchmark_min_time=0.0001

fails=0
check() {
    if "$jq" -e "$2" "$json" >/dev/null; then
        echo "ok   $1"
    else
        echo "FAIL $1: $2"
        fails=$((fails + 1))
    fi
}
[ -s "$json" ] || { echo "FAIL: $json was not written"; exit 1; }
if ls "$dir/results"/.*.tmp.* >/dev/null 2>&1; then
    echo "FAIL: a temporary file was left in $dir/results"
    fails=$((fails + 1))
fi

want=$(printf '%s\n' "$@" | "$jq" -R . | "$jq" -s -c .)
check "the expected benchmarks, in order" "[.benchmarks[] | .name] == $want"
check "no benchmark reported an error" '[.benchmarks[] | .error_occurred // false] | any | not'
check "every result has bytes_per_second, alloc_bytes, allocs, minflt, peak_rss" \
  '[.benchmarks[] | has("bytes_per_second") and has("alloc_bytes") and has("allocs") and has("minflt") and has("peak_rss")] | all'
check "sizes as the last part of sized names" \
  '[.benchmarks[] | .name | select(test("/[0-9]+$")) | split("/") | last | tonumber] | all(. >= 1024)'
check "machine context present" \
  ".context | has(\"cpu_model\") and has(\"mem_total_bytes\") and .bufview_program == \"$prog\" and .bufview_quick == \"true\""
check "peak_rss is a plausible byte count" '[.benchmarks[] | .peak_rss > 100000] | all'

if [ "$fails" -ne 0 ]; then
    echo "smoke.sh: $prog: $fails check(s) failed"
    exit 1
fi
echo "smoke.sh: $prog: all checks passed"
