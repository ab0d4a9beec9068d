#!/bin/sh
# consistency.sh: one benchmark, one figure, everywhere. On the committed fixture results
# (plots/testdata), the median of a benchmark is read straight from its "median" row and
# must appear, the same, in every place bufview prints or draws it: the terminal summary of
# ./run.sh, the Markdown tables (tables.jq), the targets (targets.jq), the report page, and
# the column file the chart is drawn from (median, min and max). A place that took the
# mean, the first or the last repetition instead would fail here.
#
# usage: consistency.sh REPO_DIR WORK_DIR
# Exit 77 (skipped) when jq or gnuplot is missing.
set -u
repo=$1
work=$2
. "$(dirname "$0")/lib.sh"
plots_test_need jq gnuplot
rm -rf "$work"
mkdir -p "$work/fixture"
cp "$repo"/plots/testdata/*.json "$work/fixture/"
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
jqr() { jq -s -r -L "$repo/plots" -L "$repo/bench" "$@" "$work"/fixture/*.json; }

# The raw aggregate rows, read without results.jq.
raw() {   # raw NAME AGGREGATE -> nanoseconds
    jq -r --arg n "$1" --arg a "$2" '.benchmarks[] | select(.run_name == $n and .aggregate_name == $a)
        | .real_time * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit]' "$work"/fixture/*.json
}
fmt() { jq -n -r -L "$repo/plots" -L "$repo/bench" --argjson v "$1" 'include "results"; $v | human_time'; }

top=$(jq -r '[.benchmarks[] | select(.run_type == "aggregate" and (.run_name | startswith("slice/copy/"))) | .run_name | split("/") | last | tonumber] | max' "$work"/fixture/bench_bufview.json)
top_h=$(jq -n -r -L "$repo/plots" -L "$repo/bench" --argjson v "$top" 'include "results"; $v | human_size')
copy=$(raw "slice/copy/$top" median); view=$(raw "slice/view/$top" median)
pycopy=$(raw "python/slice/copy/$top" median)
[ -n "$copy" ] && [ -n "$view" ] && [ -n "$pycopy" ] || { echo "FAIL the fixture lacks slice/copy, slice/view or python/slice/copy at $top"; exit 1; }
copy_h=$(fmt "$copy"); view_h=$(fmt "$view"); pycopy_h=$(fmt "$pycopy")
echo "medians at $top_h: slice/copy $copy_h, slice/view $view_h, python/slice/copy $pycopy_h"
# The medians must differ from the means and from every single repetition's figure in
# at least one case, or this test could not tell them apart.
mean_h=$(fmt "$(raw "slice/copy/$top" mean)")
[ "$mean_h" != "$copy_h" ] && ok "the fixture's mean ($mean_h) differs from its median" \
    || echo "NOTICE: the fixture's slice/copy mean equals its median; the test is weaker"

# 1. The terminal summary of ./run.sh (the plots stage prints it; the run is out/latest).
BUFVIEW_OUT_DIR=$work/out "$repo/run.sh" plots --from="$work/fixture" > "$work/run.log" 2>&1 \
    || { cat "$work/run.log"; bad "./run.sh plots failed"; }
line=$(grep -E "^  $top_h " "$work/run.log")
case $line in *"$copy_h ("*) ok "terminal summary: slice/copy $copy_h" ;; *) bad "terminal summary lacks slice/copy $copy_h: $line" ;; esac
case $line in *"$view_h ("*) ok "terminal summary: slice/view $view_h" ;; *) bad "terminal summary lacks slice/view $view_h: $line" ;; esac
case $line in *" $pycopy_h"*) ok "terminal summary: python/slice/copy $pycopy_h" ;; *) bad "terminal summary lacks python/slice/copy $pycopy_h: $line" ;; esac

# 2. The Markdown tables.
row=$(jqr -f "$repo/plots/tables.jq" | grep -F "| $top_h |" | head -n 1)
case $row in *"| $copy_h ("*) ok "tables: slice/copy $copy_h" ;; *) bad "tables lack slice/copy $copy_h: $row" ;; esac
case $row in *"| $pycopy_h ("*) ok "tables: python/slice/copy $pycopy_h" ;; *) bad "tables lack python/slice/copy $pycopy_h: $row" ;; esac

# 3. The targets (the same-work line quotes each member's median).
tline=$(jqr -f "$repo/plots/targets.jq" | grep -F "same work" | grep -F "at $top_h:")
case $tline in *"slice/copy $copy_h,"*) ok "targets: slice/copy $copy_h" ;; *) bad "targets lack slice/copy $copy_h: $tline" ;; esac
case $tline in *"python/slice/copy $pycopy_h,"*) ok "targets: python/slice/copy $pycopy_h" ;; *) bad "targets lack python/slice/copy $pycopy_h: $tline" ;; esac

# 4. The report's summary table.
if grep -F "<td>$top_h</td><td>$copy_h <span" "$work/out/latest/report.html" >/dev/null; then
    ok "report: slice/copy $copy_h"; else bad "report lacks <td>$top_h</td><td>$copy_h"; fi

# 5. The chart's column file: median, min and max, unrounded.
BUFVIEW_PLOT_DATA=$work/data "$repo/plots/make_plots.sh" "$work/fixture" "$work/plots" > "$work/plots.log" 2>&1 || bad "make_plots.sh failed"
for agg in median min max; do
    col=$(case $agg in median) echo 2 ;; min) echo 3 ;; max) echo 4 ;; esac)
    want=$(raw "slice/copy/$top" "$agg")
    got=$(awk -v n="$top" -v c="$col" '$1 == n { print $c }' "$work/data/slice_copy.tsv")
    if awk -v a="$want" -v b="$got" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b != "" && d <= 1e-9 * a) }'; then
        ok "chart data: slice/copy $agg $got ns"
    else
        bad "chart data: slice/copy $agg is '$got', the results say $want"
    fi
done

[ "$fails" -eq 0 ] || { echo "consistency.sh: $fails check(s) failed"; exit 1; }
echo "consistency.sh: the same figure in every place"
