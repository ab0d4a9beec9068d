#!/usr/bin/env bash
# make_report.sh: write the static report page: every chart that exists, with how to read
# it and what this run's figures show, and the summary table of slicing copy vs view.
#
#   plots/make_report.sh RESULTS_DIR PLOTS_DIR OUT_HTML
#
# Every number in the text comes from the JSON results (facts.jq, summary.jq); the
# sentences that need a figure the run did not measure are left out. Charts are linked by
# paths relative to OUT_HTML, so the page works opened straight from disk. Only files that
# exist are referenced. The page is written to a temporary file and renamed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
if [ $# -ne 3 ]; then
    echo "make_report.sh: expected RESULTS_DIR PLOTS_DIR OUT_HTML (see --help)" >&2
    exit 2
fi
results=$1
plots=$2
out=$3
command -v jq >/dev/null 2>&1 || { echo "make_report.sh: jq is not installed" >&2; exit 2; }
shopt -s nullglob
files=("$results"/*.json)
if [ ${#files[@]} -eq 0 ]; then
    echo "make_report.sh: no result files (*.json) in $results" >&2
    exit 1
fi
outdir=$(dirname "$out")
mkdir -p "$outdir"
rel=$(realpath -m --relative-to="$outdir" "$plots")

jqf() { jq -s -L "$here" "$@" "${files[@]}"; }

# ---- figures as text ---------------------------------------------------------------------
# F_<name> for every fact (empty when not measured).
eval "$(jqf -r -f "$here/facts.jq" | jq -r 'to_entries[] |
    "F_\(.key)=\(if .value == null then "" else .value | tostring end | @sh)"')"

. "$here/format.sh"
t() { fmt_time "$@"; }
x() { fmt_ratio "$@"; }
n3() { fmt_n3 "$@"; }
b() { fmt_bytes "$@"; }
int() { fmt_int "$@"; }
# "12.3% less time than" / "4.0% more time than"
lessmore() { awk -v v="$1" 'BEGIN { if (v < 0) printf "%.1f%% less time than", -v; else printf "%.1f%% more time than", v }'; }
# true when |percentage| <= limit
within() { awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l && v >= -l) }'; }
# true when a <= k * b
le() { awk -v a="$1" -v k="$2" -v b="$3" 'BEGIN { exit !(a <= k * b) }'; }
# plain number with up to 3 significant digits
n3() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.3g", v }' || echo "?"; }
# bytes -> "64 MiB", "544 B"
b() {
    awk -v v="$1" 'BEGIN {
        if (v >= 1073741824) printf "%.3g GiB", v / 1073741824;
        else if (v >= 1048576) printf "%.3g MiB", v / 1048576;
        else if (v >= 1024) printf "%.3g KiB", v / 1024; else printf "%d B", v }'
}
all() { local v; for v in "$@"; do [ -n "$v" ] || return 1; done; }
esc() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }

{ read -r footer1; read -r footer2; } < <(jqf -r -f "$here/footer.jq")

# ---- the page ----------------------------------------------------------------------------
tmp=$(mktemp "$outdir/.report.XXXXXX.tmp")
trap 'rm -f "$tmp"' EXIT

figure() {   # figure NAME TITLE  (text on stdin): only when NAME.png exists
    local name=$1 title=$2
    if [ ! -s "$plots/$name.png" ]; then
        printf '<p class="skipped">Chart "%s" was not drawn in this run (its results are missing).</p>\n' "$title"
        cat >/dev/null
        return
    fi
    printf '<section class="chart" id="%s">\n<h2>%s</h2>\n' "$name" "$title"
    printf '<img src="%s/%s.png" width="900" height="600" alt="%s">\n' "$rel" "$name" "$title"
    printf '<div class="text">\n'
    cat
    printf '</div>\n'
    if [ -s "$plots/$name.svg" ]; then
        printf '<p class="links"><a href="%s/%s.svg">SVG version</a></p>\n' "$rel" "$name"
    fi
    printf '</section>\n'
}

{
cat <<HTML
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bufview: copy vs view, measured</title>
<style>
  body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
         max-width: 940px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
  h1 { font-size: 1.7em; margin-bottom: 0.2em; }
  h2 { font-size: 1.25em; margin-top: 2.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
  .machine { color: #555; font-size: 0.92em; }
  .quick { background: #fff4d6; border: 1px solid #e8c96a; padding: 0.6em 0.9em; }
  table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
  th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
  th { background: #f3f3f3; }
  td:first-child, th:first-child { text-align: left; }
  img { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
  .links { font-size: 0.85em; margin-top: 0.2em; }
  .skipped { color: #8a5a00; }
  code { background: #f4f4f4; padding: 0 0.2em; }
  nav a { margin-right: 0.8em; }
</style>
</head>
<body>
<h1>bufview: what copying costs, and what viewing saves</h1>
<p class="machine">$(printf '%s' "$footer1" | esc)<br>$(printf '%s' "$footer2" | esc)</p>
HTML

if [ "$F_quick" = "true" ]; then
    cat <<HTML
<p class="quick">This page comes from a <code>--quick</code> run (sizes up to $(printf '%s' "$F_top_h"), very short
measurements): it proves the pipeline works; its figures are noisy. Run <code>./run.sh</code>
for the real figures.</p>
HTML
fi

cat <<HTML
<p>Each benchmark takes the slice <code>[1:n-1]</code> of an n-byte dataset, the way
<code>data[1:n-1]</code> (a copy) and <code>memoryview(data)[1:n-1]</code> (a view) do in
Python, and measures its time, memory and page faults with Google Benchmark; the CPython
series are measured by <code>bench/python_bench.py</code> with the standard library's
<code>timeit</code> in the same run. Times are wall-clock times per operation.</p>
<nav><a href="#summary">Summary</a><a href="#slicing">Slicing</a><a href="#speedup">Speedup</a><a href="#passing">Passing</a><a href="#throughput">Throughput</a><a href="#memory_peak">Memory</a><a href="#faults">Page faults</a><a href="#python_slicing">CPython</a></nav>

<h2 id="summary">Summary: slicing [1:n-1], copy vs view</h2>
<table>
<tr><th>size</th><th>copy</th><th>view</th><th>copy ÷ view</th><th>copy GB/s</th><th>CPython copy</th><th>CPython view</th><th>CPython copy ÷ view</th></tr>
HTML
jqf -r -f "$here/summary.jq" | while IFS=$'\t' read -r size copy view ratio gbps pc pv pr; do
    printf '<tr><td>%s</td><td>%s</td><td>%s</td><td>%s×</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n' \
        "$(b "$size")" "$(t "$copy")" "$(t "$view")" "$(x "$ratio")" "$(n3 "$gbps")" \
        "$( [ -n "$pc" ] && t "$pc" || echo "–")" "$( [ -n "$pv" ] && t "$pv" || echo "–")" \
        "$( [ -n "$pr" ] && echo "$(x "$pr")×" || echo "–")"
done
cat <<HTML
</table>
<p>GB/s is the copy's rate: bytes copied per second of real time, in 10<sup>9</sup> bytes.
A view's "rate" would only say how fast nothing is copied, so it is not shown.</p>
HTML

figure slicing "Slicing: copy vs view, with the machine's copy limits" <<HTML
<p>Time for one slice <code>[1:n-1]</code> against the dataset size, both axes logarithmic:
a line rising one grid step per size step grows in proportion to the data. The dashed lines
are the machine's limits measured in the same run: memcpy into an already-touched buffer, and
malloc + memcpy, which any brand-new copy must pay.</p>
$(all "$F_slice_copy" "$F_slice_view" "$F_view_min" && cat <<P
<p>At $F_top_h, copying the slice took $(t "$F_slice_copy") and viewing it $(t "$F_slice_view"):
the view was $(x "$F_slice_ratio") times faster. The view took between $(t "$F_view_min") and $(t "$F_view_max")
at every size from $F_small_h to $F_top_h$(le "$F_slice_view" 2 "$F_slice_view_small" && printf ': its cost does not grow with the data')$(le "$F_slice_view" 2 "$F_slice_view_small" || printf ' (%s at %s)' "$(t "$F_slice_view_small")" "$F_small_h").$(all "$F_copy_vs_malloc_pct" && printf ' The copy (a new bytes object) took %s a bare malloc + memcpy of the same size%s.' "$(lessmore "$F_copy_vs_malloc_pct")" "$(within "$F_copy_vs_malloc_pct" 10 && printf ': it runs at the limit for a fresh copy')")$(all "$F_copy_into_vs_memcpy" && printf ' Copying into a reused buffer ran at %s%% of memcpy'"'"'s rate (memcpy: %s GB/s).' "$(awk -v v="$F_copy_into_vs_memcpy" 'BEGIN{printf "%.0f", v*100}')" "$(n3 "$F_memcpy_gbps")")</p>
P
)
HTML

figure speedup "Speedup: how many times faster the view is" <<HTML
<p>Each line divides the copy's time by the view's time for the same work at the same size;
above the dotted 1× line the view wins, and the higher the line the more the copy costs
compared with the work itself.</p>
$(all "$F_slice_ratio_small" "$F_slice_ratio" && cat <<P
<p>For the bare slice the factor went from $(x "$F_slice_ratio_small")× at $F_small_h to $(x "$F_slice_ratio")× at $F_top_h.$(all "$F_sum_ratio" && printf ' When the function reads every byte (sum), the gain at %s was %s×: reading n bytes costs time whether or not they were copied first, so the copy can at most add its own share.' "$F_top_h" "$(x "$F_sum_ratio")")$(all "$F_py_ratio" && printf ' In CPython the slice gained %s× at %s.' "$(x "$F_py_ratio")" "$F_py_top_h")</p>
P
)
HTML

figure passing "Passing a slice to a function" <<HTML
<p>Time per call when a slice is handed to a function that reads only its length and first
bytes (header, O(1)) or every byte (sum, O(n)), as a view or as a fresh copy. The memcpy line
is the least any copy can cost.</p>
$(all "$F_header_view" "$F_header_copy" "$F_sum_view" "$F_sum_copy" && cat <<P
<p>At $F_top_h, the header call took $(t "$F_header_view") with a view and $(t "$F_header_copy") with
a copy: the copy is the entire cost of the call. With the sum, the copy made the call
$(x "$F_sum_ratio")× slower ($(t "$F_sum_copy") against $(t "$F_sum_view")).</p>
P
)
HTML

figure throughput "Throughput: chunked walk and in-place modify" <<HTML
<p>Gigabytes per second over the whole dataset (higher is better), linear scale. The dashed
line is memcpy's rate in the same run. Small sizes fit in the CPU caches, so their rates can
exceed what main memory sustains; the largest sizes show main memory.</p>
$(all "$F_chunks_view_gbps" "$F_chunks_copy_gbps" && cat <<P
<p>At $F_top_h, walking the data in 64 KiB views ran at $(n3 "$F_chunks_view_gbps") GB/s and in 64 KiB
copies at $(n3 "$F_chunks_copy_gbps") GB/s.$(all "$F_modify_view_gbps" "$F_modify_copy_gbps" && printf ' Changing bytes in place through a view ran at %s GB/s; copying, changing and writing back at %s GB/s.' "$(n3 "$F_modify_view_gbps")" "$(n3 "$F_modify_copy_gbps")")$(all "$F_memcpy_gbps" && printf ' memcpy: %s GB/s.' "$(n3 "$F_memcpy_gbps")")</p>
P
)
HTML

figure memory_peak "Memory: peak resident set" <<HTML
<p>The largest resident memory while each benchmark ran (the peak is reset before every
benchmark), against the dataset size; the dotted lines mark one and two times the dataset.
At small sizes the line is flat at the process's own footprint.</p>
$(all "$F_peak_view_x" "$F_peak_copy_x" && cat <<P
<p>At $F_top_h, slicing with views peaked at $(n3 "$F_peak_view_x")× the dataset and slicing
with copies at $(n3 "$F_peak_copy_x")×: every copy alive needs its own memory.$(all "$F_peak_small" && printf ' The flat part is the process itself: %s at %s.' "$(b "$F_peak_small")" "$F_small_h")</p>
P
)
HTML

figure memory_alloc "Memory: bytes allocated per slice" <<HTML
<p>Heap bytes allocated by one slice. Zero cannot sit on a logarithmic axis, so
allocation-free points are drawn on the "0 B" line; the dotted line is the slice length.</p>
$(all "$F_alloc_view_max" "$F_alloc_copy" && cat <<P
<p>$(if [ "$F_alloc_view_max" = 0 ]; then printf 'A bufview view allocated nothing at any size'; else printf 'A bufview view allocated at most %s at any size' "$(b "$F_alloc_view_max")"; fi)$(all "$F_py_alloc_view_max" && printf ", CPython's memoryview slice at most %s bytes (its objects, whatever the size)" "$(int "$F_py_alloc_view_max")"), while a copy allocates the whole slice and its object header: $(int "$F_alloc_copy") bytes at $F_top_h.</p>
P
)
HTML

figure faults "Page faults per slice" <<HTML
<p>Minor page faults per slice: the first write to a fresh page of memory traps into the
kernel, which maps a page and returns. The dotted line marks one fault per 4 KiB page of
the slice; zero is drawn on the "0" line.</p>
$(all "$F_faults_copy" "$F_faults_view" && cat <<P
<p>At $F_top_h a copy took $(int "$F_faults_copy") faults (the slice spans $(int "$F_faults_pages") pages of 4 KiB) and a view
$(int "$F_faults_view").$(all "$F_faults_copy_from" && printf ' Copies below %s averaged under one fault each: the allocator reused memory it already held; from %s up copies got fresh pages from the kernel.' "$(b "$F_faults_copy_from")" "$(b "$F_faults_copy_from")")</p>
P
)
HTML

if [ -s "$plots/python_slicing.png" ] || [ -s "$plots/python_passing.png" ]; then
figure python_slicing "CPython beside bufview: slicing" <<HTML
<p>The same slice in CPython${F_python_version:+ $F_python_version} (dotted lines, open marks)
next to bufview (solid) from the same run: <code>data[1:n-1]</code> on bytes against
<code>memoryview(data)[1:n-1]</code>.</p>
$(all "$F_py_copy" "$F_py_view" && cat <<P
<p>At $F_py_top_h, <code>data[1:n-1]</code> took $(t "$F_py_copy") and <code>memoryview(data)[1:n-1]</code>
$(t "$F_py_view") ($(x "$F_py_ratio")×). CPython's view took between $(t "$F_py_view_min") and
$(t "$F_py_view_max") at every size$(all "$F_py_view_vs_c" && printf ', %s× bufview'"'"'s view: the price of creating Python objects' "$(x "$F_py_view_vs_c")").$(all "$F_py_copy_vs_c_pct" && printf ' CPython'"'"'s copy took %s bufview'"'"'s at that size.' "$(lessmore "$F_py_copy_vs_c_pct")")</p>
P
)
HTML
figure python_passing "CPython beside bufview: passing a slice to a function" <<HTML
<p>CPython passes the slice to <code>header(buf)</code> (length and first bytes) and to
<code>zlib.crc32(buf)</code>, which reads every byte and accepts a memoryview as it is;
bufview's O(n) consumer is a byte sum, so compare the gap between copy and view, not the
levels.</p>
$(all "$F_py_sum_view" "$F_py_sum_copy" && cat <<P
<p>At $F_py_top_h, checksumming a memoryview took $(t "$F_py_sum_view") and a bytes copy
$(t "$F_py_sum_copy") ($(x "$F_py_sum_ratio")×)$(all "$F_py_header_view" "$F_py_header_copy" && printf '; the header call took %s with a view and %s with a copy' "$(t "$F_py_header_view")" "$(t "$F_py_header_copy")").</p>
P
)
HTML
else
    printf '<p class="skipped">No CPython results in this run (python3 missing or its benchmark skipped): the CPython charts are not drawn.</p>\n'
fi

cat <<HTML
<h2>Make your own</h2>
<p><code>./run.sh</code> builds bufview, runs the lessons and every benchmark, draws these charts
and writes this page; <code>./run.sh --quick</code> does it in under a minute with small sizes.
Results: <code>out/results/*.json</code> (Google Benchmark's JSON); charts:
<code>out/plots/</code> (PNG and SVG). <code>plots/README.md</code> explains each chart.</p>
</body>
</html>
HTML
} > "$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
echo "make_report.sh: wrote $out"
