#!/usr/bin/env bash
# screenshot_report.sh: render the report page in headless Chromium and save a screenshot,
# to check by eye that it reads well opened straight from disk (file://, no server).
#
#   plots/screenshot_report.sh REPORT_HTML [SCREENSHOT_PNG] [WIDTHxHEIGHT]
#
# Default screenshot: next to the report, report-screenshot.png, 1200x3000 (the top part of
# the page; use a taller window to see more). Needs the Debian package chromium (optional
# for bufview: run.sh skips this step without it). Prints the screenshot's path.
set -euo pipefail

case "${1:-}" in -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "screenshot_report.sh: expected REPORT_HTML [SCREENSHOT_PNG] [WIDTHxHEIGHT]" >&2
    exit 2
fi
report=$(realpath "$1")
shot=${2:-$(dirname "$report")/report-screenshot.png}
size=${3:-1200x3000}
if ! [[ $size =~ ^[0-9]+x[0-9]+$ ]]; then
    echo "screenshot_report.sh: window size must look like 1200x3000, not '$size'" >&2
    exit 2
fi
[ -f "$report" ] || { echo "screenshot_report.sh: no such file: $1" >&2; exit 1; }
browser=
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "screenshot_report.sh: chromium is not installed (Debian: apt-get install chromium)" >&2
    exit 3
fi
profile=$(mktemp -d "${TMPDIR:-/tmp}/bufview-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
shot_abs=$(realpath -m "$shot")
mkdir -p "$(dirname "$shot_abs")"
tmp="$(dirname "$shot_abs")/.$(basename "$shot_abs").tmp.png"
# --no-sandbox: Chromium refuses to run as root otherwise. The rest keeps a headless run
# from reaching out to the network or writing outside the throwaway profile.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --window-size="${size/x/,}" \
    --screenshot="$tmp" "file://$report" >/dev/null 2>&1 || true
if [ ! -s "$tmp" ]; then
    rm -f "$tmp"
    echo "screenshot_report.sh: $browser produced no screenshot" >&2
    exit 1
fi
mv -f "$tmp" "$shot_abs"
echo "$shot_abs"
