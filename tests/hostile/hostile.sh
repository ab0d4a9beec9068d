#!/bin/sh
# hostile.sh: bad command lines and environments for ./run.sh and the benchmark programs.
# Each must end in a clear message and exit status 2 (or, for a size that cannot be
# allocated, a clean skip), never a crash, and never touch results already written.
#
# usage: hostile.sh REPO_DIR BENCH_SLICE_EXE WORK_DIR
set -u
repo=$1
bench=$2
work=$3
fails=0
rm -rf "$work"
mkdir -p "$work/out/results"
# Results from "an earlier run": every refused invocation must leave them byte for byte.
printf '{"previous": "results"}\n' >"$work/out/results/bench_bufview.json"
sum_before=$(cksum "$work/out/results/bench_bufview.json")

check() {   # check WANT_STATUS MESSAGE_PART -- COMMAND...
    want=$1 part=$2
    shift 3
    "$@" >"$work/stdout" 2>"$work/stderr"
    rc=$?
    msg=$(cat "$work/stderr" "$work/stdout")
    # A crash shows as a signal status (> 128) or a sanitizer report.
    if [ "$rc" -eq "$want" ] && printf '%s' "$msg" | grep -q -- "$part" &&
        ! printf '%s' "$msg" | grep -q "Sanitizer\|Segmentation"; then
        echo "ok   [$rc] $(printf '%s' "$*" | cut -c1-90): $(printf '%s' "$msg" | grep -- "$part" | head -n 1 | cut -c1-110)"
    else
        echo "FAIL [$rc, want $want and '$part'] $*"
        printf '%s\n' "$msg" | tail -n 5 | sed 's/^/     /'
        fails=$((fails + 1))
    fi
    if [ "$(cksum "$work/out/results/bench_bufview.json")" != "$sum_before" ]; then
        echo "FAIL earlier results changed after: $*"
        fails=$((fails + 1))
    fi
}

export BUFVIEW_OUT_DIR="$work/out"

# ---- ./run.sh --------------------------------------------------------------------------
run="$repo/run.sh"
check 2 "unknown option '--bogus'" -- "$run" --bogus
check 2 "is not a size" -- "$run" --max-bytes=abc
check 2 "too small" -- "$run" --max-bytes=0
check 2 "is not a size" -- "$run" --max-bytes=-1
check 2 "is not a size" -- env BUFVIEW_MAX_BYTES=lots "$run" plots
check 2 "more than this machine's memory" -- "$run" --max-bytes=512G bench
check 2 "applies to the bench stage" -- "$run" --max-bytes=3M plots
check 2 "too large" -- "$run" --max-bytes=99999T plots
check 2 "cannot write to the output directory" -- env BUFVIEW_OUT_DIR=/proc/bufview-out "$run" plots
check 2 "cannot write to the output directory" -- env BUFVIEW_OUT_DIR="$work/out/results/bench_bufview.json/x" "$run" plots

# gnuplot or jq missing from PATH: a directory of links to everything else in /usr/bin.
for tool in gnuplot jq; do
    fake="$work/path-without-$tool"
    mkdir -p "$fake"
    for f in /usr/bin/* /bin/*; do
        name=${f##*/}
        case "$name" in "$tool"|"$tool"-*) continue ;; esac
        [ -e "$fake/$name" ] || ln -s "$f" "$fake/$name" 2>/dev/null
    done
    check 2 "'$tool' is not on PATH" -- env PATH="$fake" "$run" plots
done

# ---- a benchmark program ------------------------------------------------------------------
check 2 "is not a size" -- "$bench" --max-bytes=abc
check 2 "at least 1K" -- "$bench" --max-bytes=0
check 2 "is not a size" -- "$bench" --max-bytes=-1
check 2 "is not a size" -- env BUFVIEW_MAX_BYTES=abc "$bench"
check 2 "at least 1K" -- env BUFVIEW_MAX_BYTES=0 "$bench"
check 2 "too large" -- "$bench" --max-bytes=9000000T
check 2 "is not a size" -- "$bench" --max-bytes=99999999999T
check 2 "unrecognized command-line flag" -- "$bench" --quick --bogus
check 2 "size-factor must be 2 or 4" -- "$bench" --size-factor=3
check 2 "cannot create" -- "$bench" --quick --max-bytes=4K --out-dir=/proc/bufview-out

[ "$fails" -eq 0 ] || { echo "hostile.sh: $fails check(s) failed"; exit 1; }
echo "hostile.sh: every hostile input was refused cleanly; earlier results untouched"
