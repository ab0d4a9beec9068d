#!/bin/sh
# tests/diff/diff_test.sh: CTest's entry for diff.cpython. With no Python interpreter the
# test cannot compare anything: it says so loudly and exits 77, which CTest reports as
# skipped (SKIP_RETURN_CODE) rather than passed.
PY="$1"
shift
if ! command -v "$PY" >/dev/null 2>&1; then
    echo "NOTICE: $PY not found: the differential test against CPython is SKIPPED"
    exit 77
fi
exec "$PY" "$@"
