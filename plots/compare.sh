#!/usr/bin/env bash
# compare.sh: run B against run A: for every results file both runs have (the C programs'
# and python_bench's, which share Google Benchmark's format), Google Benchmark's own
# tools/compare.py (Debian's libbenchmark-tools) compares the repetitions of each benchmark
# with its Mann-Whitney U-test (it needs SciPy); then one table, B/A of the medians per
# benchmark with the widest ratio the spreads allow and the U-test's verdict, and a chart
# of the same. ./run.sh compare calls it.
#
#   plots/compare.sh RUN_A RUN_B OUT_DIR
#
# RUN_A, RUN_B: run directories (results/*.json) or directories of result files. OUT_DIR
# gets compare.py's own output (<file>.compare.txt), its JSON dump, the table (table.tsv)
# and compare.png/.svg. Exit 0 when the comparison was made, whatever it found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
case "${1:-}" in -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -eq 3 ] || { echo "compare.sh: expected RUN_A RUN_B OUT_DIR (see --help)" >&2; exit 2; }
. "$repo/scripts/python.sh"
. "$repo/plots/format.sh"

files_of() { if compgen -G "$1/results/*.json" >/dev/null; then echo "$1/results"; else echo "$1"; fi; }
a=$(files_of "$1"); b=$(files_of "$2"); out=$3
mkdir -p "$out"
rm -f "$out"/*.diff.json
echo "compare: B = ${2} against A = ${1}"

compare_py=/usr/share/benchmark/compare.py
py=
if [ ! -f "$compare_py" ]; then
    echo "NOTICE: $compare_py not found (Debian: apt-get install libbenchmark-tools): ratios without the U-test"
elif ! py=$(bufview_pick_python scipy); then
    echo "NOTICE: no python3 here imports scipy, which compare.py's U-test needs (Debian: apt-get install python3-scipy): ratios without the U-test"
    py=
fi

common=()
for f in "$a"/*.json; do
    name=$(basename "$f")
    [ -f "$b/$name" ] && common+=("$name")
done
[ ${#common[@]} -gt 0 ] || { echo "compare.sh: the two runs have no results file in common" >&2; exit 1; }

if [ -n "$py" ]; then
    echo "  Google Benchmark's compare.py ($(bufview_python_name "$py")), one file at a time:"
    for name in "${common[@]}"; do
        if "$py" "$compare_py" --no-color --dump_to_json "$out/${name%.json}.diff.json" \
                benchmarks "$a/$name" "$b/$name" > "$out/${name%.json}.compare.txt" 2>&1; then
            echo "    ${name}: $(grep -c . "$out/${name%.json}.compare.txt") lines in ${out#"$repo"/}/${name%.json}.compare.txt"
        else
            tail -n 5 "$out/${name%.json}.compare.txt" >&2
            echo "NOTICE: compare.py failed on $name: ratios without the U-test for it"
            rm -f "$out/${name%.json}.diff.json"
        fi
    done
fi

# The table: medians from the results (results.jq, as everywhere), p-values from compare.py.
shopt -s nullglob
diffs=("$out"/*.diff.json)
jq -n -r -L "$here" -L "$repo/bench" \
    --slurpfile ra <(jq -s . "${common[@]/#/$a/}") --slurpfile rb <(jq -s . "${common[@]/#/$b/}") \
    --slurpfile diff <(if [ ${#diffs[@]} -gt 0 ]; then jq -s 'add' "${diffs[@]}"; else echo '[]'; fi) \
    -f "$here/compare.jq" > "$out/table.tsv"

n=$(grep -c . "$out/table.tsv" || true)
reps=$(awk -F'\t' '{ print $9 }' "$out/table.tsv" | sort -n | head -n 1)
echo
printf '  %-44s %10s %10s %7s %16s %9s  %s\n' benchmark "A" "B" "B/A" "B/A range" "p (time)" verdict
while IFS=$'\t' read -r name ma mb ratio lo hi p verdict _; do
    printf '  %-44s %10s %10s %7s %16s %9s  %s\n' "$name" "$(fmt_time "$ma")" "$(fmt_time "$mb")" \
        "$(fmt_n3 "$ratio")" "$(fmt_n3 "$lo")-$(fmt_n3 "$hi")" "${p:-–}" "$verdict"
done < "$out/table.tsv"
echo
awk -F'\t' '$7 != "" { t++; if ($7 < 0.05) d++ } { r[NR] = $4 }
    END { printf "  %d benchmarks in both runs; %d with a U-test, %d of them different at p < 0.05\n", NR, t, d }' "$out/table.tsv"
if [ -n "$reps" ] && [ "$reps" -lt 9 ] 2>/dev/null; then
    echo "  NOTICE: $reps repetitions or fewer per benchmark: compare.py's U-test wants 9 or more (UTEST_OPTIMAL_REPETITIONS), so its p-values are weak; the ratios and their ranges still hold"
fi

label="B $(basename "$2") / A $(basename "$1")"
if gnuplot -e "ext='png'; outfile='$out/compare.png'; datadir='$out'; title='$label'" "$here/compare.gp" &&
   gnuplot -e "ext='svg'; outfile='$out/compare.svg'; datadir='$out'; title='$label'" "$here/compare.gp"; then
    echo "  chart: ${out#"$repo"/}/compare.png (and .svg); table: ${out#"$repo"/}/table.tsv ($n rows)"
else
    echo "compare.sh: gnuplot failed to draw the ratio chart" >&2
    exit 1
fi
