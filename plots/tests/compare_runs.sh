#!/bin/sh
# compare_runs.sh: ./run.sh compare on two fixture runs: A, the committed smoke results, and
# B, the same with every slice/copy repetition 25% slower. It must exit 0, print compare.py's
# U-test p-values and B/A per benchmark (about 1.25 for slice/copy, 1 elsewhere), say that 3
# repetitions are fewer than the U-test wants, and draw the ratio chart. Without two
# complete runs, compare says so and exits 1.
#
# usage: compare_runs.sh REPO_DIR WORK_DIR
# Exit 77 (skipped) when jq, gnuplot, compare.py or a python3 with scipy is missing.
set -u
repo=$1
work=$2
. "$(dirname "$0")/lib.sh"
plots_test_need jq gnuplot
[ -f /usr/share/benchmark/compare.py ] || { echo "SKIP: compare.py missing (apt-get install libbenchmark-tools)"; exit 77; }
(. "$repo/scripts/python.sh"; bufview_pick_python scipy >/dev/null) || { echo "SKIP: no python3 with scipy"; exit 77; }
rm -rf "$work"
mkdir -p "$work/a" "$work/b"
export BUFVIEW_OUT_DIR=$work/out
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

if "$repo/run.sh" compare > "$work/none.log" 2>&1; then
    bad "compare without two complete runs succeeded"
elif grep -q "compare needs two complete runs" "$work/none.log"; then
    ok "without two complete runs: $(head -n 1 "$work/none.log")"
else
    cat "$work/none.log"; bad "without two complete runs: no clear message"
fi

cp "$repo"/plots/testdata/*.json "$work/a/"
for f in "$work"/a/*.json; do
    jq '.benchmarks |= map(if (.run_name // .name | startswith("slice/copy/"))
                            then .real_time *= 1.25 | .cpu_time *= 1.25 else . end)' "$f" > "$work/b/$(basename "$f")"
done
"$repo/run.sh" compare "$work/a" "$work/b" > "$work/compare.log" 2>&1
rc=$?
cat "$work/compare.log" | head -n 12
[ "$rc" -eq 0 ] && ok "compare exits 0" || bad "compare exited $rc"
dir=$(ls -1d "$work"/out/compare/*/ | head -n 1)
table=$dir/table.tsv
if [ -s "$table" ] && awk -F'\t' '$1 ~ /^slice\/copy\// { n++; if ($4 < 1.2 || $4 > 1.3) bad++ }
        $1 ~ /^slice\/view\// { m++; if ($4 != 1) bad++ } END { exit !(n > 0 && m > 0 && bad == 0) }' "$table"; then
    ok "B/A: about 1.25 for every slice/copy, 1 for slice/view ($(grep -c . "$table") benchmarks)"
else
    bad "B/A in $table is not what B was made of"
fi
if awk -F'\t' '$7 != "" { p++ } END { exit !(p > 0) }' "$table" && grep -q "p (time)" "$work/compare.log"; then
    ok "U-test p-values from compare.py in the table"
else
    bad "no U-test p-values"
fi
grep -q "wants 9 or more" "$work/compare.log" && ok "says the 3 repetitions are fewer than the U-test wants" \
    || bad "does not say the repetitions are too few for the U-test"
ls "$dir"/*.compare.txt >/dev/null 2>&1 && grep -q "_pvalue" "$dir"/bench_bufview.compare.txt \
    && ok "compare.py's own output kept ($(ls "$dir"/*.compare.txt | wc -l) files)" || bad "compare.py's own output missing"
[ -s "$dir/compare.png" ] && [ -s "$dir/compare.svg" ] && ok "ratio chart drawn" || bad "no ratio chart"

[ "$fails" -eq 0 ] || { echo "compare_runs.sh: $fails check(s) failed"; exit 1; }
echo "compare_runs.sh: all checks passed"
