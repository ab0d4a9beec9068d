#!/usr/bin/env bash
# make_plots.sh: draw every bufview chart from benchmark results, as PNG and SVG.
#
#   plots/make_plots.sh RESULTS_DIR OUT_PLOTS_DIR
#
# RESULTS_DIR holds the Google Benchmark JSON files (bench_*.json from the C programs,
# python.json from bench/python_bench.py). jq turns them into one column file per series
# (series.jq, ratio.jq), gnuplot draws each chart (plots/*.gp) twice, 900x600 PNG and SVG.
# Each file is drawn under a temporary name and renamed, so an interrupted run leaves the
# previous charts whole. A chart whose data is missing is skipped with a notice; the exit
# status is 0 when at least one chart was drawn. With BUFVIEW_PLOT_DATA=DIR the column
# files the charts were drawn from are kept in DIR (the tests read them). The consume
# chart's fitted slopes are also written to OUT_PLOTS_DIR/consume_slopes.tsv (consume.gp
# says what the columns are), for the report.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

case "${1:-}" in -h|--help) usage; exit 0 ;; esac
if [ $# -ne 2 ]; then
    echo "make_plots.sh: expected RESULTS_DIR and OUT_PLOTS_DIR (see --help)" >&2
    exit 2
fi
results=$1
outdir=$2
for tool in jq gnuplot; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "make_plots.sh: $tool is not installed (Debian: apt-get install jq gnuplot-nox)" >&2
        exit 2
    fi
done
shopt -s nullglob
files=("$results"/*.json)
if [ ${#files[@]} -eq 0 ]; then
    echo "make_plots.sh: no result files (*.json) in $results; run the benchmarks first" >&2
    exit 1
fi
mkdir -p "$outdir"
data=$(mktemp -d "${TMPDIR:-/tmp}/bufview-plots.XXXXXX")
trap 'rm -rf "$data"; rm -f "$outdir"/.*.tmp.png "$outdir"/.*.tmp.svg' EXIT

jqf() { jq -s -r -L "$here" -L "$here/../bench" "$@" "${files[@]}"; }

# Titles and line styles of every family (bench/families.json), for common.gp.
jq -r '.families[] | (.name | gsub("/"; "_")) as $s
       | "t_\($s) = \"\(.title)\"", "ls_\($s) = \(.style // 1)"' \
    "$here/../bench/families.json" > "$data/families.gp"

# One column file per family (slice/copy -> slice_copy.tsv); the layout families by page
# offset instead of size.
families=$(jqf 'include "results"; [ figures[] | select(.error | not) | .family ] | unique[]')
for fam in $families; do
    x=size
    case $fam in layout/*) x=variant ;; esac
    jqf --arg fam "$fam" --arg x "$x" -f "$here/series.jq" > "$data/${fam//\//_}.tsv"
done

# Copy time / view time, for every pair measured.
ratio() {   # ratio NAME COPY_FAMILY VIEW_FAMILY
    jqf --arg num "$2" --arg den "$3" -f "$here/ratio.jq" > "$data/$1.tsv"
}
ratio speedup_slice slice/copy slice/view
ratio speedup_pass_header pass/copy/header pass/view/header
ratio speedup_pass_sum pass/copy/sum pass/view/sum
ratio speedup_chunks chunks/copy chunks/view
ratio speedup_modify modify/copy modify/view
ratio speedup_python_slice python/slice/copy python/slice/view
ratio speedup_python_pass_sum python/pass/copy/sum python/pass/view/sum

# The copy-cost model's predictions (checks.jq): size, predicted ns.
for fam in slice/copy slice/copy_thp; do
    jqf --arg fam "$fam" 'include "checks"; checks.model[] | select(.family == $fam) | [.size, .predicted] | @tsv' \
        > "$data/model_${fam//\//_}.tsv"
done

# The size range over every series, the layout size and offset, and the footer's lines.
read -r xmin xmax < <(jqf 'include "results"; [ figures[] | .size | select(. != null) ]
                            | "\(min // 1024) \(max // 1048576)"')
read -r layout_bytes dst_offset < <(jqf 'include "results"; context
    | "\(.bufview_layout_bytes // 67108864) \(.bufview_dst_page_offset // 0)"')
{ read -r footer1; read -r footer2; } < <(jqf --arg runlabel "${BUFVIEW_RUN_LABEL:-}" -f "$here/footer.jq")
gp_str() { printf "'%s'" "${1//\'/\'\'}"; }   # a gnuplot single-quoted string

have() { [ -s "$data/$1.tsv" ]; }
chart_extra=   # more gnuplot -e settings for the next chart only
drawn=0
skipped=0
# chart NAME "notice when skipped" SERIES... : draws NAME.png and NAME.svg from NAME.gp
# when at least one of the series has data.
chart() {
    local name=$1 why=$2 s ok=0
    shift 2
    for s in "$@"; do have "$s" && ok=1; done
    if [ $ok -eq 0 ]; then
        echo "NOTICE: $name skipped: $why"
        skipped=$((skipped + 1))
        return 0
    fi
    local ext tmp
    for ext in png svg; do
        tmp="$outdir/.$name.tmp.$ext"
        if ! (cd "$here" && gnuplot -e "ext='$ext'; outfile=$(gp_str "$tmp"); \
                datadir=$(gp_str "$data"); footer1=$(gp_str "$footer1"); \
                footer2=$(gp_str "$footer2"); xmin=$xmin; xmax=$xmax; \
                layout_bytes=$layout_bytes; dst_offset=$dst_offset; $chart_extra" "$name.gp"); then
            echo "make_plots.sh: gnuplot failed on $name.gp ($ext)" >&2
            exit 1
        fi
        mv -f "$tmp" "$outdir/$name.$ext"
    done
    echo "  $outdir/$name.png  $outdir/$name.svg"
    drawn=$((drawn + 1))
}

echo "make_plots.sh: drawing charts from ${#files[@]} result files in $results"
chart slicing "no slice/... results" slice_copy slice_view baseline_memcpy
chart copies "no new-copy results" slice_copy slice_copy_recycled slice_copy_thp
chart layout "no layout/... results" layout_copy layout_copy_resident
chart pages "no baseline/fault/... results" \
    baseline_fault_4k baseline_fault_2m baseline_fault_resident
chart speedup "no copy/view pairs measured" \
    speedup_slice speedup_pass_header speedup_pass_sum speedup_chunks speedup_modify
chart passing "no pass/... results" \
    pass_view_header pass_copy_header pass_view_sum pass_copy_sum
chart throughput "no chunks/... or modify/... results" \
    chunks_view chunks_copy modify_view modify_copy
chart memory_peak "no peak_rss_added figures for slice/... or modify/..." \
    slice_view slice_copy modify_view modify_copy
chart memory_alloc "no slice/... results" \
    slice_view slice_copy python_slice_view python_slice_copy
chart faults "no slice/... results" \
    slice_view slice_copy slice_copy_recycled baseline_malloc_memcpy
# The consume chart also writes its fitted slopes, for the report.
rm -f "$outdir/consume_slopes.tsv"
chart_extra="slopes_out=$(gp_str "$data/consume_slopes.tsv")"
chart consume "no consume/... results (bench_io.c, python_bench.py)" \
    consume_copy consume_view python_consume_copy python_consume_view
chart_extra=
if [ -s "$data/consume_slopes.tsv" ]; then
    mv -f "$data/consume_slopes.tsv" "$outdir/consume_slopes.tsv"
    echo "  $outdir/consume_slopes.tsv"
fi
chart io "no io/... results (bench_io.c, python_bench.py)" \
    io_read_copy io_read_view io_recv_copy io_recv_view \
    python_io_read_copy python_io_read_view python_io_recv_copy python_io_recv_view
if have python_slice_copy || have python_slice_view || have python_pass_copy_sum; then
    chart python_slicing "no python/slice/... results" python_slice_copy python_slice_view
    chart python_passing "no python/pass/... results" \
        python_pass_copy_sum python_pass_view_sum python_pass_copy_header python_pass_view_header
else
    echo "NOTICE: no CPython results ($results/python.json): the CPython charts are skipped" \
         "and the other charts show bufview only (bench/python_bench.py writes them; it needs python3)"
    skipped=$((skipped + 2))
fi
if [ -n "${BUFVIEW_PLOT_DATA:-}" ]; then
    mkdir -p "$BUFVIEW_PLOT_DATA" && cp "$data"/* "$BUFVIEW_PLOT_DATA"/
fi
echo "make_plots.sh: $drawn charts drawn, $skipped skipped, in $outdir"
[ $drawn -gt 0 ]
