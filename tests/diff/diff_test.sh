#!/bin/sh
# tests/diff/diff_test.sh: CTest's entry for the differential tests.
#
#   diff_test.sh PYTHON ARGS...        run ARGS (diff.py and its options) under PYTHON
#   diff_test.sh --pick MODULE ARGS... under the first interpreter that imports MODULE,
#                                      python3 on PATH or /usr/bin/python3
#                                      (scripts/python.sh's bufview_pick_python)
#
# Without such an interpreter the test cannot compare anything: it says so loudly and
# exits 77, which CTest reports as skipped (SKIP_RETURN_CODE) rather than passed.
here=$(cd "$(dirname "$0")" && pwd)
if [ "$1" = --pick ]; then
    module=$2
    shift 2
    . "$here/../../scripts/python.sh"
    if ! PY=$(bufview_pick_python "$module"); then
        echo "NOTICE: no Python interpreter here imports $module (Debian: apt-get install" \
             "python3-$module): the differential test against it is SKIPPED"
        exit 77
    fi
    echo "interpreter: $(bufview_python_name "$PY")"
else
    PY="$1"
    shift
    if ! command -v "$PY" >/dev/null 2>&1; then
        echo "NOTICE: $PY not found: the differential test against CPython is SKIPPED"
        exit 77
    fi
fi
exec "$PY" "$@" --python "$PY"
