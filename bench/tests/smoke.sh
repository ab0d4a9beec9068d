#!/bin/sh
# smoke.sh: runs one benchmark program in a smoke mode (sizes 1 KiB to 4 MiB, tiny times)
# and checks, with jq, what it wrote: exactly the benchmarks it lists, exactly the
# families bench/families.json assigns to it (so the list of families lives in one
# place), repetitions with the median/min/max aggregates, the counters, and every new
# copy of 128 KiB or more placed where the run says (its destination page offset, or the
# layout instance's own). No timing is checked.
# usage: smoke.sh PROGRAM_EXE PROGRAM_NAME OUT_DIR JQ FAMILIES_JSON
set -eu
exe=$1
prog=$2
dir=$3
jq=$4
fams=$5
command -v "$jq" >/dev/null 2>&1 || { echo "smoke.sh: jq not found (apt-get install jq)"; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
json=$dir/results/$prog.json
args="--quick --max-bytes=4M --layout-bytes=256K --benchmark_min_time=0.0001"

# Listed names without the suffixes Google Benchmark adds to per-benchmark settings.
"$exe" $args --benchmark_list_tests=true 2>/dev/null \
    | sed -E 's#(/(repeats|real_time|min_time|min_warmup_time|iterations)(:[0-9.]+)?)+$##' \
    | sort > "$dir/listed"
"$exe" $args --out-dir="$dir" --progress-file="$dir/progress" > "$dir/run.log" 2>&1 \
    || { cat "$dir/run.log"; echo "FAIL: $prog exited with an error"; exit 1; }

fails=0
check() {
    if "$jq" -e --slurpfile fams "$fams" --rawfile listed "$dir/listed" \
            --rawfile progress "$dir/progress" "$2" "$json" >/dev/null; then
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

fam='def fam: .run_name | split("/") | until(length <= 1 or (last | test("^[0-9]+$") | not); .[:-1]) | join("/");'
check "results are exactly the benchmarks the program lists" \
  '[.benchmarks[] | select(.run_type == "iteration") | .run_name] | unique == ($listed | split("\n") | map(select(length > 0)) | unique)'
check "its families are exactly those bench/families.json gives $prog" \
  "$fam"' ([.benchmarks[] | fam] | unique) == ([$fams[0].families[] | select(.program == "'"$prog"'") | .name] | sort)'
check "no benchmark reported an error" '[.benchmarks[] | .error_occurred // false] | any | not'
check "3 repetitions, then mean, median, stddev, cv, min, max for every instance" \
  '([.benchmarks[] | select(.run_type == "iteration")] | group_by(.run_name) | all(length == 3)) and
   ([.benchmarks[] | select(.run_type == "aggregate")] | group_by(.run_name)
    | all(map(.aggregate_name) == ["mean","median","stddev","cv","min","max"]))'
check "min <= median <= max for every instance" \
  '[.benchmarks[] | select(.run_type == "aggregate")] | group_by(.run_name)
   | all((map({(.aggregate_name): .real_time}) | add) as $a | $a.min <= $a.median and $a.median <= $a.max)'
check "every result has bytes_per_second, alloc_bytes, allocs, minflt, peak_rss, peak_rss_added" \
  '[.benchmarks[] | select(.run_type == "iteration") | has("bytes_per_second") and has("alloc_bytes") and has("allocs") and has("minflt") and has("peak_rss") and has("peak_rss_added")] | all'
check "new copies of 128 KiB and more land at the run's destination page offset" \
  '(.context.bufview_dst_page_offset | tonumber) as $d
   | [.benchmarks[] | select(.run_type == "iteration" and has("dst_page_offset"))
      | select((.run_name | split("/") | last | tonumber) >= 262144)
      | if (.run_name | startswith("layout/")) then .dst_page_offset == (.run_name | split("/") | .[-2] | tonumber)
        else .dst_page_offset == $d end] | all'
check "copies read the slice at the run's source page offset" \
  '(.context.bufview_src_page_offset | tonumber) as $s
   | [.benchmarks[] | select(.run_type == "iteration" and has("src_page_offset") and (.run_name | startswith("consume/") | not)) | .src_page_offset == $s] | all'
# consume/copy's first step copies data[k:] (k = 64 KiB) from the data's start, one byte
# before the slice's: the same page offset as the data itself.
check "consume/copy reads from the data's start (the slice's offset - 1)" \
  '(.context.bufview_src_page_offset | tonumber) as $s
   | [.benchmarks[] | select(.run_type == "iteration" and has("src_page_offset") and (.run_name | startswith("consume/"))) | .src_page_offset == (($s + 4095) % 4096)] | all'
check "machine context present" \
  ".context | has(\"cpu_model\") and has(\"mem_total_bytes\") and .bufview_program == \"$prog\" and .bufview_quick == \"true\" and has(\"bufview_repetitions_rule\")"
check "progress file: each instance's median (ns) equals the JSON's median" \
  '([.benchmarks[] | select(.aggregate_name == "median")
     | {key: .run_name, value: (.real_time * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit])}] | from_entries) as $m
   | [$progress | split("\n")[] | select(startswith("result\t")) | split("\t")
      | (.[2] | tonumber) as $p | ($m[.[1]] // -1) as $j | (($p - $j) | fabs) <= 1e-5 * $j] | length > 0 and all'
n_lines=$(grep -c '^result' "$dir/progress" || true)
n_inst=$("$jq" '[.benchmarks[] | .run_name] | unique | length' "$json")
if [ "$n_lines" -eq "$n_inst" ]; then echo "ok   progress file: $n_lines result lines for $n_inst instances"
else echo "FAIL progress file: $n_lines result lines for $n_inst instances"; fails=$((fails + 1)); fi

if [ "$fails" -ne 0 ]; then
    echo "smoke.sh: $prog: $fails check(s) failed"
    exit 1
fi
echo "smoke.sh: $prog: all checks passed"
