#!/bin/sh
# lessons/compare.sh: run one lesson and check its result lines against CPython.
#
# usage: compare.sh LESSON_PROGRAM TWIN.py GOLDEN.txt [PYTHON]
#
# Result lines are the lines that do not start with '#' (lessons/lesson.h explains the
# convention). The reference is the Python twin run under PYTHON (or python3 on PATH);
# its result lines must equal the C lesson's byte for byte, and must also equal the
# golden file, so the golden files never drift from CPython. Without a usable python3,
# or with BUFVIEW_LESSONS_REFERENCE=golden, the golden file is the reference, and the
# test says so. A twin that exits with status 77 cannot run here (it needs something
# missing, such as lesson 14's extension module, and says what on stderr): the C lesson
# is still compared with the golden file, and the test is reported as skipped.
# Exit status: 0 when equal, 1 otherwise, 77 when equal to the golden file but the
# twin could not run.
set -u

if [ $# -lt 3 ]; then
    echo "usage: $0 LESSON_PROGRAM TWIN.py GOLDEN.txt [PYTHON]" >&2
    exit 2
fi
lesson=$1
twin=$2
golden=$3
python=${4:-}
name=$(basename "$lesson")

work=$(mktemp -d "${TMPDIR:-/tmp}/bufview-compare.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT HUP INT TERM

# Lines starting with '#' are narrative; everything else is compared.
results() {
    grep -v '^#' "$1" >"$2" || true
}

# Show where two result files first differ.
show_difference() {
    if command -v diff >/dev/null 2>&1; then
        diff -u "$1" "$2"
    else
        echo "--- $1"; cat "$1"; echo "+++ $2"; cat "$2"
    fi
}

# 1. The C lesson, shown in full so the test log reads like the lesson.
"$lesson" >"$work/c.out" 2>"$work/c.err"
status=$?
cat "$work/c.out"
if [ -s "$work/c.err" ]; then
    echo "--- $name wrote to stderr:"
    cat "$work/c.err"
fi
if [ $status -ne 0 ]; then
    echo "FAIL: $name exited with status $status"
    exit 1
fi
results "$work/c.out" "$work/c.res"

# 2. Choose the reference.
python_ok() {
    [ -n "$1" ] && "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)' \
        >/dev/null 2>&1
}
reason=""
if [ "${BUFVIEW_LESSONS_REFERENCE:-}" = golden ]; then
    python=""
    reason="BUFVIEW_LESSONS_REFERENCE=golden"
elif ! python_ok "$python"; then
    python=$(command -v python3 2>/dev/null || true)
    if ! python_ok "$python"; then
        python=""
        reason="python3 (>= 3.8) not found"
    fi
fi

# The C lesson against the golden file, recorded from the Python twin; exit with
# $1 when they are equal, 1 otherwise.
compare_with_golden() {
    if cmp -s "$work/c.res" "$golden"; then
        lines=$(wc -l <"$golden" | tr -d ' ')
        echo "$2: $name result lines ($lines lines) equal the golden file"
        exit "$1"
    fi
    echo "FAIL: $name result lines differ from the golden file (- golden, + C lesson):"
    show_difference "$golden" "$work/c.res"
    exit 1
}

# 3a. No CPython: the golden file.
if [ -z "$python" ]; then
    echo "NOTICE: $reason; comparing $name with the golden file $golden instead of CPython"
    compare_with_golden 0 PASS
fi

# 3b. CPython: run the twin, compare C with it, then the golden file with it.
version=$("$python" -c 'import platform; print(platform.python_version())')
echo "reference: CPython $version ($python) running $(basename "$twin")"
"$python" -B "$twin" >"$work/py.out" 2>"$work/py.err"
twin_status=$?
if [ $twin_status -eq 77 ]; then
    echo "NOTICE: the Python twin $(basename "$twin") cannot run here:"
    sed 's/^/NOTICE:   /' "$work/py.err"
    echo "NOTICE: comparing $name with the golden file $golden instead of CPython"
    compare_with_golden 77 "SKIPPED (twin not run)"
fi
if [ $twin_status -ne 0 ]; then
    cat "$work/py.out" "$work/py.err"
    echo "FAIL: the Python twin $(basename "$twin") failed"
    exit 1
fi
results "$work/py.out" "$work/py.res"
failed=0
if cmp -s "$work/c.res" "$work/py.res"; then
    echo "PASS: $name result lines ($(wc -l <"$work/py.res" | tr -d ' ') lines) equal CPython's"
else
    echo "FAIL: $name result lines differ from CPython's (- CPython, + C lesson):"
    show_difference "$work/py.res" "$work/c.res"
    failed=1
fi
if cmp -s "$work/py.res" "$golden"; then
    echo "golden file $(basename "$golden") agrees with CPython"
else
    echo "FAIL: the golden file is out of date (- golden, + CPython $version);"
    echo "      regenerate it with lessons/update_expected.sh"
    show_difference "$golden" "$work/py.res"
    failed=1
fi
exit $failed
