#!/bin/sh
# run_options.sh: ./run.sh rejects bad options with a clear message and exit status 2
# before doing anything (no build, no packages), and --help prints its usage.
#
# usage: run_options.sh REPO_DIR
set -u
run=$1/run.sh
fails=0
expect() {   # expect STATUS MESSAGE_PART ARGS...
    want=$1 part=$2
    shift 2
    msg=$("$run" "$@" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -eq "$want" ] && printf '%s' "$msg" | grep -q -- "$part"; then
        echo "ok   run.sh $* -> $rc: $(printf '%s' "$msg" | head -n 1)"
    else
        echo "FAIL run.sh $* -> $rc (want $want and a message with '$part'): $msg"
        fails=$((fails + 1))
    fi
}
expect 2 "unknown option '--bogus'" --bogus
expect 2 "is not a size" --max-bytes=abc
expect 2 "too small" --max-bytes=0
expect 2 "is not a size" --max-bytes=-1
expect 2 "is not a size" --max-bytes=4X
expect 2 "needs a value" --max-bytes
expect 2 "too small" --max-bytes=512
expect 2 "unknown stage 'everything'" everything
expect 2 "unknown option" --quick --nope plots
if "$run" --help | grep -q -- "--max-bytes=SIZE"; then
    echo "ok   run.sh --help prints the usage"
else
    echo "FAIL run.sh --help"; fails=$((fails + 1))
fi
[ "$fails" -eq 0 ] || { echo "run_options.sh: $fails check(s) failed"; exit 1; }
echo "run_options.sh: all checks passed"
