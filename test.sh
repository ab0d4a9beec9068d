#!/usr/bin/env bash
# Every test bufview has: the release build (gcc) and the sanitizer build (clang with
# AddressSanitizer + UndefinedBehaviorSanitizer), each configured, built and run through
# CTest. Installs missing Debian packages first (as root).
#
#   ./test.sh            all of it
#   ./test.sh --help
set -euo pipefail
cd "$(dirname "$0")"

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        *) echo "test.sh: unknown option '$arg' (see ./test.sh --help)" >&2; exit 2 ;;
    esac
done

. scripts/deps.sh
bufview_ensure_packages $BUFVIEW_BUILD_PACKAGES $BUFVIEW_TEST_PACKAGES valgrind gnuplot-nox python3 ||
    exit 2

if ! command -v python3 >/dev/null 2>&1; then
    echo "NOTICE: python3 not found: tests that compare with CPython use their golden files or skip."
fi

status=0
for preset in release debug; do
    echo "==> [$preset] configure + build"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
    echo "==> [$preset] ctest"
    if ! ctest --preset "$preset"; then
        status=1
    fi
done
if [ "$status" -ne 0 ]; then
    echo "test.sh: FAILED" >&2
else
    echo "test.sh: all test suites passed"
fi
exit "$status"
