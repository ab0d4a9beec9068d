#!/bin/sh
# check_shim.sh: runs shim_test and checks, with jq, the JSON it wrote: plain names, exact
# iteration counts, counter flags applied as documented, errors reported with messages.
# usage: check_shim.sh SHIM_TEST_EXE OUT_DIR [JQ]
set -eu
exe=$1
dir=$2
jq=${3:-jq}
command -v "$jq" >/dev/null 2>&1 || { echo "check_shim.sh: jq not found (apt-get install jq)"; exit 1; }
mkdir -p "$dir"
json=$dir/shim_test.json
rm -f "$json"
"$exe" --benchmark_out="$json" --benchmark_out_format=json

fails=0
check() {
    # check DESCRIPTION JQ_EXPRESSION: the expression must be true on the JSON.
    if "$jq" -e "$2" "$json" >/dev/null; then
        echo "ok   $1"
    else
        echo "FAIL $1: $2"
        fails=$((fails + 1))
    fi
}
# Relative closeness for values derived from timings (an identity, not a timing check).
near='def near($a; $b): (($a - $b) | fabs) <= 1e-6 * ($b | fabs);'

check "context carries custom values" '.context.shim_test == "context value"'
check "iteration rows in registration order with plain names" \
  '[.benchmarks[] | select(.run_type == "iteration") | .name] ==
   ["fixed/7","args/3/5","repeated","repeated","repeated","calibrated","paused",
    "skip_in_setup","skip_in_run","range/8","range/16","range/64","range/256","range/512"]'
check "fixed/7 ran exactly 1000 iterations" '.benchmarks[] | select(.name == "fixed/7") | .iterations == 1000'
check "time unit set per benchmark" '.benchmarks[] | select(.name == "fixed/7") | .time_unit == "us"'
check "plain counter kept as is" '.benchmarks[] | select(.name == "fixed/7") | .plain == 42'
check "AVG_ITERATIONS divides by iterations" '.benchmarks[] | select(.name == "fixed/7") | .avg == 5'
check "ITERATION_INVARIANT multiplies by iterations" '.benchmarks[] | select(.name == "fixed/7") | .invariant == 4000'
check "INVERT applied last" '.benchmarks[] | select(.name == "fixed/7") | .inverted == 4'
check "1024 flag keeps the value" '.benchmarks[] | select(.name == "fixed/7") | .binary == 2048'
check "run hook counter reported" '[.benchmarks[] | select(.run_type == "iteration" and (.error_occurred | not)) | .hook == 7] | all'
check "label reported" '.benchmarks[] | select(.name == "fixed/7") | .label == "fixed label"'
check "RATE divides by the run's real time" \
  "$near"' .benchmarks[] | select(.name == "fixed/7") | near(.rate * .real_time * .iterations / 1e6; 3000)'
check "bytes_per_second = bytes / real time" \
  "$near"' .benchmarks[] | select(.name == "fixed/7") | near(.bytes_per_second * .real_time * .iterations / 1e6; 1024000)'
check "items_per_second = items / real time" \
  "$near"' .benchmarks[] | select(.name == "fixed/7") | near(.items_per_second * .real_time * .iterations / 1e6; 3000)'
check "args/3/5 ran 11 iterations" '.benchmarks[] | select(.name == "args/3/5") | .iterations == 11'
check "repetitions: 3 runs of 10" \
  '[.benchmarks[] | select(.name == "repeated" and .run_type == "iteration") | [.repetition_index, .iterations]] == [[0,10],[1,10],[2,10]]'
check "repetitions: mean, median, stddev rows" \
  '[.benchmarks[] | select(.run_type == "aggregate") | .name] | contains(["repeated_mean","repeated_median","repeated_stddev"])'
check "calibrated benchmark ran" '.benchmarks[] | select(.name == "calibrated") | .iterations >= 1'
check "paused benchmark ran exactly 5" '.benchmarks[] | select(.name == "paused") | .iterations == 5'
check "skip in setup reported with its message" \
  '.benchmarks[] | select(.name == "skip_in_setup") | .error_occurred == true and .error_message == "deliberate: setup refused"'
check "skip in run reported with its message" \
  '.benchmarks[] | select(.name == "skip_in_run") | .error_occurred == true and .error_message == "deliberate: run refused"'
check "range instances ran exactly 2 each" '[.benchmarks[] | select(.name | startswith("range/")) | .iterations == 2] | all'

if [ "$fails" -ne 0 ]; then
    echo "check_shim.sh: $fails check(s) failed"
    exit 1
fi
echo "check_shim.sh: all JSON checks passed"
