#!/bin/sh
# lessons/update_expected.sh: record each Python twin's result lines as the golden file
# lessons/expected/NN_topic.txt, the reference lesson tests use when python3 is missing.
# Run it after changing a twin, and review the diff: the golden files are CPython's word.
#
# usage: lessons/update_expected.sh [PYTHON]     (default: python3)
#
# A twin that exits with status 77 cannot run here (lesson 14's needs its extension
# module, built by CMake for one interpreter: run this script with that interpreter,
# named in build/release/lessons/14_exporter.python; lesson 18's needs NumPy, which
# /usr/bin/python3 imports on Debian); its golden file is left alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python=${1:-python3}
mkdir -p "$here/expected"
for twin in "$here"/[0-9][0-9]_*.py; do
    name=$(basename "$twin" .py)
    out=$(mktemp)
    status=0
    "$python" -B "$twin" >"$out" || status=$?
    if [ $status -eq 77 ]; then
        echo "skipped expected/$name.txt: its twin cannot run under $python (see above)"
        rm -f "$out"
        continue
    elif [ $status -ne 0 ]; then
        echo "$twin failed (status $status)" >&2
        rm -f "$out"
        exit 1
    fi
    grep -v '^#' "$out" >"$here/expected/$name.txt" || true
    rm -f "$out"
    echo "wrote expected/$name.txt ($(wc -l <"$here/expected/$name.txt" | tr -d ' ') lines)"
done
