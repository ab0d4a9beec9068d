#!/bin/sh
# lessons/update_expected.sh: record each Python twin's result lines as the golden file
# lessons/expected/NN_topic.txt, the reference lesson tests use when python3 is missing.
# Run it after changing a twin, and review the diff: the golden files are CPython's word.
#
# usage: lessons/update_expected.sh [PYTHON]     (default: python3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${1:-python3}
mkdir -p "$here/expected"
for twin in "$here"/[0-9][0-9]_*.py; do
    name=$(basename "$twin" .py)
    out=$(mktemp)
    "$python" -B "$twin" >"$out"
    grep -v '^#' "$out" >"$here/expected/$name.txt" || true
    rm -f "$out"
    echo "wrote expected/$name.txt ($(wc -l <"$here/expected/$name.txt" | tr -d ' ') lines)"
done
