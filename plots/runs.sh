# runs.sh: the run directories of ./run.sh (sourced by run.sh and the tests, not run).
#
# A run is out/runs/<UTC time>/ with results/ (the programs' JSON), plots/, report.html,
# logs/, programs.json (what bench/run_all.sh ran and every benchmark each program listed)
# and run.json (what the run holds and how it ended: status, complete, quick, partial,
# results_from). out/latest is a symbolic link to the newest complete run. Nothing here
# ever writes into another run's directory.

# bufview_new_run RUNS_DIR: make a new run directory named after the UTC time; print it.
# Two runs in one second get _02, _03...: '_' sorts after '/' and the end of a name, so the
# later run sorts later both as "ID" and as "ID/" (with '-' it sorted first as "ID-2/").
bufview_new_run() {
    local id dir k=1
    id=$(date -u +%Y%m%dT%H%M%SZ)
    dir=$1/$id
    while ! mkdir "$dir" 2>/dev/null; do
        [ -d "$1" ] || return 1
        k=$((k + 1))
        dir=$1/${id}_$(printf '%02d' "$k")
    done
    echo "$dir"
}

# bufview_run_set RUN FILTER [JQ ARGS...]: apply a jq filter to RUN/run.json ($now is the
# UTC time), through a temporary file.
bufview_run_set() {
    local run=$1 filter=$2 tmp
    shift 2
    [ -s "$run/run.json" ] || echo '{}' > "$run/run.json"
    tmp=$(mktemp "$run/.run.json.XXXXXX") || return 1
    if jq --arg now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$@" ". + {} | $filter" "$run/run.json" > "$tmp"; then
        chmod 644 "$tmp" && mv -f "$tmp" "$run/run.json"
    else
        rm -f "$tmp"
        return 1
    fi
}

# bufview_point_latest OUT RUN: out/latest -> RUN, replaced in one rename.
bufview_point_latest() {
    local out=$1 run=$2
    ln -sfn "runs/$(basename "$run")" "$out/.latest.tmp" && mv -Tf "$out/.latest.tmp" "$out/latest"
}

# bufview_runs_where RUNS_DIR JQ_CONDITION: run directories whose run.json meets the
# condition, newest first.
bufview_runs_where() {
    local d
    for d in $(ls -1d "$1"/*/ 2>/dev/null | sort -r); do
        d=${d%/}
        [ -s "$d/run.json" ] && jq -e "$2" "$d/run.json" >/dev/null 2>&1 && echo "$d"
    done
    return 0
}

# bufview_resolve_run RUNS_DIR RUN: a run id, a run directory or a directory of result
# files, as a directory that holds results (results/*.json or *.json); 1 with a message
# when there is none.
bufview_resolve_run() {
    local runs=$1 r=$2 d
    for d in "$runs/$r" "$r"; do
        if compgen -G "$d/results/*.json" >/dev/null || compgen -G "$d/*.json" >/dev/null; then
            (cd "$d" && pwd)
            return 0
        fi
    done
    echo "run.sh: '$r' is neither a run in $runs nor a directory of result files" >&2
    return 1
}

# bufview_results_source RUNS_DIR [FROM]: the run that 'plots' on its own draws: FROM, or
# the newest run whose results are complete.
bufview_results_source() {
    local runs=$1 from=${2:-} src
    if [ -n "$from" ]; then
        bufview_resolve_run "$runs" "$from"
        return
    fi
    src=$(bufview_runs_where "$runs" '.results_complete == true' | head -n 1)
    if [ -z "$src" ]; then
        echo "run.sh: no run in $runs has complete results: run ./run.sh bench first (or name one with --from=RUN)" >&2
        return 1
    fi
    echo "$src"
}

# bufview_missing_families RUN FAMILIES_JSON: the benchmarks the run's programs listed
# (programs.json, or its source run's) that have no result, grouped by family ("slice/copy
# (12 sizes)", ...); without a programs.json, the programs of bench/families.json that
# have no results (by the bufview_program of each file's context). Prints nothing when
# nothing is missing.
bufview_missing_families() {
    local run=$1 fams=$2 listed=
    for f in "$run/programs.json" "$(jq -r '.results_from // empty' "$run/run.json" 2>/dev/null)/programs.json"; do
        [ -s "$f" ] && { listed=$f; break; }
    done
    if [ -n "$listed" ]; then
        jq -s -r --slurpfile p "$listed" '
            ([ .[] | .benchmarks[]? | .run_name // .name ] | unique) as $have
            | [ $p[0].ran[] | .benchmarks[] | select(. as $b | $have | index($b) | not) ]
            | group_by(split("/") | until(length <= 1 or (last | test("^[0-9]+$") | not); .[:-1]) | join("/"))
            | map("\(.[0] | split("/") | until(length <= 1 or (last | test("^[0-9]+$") | not); .[:-1]) | join("/")) (\(length) size\(if length == 1 then "" else "s" end))")
            | join(", ")' "$run"/results/*.json
    else
        jq -s -r --slurpfile f "$fams" '
            ([ .[] | .context.bufview_program // empty ] | unique) as $have
            | [ $f[0].families[].program ] | unique
            | map(select(. as $p | $have | index($p) | not) | "\(.) (no results)") | join(", ")' \
            "$run"/results/*.json
    fi
}

# bufview_compare_pair RUNS_DIR [A] [B]: "A B" as result directories; by default the two
# newest complete runs (A the older).
bufview_compare_pair() {
    local runs=$1 a=${2:-} b=${3:-} complete
    complete=$(bufview_runs_where "$runs" '.complete == true')
    if [ -z "$b" ]; then
        if [ -n "$a" ]; then
            a=$(bufview_resolve_run "$runs" "$a") || return 1
            b=$(grep -vx "$a" <<<"$complete" | head -n 1)
        else
            b=$(sed -n 1p <<<"$complete")
            a=$(sed -n 2p <<<"$complete")
        fi
        if [ -z "$a" ] || [ -z "$b" ]; then
            echo "run.sh: compare needs two complete runs in $runs (found $(grep -c . <<<"$complete")); name them: ./run.sh compare RUN_A RUN_B" >&2
            return 1
        fi
    else
        a=$(bufview_resolve_run "$runs" "$a") || return 1
        b=$(bufview_resolve_run "$runs" "$b") || return 1
    fi
    echo "$a $b"
}
