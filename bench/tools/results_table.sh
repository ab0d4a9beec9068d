#!/bin/sh
# results_table.sh: prints Markdown tables of the latest benchmark results (the table in
# bench/README.md is made with it). usage: bench/tools/results_table.sh [RESULTS_DIR]
set -eu
dir=${1:-${BUFVIEW_OUT_DIR:-out}/results}
here=$(dirname "$0")
set -- "$dir"/bench_*.json
[ -e "$1" ] || { echo "results_table.sh: no bench_*.json in $dir" >&2; exit 1; }
exec jq -s -r -f "$here/tables.jq" "$@"
