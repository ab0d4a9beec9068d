#!/usr/bin/env bash
# Run every libFuzzer harness (tests/fuzz/fuzz_*.c) for longer than the CTest smoke run and
# print how many inputs each executed. Harnesses run one after another at low priority.
#
#   tests/fuzz/run_long.sh [SECONDS_PER_HARNESS] [BUILD_DIR] [HARNESS...]
#
# SECONDS_PER_HARNESS defaults to 600; BUILD_DIR to build/debug (the debug preset, which
# builds the harnesses with clang, ASan and UBSan); HARNESS names (format, ops) pick some
# harnesses, all by default. New inputs go to a corpus in the build
# directory; the committed seeds in tests/fuzz/corpus/ are only read. A finding stops with
# the crashing input saved next to the log and exit status 1. BUFVIEW_FUZZ_JOBS=N runs N
# processes per harness at once (one per core) and sums their executions.
set -euo pipefail

usage() {
    echo "usage: $0 [SECONDS_PER_HARNESS] [BUILD_DIR] [HARNESS...]" >&2
    exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-600}
build=${2:-$root/build/debug}
shift $(( $# < 2 ? $# : 2 ))
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
    for src in "$here"/fuzz_*.c; do
        n=$(basename "$src" .c)
        names+=("${n#fuzz_}")
    done
fi
for short in "${names[@]}"; do
    [[ -f $here/fuzz_$short.c ]] || { echo "$0: no harness '$short' (tests/fuzz/fuzz_$short.c)" >&2; usage; }
done
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || { echo "$0: seconds must be a positive integer, not '$seconds'" >&2; usage; }
[[ -d $build/tests/fuzz ]] || {
    echo "$0: no fuzz harnesses in $build; build them first:" >&2
    echo "    cmake --preset debug && cmake --build --preset debug" >&2
    exit 2
}

# Parallel processes per harness (BUFVIEW_FUZZ_JOBS, default 1): each has its own corpus
# directory and log and also reads the others' corpora at start; their counts are summed.
jobs=${BUFVIEW_FUZZ_JOBS:-1}
[[ $jobs =~ ^[0-9]+$ && $jobs -ge 1 && $jobs -le 64 ]] || {
    echo "$0: BUFVIEW_FUZZ_JOBS must be an integer from 1 to 64, not '$jobs'" >&2
    usage
}

total=0
status=0
for short in "${names[@]}"; do
    name=fuzz_$short
    bin=$build/tests/fuzz/$name
    [[ -x $bin ]] || { echo "$0: $bin is missing; rebuild the debug preset" >&2; exit 2; }
    # Process 0 keeps the names a single process always had; process j adds "-j".
    suffixes=() corpora=() logs=()
    for ((j = 0; j < jobs; j++)); do
        suffixes+=("$([[ $j -eq 0 ]] || echo "-$j")")
        corpora+=("$build/tests/fuzz/long-corpus-$short${suffixes[j]}")
        logs+=("$build/tests/fuzz/long-$short${suffixes[j]}.log")
        mkdir -p "${corpora[j]}"
    done
    echo "fuzz_$short: running for $seconds s in $jobs process(es) (logs: $build/tests/fuzz/long-$short*.log)"
    pids=()
    for ((j = 0; j < jobs; j++)); do
        suffix=${suffixes[j]}
        others=()
        for ((k = 0; k < jobs; k++)); do [[ $k -ne $j ]] && others+=("${corpora[k]}"); done
        ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
            nice -n 10 "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
                -print_final_stats=1 -artifact_prefix="$build/tests/fuzz/$short$suffix-" \
                "${corpora[j]}" ${others[@]+"${others[@]}"} "$here/corpus/$short" >"${logs[j]}" 2>&1 &
        pids+=($!)
    done
    runs_all=0
    for ((j = 0; j < jobs; j++)); do
        rc=0
        wait "${pids[j]}" || rc=$?
        log=${logs[j]}
        runs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log")
        if [[ $rc -ne 0 || -z $runs ]]; then
            echo "fuzz_$short: FAILED (exit $rc); see $log" >&2
            grep -E "ERROR|MODEL MISMATCH|runtime error|Test unit written" "$log" >&2 || true
            status=1
            continue
        fi
        rate=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log")
        [[ $jobs -gt 1 ]] && echo "  process $j: $runs executions ($rate/s)"
        runs_all=$((runs_all + runs))
    done
    [[ $status -eq 0 ]] && echo "fuzz_$short: $runs_all executions, no findings"
    total=$((total + runs_all))
done
echo "total: $total executions"
exit $status
