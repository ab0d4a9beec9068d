#!/bin/sh
# tables.sh: Markdown tables of one run's results (bench/README.md's tables are made with
# it): every cell a median over repetitions with its spread (tables.jq).
# usage: plots/tables.sh [RESULTS_DIR]   (default: out/latest/results)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-${BUFVIEW_OUT_DIR:-out}/latest/results}
set -- "$dir"/*.json
[ -e "$1" ] || { echo "tables.sh: no results (*.json) in $dir" >&2; exit 1; }
exec jq -s -r -L "$here" -L "$here/../bench" -f "$here/tables.jq" "$@"
