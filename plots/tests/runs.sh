#!/bin/sh
# runs.sh: no run ever changes another. From a complete run (./run.sh plots from the
# fixture results), then: a benchmark program and python_bench.py run by hand, a
# bench-only run, and an interrupted run must each leave the complete run's results,
# charts and report byte-identical and out/latest where it was. Results that lack
# benchmarks are refused for charts, naming what is missing, and drawn as PARTIAL on
# request.
#
# usage: runs.sh REPO_DIR WORK_DIR BUILD_DIR
# Exit 77 (skipped) when jq or gnuplot is missing.
set -u
repo=$1
work=$2
build=$3
. "$(dirname "$0")/lib.sh"
plots_test_need jq gnuplot
rm -rf "$work"
mkdir -p "$work"
out=$work/out
export BUFVIEW_OUT_DIR=$out BUFVIEW_BUILD_DIR=$build BUFVIEW_SKIP_BUILD=1
unset BUFVIEW_MAX_BYTES BUFVIEW_BENCH_ONLY
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
snapshot() { (cd "$out/latest/" && find . -type f | sort | xargs sha256sum); }

# A complete run.
if "$repo/run.sh" plots --from="$repo/plots/testdata" > "$work/complete.log" 2>&1 && [ -L "$out/latest" ]; then
    ok "a complete run from the fixture results: out/latest -> $(readlink "$out/latest")"
else
    cat "$work/complete.log"; bad "the complete run failed or set no out/latest"; exit 1
fi
latest=$(readlink "$out/latest")
snapshot > "$work/before.txt"
[ "$(grep -c . "$work/before.txt")" -gt 20 ] && ok "its snapshot: $(grep -c . "$work/before.txt") files" \
    || bad "the complete run holds too few files"
jq -e '.complete == true and .status == "done" and (.results_from | length > 0)' "$out/latest/run.json" >/dev/null \
    && ok "run.json: complete, done, and where its results came from" || bad "run.json of the complete run: $(cat "$out/latest/run.json")"
same() {   # same WHAT: the complete run is as it was and still the latest
    if [ "$(readlink "$out/latest")" = "$latest" ] && snapshot | cmp -s - "$work/before.txt"; then
        ok "$1: the complete run's results, charts and report are byte-identical; out/latest unchanged"
    else
        bad "$1 changed the complete run or moved out/latest"
    fi
}

# A program and python_bench.py run by hand.
"$build/bench/bench_bufview" --quick --max-bytes=4K --benchmark_filter='baseline/empty' > "$work/hand.log" 2>&1 \
    || { cat "$work/hand.log"; bad "bench_bufview by hand failed"; }
ls "$out"/hand/*/results/bench_bufview.json >/dev/null 2>&1 && ok "bench_bufview by hand wrote out/hand/<time>/results/" \
    || bad "bench_bufview by hand wrote no file under out/hand"
py=$(. "$repo/scripts/python.sh"; bufview_pick_python) && {
    "$py" "$repo/bench/python_bench.py" --quick --sizes=1024 --filter='^python/slice/view/' > "$work/hand-py.log" 2>&1 \
        || { cat "$work/hand-py.log"; bad "python_bench.py by hand failed"; }
    ls "$out"/hand/*/results/python.json >/dev/null 2>&1 && ok "python_bench.py by hand wrote out/hand/<time>/results/" \
        || bad "python_bench.py by hand wrote no file under out/hand"
}
same "runs by hand"

# A bench-only run of one program (the CPython series: the quickest).
if BUFVIEW_BENCH_ONLY=python_bench "$repo/run.sh" bench --quick --max-bytes=4K > "$work/bench.log" 2>&1; then
    run=$(ls -1d "$out"/runs/*/ | sort | tail -n 1)
    jq -e '.complete == false and .status == "done" and .results_complete == false' "$run/run.json" >/dev/null \
        && ok "a bench-only run of one program: its own directory, not complete" || bad "bench-only run.json: $(cat "$run/run.json")"
else
    cat "$work/bench.log"; bad "the bench-only run failed"
fi
same "a bench-only run"

# An interrupted run (SIGTERM: a background job in a script ignores SIGINT).
"$repo/run.sh" bench --quick --max-bytes=1M > "$work/interrupted.log" 2>&1 &
pid=$!
sleep 3
kill -TERM "$pid"
wait "$pid"
rc=$?
run=$(ls -1d "$out"/runs/*/ | sort | tail -n 1)
if [ "$rc" -eq 130 ] && jq -e '.status == "interrupted" and .complete != true' "$run/run.json" >/dev/null; then
    ok "an interrupted run exits 130 and is marked interrupted"
else
    cat "$work/interrupted.log"; bad "the interrupted run: exit $rc, run.json $(cat "$run/run.json" 2>/dev/null)"
fi
same "an interrupted run"

# Results that lack a program: refused, then drawn as PARTIAL on request.
mkdir -p "$work/partial"
cp "$repo"/plots/testdata/*.json "$work/partial/"
rm "$work/partial/python.json"
if "$repo/run.sh" plots --from="$work/partial" > "$work/refused.log" 2>&1; then
    bad "charts from results without python.json were not refused"
elif grep -q "lack benchmarks the charts need: python_bench" "$work/refused.log"; then
    ok "refused, naming what is missing: $(grep -o 'need: .*' "$work/refused.log")"
else
    cat "$work/refused.log"; bad "refused, but without naming python_bench"
fi
same "a refused plots run"
if "$repo/run.sh" plots --partial --from="$work/partial" > "$work/partial.log" 2>&1; then
    run=$(ls -1d "$out"/runs/*/ | sort | tail -n 1)
    if grep -q "partial</b> run" "$run/report.html" && grep -q "PARTIAL" "$run/plots/slicing.svg" \
       && jq -e '.complete == false and (.partial | test("python_bench"))' "$run/run.json" >/dev/null; then
        ok "--partial draws, and the report and every chart say PARTIAL"
    else
        bad "--partial: the report or the charts do not say so"
    fi
else
    cat "$work/partial.log"; bad "plots --partial failed"
fi
same "a partial run"

[ "$fails" -eq 0 ] || { echo "runs.sh: $fails check(s) failed"; exit 1; }
echo "runs.sh: every run kept"
