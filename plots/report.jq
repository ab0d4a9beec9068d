# report.jq: the report page (HTML) of one run, from its results. Every number on the page
# comes from results.jq's figures (medians over repetitions, spreads min–max) and is
# formatted by results.jq, as in the tables, the targets and the terminal summary; a
# sentence whose figures the run did not measure is left out.
#
#   jq -s -r -L plots -L bench --argjson charts '["slicing", ...]' --argjson slopes SLOPES --arg rel PLOTS_DIR \
#      --arg footer1 ... --arg footer2 ... -f report.jq RESULTS/*.json
# $charts: the charts that were drawn (their PNG exists); $slopes: the consume chart's
# fitted slopes (make_report.sh, from consume_slopes.tsv; [] when absent); $rel: the charts' directory
# relative to the page.
include "results";
include "checks";

# The consume chart's fitted slopes (make_report.sh reads them from the plots directory):
# [{family, slope, error (null with 2 points), points, from, to}], [] when not drawn.
def slopes_arg: $ARGS.named.slopes // [];

def esc: tostring | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;");
def t: human_time;
def sp: "\(.median | t) <span class=\"spread\">(\(.min | t)–\(.max | t))</span>";
def drawn($name): $charts | index($name) != null;
def pct_more: if . >= 0 then "\(human_pct)% more" else "\(- . | human_pct)% less" end;

# A chart with its explanation (a string of HTML), or a note that it was not drawn.
def figure($name; $title; $text):
  if drawn($name) then
    "<section class=\"chart\" id=\"\($name)\">\n<h2>\($title | esc)</h2>\n"
    + "<img src=\"\($rel)/\($name).png\" width=\"900\" height=\"600\" alt=\"\($title | esc)\">\n"
    + "<div class=\"text\">\n\($text)\n</div>\n"
    + "<p class=\"links\"><a href=\"\($rel)/\($name).svg\">SVG version</a></p>\n</section>"
  else "<p class=\"skipped\">Chart \"\($title | esc)\" was not drawn in this run (its results are missing).</p>" end;
def p: if . == null or . == "" then "" else "<p>\(.)</p>" end;

. as $docs
| slopes_arg as $slopes
| figures as $f
| checks as $chk
| context as $ctx
| quick as $quick
| ([ $f[] | select(.family == "slice/copy" and (.error | not)) | .size ] | max) as $top
| ([ $f[] | select(.family == "slice/copy" and (.error | not)) | .size ] | min) as $small
| ([ $f[] | select(.error | not) | .reps ] | unique) as $reps
| ([ $f[] | select(.family | startswith("python/")) | .size ] | max) as $ptop
| def fam($x; $n): at($f; $x; $n);
  def med($x; $n): fam($x; $n).median;

"<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>bufview: copy vs view, measured</title>
<style>
  body { font-family: \"DejaVu Sans\", \"Segoe UI\", Helvetica, Arial, sans-serif; color: #222;
         max-width: 940px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
  h1 { font-size: 1.7em; margin-bottom: 0.2em; }
  h2 { font-size: 1.25em; margin-top: 2.2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
  .machine { color: #555; font-size: 0.92em; }
  .quick { background: #fff4d6; border: 1px solid #e8c96a; padding: 0.6em 0.9em; }
  .bad { color: #a31515; }
  .good { color: #1b6e1b; }
  table { border-collapse: collapse; margin: 1em 0; font-size: 0.88em; }
  th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
  th { background: #f3f3f3; }
  td:first-child, th:first-child { text-align: left; }
  .spread { color: #777; font-size: 0.85em; }
  img { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
  .links { font-size: 0.85em; margin-top: 0.2em; }
  .skipped { color: #8a5a00; }
  code { background: #f4f4f4; padding: 0 0.2em; }
  nav a { margin-right: 0.8em; }
</style>
</head>
<body>
<h1>bufview: what copying costs, and what viewing saves</h1>
<p class=\"machine\">\($footer1 | esc)<br>\($footer2 | esc)</p>",
(if ($runlabel | test("PARTIAL")) then "<p class=\"quick\">This page shows a <b>partial</b> run: \($runlabel | sub("^.*PARTIAL: "; "") | esc). Its charts are marked so; run <code>./run.sh</code> for a complete one.</p>" else empty end),

(if $quick then "<p class=\"quick\">This page comes from a <code>--quick</code> run (sizes up to \($top | human_size), very short
measurements): it proves the pipeline works; its figures are noisy. Run <code>./run.sh</code>
for the real figures.</p>" else empty end),

"<p>Each benchmark takes the slice <code>[1:n-1]</code> of an n-byte dataset, the way
<code>data[1:n-1]</code> (a copy) and <code>mv[1:n-1]</code> (a view) do in Python, and measures
its time, memory and page faults with Google Benchmark; the CPython series are measured by
<code>bench/python_bench.py</code> with the standard library's <code>timeit</code> in the same run.
Times are wall-clock times per operation. Every figure is the <b>median</b> over
\($reps | map(tostring) | join(" or ")) repetitions, with their spread (min–max) in grey and as
error bars; the repetitions of all benchmarks ran in random order, so a slow moment of the
machine lands on any of them rather than on one.</p>
<nav><a href=\"#summary\">Summary</a><a href=\"#quotable\">Can they be quoted?</a><a href=\"#slicing\">Slicing</a><a href=\"#copies\">New copies</a><a href=\"#layout\">Placement</a><a href=\"#pages\">Pages</a><a href=\"#passing\">Passing</a><a href=\"#throughput\">Throughput</a><a href=\"#memory_peak\">Memory</a><a href=\"#consume\">Consuming</a><a href=\"#io\">Reading and receiving</a><a href=\"#python_slicing\">CPython</a></nav>

<h2 id=\"summary\">Summary: slicing [1:n-1], copy vs view</h2>
<table>
<tr><th>size</th><th>copy</th><th>view</th><th>copy ÷ view</th><th>copy GB/s</th><th>CPython <code>data[1:n-1]</code></th><th>CPython <code>mv[1:n-1]</code></th><th>CPython copy ÷ view</th><th>NumPy <code>a[1:n-1].copy()</code></th><th>NumPy <code>a[1:n-1]</code></th></tr>",
(family_rows($f; "slice/copy")[] as $c
 | fam("slice/view"; $c.size) as $v | select($v != null)
 | fam("python/slice/copy"; $c.size) as $pc | fam("python/slice/view"; $c.size) as $pv
 | fam("numpy/slice/copy"; $c.size) as $nc | fam("numpy/slice/view"; $c.size) as $nv
 | "<tr><td>\($c.size | human_size)</td><td>\($c | sp)</td><td>\($v | sp)</td><td>\($c.median / $v.median | human_ratio)×</td><td>\($c.counters.bytes_per_second | human_gbps)</td><td>\(if $pc then $pc | sp else "–" end)</td><td>\(if $pv then $pv | sp else "–" end)</td><td>\(if $pc and $pv then "\($pc.median / $pv.median | human_ratio)×" else "–" end)</td><td>\(if $nc then $nc | sp else "–" end)</td><td>\(if $nv then $nv | sp else "–" end)</td></tr>"),
"</table>
<p>GB/s is the copy's rate: bytes copied per second of real time, in 10<sup>9</sup> bytes. Both
copies get fresh pages from the kernel for every copy of 128 KiB and more (bufview's allocator
and CPython's glibc with a fixed mmap threshold), as a one-off copy in a program does.</p>",

# ---- can these figures be quoted? ---------------------------------------------------------
"<h2 id=\"quotable\">Can these figures be quoted?</h2>
<p>A figure is worth quoting when the same work measured another way agrees with it, when no
series beats the limit of its operation, and when the next run gives the same answer within
its spread. This run checks the first two itself; <code>./run.sh compare</code> checks the third
against another run.</p>
<h3>The same copy, measured three ways</h3>",
($chk.agreement | map(select(.group == "fresh copy of the slice"))) as $ag
| (if ($ag | length) == 0 then "<p>Not measured in this run (it needs slice/copy, slice/copy_by_hand and CPython's data[1:n-1] from 1 MiB up).</p>"
   else
   "<table><tr><th>size</th>\([$ag[0].members[] | "<th>\(.family)</th>"] | join(""))<th>largest ÷ smallest</th><th>within 10%?</th></tr>",
   ($ag[] | "<tr><td>\(.size | human_size)</td>\([.members[] | "<td>\(. | sp)</td>"] | join(""))<td>\(.spread | human_ratio)</td><td class=\"\(if .agrees then "good" else "bad" end)\">\(if .agrees then "yes" else "no" end)</td></tr>"),
   "</table>",
   ([ $ag[] | select(.agrees | not) ] as $bad
    | if ($bad | length) == 0 then
        "<p class=\"good\">At every size from 1 MiB to \($ag | map(.size) | max | human_size) bufview's copy, the same copy in plain C and CPython's <code>data[1:n-1]</code> agree within 10% (the largest spread between their medians: \(($ag | map(.spread) | max) - 1 | human_pct)% at \($ag | max_by(.spread) | .size | human_size)).</p>"
      else
        ($bad[] as $b
         | ($b.members | max_by(.median)) as $slow | ($b.members | min_by(.median)) as $fast
         | fam("baseline/fault/4k"; $b.size) as $fa
         | "<p class=\"bad\">At \($b.size | human_size) the medians differ by \($b.spread - 1 | human_pct)%: \($slow.family) took \($slow.median | t), \($fast.family) \($fast.median | t). "
           + (if $slow.dst_page_offset != $fast.dst_page_offset or $slow.src_page_offset != $fast.src_page_offset then
                "Their placement differs: \($slow.family) copied from page offset \($slow.src_page_offset) to \($slow.dst_page_offset), \($fast.family) from \($fast.src_page_offset) to \($fast.dst_page_offset) (the placement chart shows what offsets alone change)."
              elif (($slow.minflt // 0) - ($fast.minflt // 0) | fabs) > 0.1 * (($fast.minflt // 0) + 1) then
                "\($slow.family) took \($slow.minflt | round) page faults per copy and \($fast.family) \($fast.minflt | round)"
                + (if $fa and ($fa.counters.minflt // 0) > 0 then ": at this run's \($fa.median / $fa.counters.minflt | t) per fresh page that accounts for \(((($slow.minflt - $fast.minflt) * $fa.median / $fa.counters.minflt) / ($slow.median - $fast.median)) | human_pct)% of the gap." else "." end)
              elif $fa then
                "Both were placed alike (page offsets \($fast.src_page_offset) → \($fast.dst_page_offset)) and took the same \($fast.minflt | round) faults per copy, so the gap is in what each fault cost: a fresh page cost between \($fa.min / $fa.counters.minflt | t) and \($fa.max / $fa.counters.minflt | t) over the fault anchor's repetitions at this size, a \(($fa.max / $fa.min) - 1 | human_pct)% spread on the VM's page faults alone."
              else "Placement and page faults were the same; this run has no fault anchor at this size to compare the cost of a fault with." end)
           + "</p>")
      end)
   end),

"<h3>No series beats its limit</h3>",
($chk.limits | map(select(.beats))) as $beaten
| "<p class=\"\(if ($beaten | length) == 0 then "good" else "bad" end)\">\($chk.limits | length) medians of \($chk.limits | map(.family) | unique | length) families were checked against the limit line of their operation at the same size (reading every byte for a sum, memcpy for a copy into resident memory, a new block + memcpy for a new copy; <code>bench/families.json</code> says which is which): \(if ($beaten | length) == 0 then "none beat it by more than 5%." else "\($beaten | length) beat it by more than 5%:" end)</p>",
(if ($beaten | length) > 0 then
   "<table><tr><th>benchmark</th><th>median</th><th>limit</th><th>limit's median</th><th>ratio</th></tr>",
   ($beaten[] | "<tr><td>\(.name)</td><td>\(.median | t)</td><td>\(.limit)</td><td>\(.limit_median | t)</td><td>\(.ratio | human_ratio)</td></tr>"),
   "</table>"
 else empty end),

"<h3>What a new copy costs: a model</h3>
<p>A new copy on fresh pages pays a page fault for every 4 KiB page it writes, then the copy
itself. The model <b>time = faults × fault cost + bytes ÷ memcpy rate</b> takes all three terms
from this run: the copy's own fault count, the cost of one fault from <code>baseline/fault/4k</code>
(or <code>/2m</code> for huge pages) at the same size, and the rate of <code>baseline/memcpy</code>.</p>",
([ $chk.model[] | select(.size >= 262144) ] as $m
 | if ($m | length) == 0 then "<p>Not measured in this run (it needs the fault anchors and the copies).</p>"
   else
     "<table><tr><th>copy</th><th>size</th><th>faults</th><th>per fault</th><th>+ memcpy</th><th>= predicted</th><th>measured</th><th>error</th></tr>",
     ($m[] | "<tr><td>\(.family)</td><td>\(.size | human_size)</td><td>\(.faults | round)</td><td>\(if .fault_ns then .fault_ns | t else "–" end)</td><td>\(.memcpy_ns | t)</td><td>\(.predicted | t)</td><td>\(.measured | t)</td><td>\(if .error >= 0 then "+" else "" end)\(.error | human_pct)%</td></tr>"),
     "</table>",
     ([ $m[] | select(.family == "slice/copy" and .size >= 1048576) ] as $big
      | select(($big | length) > 0)
      | ($big | max_by(.error | fabs)) as $w
      | "<p>From 1 MiB up the model predicts bufview's fresh copies within \($w.error | fabs | human_pct)% (the worst at \($w.size | human_size)): \(if ($w.error | fabs) <= 0.15 then "page faults and memcpy account for the copy's time" else "a part of the copy's time is neither page faults as the fault anchor pays them nor memcpy" end).</p>")
   end),

# ---- charts -----------------------------------------------------------------------------------
figure("slicing"; "Slicing: copy vs view, with the machine's copy limits";
  "<p>Time for one slice <code>[1:n-1]</code> against the dataset size, both axes logarithmic.
The dashed lines are limits measured in the same run: memcpy into resident memory, and a new
block + memcpy, which any brand-new copy must pay.</p>"
  + ((fam("slice/copy"; $top) as $c | fam("slice/view"; $top) as $v
      | [ $f[] | select(.family == "slice/view" and (.error | not)) ] as $vs
      | select($c and $v)
      | "At \($top | human_size), copying the slice took \($c | sp) and viewing it \($v | sp): the view was \($c.median / $v.median | human_ratio) times faster. The view took between \($vs | map(.median) | min | t) and \($vs | map(.median) | max | t) (medians) at every size from \($small | human_size) to \($top | human_size)\(if ($vs | map(.median) | max) <= 2 * ($vs | map(.median) | min) then ": its cost does not grow with the data" else "" end)."
      ) // null | p)),

figure("copies"; "A new copy: fresh pages, recycled memory, huge pages";
  "<p>One new copy of the slice, measured several ways in three kinds of memory: fresh 4 KiB
pages (what a one-off copy pays; bufview, the same copy in plain C, CPython, and their limit),
the block the previous copy freed (recycled: the best case of heap reuse), and fresh
transparent huge pages (one fault per 2 MiB). The crosses are the model above.</p>"
  + ((fam("slice/copy"; $top) as $c | fam("slice/copy_recycled"; $top) as $r | fam("slice/copy_thp"; $top) as $h
      | select($c and $r)
      | "At \($top | human_size) a copy on fresh pages took \($c | sp), into recycled memory \($r | sp)\(if $h then " and onto huge pages \($h | sp)" else "" end): \(($c.median / $r.median) | human_ratio) times the recycled copy's time is what fresh 4 KiB pages cost here.") // null | p)),

figure("layout"; "Placement: the same copy at different page offsets";
  "<p>The same copy of the slice at one size (\($ctx.bufview_layout_bytes // "?" | tonumber? // 0 | human_size)), into memory whose first byte sits at different offsets within a 4 KiB page, fresh and resident. memcpy can slow down when its loads and stores alias within 4 KiB; this chart shows how much placement alone changes on this machine.</p>"
  + (([ $f[] | select(.family == "layout/copy" and (.error | not)) ] as $lf
      | [ $f[] | select(.family == "layout/copy_resident" and (.error | not)) ] as $lr
      | select(($lf | length) > 0)
      | "Into fresh memory the copy took between \($lf | map(.median) | min | t) and \($lf | map(.median) | max | t) across \($lf | length) offsets (\((($lf | map(.median) | max) / ($lf | map(.median) | min) - 1) | human_pct)% apart)\(if ($lr | length) > 0 then "; into resident memory between \($lr | map(.median) | min | t) and \($lr | map(.median) | max | t) (\((($lr | map(.median) | max) / ($lr | map(.median) | min) - 1) | human_pct)% apart)" else "" end). This run's copies put their data at page offset \($ctx.bufview_dst_page_offset // "?"), copying from offset \($ctx.bufview_src_page_offset // "?") (placed as \($ctx.bufview_placement_source // "?" | esc)).") // null | p)),

figure("pages"; "What a page costs";
  "<p>Time per 4 KiB page to take fresh memory, touch it and give it back, with 4 KiB pages and
with transparent huge pages, and to touch memory the process already has.</p>"
  + (([ $f[] | select(.family == "baseline/fault/4k" and (.error | not)) ] as $a
      | [ $f[] | select(.family == "baseline/fault/2m" and (.error | not)) ] as $b
      | select(($a | length) > 0)
      | "A fresh 4 KiB page cost \($a | map(.median / (.size / 4096)) | min | t) to \($a | map(.median / (.size / 4096)) | max | t)\(if ($b | length) > 0 then "; on huge pages \($b | map(.median / (.size / 4096)) | min | t) to \($b | map(.median / (.size / 4096)) | max | t) per 4 KiB" else "" end) (transparent huge pages: \($ctx.transparent_hugepage // "?" | esc)).") // null | p)),

figure("speedup"; "Speedup: how many times faster the view is";
  "<p>Each line divides the copy's median by the view's for the same work at the same size; the
bar is the widest ratio the two spreads allow. Above the dotted 1× line the view wins.</p>"
  + ((fam("slice/copy"; $small) as $c0 | fam("slice/view"; $small) as $v0 | fam("slice/copy"; $top) as $c | fam("slice/view"; $top) as $v
      | select($c0 and $v0 and $c and $v)
      | "For the bare slice the factor went from \($c0.median / $v0.median | human_ratio)× at \($small | human_size) to \($c.median / $v.median | human_ratio)× at \($top | human_size)."
      + ((fam("pass/copy/sum"; $top) as $a | fam("pass/view/sum"; $top) as $b | select($a and $b) | " When the function reads every byte (sum), the gain at \($top | human_size) was \($a.median / $b.median | human_ratio)×: reading n bytes costs time whether or not they were copied first.") // "")) // null | p)),

figure("passing"; "Passing a slice to a function";
  "<p>Time per call when a slice is handed to a function that reads only its length and first
bytes (header, O(1)) or every byte (sum, O(n)), as a view or as a new copy; the dashed lines
are the limits of those operations: reading every byte, and making a new copy.</p>"
  + ((fam("pass/view/header"; $top) as $vh | fam("pass/copy/header"; $top) as $ch | fam("pass/view/sum"; $top) as $vs | fam("pass/copy/sum"; $top) as $cs | fam("baseline/read"; $top) as $rd
      | select($vh and $ch and $vs and $cs)
      | "At \($top | human_size), the header call took \($vh | sp) with a view and \($ch | sp) with a copy: the copy is the entire cost of the call. With the sum, the copy made the call \($cs.median / $vs.median | human_ratio)× slower\(if $rd then "; the view's sum ran at \($rd.median / $vs.median * 100 | round)% of the read limit" else "" end).") // null | p)),

figure("throughput"; "Throughput: chunked walk and in-place modify";
  "<p>GB/s over the whole dataset (higher is better), against the limits measured in the same
run: reading every byte, writing every byte, and memcpy. Small sizes fit in the CPU caches.</p>"
  + ((fam("chunks/view"; $top) as $a | fam("chunks/copy"; $top) as $b | fam("baseline/read"; $top) as $r
      | select($a and $b)
      | "At \($top | human_size), walking the data in 64 KiB views ran at \($a.counters.bytes_per_second | human_gbps) GB/s and in 64 KiB copies at \($b.counters.bytes_per_second | human_gbps) GB/s\(if $r then " (reading alone: \($r.counters.bytes_per_second | human_gbps) GB/s)" else "" end)."
      + ((fam("modify/view"; $top) as $mv | fam("modify/copy"; $top) as $mc | select($mv and $mc) | " Changing bytes in place through a view ran at \($mv.counters.bytes_per_second | human_gbps) GB/s; copying, changing and writing back at \($mc.counters.bytes_per_second | human_gbps) GB/s.") // "")) // null | p)),

figure("memory_peak"; "Memory: what a slice adds at its peak";
  "<p>How far each benchmark raised the process's resident memory above what was resident when
its run began (glibc's heap trimmed first, the peak reset per run): the dataset itself is not
counted, so a view shows what viewing costs and a copy what copying costs.</p>"
  + ((fam("slice/view"; $top) as $v | fam("slice/copy"; $top) as $c | select($v and $c)
      | "At \($top | human_size), slicing with views added \($v.counters.peak_rss_added | human_bytes) and slicing with copies \($c.counters.peak_rss_added | human_bytes) (\($c.counters.peak_rss_added / $top | sig3)× the slice).") // null | p)),

figure("memory_alloc"; "Memory: bytes allocated per slice";
  "<p>Heap bytes allocated by one slice. Zero cannot sit on a logarithmic axis, so
allocation-free points are drawn on the \"0 B\" line; the dotted line is the slice length.</p>"
  + (([ $f[] | select(.family == "slice/view" and (.error | not)) | .counters.alloc_bytes ] | max) as $av
     | fam("slice/copy"; $top) as $c | select($c and $av != null)
     | "\(if $av == 0 then "A bufview view allocated nothing at any size" else "A bufview view allocated at most \($av | human_bytes)" end), while a copy allocates the whole slice and its object header: \($c.counters.alloc_bytes | round) bytes at \($top | human_size)." // null | p)),

figure("faults"; "Page faults per slice";
  "<p>Minor page faults per slice: the first write to a fresh page traps into the kernel. The
dotted line marks one fault per 4 KiB page of the slice.</p>"
  + ((fam("slice/copy"; $top) as $c | fam("slice/copy_recycled"; $top) as $r | select($c)
      | "At \($top | human_size) a copy on fresh pages took \($c.counters.minflt | round) faults (the slice spans \($top / 4096 | round) pages of 4 KiB)\(if $r then " and a copy into recycled memory \($r.counters.minflt | round)" else "" end).") // null | p)),

# ---- consuming, reading, receiving in steps (bench_io.c, python_bench.py) ---------------------
figure("consume"; "Consuming a buffer from the front: re-slicing vs a view";
  "<p>Consuming n bytes 64 KiB at a time: re-slicing a bytes object (<code>data = data[k:]</code>)
makes a new object of what is left at every step, n²/2k bytes copied in all, each new object of
128 KiB or more on fresh pages; advancing a memoryview (<code>mv = mv[k:]</code>) copies nothing.
Both axes are logarithmic, so a time that grows as n<sup>p</sup> is a straight line of slope p.
The slopes in the legend are fitted by gnuplot (least squares of log time on log size, over the
medians from 16 steps up: with fewer, the call's fixed cost bends the line at its small end).</p>"
  + ((($slopes | map({key: .family, value: .}) | from_entries) as $sl
      | {"consume/copy": "bufview's re-slicing", "python/consume/copy": "CPython's <code>data = data[k:]</code>",
         "consume/view": "bufview's view", "python/consume/view": "CPython's <code>mv = mv[k:]</code>"} as $who
      | [ "consume/copy", "python/consume/copy", "consume/view", "python/consume/view"
          | select($sl[.] != null) | . as $fm | $sl[$fm]
          | "\($who[$fm]) \(.slope * 100 | round / 100)\(if .error != null then " (± \(.error * 100 | round / 100))" else "" end)" ] as $parts
      | select(($parts | length) > 0)
      | [ $slopes[] | select(.family | test("/copy$")) | select(.slope < 1.7 or .slope > 2.3) ] as $cbad
      | [ $slopes[] | select(.family | test("/view$")) | select(.slope < 0.7 or .slope > 1.3) ] as $vbad
      | "Fitted from \($slopes | map(.from) | min | human_size) to \($slopes | map(.to) | max | human_size), the time grew with slope \($parts | join(", ")). "
        + (if ($cbad | length) == 0 and ($vbad | length) == 0 then
             "As the model says: a copy of what is left at every step grows as n², advancing a view as n (each slope within 0.3 of it)."
           else
             "The model says 2 for a copy of what is left at every step and 1 for a view; \([ ($cbad + $vbad)[] | "\(.family) is \(.slope * 100 | round / 100)" ] | join(", ")), more than 0.3 away."
           end)) // null | p)
  + ((([ $f[] | select(.family == "consume/copy" and (.error | not)) | .size ] | max) as $cn
      | fam("consume/copy"; $cn) as $c | fam("consume/view"; $cn) as $v
      | fam("python/consume/copy"; $cn) as $pc | fam("python/consume/view"; $cn) as $pv
      | select($c and $v)
      | ($cn / 65536) as $steps
      | "At \($cn | human_size) (\($steps) steps, \(65536 * $steps * ($steps - 1) / 2 | human_bytes) copied by re-slicing) re-slicing took \($c | sp) and the view \($v | sp): \($c.median / $v.median | human_ratio)× longer\(if $c.counters.minflt then ", with \($c.counters.minflt | round) page faults" else "" end)."
        + (if $pc and $pv then " In CPython: \($pc | sp) against \($pv | sp) (\($pc.median / $pv.median | human_ratio)×)." else "" end)) // null | p)),

figure("io"; "Reading a file and receiving from a socket: new chunks vs one buffer";
  "<p>n bytes taken in 64 KiB chunks from a file in the page cache (<code>f.read(k)</code> vs
<code>f.readinto(mv[off:off+k])</code>) and from an AF_UNIX socket fed by a writer thread
(<code>sock.recv(k)</code> vs <code>sock.recv_into(mv[off:off+k])</code>). The kernel copies every
byte either way: the view saves a new block per chunk, not the copy. A copy into a new 64 KiB
block gets the same heap block back chunk after chunk, which stays in the cache, so its limit is
reading n bytes; reading into one n-byte buffer writes every byte to memory, so its limit is
memcpy into resident memory.</p>"
  + (([ $f[] | select(.family == "io/read/copy" and (.error | not)) | .size ] as $is
      | select(($is | length) > 0)
      | ([ ($is | min), (if ($is | index(268435456)) != null then 268435456 else empty end), ($is | max) ] | unique) as $at
      | [ "io/read/copy", "io/read/view", "python/io/read/copy", "python/io/read/view",
          "io/recv/copy", "io/recv/view", "python/io/recv/copy", "python/io/recv/view" ] as $fams
      | "<table><tr><th>benchmark</th>\([$at[] | "<th>\(human_size)</th>"] | join(""))</tr>"
        + ([ $fams[] as $fm | select([$at[] | fam($fm; .)] | any(. != null))
             | "<tr><td>\($fm)</td>\([$at[] as $n | fam($fm; $n) | if . then "<td>\(sp) <span class=\"spread\">\(.counters.bytes_per_second | human_gbps) GB/s</span></td>" else "<td>–</td>" end] | join(""))</tr>" ] | join(""))
        + "</table>") // "")
  + ((([ $f[] | select(.family == "io/read/copy" and (.error | not)) | .size ] | max) as $n
      | fam("io/read/copy"; $n) as $rc | fam("io/read/view"; $n) as $rv
      | fam("io/recv/copy"; $n) as $sc | fam("io/recv/view"; $n) as $sv
      | fam("baseline/memcpy"; $n) as $m | fam("baseline/read"; $n) as $rd
      | select($rc and $rv)
      | def verdict($what; $c; $v):
          if $v.median <= $c.median then "\($what) into one buffer took \(1 - $v.median / $c.median | human_pct)% less time than into new chunks (an allocation and a free per chunk saved)"
          else "\($what) into new chunks took \(1 - $c.median / $v.median | human_pct)% less time than into one buffer: their one recycled 64 KiB block stays in the cache, while the buffer's n bytes all go to memory" end;
      "At \($n | human_size), reading into new chunks took \($rc | sp) and into one buffer \($rv | sp)"
        + (if $sc and $sv then "; receiving, \($sc | sp) and \($sv | sp)" else "" end)
        + ". " + verdict("Reading"; $rc; $rv)
        + (if $sc and $sv then "; " + verdict("receiving"; $sc; $sv) else "" end) + "."
        + (if $m and $rd then " The limits at this size: reading n bytes \($rd | sp), memcpy \($m | sp)." else "" end)) // null | p)),

(if drawn("python_slicing") or drawn("python_passing") then
  figure("python_slicing"; "CPython beside bufview: slicing";
    "<p>The same operations in CPython \($ctx.python_version // "" | esc) (dotted lines, open marks) and
bufview (solid), peer by peer, from the same run: <code>mv[1:n-1]</code> on an existing view,
<code>memoryview(data)[1:n-1]</code>, and <code>data[1:n-1]</code>.</p>"
    + ((fam("python/slice/view"; $ptop) as $pv | fam("slice/view"; $ptop) as $v
        | fam("python/slice/view_new"; $ptop) as $pn | fam("slice/view_new"; $ptop) as $n
        | fam("python/slice/copy"; $ptop) as $pc | fam("slice/copy"; $ptop) as $c
        | select($pv and $v)
        | "At \($ptop | human_size), <code>mv[1:n-1]</code> took \($pv | sp) in CPython and \($v | sp) in bufview (\($pv.median / $v.median | human_ratio)×: the price of a Python object and the interpreter)."
        + (if $pn and $n then " Making the view first, <code>memoryview(data)[1:n-1]</code> took \($pn | sp) against \($n | sp)." else "" end)
        + (if $pc and $c then " The copy <code>data[1:n-1]</code> took \($pc | sp) against bufview's \($c | sp) (\(($pc.median / $c.median - 1) | pct_more) time)." else "" end)) // null | p)),
  figure("python_passing"; "CPython beside bufview: passing a slice to a function";
    "<p>CPython passes the slice to <code>header(buf)</code> and to <code>zlib.crc32(buf)</code>, which reads
every byte and accepts a memoryview as it is; bufview's O(n) consumer is a byte sum, so compare
the gap between copy and view, not the levels.</p>"
    + ((fam("python/pass/view/sum"; $ptop) as $a | fam("python/pass/copy/sum"; $ptop) as $b | select($a and $b)
        | "At \($ptop | human_size), checksumming a memoryview took \($a | sp) and a bytes copy \($b | sp) (\($b.median / $a.median | human_ratio)×).") // null | p))
 else "<p class=\"skipped\">No CPython results in this run (python3 missing or its benchmark skipped): the CPython charts are not drawn.</p>" end),

"<h2>Make your own</h2>
<p><code>./run.sh</code> builds bufview, runs the lessons and every benchmark, draws these charts
and writes this page; <code>./run.sh --quick</code> does it in about a minute with small sizes.
Results: <code>out/results/*.json</code> (Google Benchmark's JSON); charts:
<code>out/plots/</code> (PNG and SVG). <code>plots/README.md</code> explains each chart,
<code>bench/README.md</code> each benchmark.</p>
</body>
</html>"
