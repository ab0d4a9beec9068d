#!/usr/bin/env bash
# make_report.sh: write the static report page: every chart that was drawn, with how to
# read it and what this run's figures show, the summary table, and the checks that say
# whether the figures can be quoted (same work agrees, limits hold, the copy model).
#
#   plots/make_report.sh RESULTS_DIR PLOTS_DIR OUT_HTML
#
# The page is made by report.jq from the JSON results: every number in it is a median (or
# spread) from results.jq, formatted as in the tables and the terminal summary; sentences
# whose figures the run did not measure are left out; the consume chart's slopes come from
# PLOTS_DIR/consume_slopes.tsv (make_plots.sh). Charts are linked by paths relative
# to OUT_HTML, so the page works opened straight from disk; only charts that exist are
# referenced. BUFVIEW_RUN_LABEL names the run (and says when it is quick or partial) on
# the page and under every chart. The page is written to a temporary file and renamed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
if [ $# -ne 3 ]; then
    echo "make_report.sh: expected RESULTS_DIR PLOTS_DIR OUT_HTML (see --help)" >&2
    exit 2
fi
results=$1
plots=$2
out=$3
command -v jq >/dev/null 2>&1 || { echo "make_report.sh: jq is not installed" >&2; exit 2; }
shopt -s nullglob
files=("$results"/*.json)
if [ ${#files[@]} -eq 0 ]; then
    echo "make_report.sh: no result files (*.json) in $results" >&2
    exit 1
fi
outdir=$(dirname "$out")
mkdir -p "$outdir"
rel=$(realpath -m --relative-to="$outdir" "$plots")

jqf() { jq -s -r -L "$here" -L "$here/../bench" "$@" "${files[@]}"; }
{ read -r footer1; read -r footer2; } < <(jqf --arg runlabel "${BUFVIEW_RUN_LABEL:-}" -f "$here/footer.jq")
charts=()
for png in "$plots"/*.png; do charts+=("$(basename "$png" .png)"); done
charts_json=$(printf '%s\n' "${charts[@]}" | jq -R . | jq -s -c .)
# The consume chart's fitted slopes (make_plots.sh writes them beside the charts).
slopes_json='[]'
if [ -s "$plots/consume_slopes.tsv" ]; then
    slopes_json=$(jq -R -s -c 'split("\n") | map(select(length > 0) | split("\t")
        | {family: .[0], slope: (.[1] | tonumber), error: (if .[2] == "NaN" then null else (.[2] | tonumber) end),
           points: (.[3] | tonumber), from: (.[4] | tonumber), to: (.[5] | tonumber)})' "$plots/consume_slopes.tsv")
fi

tmp=$(mktemp "$outdir/.report.XXXXXX.tmp")
trap 'rm -f "$tmp"' EXIT
jqf --argjson charts "$charts_json" --argjson slopes "$slopes_json" --arg rel "$rel" --arg footer1 "$footer1" \
    --arg footer2 "$footer2" --arg runlabel "${BUFVIEW_RUN_LABEL:-}" -f "$here/report.jq" > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "make_report.sh: wrote $out"
