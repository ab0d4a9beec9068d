#!/usr/bin/env bash
# bufview's main job, one command: install what is missing, build (release preset), run the
# lessons, run every benchmark (C programs, CPython and NumPy), draw the charts, write the
# report, print the summary table. Every run is kept in a directory of its own.
#
#   ./run.sh [options] [stage...]
#   ./run.sh compare [RUN_A] [RUN_B]
#
# Stages (default: lessons bench plots, in this order; a build runs first when lessons or
# bench is asked):
#   lessons   run the numbered lessons in order (lessons/run_all.sh)
#   bench     every benchmark program and bench/python_bench.py (bench/run_all.sh)
#   plots     charts (PNG + SVG), the report page and the summary table; on its own, from the
#             newest run with complete results (or --from)
#   compare   RUN_B against RUN_A (default: the two newest complete runs): Google
#             Benchmark's compare.py with its U-test, a table of B/A per benchmark and a ratio
#             chart (plots/compare.sh)
# Options:
#   --quick            smoke run: sizes up to 64 MiB, very short measurements (about a minute)
#   --max-bytes=SIZE   largest dataset, e.g. 4G, 512M, 65536 (binary: 4G = 4 GiB). Default:
#                      what the benchmark programs choose from MemAvailable (--list-sizes)
#   --from=RUN         plots on its own: draw from this run (an id under out/runs, a run
#                      directory, or a directory of result files)
#   --partial          plots: draw even when the results lack benchmarks the charts need,
#                      and mark every chart and the report as partial
#   -h, --help         this text
# Environment: BUFVIEW_MAX_BYTES (as --max-bytes), BUFVIEW_OUT_DIR (default ./out),
#              BUFVIEW_BUILD_DIR (default build/release), BUFVIEW_BENCH_ONLY (a comma list
#              of programs: run only these, for a partial run), BUFVIEW_SKIP_BUILD=1 (use
#              the programs already built in the build directory, as the tests do).
#
# Runs: each invocation writes out/runs/<UTC time>/ (results/, plots/, report.html, logs/,
# run.json saying what it holds and how it ended); out/latest points to the newest complete
# run (results of every program and the charts drawn from them). No run ever changes
# another: an interrupted or failed run leaves its own directory marked as such, and a
# benchmark program run by hand writes under out/hand/.
set -uo pipefail

repo=$(cd "$(dirname "$0")" && pwd)
cd "$repo" || exit 1

usage() { sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; }
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

quick=0 partial=0 max_bytes= from=
stages=() compare_args=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --quick) quick=1 ;;
        --partial) partial=1 ;;
        --from=*) from=${arg#--from=}; [ -n "$from" ] || die_usage "--from needs a run: --from=RUN" ;;
        --max-bytes=*) max_bytes=$(parse_size "--max-bytes" "${arg#--max-bytes=}") || exit 2 ;;
        --max-bytes) die_usage "--max-bytes needs a value: --max-bytes=4G" ;;
        lessons|bench|plots|compare) stages+=("$arg") ;;
        -*) die_usage "unknown option '$arg'" ;;
        *) if [ "${stages[*]:-}" = compare ] && [ ${#compare_args[@]} -lt 2 ]; then
               compare_args+=("$arg")
           else
               die_usage "unknown stage '$arg' (stages: lessons, bench, plots, compare)"
           fi ;;
    esac
done
[ ${#stages[@]} -eq 0 ] && stages=(lessons bench plots)
want() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
if want compare && [ ${#stages[@]} -gt 1 ]; then
    die_usage "compare runs on its own: ./run.sh compare [RUN_A] [RUN_B]"
fi
# Options that only a stage not asked for would use are refused, not silently ignored.
if ! want bench; then
    [ $quick -eq 1 ] && die_usage "--quick applies to the bench stage, which is not asked for (add 'bench': ./run.sh bench plots --quick)"
    [ -n "$max_bytes" ] && die_usage "--max-bytes applies to the bench stage, which is not asked for (add 'bench': ./run.sh bench plots --max-bytes=...)"
fi
if ! want plots || want bench; then
    [ -n "$from" ] && die_usage "--from chooses the run that 'plots' draws when it runs on its own (./run.sh plots --from=RUN)"
fi
if ! want plots; then
    [ $partial -eq 1 ] && die_usage "--partial applies to the plots stage, which is not asked for"
fi
# The environment's size is checked whatever the stages (a bad value is a mistake to
# report), and used by the bench stage.
if [ -n "${BUFVIEW_MAX_BYTES:-}" ]; then
    env_max=$(parse_size BUFVIEW_MAX_BYTES "$BUFVIEW_MAX_BYTES") || exit 2
    [ -z "$max_bytes" ] && want bench && max_bytes=$env_max
fi
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
runs=$out/runs
# An output directory we cannot write is a usage problem (status 2), found before any work.
if ! mkdir -p "$runs" 2>/dev/null || ! { : >"$runs/.writable"; } 2>/dev/null; then
    echo "run.sh: cannot write to the output directory $out (set BUFVIEW_OUT_DIR to a writable place)" >&2
    exit 2
fi
rm -f "$runs/.writable"

. "$repo/plots/format.sh"
. "$repo/plots/runs.sh"
FMT_ASCII=1   # "us", not "µs": terminal columns stay aligned whatever the locale

# ---- packages -----------------------------------------------------------------------------
. "$repo/scripts/deps.sh"
pkgs="jq gnuplot-nox"
if want lessons || want bench; then pkgs="$BUFVIEW_BUILD_PACKAGES $pkgs python3 python3-numpy"; fi
want compare && pkgs="$pkgs libbenchmark-tools python3-scipy"
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

# ---- compare (on its own) -----------------------------------------------------------------
if want compare; then
    if ! pair=$(bufview_compare_pair "$runs" "${compare_args[@]}"); then exit 1; fi
    read -r run_a run_b <<<"$pair"
    cmp_dir=$out/compare/$(basename "$run_a")-vs-$(basename "$run_b")
    exec "$repo/plots/compare.sh" "$run_a" "$run_b" "$cmp_dir"
fi

# ---- this run's directory -----------------------------------------------------------------
run=$(bufview_new_run "$runs") || { echo "run.sh: cannot create a run directory in $runs" >&2; exit 2; }
run_id=$(basename "$run")
logs=$run/logs
mkdir -p "$logs"
bufview_run_set "$run" '{id: $id, started: $now, stages: $stages, quick: $quick, max_bytes: $max, status: "running"}' \
    --arg id "$run_id" --argjson stages "$(printf '%s\n' "${stages[@]}" | jq -R . | jq -s -c .)" \
    --argjson quick "$([ $quick -eq 1 ] && echo true || echo false)" \
    --arg max "${max_bytes:-default}"
ended=0
finish() {   # finish STATUS: record how the run ended (once)
    [ $ended -eq 1 ] && return 0
    ended=1
    bufview_run_set "$run" '.status = $s | .finished = $now' --arg s "$1"
}
on_interrupt() {
    trap - INT TERM HUP
    finish interrupted
    echo "run.sh: interrupted; this run (${run#"$repo"/}) is marked interrupted, every other run is as it was." >&2
    exit 130
}
trap on_interrupt INT TERM HUP
trap 'finish failed' EXIT

# Stage list with counters: build first when something needs the programs.
plan=()
build_now=0
if { want lessons || want bench; } && [ "${BUFVIEW_SKIP_BUILD:-0}" != 1 ]; then build_now=1; plan+=(build); fi
for s in lessons bench plots; do want "$s" && plan+=("$s"); done
stage_no=0
stage() { stage_no=$((stage_no + 1)); printf '\n\033[1m[%d/%d] %s\033[0m\n' "$stage_no" "${#plan[@]}" "$*"; }
[ -t 1 ] || stage() { stage_no=$((stage_no + 1)); printf '\n[%d/%d] %s\n' "$stage_no" "${#plan[@]}" "$*"; }
notice() { echo "NOTICE: $*"; }
status=0
t_start=$SECONDS
echo "run ${run_id}: ${run#"$repo"/}"

bench_args=()
[ $quick -eq 1 ] && bench_args+=(--quick)
[ -n "$max_bytes" ] && bench_args+=("--max-bytes=$max_bytes")
[ -n "${BUFVIEW_BENCH_ONLY:-}" ] && bench_args+=("--only=$BUFVIEW_BENCH_ONLY")

# ---- build ----------------------------------------------------------------------------------
if [ $build_now -eq 1 ]; then
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
    sh "$repo/lessons/run_all.sh" "$build" 2>&1 | tee "$logs/lessons.log"
    if [ "${PIPESTATUS[0]}" -ne 0 ]; then
        echo "run.sh: some lessons failed (see above); going on with the benchmarks" >&2
        status=1
    fi
fi

# ---- bench ----------------------------------------------------------------------------------
if want bench; then
    t_bench=$SECONDS
    stage "bench: every benchmark program, C, CPython and NumPy$([ $quick -eq 1 ] && echo ' (--quick: a smoke run)')  (logs: ${logs#"$repo"/}/<program>.log)"
    "$repo/bench/run_all.sh" "$build" "$run" "${bench_args[@]}" --logs="$logs" \
        --history="$out/.bench-times"
    rc=$?
    [ $rc -eq 130 ] && on_interrupt
    if [ $rc -ne 0 ]; then
        echo "run.sh: the bench stage failed; this run is marked failed (log: ${logs#"$repo"/})" >&2
        exit 1
    fi
    # Complete results: every program this machine can run has written its file.
    bufview_run_set "$run" '.results_complete = ($only == "") | .programs = $p' \
        --arg only "${BUFVIEW_BENCH_ONLY:-}" --argjson p "$(jq -c . "$run/programs.json")"
    echo "  results in ${run#"$repo"/}/results/ (bench stage: $(fmt_secs $((SECONDS - t_bench))))"
fi

# ---- plots + report ---------------------------------------------------------------------------
summary() {
    local rows
    rows=$(jq -s -r -L "$repo/plots" -L "$repo/bench" -f "$repo/plots/summary.jq" "$run"/results/*.json 2>/dev/null) || return 0
    [ -n "$rows" ] || return 0
    echo
    echo "Summary: slicing [1:n-1], time per slice, median over repetitions (min-max)$([ "$(jq -r .quick "$run/run.json")" = true ] && echo '; --quick: smoke figures, not for quoting')"
    printf '  %-9s %-26s %-24s %9s %7s %10s %10s %10s %10s\n' size copy view "copy/view" "GB/s" "py copy" "py view" "np copy" "np view"
    while IFS=$'\t' read -r size copy cspread view vspread ratio gbps pc pv _ nc nv _; do
        printf '  %-9s %-26s %-24s %9s %7s %10s %10s %10s %10s\n' "$size" "$copy ($cspread)" \
            "$view ($vspread)" "$ratio" "$gbps" "$pc" "$pv" "$nc" "$nv"
    done <<<"$rows"
}

written=()
if want plots; then
    if ! want bench; then
        if ! src=$(bufview_results_source "$runs" "$from"); then exit 1; fi
        mkdir -p "$run/results"
        cp -p "$src"/results/*.json "$run/results/" 2>/dev/null || cp -p "$src"/*.json "$run/results/"
        [ -f "$src/run.json" ] && jq -c '{id, quick, programs}' "$src/run.json" > "$run/source.json"
        bufview_run_set "$run" '.results_from = $src | .quick = ($q == "true")' --arg src "$src" \
            --arg q "$(jq -s -r 'map(.context.bufview_quick // empty) | any(. == "true")' "$run"/results/*.json)"
        [ -f "$run/source.json" ] && bufview_run_set "$run" '.programs = $p' --argjson p "$(jq -c '.programs // null' "$run/source.json")"
    fi
    stage "plots: charts and report from ${run#"$repo"/}/results"
    if ! compgen -G "$run/results/*.json" >/dev/null; then
        echo "run.sh: no results in $run/results: run ./run.sh bench first" >&2
        exit 1
    fi
    missing=$(bufview_missing_families "$run" "$repo/bench/families.json")
    label="run $run_id"
    [ "$(jq -r .quick "$run/run.json")" = true ] && label="$label · --quick: smoke figures"
    if [ -n "$missing" ]; then
        if [ $partial -eq 0 ]; then
            echo "run.sh: these results lack benchmarks the charts need: $missing" >&2
            echo "run.sh: run the missing programs (./run.sh bench), or draw a partial report with ./run.sh plots --partial" >&2
            exit 1
        fi
        notice "drawing a PARTIAL report: the results lack $missing"
        label="$label · PARTIAL: lacks $missing"
        bufview_run_set "$run" '.partial = $m' --arg m "$missing"
    fi
    if ! BUFVIEW_RUN_LABEL=$label "$repo/plots/make_plots.sh" "$run/results" "$run/plots"; then
        echo "run.sh: drawing the charts failed" >&2
        exit 1
    fi
    if ! BUFVIEW_RUN_LABEL=$label "$repo/plots/make_report.sh" "$run/results" "$run/plots" "$run/report.html"; then
        echo "run.sh: writing the report failed" >&2
        exit 1
    fi
    written+=("$run/plots/ (PNG + SVG)" "$run/report.html")
    if command -v chromium >/dev/null 2>&1; then
        if shot=$("$repo/plots/screenshot_report.sh" "$run/report.html" "$run/report-screenshot.png" 1200x3000 2>/dev/null); then
            written+=("$shot")
        else
            notice "chromium could not take the report's screenshot (optional)"
        fi
    else
        notice "chromium not installed: no screenshot of the report (optional; apt-get install chromium)"
    fi
fi

# ---- how the run ended ------------------------------------------------------------------------
complete=false
if want plots && [ -z "${missing:-}" ] && { ! want bench || [ -z "${BUFVIEW_BENCH_ONLY:-}" ]; }; then
    complete=true
fi
bufview_run_set "$run" '.complete = $c' --argjson c "$complete"
finish "$([ $status -eq 0 ] && echo done || echo 'done, with failed lessons')"
trap - EXIT
[ "$complete" = true ] && bufview_point_latest "$out" "$run"

if want bench || want plots; then summary; fi
echo
if want bench || want plots; then
    json=("$run"/results/*.json)
    written=("${json[@]}" "${written[@]}")
fi
if [ ${#written[@]} -gt 0 ]; then
    echo "Wrote:"
    for w in "${written[@]}"; do echo "  ${w#"$repo"/}"; done
fi
if [ "$complete" = true ]; then
    echo "out/latest -> ${run#"$repo"/} (complete)"
else
    echo "This run is not complete$(want plots || echo ': no charts were drawn'); out/latest is unchanged."
fi
echo "Logs: ${logs#"$repo"/}/    Total time: $(fmt_secs $((SECONDS - t_start)))"
exit $status
