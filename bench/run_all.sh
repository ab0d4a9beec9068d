#!/usr/bin/env bash
# bench/run_all.sh: run every benchmark program, C and Python, into one results directory,
# showing each result as it is measured. ./run.sh's bench stage; also usable on its own.
#
#   bench/run_all.sh BUILD_DIR OUT_DIR [--quick] [--max-bytes=SIZE] [--logs=DIR]
#                    [--history=FILE] [--only=PROGRAM[,PROGRAM...]]
#
# BUILD_DIR   a built release tree (its bench/ holds the programs)
# OUT_DIR     results go to OUT_DIR/results/<program>.json
# --logs      where each program's own output goes (default OUT_DIR/logs)
# --history   seconds each program took last time, for the time estimate (kept up to date)
# --only      run only these programs (names as in bench/families.json)
#
# The programs and their order come from bench/families.json; the sizes from the programs
# (--list-sizes); the page offsets of the copies from CPython (python_bench.py
# --placement), so bufview's copies are placed as CPython's bytes objects are. Progress is
# read from the programs' progress files (one line per finished benchmark), never from
# their console text. OUT_DIR/programs.json records what ran (with every benchmark each
# program listed) and what was skipped and why. Exit status: 0 when every program
# succeeded, 1 when one failed, 2 for a usage error, 130 when interrupted.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "run_all.sh: $*" >&2; exit 2; }

build= out= quick=0 max_bytes= logs= history= only=
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        --quick) quick=1 ;;
        --max-bytes=*) max_bytes=${arg#--max-bytes=} ;;
        --logs=*) logs=${arg#--logs=} ;;
        --history=*) history=${arg#--history=} ;;
        --only=*) only=${arg#--only=} ;;
        -*) die "unknown option '$arg' (see --help)" ;;
        *) if [ -z "$build" ]; then build=$arg; elif [ -z "$out" ]; then out=$arg;
           else die "unexpected argument '$arg'"; fi ;;
    esac
done
[ -n "$build" ] && [ -n "$out" ] || die "expected BUILD_DIR and OUT_DIR (see --help)"
[ -d "$build/bench" ] || die "$build/bench does not exist: build the release preset first"
logs=${logs:-$out/logs}
mkdir -p "$out/results" "$logs" || die "cannot write to $out"

. "$repo/plots/format.sh"
. "$repo/scripts/python.sh"
FMT_ASCII=1
tty=0; [ -t 1 ] && tty=1

size_args=()
[ $quick -eq 1 ] && size_args+=(--quick)
[ -n "$max_bytes" ] && size_args+=("--max-bytes=$max_bytes")

# ---- what runs ---------------------------------------------------------------------------
mapfile -t programs < <(jq -r '[.families[].program] | reduce .[] as $p ([]; if index([$p]) then . else . + [$p] end) | .[]' "$here/families.json")
if [ -n "$only" ]; then
    wanted=()
    for p in "${programs[@]}"; do
        case ",$only," in *",$p,"*) wanted+=("$p") ;; esac
    done
    [ ${#wanted[@]} -gt 0 ] || die "--only=$only names no program (programs: ${programs[*]})"
    programs=("${wanted[@]}")
fi

if ! sizes=$("$build/bench/bench_bufview" --list-sizes "${size_args[@]}"); then
    die "cannot get the sizes from $build/bench/bench_bufview --list-sizes"
fi
top=$(tail -n 1 <<<"$sizes")
sizes_csv=$(paste -sd, <<<"$sizes")

py=
skipped=()
if printf '%s\n' "${programs[@]}" | grep -qx python_bench; then
    # One interpreter for the CPython and the NumPy series: one that imports numpy when
    # there is one (Debian's /usr/bin/python3 with python3-numpy).
    if py=$(bufview_pick_python numpy); then
        echo "  CPython and NumPy series: $(bufview_python_name "$py")"
    elif py=$(bufview_pick_python); then
        echo "NOTICE: no python3 here imports numpy (Debian: apt-get install python3-numpy): the NumPy series are skipped"
        echo "  CPython series: $(bufview_python_name "$py")"
    else
        echo "NOTICE: no python3: the CPython and NumPy series are skipped"
        programs=($(printf '%s\n' "${programs[@]}" | grep -vx python_bench))
        skipped+=("python_bench"$'\t'"no python3 on this machine")
    fi
fi

# Place bufview's copies where CPython's bytes objects put theirs: the same copy, the same
# work. Without CPython the programs use their own bytes objects' layout.
place_args=()
if [ -n "$py" ] && placement=$("$py" "$here/python_bench.py" --placement 2>"$logs/placement.log"); then
    src=$(jq -r .slice_src_page_offset <<<"$placement")
    dst=$(jq -r .copy_data_page_offset <<<"$placement")
    pyver=$(jq -r .python_version <<<"$placement")
    place_args=("--src-page-offset=$src" "--dst-page-offset=$dst"
                "--placement-source=CPython $pyver bytes objects on this machine (python_bench.py --placement)")
    echo "  placement: slice source at page offset $src, copies' data at $dst, as CPython $pyver's bytes objects"
elif [ -n "$py" ]; then
    echo "NOTICE: python_bench.py --placement failed (log: $logs/placement.log): copies are placed as bufview's own bytes objects"
fi

# ---- time estimate from the last run with the same settings --------------------------------
key=$([ $quick -eq 1 ] && echo quick || echo full)-$top
expected() { [ -n "$history" ] && awk -v k="$key" -v p="$1" '$1 == k && $2 == p { v = $3 } END { if (v != "") print v }' "$history" 2>/dev/null; }
record_time() {
    [ -n "$history" ] || return 0
    local tmp
    tmp=$(mktemp "$history.XXXXXX") || return 0
    { awk -v k="$key" -v p="$1" '!($1 == k && $2 == p)' "$history" 2>/dev/null
      echo "$key $1 $2"; } > "$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "$history"
}

# ---- running -----------------------------------------------------------------------------
pid=
on_interrupt() {
    trap - INT TERM HUP
    [ $tty -eq 1 ] && printf '\r\033[K'
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    echo "run_all.sh: interrupted" >&2
    exit 130
}
trap on_interrupt INT TERM HUP

# show PROGRESS_FILE TOTAL PID: one line per finished benchmark until PID exits.
show() {
    local file=$1 total=$2 done_n=0 kind name med lo hi reps rest
    while IFS=$'\t' read -r kind name med lo hi reps; do
        case $kind in
            result)
                done_n=$((done_n + 1))
                rest="$(fmt_time "$med")"
                [ "${reps:-1}" -gt 1 ] && rest=$(printf '%-10s (%s-%s, %d reps)' "$rest" "$(fmt_time "$lo")" "$(fmt_time "$hi")" "$reps")
                printf '    [%d/%d] %-40s %s\n' "$done_n" "$total" "$name" "$rest" ;;
            error)
                done_n=$((done_n + 1))
                printf '    [%d/%d] %-40s %s\n' "$done_n" "$total" "$name" "$med" ;;
        esac
    done < <(tail -n +1 -f --pid="$3" "$file" 2>/dev/null)
}

rm -f "$out/.programs.ran"
write_programs() {   # OUT_DIR/programs.json from what ran and what was skipped
    { [ -s "$out/.programs.ran" ] && cat "$out/.programs.ran"; } | jq -s -c \
        --argjson skipped "$(printf '%s\n' "${skipped[@]}" | jq -R 'select(length > 0) | split("\t") | {program: .[0], why: .[1]}' | jq -s -c .)" \
        '{ran: ., skipped: $skipped}' > "$out/programs.json"
    rm -f "$out/.programs.ran"
}
status=0
total_exp=0 known=1
for p in "${programs[@]}"; do
    e=$(expected "$p"); if [ -n "$e" ]; then total_exp=$((total_exp + e)); else known=0; fi
done
echo "  ${#programs[@]} programs, sizes $(fmt_bytes "$(head -n 1 <<<"$sizes")") to $(fmt_bytes "$top")$([ $quick -eq 1 ] && echo ' (--quick)')$([ $known -eq 1 ] && echo ", about $(fmt_secs "$total_exp") (the last run with these settings)")"
i=0
for p in "${programs[@]}"; do
    i=$((i + 1))
    if [ "$p" = python_bench ]; then
        cmd=("$py" "$here/python_bench.py" "--sizes=$sizes_csv")
        [ $quick -eq 1 ] && cmd+=(--quick)
        names=$("${cmd[@]}" --list 2>/dev/null)
    else
        exe=$build/bench/$p
        if [ ! -x "$exe" ]; then
            echo "NOTICE: $exe was not built: skipped"
            skipped+=("$p"$'\t'"$exe was not built")
            continue
        fi
        cmd=("$exe" "${size_args[@]}" "${place_args[@]}")
        # Listed names without the suffixes Google Benchmark adds to per-benchmark settings.
        names=$("${cmd[@]}" --benchmark_list_tests=true 2>/dev/null \
                | sed -E 's#(/(repeats|real_time|min_time|min_warmup_time|iterations)(:[0-9.]+)?)+$##')
    fi
    count=$(grep -c . <<<"$names")
    printf '%s\n' "$names" | jq -R . | jq -s -c --arg p "$p" '{program: $p, benchmarks: map(select(length > 0))}' \
        >> "$out/.programs.ran"
    e=$(expected "$p")
    printf '  (%d/%d) %s: %d benchmarks%s  (log: %s)\n' "$i" "${#programs[@]}" "$p" "$count" \
        "$([ -n "$e" ] && echo ", about $(fmt_secs "$e")")" "$logs/$p.log"
    progress=$(mktemp "$out/.progress.$p.XXXXXX")
    t0=$SECONDS
    "${cmd[@]}" --out-dir="$out" --progress-file="$progress" > "$logs/$p.log" 2>&1 &
    pid=$!
    show "$progress" "$count" "$pid"
    wait "$pid"
    rc=$?
    pid=
    rm -f "$progress"
    if [ $rc -ne 0 ]; then
        tail -n 15 "$logs/$p.log" >&2
        echo "run_all.sh: $p failed (exit status $rc; log: $logs/$p.log)" >&2
        status=1
        break
    fi
    record_time "$p" $((SECONDS - t0))
done
write_programs
exit $status
