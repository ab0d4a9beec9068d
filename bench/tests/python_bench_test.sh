#!/bin/sh
# python_bench_test.sh: bench/python_bench.py's interface, as the driver and the jq code
# read it: a tiny run's Google Benchmark JSON (the 11 CPython families x 2 sizes, 3
# repetitions and the 6 aggregates per instance, the median row equal to the median of the
# repetitions; the consume families, from 64 KiB, in a run of their own; the 4 NumPy
# families where the interpreter imports numpy, none where not), its
# progress lines, --placement, --list, where sizes come from (--sizes, --sizes-from,
# bench_bufview --list-sizes, and exit 2 when none), the memory guard, and refusals that
# leave earlier results alone. Runs with every distinct interpreter among `python3` and
# /usr/bin/python3. No timing is checked.
#
# usage: python_bench_test.sh PYTHON_BENCH_PY WORK_DIR JQ
# Exit 77 (skipped) when there is no python3.
set -u
script=$1
work=$2
jq=$3
command -v "$jq" >/dev/null 2>&1 || { echo "python_bench_test.sh: jq not found (apt-get install jq)"; exit 1; }
unset BUFVIEW_MAX_BYTES BUFVIEW_OUT_DIR BUFVIEW_BUILD_DIR

pythons=
seen=
for candidate in python3 /usr/bin/python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    real=$("$candidate" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null) || continue
    case $real in *" "*) continue ;; esac   # word-split below
    case " $seen " in *" $real "*) continue ;; esac
    seen="$seen $real"
    pythons="$pythons $real"   # the interpreter itself: a pyenv shim costs ~0.8 s per call
done
[ -n "$pythons" ] || { echo "SKIP: no python3: bench/python_bench.py is not tested here"; exit 77; }

fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() {   # check WHAT JQ_PROGRAM FILE
    if "$jq" -e "$2" "$3" >/dev/null; then ok "$1"; else bad "$1"; fi
}
# expect_exit STATUS WHAT COMMAND...: the command exits with STATUS and says why on stderr.
expect_exit() {
    want=$1 what=$2
    shift 2
    "$@" > "$dir/out.txt" 2> "$dir/err.txt"
    got=$?
    if [ "$got" -eq "$want" ] && [ -s "$dir/err.txt" ]; then
        ok "$what: exit $want ($(head -n 1 "$dir/err.txt" | cut -c 1-100))"
    else
        bad "$what: exit $got, wanted $want with a message"; cat "$dir/err.txt"
    fi
}

families='["python/slice/view", "python/slice/view_new", "python/slice/copy",
  "python/pass/view/header", "python/pass/copy/header", "python/pass/view/sum",
  "python/pass/copy/sum", "python/io/read/copy", "python/io/read/view",
  "python/io/recv/copy", "python/io/recv/view"]'
# Every name family by family, size by size: the --list order.
names() { echo "$families" | "$jq" -c --argjson s "$1" '[.[] as $f | $s[] | "\($f)/\(.)"]'; }
want22=$(names '[1024, 4096]')

rm -rf "$work"
for py in $pythons; do
    dir=$work/$(echo "$py" | tr '/' '_')
    mkdir -p "$dir"
    echo "== $py ($("$py" -c 'import sys; print(sys.executable, sys.version.split()[0])'))"
    json=$dir/python.json
    progress=$dir/progress.tsv

    # ---- a tiny run --------------------------------------------------------------------
    if ! "$py" "$script" --quick --sizes=1024,4096 --min-time=0.0005 --repetitions=3 --seed=11 \
            --filter='^python/' --out="$json" --progress-file="$progress" > "$dir/run.log" 2>&1; then
        cat "$dir/run.log"; bad "the tiny run failed"; continue
    fi
    head -n 1 "$dir/run.log"
    blocks='def blocks: reduce .[] as $r ([]; if length > 0 and .[-1][0].run_name == $r.run_name
              then .[-1] += [$r] else . + [[$r]] end);'
    check "22 instances, each exactly once: the 11 families x 2 sizes (not consume: from 64 KiB)" \
        "$blocks [.benchmarks | blocks[] | .[0].run_name] | sort == ($want22 | sort)" "$json"
    check "per instance: 3 iteration rows, then mean, median, stddev, cv, min, max" \
        "$blocks [.benchmarks | blocks[] | [.[] | if .run_type == \"iteration\"
           then \"i\(.repetition_index)\" else .aggregate_name end]]
         | all(. == [\"i0\", \"i1\", \"i2\", \"mean\", \"median\", \"stddev\", \"cv\", \"min\", \"max\"])" "$json"
    check "iteration rows: Google Benchmark's fields and the counters" \
        '[.benchmarks[] | select(.run_type == "iteration") | .name == .run_name and .repetitions == 3
          and .threads == 1 and .iterations >= 1 and .time_unit == "ns" and .real_time > 0
          and .cpu_time >= 0 and (.family_index | type) == "number"
          and (.per_family_instance_index | type) == "number"
          and has("bytes_per_second") and has("alloc_bytes")
          and has("minflt") and has("peak_rss") and has("peak_rss_added")] | all' "$json"
    check "aggregate rows: names, units, repetitions as iterations, every counter" \
        '[.benchmarks[] | select(.run_type == "aggregate") | .name == "\(.run_name)_\(.aggregate_name)"
          and .aggregate_unit == (if .aggregate_name == "cv" then "percentage" else "time" end)
          and .repetitions == 3 and .iterations == 3 and .threads == 1 and .time_unit == "ns"
          and has("bytes_per_second") and has("alloc_bytes") and has("minflt") and has("peak_rss")
          and has("peak_rss_added")] | all' "$json"
    check "median row = median of the 3 repetitions (real time, bytes_per_second); min <= median <= max" \
        '[.benchmarks | group_by(.run_name)[]
          | (map(select(.run_type == "iteration")) | [(map(.real_time) | sort | .[1]),
                                                     (map(.bytes_per_second) | sort | .[1])]) as $m
          | (map(select(.aggregate_name == "median"))[0]) as $med
          | (map(select(.aggregate_name == "min"))[0].real_time) as $lo
          | (map(select(.aggregate_name == "max"))[0].real_time) as $hi
          | $med.real_time == $m[0] and $med.bytes_per_second == $m[1]
            and $lo <= $med.real_time and $med.real_time <= $hi] | length == 22 and all' "$json"
    check "family and instance indices follow the list order" \
        '[.benchmarks[] | select(.run_type == "iteration")
          | [.family_index, .per_family_instance_index, (.name | split("/") | last)]] | unique
         | map(.[0]) == ([range(11)] | map(., .)) and map(.[1]) == ([range(11)] | map(0, 1))' "$json"
    check "placement counters on the slice and pass copies (page offsets 0..4095), not on the views nor the io copies (64 KiB heap blocks)" \
        '[.benchmarks[] | if (.run_name | test("^python/(slice|pass)/(.*/)?copy/"))
           then (.src_page_offset | . >= 0 and . < 4096) and (.dst_page_offset | . >= 0 and . < 4096)
           else (has("src_page_offset") or has("dst_page_offset")) | not end] | all' "$json"
    check "a copy allocates at least its n-2 bytes, a view less than that" \
        '[.benchmarks[] | select(.run_type == "iteration")
          | ((.name | split("/") | last | tonumber) - 2) as $bytes
          | if (.name | test("/copy")) then .alloc_bytes >= $bytes else .alloc_bytes < $bytes end] | all' "$json"
    check "bytes_per_second: n - 2 bytes per loop for slices, all n for the io families" \
        '[.benchmarks[] | select(.run_type == "iteration")
          | (.name | split("/") | last | tonumber) as $n
          | (if (.name | startswith("python/io/")) then $n else $n - 2 end) as $bytes
          | (.bytes_per_second * .real_time / 1e9 - $bytes | fabs) <= 1e-6 * $bytes] | all' "$json"
    check "context: interpreter, policy, seed, sizes, program" \
        '.context | (.python_executable | length > 0) and (.python_version | length > 0)
          and .python_implementation == "CPython" and (.malloc_policy | length > 20)
          and .interleave_seed == 11 and (.repetitions_rule | length > 0)
          and .bufview_sizes == "1024,4096" and .bufview_quick == "true"
          and .bufview_program == "python_bench" and .min_time_seconds == "0.0005"
          and .bytes_header > 0 and .sum_function == "zlib.crc32" and (.io | test("socketpair"))' "$json"
    if ls "$dir"/.python.*.tmp >/dev/null 2>&1; then bad "a temporary file was left beside $json"; fi

    # ---- the consume families (from one 64 KiB step) ------------------------------------
    cjson=$dir/consume.json
    if "$py" "$script" --quick --sizes=1024,65536,262144 --filter='/consume/' --min-time=0.0005 \
            --repetitions=3 --seed=3 --out="$cjson" > "$dir/consume.log" 2>&1; then
        check "consume: copy and view from 64 KiB (none at 1 KiB), bytes_per_second of all n bytes" \
            '([.benchmarks[] | select(.run_type == "iteration") | .name] | unique
              == ["python/consume/copy/262144", "python/consume/copy/65536",
                  "python/consume/view/262144", "python/consume/view/65536"])
             and ([.benchmarks[] | select(.run_type == "iteration")
                   | (.name | split("/") | last | tonumber) as $n
                   | (.bytes_per_second * .real_time / 1e9 - $n | fabs) <= 1e-6 * $n] | all)' "$cjson"
        check "consume/copy: the first step's copy placed (page offsets), its peak at least one object of n - k" \
            '[.benchmarks[] | select(.run_type == "iteration" and .name == "python/consume/copy/262144")
              | (.src_page_offset | . >= 0 and . < 4096) and (.dst_page_offset | . >= 0 and . < 4096)
                and .alloc_bytes >= (262144 - 65536)] | length == 3 and all' "$cjson"
    else
        cat "$dir/consume.log"; bad "the consume run failed"
    fi

    # ---- progress lines ----------------------------------------------------------------
    if "$jq" -n -e --rawfile p "$progress" --slurpfile doc "$json" --argjson want "$want22" '
         ($p | split("\n") | map(select(length > 0) | split("\t"))) as $l
         | $doc[0].benchmarks as $rows
         | $l[0] == ["plan", "python_bench", "22"] and ($l | length == 23)
           and ([$l[1:][] | .[0]] | unique == ["result"])
           and ([$l[1:][] | .[1]] | sort == ($want | sort))
           and ([$l[1:][] | . as $r | [$rows[] | select(.run_name == $r[1])]
                 | $r[5] == "3"
                   and (map(select(.aggregate_name == "median"))[0].real_time == ($r[2] | tonumber))
                   and (map(select(.aggregate_name == "min"))[0].real_time == ($r[3] | tonumber))
                   and (map(select(.aggregate_name == "max"))[0].real_time == ($r[4] | tonumber))]
                | all)' >/dev/null; then
        ok "progress: one plan line, then 22 result lines whose median, min and max equal the JSON's"
    else
        bad "progress lines:"; cat "$progress"
    fi

    # ---- NumPy: measured where the interpreter imports numpy, left out (with a notice) where not
    numpy_fams='["numpy/slice/view", "numpy/slice/copy", "numpy/pass/view/sum", "numpy/pass/copy/sum"]'
    if "$py" -c 'import numpy' 2>/dev/null; then
        if "$py" "$script" --quick --sizes=1024,4096 --min-time=0.0005 --repetitions=3 \
                --filter='^numpy/' --out="$dir/numpy.json" > "$dir/numpy.log" 2>&1; then
            check "NumPy: its 4 families x 2 sizes, 3 repetitions and the 6 aggregates each" \
                "([.benchmarks[] | .run_name] | unique) == ([$numpy_fams[] as \$f | (1024, 4096) | \"\(\$f)/\(.)\"] | sort)
                 and ([.benchmarks[]] | length == 8 * 9)" "$dir/numpy.json"
            check "NumPy: page offsets of the copies' data, NumPy's version and consumer in the context" \
                '([.benchmarks[] | select(.run_name | test("/copy/")) | (.dst_page_offset | . >= 0 and . < 4096)] | all)
                 and (.context.numpy_version | test("^[0-9]")) and .context.sum_function_numpy == "numpy.bitwise_xor.reduce"' \
                "$dir/numpy.json"
        else
            cat "$dir/numpy.log"; bad "the NumPy run failed"
        fi
    elif "$py" "$script" --list --sizes=1024 | grep -q '^numpy/'; then
        bad "--list names NumPy benchmarks on an interpreter without numpy"
    elif grep -q "cannot import numpy" "$dir/run.log"; then
        ok "no numpy here: the NumPy series are left out, with a notice"
    else
        bad "no numpy here, and no notice saying the NumPy series are left out"
    fi

    # ---- --list, --placement -----------------------------------------------------------
    "$py" "$script" --list --filter='^python/' --sizes=4096,1024 > "$dir/list.txt"
    if [ "$("$jq" -R . "$dir/list.txt" | "$jq" -s -c .)" = "$want22" ]; then
        ok "--list prints the 22 names, family by family, size by size"
    else
        bad "--list printed:"; cat "$dir/list.txt"
    fi
    if "$py" "$script" --placement > "$dir/placement.json" 2> "$dir/err.txt"; then
        check "--placement prints one object with the interpreter and the page offsets" \
            'has("interpreter") and has("python_version") and .bytes_header > 0
             and ([.dataset_data_page_offset, .slice_src_page_offset, .copy_data_page_offset]
                  | all(type == "number" and . >= 0 and . < 4096))
             and .slice_src_page_offset == ((.dataset_data_page_offset + 1) % 4096)' \
            "$dir/placement.json"
    else
        bad "--placement failed: $(cat "$dir/err.txt")"
    fi

    # ---- where sizes come from ---------------------------------------------------------
    printf '{"benchmarks": [{"name": "slice/view/1024"}, {"name": "slice/copy/4096"},
      {"name": "slice/copy/4096_median"}, {"name": "baseline/empty"}, {"name": "pass/view/sum/65536"}]}\n' \
        > "$dir/c.json"
    "$py" "$script" --list --filter='^python/' --sizes-from="$dir/c.json" > "$dir/list.txt"
    if [ "$("$jq" -R . "$dir/list.txt" | "$jq" -s -c .)" = "$want22" ]; then
        ok "--sizes-from takes the sizes of a C run's slice/... results"
    else
        bad "--sizes-from listed:"; cat "$dir/list.txt"
    fi
    fake=$dir/build/bench/bench_bufview
    mkdir -p "$(dirname "$fake")"
    printf '#!/bin/sh\necho "$*" > "%s"\nprintf "1024\\n4096\\n"\n' "$dir/fake-args.txt" > "$fake"
    chmod +x "$fake"
    BUFVIEW_BUILD_DIR=$dir/build "$py" "$script" --list --filter='^python/' --quick --max-bytes=4K > "$dir/list.txt"
    if [ "$("$jq" -R . "$dir/list.txt" | "$jq" -s -c .)" = "$want22" ] &&
       [ "$(cat "$dir/fake-args.txt")" = "--list-sizes --quick --max-bytes=4K" ]; then
        ok "no --sizes: bench_bufview --list-sizes gives them, with --quick and --max-bytes passed on"
    else
        bad "the sizes from bench_bufview --list-sizes: args '$(cat "$dir/fake-args.txt" 2>/dev/null)', listed:"
        cat "$dir/list.txt"
    fi
    printf '#!/bin/sh\necho "bench_bufview: no such option" >&2\nexit 1\n' > "$fake"
    expect_exit 2 "a failing bench_bufview --list-sizes" env BUFVIEW_BUILD_DIR="$dir/build" "$py" "$script" --list
    printf '#!/bin/sh\necho "1024 bytes"\n' > "$fake"
    expect_exit 2 "bench_bufview --list-sizes printing no sizes" env BUFVIEW_BUILD_DIR="$dir/build" "$py" "$script" --list
    expect_exit 2 "no bench_bufview and no --sizes" env BUFVIEW_BUILD_DIR="$dir/nothing" "$py" "$script" --list

    # ---- refusals leave earlier results alone --------------------------------------------
    echo old > "$dir/old.json"
    for bad_sizes in "" "abc" "1024,x" "0" "2" "-5" "1024,,4096" "64K"; do
        expect_exit 2 "--sizes='$bad_sizes' refused" "$py" "$script" --sizes="$bad_sizes" --out="$dir/old.json"
    done
    expect_exit 2 "--repetitions=0 refused" "$py" "$script" --sizes=1024 --repetitions=0 --out="$dir/old.json"
    expect_exit 2 "--min-time=0 refused" "$py" "$script" --sizes=1024 --min-time=0 --out="$dir/old.json"
    expect_exit 2 "--out with --out-dir refused" "$py" "$script" --sizes=1024 --out="$dir/old.json" --out-dir="$dir"
    expect_exit 2 "a --filter matching nothing refused" "$py" "$script" --sizes=1024 --filter=nothing --out="$dir/old.json"
    if [ "$(cat "$dir/old.json")" = old ]; then ok "refused runs left the earlier results file as it was"
    else bad "a refused run changed $dir/old.json"; fi

    # ---- memory guard, --no-interleave ---------------------------------------------------
    if "$py" "$script" --sizes=1024,70368744177664 --filter='^python/pass/view/sum/' --min-time=0.0005 \
            --repetitions=2 --no-interleave --out="$json" --progress-file="$dir/guard.tsv" \
            > "$dir/guard.log" 2>&1; then
        check "memory guard: a 64 TiB size is an error row, never attempted; the rest runs; GB indices" \
            '([.benchmarks[] | select(.run_name == "python/pass/view/sum/1024") | .name]
              == ["python/pass/view/sum/1024", "python/pass/view/sum/1024",
                  "python/pass/view/sum/1024_mean", "python/pass/view/sum/1024_median", "python/pass/view/sum/1024_stddev",
                  "python/pass/view/sum/1024_cv", "python/pass/view/sum/1024_min", "python/pass/view/sum/1024_max"])
             and ([.benchmarks[] | select(.run_name != "python/pass/view/sum/1024")]
                  | length == 1 and (.[0] | .name == "python/pass/view/sum/70368744177664"
                    and .error_occurred == true and .run_type == "iteration"
                    and (.error_message | test("^skipped: dataset plus copy"))))
             and ([.benchmarks[] | [.family_index, .per_family_instance_index]] | unique == [[0, 0], [0, 1]])
             and .context.interleave_seed == null and .context.bufview_top_bytes == "1024"' "$json"
        if grep -q "^error	python/pass/view/sum/70368744177664	skipped: " "$dir/guard.tsv" &&
           [ "$(grep -c '^result	' "$dir/guard.tsv")" -eq 1 ]; then
            ok "memory guard: an error progress line for the skipped size"
        else
            bad "memory guard progress lines:"; cat "$dir/guard.tsv"
        fi
    else
        cat "$dir/guard.log"; bad "the memory-guard run failed"
    fi
done

[ "$fails" -eq 0 ] || { echo "python_bench_test.sh: $fails check(s) failed"; exit 1; }
echo "python_bench_test.sh: all checks passed"
