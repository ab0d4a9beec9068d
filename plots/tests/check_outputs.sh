#!/bin/sh
# check_outputs.sh: draws the charts and writes the report from a results directory, then
# checks what came out: every expected chart as a valid, non-empty PNG (magic bytes) and
# SVG (well-formed XML with an <svg> root), and a report that references only files that
# exist. Shared by the plots tests; prints one line per check.
#
# usage: check_outputs.sh PLOTS_SRC_DIR RESULTS_DIR WORK_DIR CHART...
#   CHART  a chart name that must be drawn (e.g. slicing); "!NAME" must NOT be drawn
set -u
src=$1
results=$2
work=$3
shift 3
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

rm -rf "$work"
mkdir -p "$work"
if ! "$src/make_plots.sh" "$results" "$work/plots" > "$work/make_plots.log" 2>&1; then
    cat "$work/make_plots.log"
    echo "FAIL make_plots.sh exited with an error"
    exit 1
fi
cat "$work/make_plots.log"
if ! "$src/make_report.sh" "$results" "$work/plots" "$work/report.html"; then
    echo "FAIL make_report.sh exited with an error"
    exit 1
fi

png_magic=$(printf '\211PNG\r\n\032\n' | od -An -tx1 | tr -d ' \n')
for chart in "$@"; do
    case $chart in
        !*)
            name=${chart#!}
            if [ -e "$work/plots/$name.png" ] || [ -e "$work/plots/$name.svg" ]; then
                bad "$name must not be drawn from these results"
            else
                ok "$name not drawn, as expected"
            fi
            continue ;;
    esac
    png=$work/plots/$chart.png
    svg=$work/plots/$chart.svg
    if [ -s "$png" ] && [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "$png_magic" ]; then
        ok "$chart.png is a PNG ($(wc -c < "$png") bytes)"
    else
        bad "$chart.png missing, empty or not a PNG"
    fi
    if [ ! -s "$svg" ]; then
        bad "$chart.svg missing or empty"
    elif command -v xmllint >/dev/null 2>&1; then
        if xmllint --noout "$svg" 2>/dev/null && xmllint --xpath 'local-name(/*)' "$svg" 2>/dev/null | grep -qx svg; then
            ok "$chart.svg is well-formed SVG"
        else
            bad "$chart.svg is not well-formed SVG"
        fi
    elif grep -q '<svg' "$svg" && grep -q '</svg>' "$svg"; then
        ok "$chart.svg has an <svg> element (xmllint not installed: not validated)"
    else
        bad "$chart.svg has no <svg> element"
    fi
done

# No temporary files left behind.
if ls -a "$work/plots" | grep -q '\.tmp\.'; then bad "a temporary file was left in $work/plots"; fi

# The report: every src= and href= that is not a #fragment must exist, relative to it.
report=$work/report.html
if [ -s "$report" ] && grep -q '</html>' "$report"; then
    ok "report.html written and complete"
else
    bad "report.html missing or cut short"
fi
refs=$(grep -o -E '(src|href)="[^"#][^"]*"' "$report" | sed -E 's/^(src|href)="//; s/"$//' | sort -u)
nrefs=0
for ref in $refs; do
    nrefs=$((nrefs + 1))
    case $ref in
        http:*|https:*|/*) bad "report references $ref: not a relative path (must work from disk)" ;;
        *) if [ -s "$work/$ref" ]; then ok "report references $ref, which exists"
           else bad "report references $ref, which does not exist"; fi ;;
    esac
done
[ "$nrefs" -gt 0 ] || bad "report references no chart at all"
for chart in "$@"; do
    case $chart in !*) continue ;; esac
    grep -q "src=\"plots/$chart.png\"" "$report" || bad "report does not show $chart.png"
done

if [ "$fails" -ne 0 ]; then
    echo "check_outputs.sh: $fails check(s) failed"
    exit 1
fi
echo "check_outputs.sh: all checks passed"
