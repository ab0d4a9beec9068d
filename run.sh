#!/usr/bin/env bash
# bufview's main job, one command: install what is missing, build (release preset), run the
# lessons, run every benchmark (C programs + CPython), draw the charts, write the report,
# print the summary table.
#
#   ./run.sh [options] [stage...]
#
# Stages (default: all, in this order; a build runs first when lessons or bench is asked):
#   lessons   run the numbered lessons in order (lessons/run_all.sh)
#   bench     run every benchmark program and bench/python_bench.py -> out/results/*.json
#   plots     charts out/plots/*.png|svg, report out/report.html, summary table
# Options:
#   --quick            smoke run: sizes up to 64 MiB, very short measurements (< 60 s)
#   --max-bytes=SIZE   largest dataset, e.g. 4G, 512M, 65536 (binary: 4G = 4 GiB). Default:
#                      the largest power of two whose dataset + one copy fit in half of
#                      MemAvailable, at most 8 GiB
#   -h, --help         this text
# Environment: BUFVIEW_MAX_BYTES (as --max-bytes), BUFVIEW_OUT_DIR (default ./out),
#              BUFVIEW_BUILD_DIR (default build/release).
#
# Results are written under temporary names and put in place only when the whole bench
# stage succeeded: an interrupted run leaves the previous results as they were.
set -uo pipefail

repo=$(cd "$(dirname "$0")" && pwd)
cd "$repo" || exit 1

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; }
die_usage() { echo "run.sh: $*" >&2; echo "Try ./run.sh --help" >&2; exit 2; }

# ---- options ----------------------------------------------------------------------------
# parse_size WHAT TEXT: bytes, with the benchmark programs' syntax (digits, an optional
# binary K/M/G/T with an optional "i", an optional "B"); a message and status 2 otherwise.
parse_size() {
    local what=$1 v=$2 num mult
    if ! [[ $v =~ ^([0-9]{1,15})(([KkMmGgTt])[iI]?)?[bB]?$ ]]; then
        echo "run.sh: $what=$v is not a size (examples: 65536, 64K, 512M, 4G)" >&2; return 2
    fi
    num=$((10#${BASH_REMATCH[1]}))
    case ${BASH_REMATCH[3]} in
        [Kk]) mult=1024 ;; [Mm]) mult=$((1024 ** 2)) ;;
        [Gg]) mult=$((1024 ** 3)) ;; [Tt]) mult=$((1024 ** 4)) ;; *) mult=1 ;;
    esac
    if [ $((num * mult)) -lt 1024 ]; then
        echo "run.sh: $what=$v is too small: the smallest dataset is 1K (1024 bytes)" >&2; return 2
    fi
    if [ $((num * mult)) -gt $((1024 ** 4)) ]; then
        echo "run.sh: $what=$v is too large (at most 1T)" >&2; return 2
    fi
    echo $((num * mult))
}

quick=0
max_bytes=
stages=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --quick) quick=1 ;;
        --max-bytes=*) max_bytes=$(parse_size "--max-bytes" "${arg#--max-bytes=}") || exit 2 ;;
        --max-bytes) die_usage "--max-bytes needs a value: --max-bytes=4G" ;;
        lessons|bench|plots) stages+=("$arg") ;;
        -*) die_usage "unknown option '$arg'" ;;
        *) die_usage "unknown stage '$arg' (stages: lessons, bench, plots)" ;;
    esac
done
[ ${#stages[@]} -eq 0 ] && stages=(lessons bench plots)
if [ -z "$max_bytes" ] && [ -n "${BUFVIEW_MAX_BYTES:-}" ]; then
    max_bytes=$(parse_size BUFVIEW_MAX_BYTES "$BUFVIEW_MAX_BYTES") || exit 2
fi
want() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
# A dataset larger than the whole memory can never be measured: refuse it now rather than
# skip every large size one by one after minutes of smaller ones.
if [ -n "$max_bytes" ]; then
    mem_total=$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo 2>/dev/null)
    if [ -n "$mem_total" ] && [ "$max_bytes" -gt "$mem_total" ]; then
        echo "run.sh: a top size of $max_bytes bytes is more than this machine's memory ($mem_total bytes); the benchmarks need the dataset and one copy of it in memory" >&2
        exit 2
    fi
fi

out=${BUFVIEW_OUT_DIR:-$repo/out}
case "$out" in /*) ;; *) out=$repo/$out ;; esac
build=${BUFVIEW_BUILD_DIR:-$repo/build/release}
results=$out/results
logs=$out/logs
# An output directory we cannot write is a usage problem (status 2), found before any work.
if ! mkdir -p "$logs" 2>/dev/null || ! { : >"$logs/.writable"; } 2>/dev/null; then
    echo "run.sh: cannot write to the output directory $out (set BUFVIEW_OUT_DIR to a writable place)" >&2
    exit 2
fi
rm -f "$logs/.writable"

. "$repo/plots/format.sh"
FMT_ASCII=1   # "us", not "µs": terminal columns stay aligned whatever the locale

# Stage list with counters: build first when something needs the programs.
plan=()
if want lessons || want bench; then plan+=(build); fi
for s in lessons bench plots; do want "$s" && plan+=("$s"); done
stage_no=0
stage() { stage_no=$((stage_no + 1)); printf '\n\033[1m[%d/%d] %s\033[0m\n' "$stage_no" "${#plan[@]}" "$*"; }
[ -t 1 ] || stage() { stage_no=$((stage_no + 1)); printf '\n[%d/%d] %s\n' "$stage_no" "${#plan[@]}" "$*"; }
notice() { echo "NOTICE: $*"; }
status=0
t_start=$SECONDS

# ---- packages -----------------------------------------------------------------------------
. "$repo/scripts/deps.sh"
pkgs="jq gnuplot-nox"
if want lessons || want bench; then pkgs="$BUFVIEW_BUILD_PACKAGES $pkgs python3"; fi
# shellcheck disable=SC2086
bufview_ensure_packages $pkgs || exit 2
# A package can be installed and its program still be unreachable (a PATH without
# /usr/bin, a removed binary): say which one instead of failing halfway through a stage.
for tool in jq gnuplot; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run.sh: '$tool' is not on PATH; install it with: apt-get install -y ${tool/gnuplot/gnuplot-nox}" >&2
        exit 2
    fi
done

bench_args=()
[ $quick -eq 1 ] && bench_args+=(--quick)
[ -n "$max_bytes" ] && bench_args+=("--max-bytes=$max_bytes")

# ---- build ----------------------------------------------------------------------------------
if want lessons || want bench; then
    stage "build: release preset (gcc -O3, LTO) in ${build#"$repo"/}  (log: ${logs#"$repo"/}/build.log)"
    t0=$SECONDS
    if [ -n "${BUFVIEW_BUILD_DIR:-}" ]; then
        cfg=(cmake --preset release -B "$build"); bld=(cmake --build "$build")
    else
        cfg=(cmake --preset release); bld=(cmake --build --preset release)
    fi
    if ! { "${cfg[@]}" && "${bld[@]}"; } >"$logs/build.log" 2>&1; then
        tail -n 30 "$logs/build.log" >&2
        echo "run.sh: the build failed; full log: $logs/build.log" >&2
        exit 1
    fi
    echo "built in $(fmt_secs $((SECONDS - t0)))"
fi

# ---- lessons --------------------------------------------------------------------------------
if want lessons; then
    stage "lessons: every lesson in order  (log: ${logs#"$repo"/}/lessons.log)"
    if [ -f "$repo/lessons/run_all.sh" ]; then
        sh "$repo/lessons/run_all.sh" "$build" 2>&1 | tee "$logs/lessons.log"
        if [ "${PIPESTATUS[0]}" -ne 0 ]; then
            echo "run.sh: some lessons failed (see above); going on with the benchmarks" >&2
            status=1
        fi
    else
        notice "lessons/run_all.sh not found: no lessons to run"
    fi
fi

# ---- bench ----------------------------------------------------------------------------------
staging=
cleanup() {
    if [ -n "$staging" ]; then rm -rf "$staging"; fi
    return 0
}
on_interrupt() {
    trap - INT TERM HUP
    # bench/run_all.sh stops its program and says so; the staging directory goes here.
    cleanup
    staging=
    echo "run.sh: interrupted; the previous results in ${results#"$repo"/} are unchanged." >&2
    exit 130
}
trap cleanup EXIT
trap on_interrupt INT TERM HUP

if want bench; then
    t_bench=$SECONDS
    stage "bench: every benchmark program, C and CPython$([ $quick -eq 1 ] && echo ' (--quick)')  (logs: ${logs#"$repo"/}/<program>.log)"
    mkdir -p "$out"
    staging=$(mktemp -d "$out/.results-new.XXXXXX")
    "$repo/bench/run_all.sh" "$build" "$staging" "${bench_args[@]}" --logs="$logs" \
        --history="$out/.bench-times"
    rc=$?
    if [ $rc -eq 130 ]; then on_interrupt; fi
    if [ $rc -ne 0 ]; then
        echo "run.sh: the bench stage failed; the previous results are unchanged" >&2
        exit 1
    fi
    # The whole set at once: the new directory replaces the old one, so the charts always
    # come from a single run.
    mkdir -p "$results"
    old=$(mktemp -d "$out/.results-old.XXXXXX") && rmdir "$old"
    if ! { mv "$results" "$old" && mv "$staging/results" "$results"; }; then
        echo "run.sh: could not put the new results in place" >&2
        exit 1
    fi
    rm -rf "$old" "$staging"
    staging=
    echo "  results in ${results#"$repo"/}/ (bench stage: $(fmt_secs $((SECONDS - t_bench))))"
fi

# ---- plots + report ---------------------------------------------------------------------------
summary() {
    [ -d "$results" ] || return 0
    local rows
    rows=$(jq -s -r -L "$repo/plots" -L "$repo/bench" -f "$repo/plots/summary.jq" "$results"/*.json 2>/dev/null) || return 0
    [ -n "$rows" ] || return 0
    echo
    echo "Summary: slicing [1:n-1], time per slice, median over repetitions (min-max)"
    printf '  %-9s %-26s %-24s %9s %7s %10s %10s\n' size copy view "copy/view" "GB/s" "py copy" "py view"
    while IFS=$'\t' read -r size copy cspread view vspread ratio gbps pc pv _; do
        printf '  %-9s %-26s %-24s %9s %7s %10s %10s\n' "$size" "$copy ($cspread)" \
            "$view ($vspread)" "$ratio" "$gbps" "$pc" "$pv"
    done <<<"$rows"
}

written=()
if want plots; then
    stage "plots: charts and report"
    if ! compgen -G "$results/*.json" >/dev/null; then
        echo "run.sh: no results in $results: run ./run.sh bench first" >&2
        exit 1
    fi
    if ! "$repo/plots/make_plots.sh" "$results" "$out/plots"; then
        echo "run.sh: drawing the charts failed" >&2
        exit 1
    fi
    if ! "$repo/plots/make_report.sh" "$results" "$out/plots" "$out/report.html"; then
        echo "run.sh: writing the report failed" >&2
        exit 1
    fi
    written+=("$out/plots/ (PNG + SVG)" "$out/report.html")
    if command -v chromium >/dev/null 2>&1; then
        if shot=$("$repo/plots/screenshot_report.sh" "$out/report.html" "$out/report-screenshot.png" 1200x3000 2>/dev/null); then
            written+=("$shot")
        else
            notice "chromium could not take the report's screenshot (optional)"
        fi
    else
        notice "chromium not installed: no screenshot of the report (optional; apt-get install chromium)"
    fi
fi

if want bench || want plots; then summary; fi
echo
if want bench; then
    json=("$results"/*.json)
    written=("${json[@]}" "${written[@]}")
fi
if [ ${#written[@]} -gt 0 ]; then
    echo "Wrote:"
    for w in "${written[@]}"; do echo "  ${w#"$repo"/}"; done
fi
echo "Logs: ${logs#"$repo"/}/    Total time: $(fmt_secs $((SECONDS - t_start)))"
exit $status
