# facts.jq: the figures the report's sentences quote, computed from the results so that no
# number in the text is typed by hand. One JSON object; a figure whose benchmarks were not
# run is null and the report leaves its sentence out.
#
#   jq -s -L plots -f facts.jq results/*.json
include "results";

. as $docs
| def fam(f): rows_by_size($docs; f);
  def top(f): fam(f) | keys | map(tonumber) | max;
  def at(f; n): fam(f)[n | tostring];
  def ns(f; n): at(f; n).ns;
  def gbps(f; n): (at(f; n).bps // null) | if . == null then null else . / 1e9 end;
  def counter(f; n; c): [ $docs[] | .benchmarks[]? | select(.name == "\(f)/\(n)" and .run_type == "iteration") | .[c] ] | first;
  def span(f): fam(f) | [ .[].ns ] | if length == 0 then {min: null, max: null} else {min: min, max: max} end;
  def r(x; y): if x == null or y == null or y == 0 then null else x / y end;
  def pct(x; y): if x == null or y == null or y == 0 then null else ((x / y) - 1) * 100 end;

  (top("slice/copy")) as $n
| (top("python/slice/copy")) as $pn
| (fam("slice/copy") | keys | map(tonumber) | min) as $n0
| {
    top: $n, top_h: ($n | if . then human_size else null end),
    small: $n0, small_h: ($n0 | if . then human_size else null end),
    quick: ([ $docs[] | .context.bufview_quick ] | any(. == "true")),
    slice_copy: ns("slice/copy"; $n), slice_view: ns("slice/view"; $n),
    slice_copy_small: ns("slice/copy"; $n0), slice_view_small: ns("slice/view"; $n0),
    slice_ratio: r(ns("slice/copy"; $n); ns("slice/view"; $n)),
    slice_ratio_small: r(ns("slice/copy"; $n0); ns("slice/view"; $n0)),
    view_min: span("slice/view").min, view_max: span("slice/view").max,
    copy_vs_malloc_pct: pct(ns("slice/copy"; $n); ns("baseline/malloc_memcpy"; $n)),
    copy_into_vs_memcpy: r(gbps("slice/copy_into"; $n); gbps("baseline/memcpy"; $n)),
    memcpy_gbps: gbps("baseline/memcpy"; $n),
    malloc_memcpy_gbps: gbps("baseline/malloc_memcpy"; $n),
    copy_gbps: gbps("slice/copy"; $n),
    empty_ns: ([ $docs[] | .benchmarks[]? | select(.name == "baseline/empty") | .real_time * unit_ns(.time_unit) ] | first),
    header_view: ns("pass/view/header"; $n), header_copy: ns("pass/copy/header"; $n),
    sum_view: ns("pass/view/sum"; $n), sum_copy: ns("pass/copy/sum"; $n),
    sum_ratio: r(ns("pass/copy/sum"; $n); ns("pass/view/sum"; $n)),
    header_ratio: r(ns("pass/copy/header"; $n); ns("pass/view/header"; $n)),
    chunks_view_gbps: gbps("chunks/view"; $n), chunks_copy_gbps: gbps("chunks/copy"; $n),
    modify_view_gbps: gbps("modify/view"; $n), modify_copy_gbps: gbps("modify/copy"; $n),
    peak_view_x: r(counter("slice/view"; $n; "peak_rss"); $n),
    peak_copy_x: r(counter("slice/copy"; $n; "peak_rss"); $n),
    alloc_view: counter("slice/view"; $n; "alloc_bytes"),
    alloc_view_max: ([ $docs[] | .benchmarks[]? | select(.run_type == "iteration" and family_of(.name) == "slice/view") | .alloc_bytes | select(. != null) ] | max),
    py_alloc_view_max: ([ $docs[] | .benchmarks[]? | select(.run_type == "iteration" and family_of(.name) == "python/slice/view") | .alloc_bytes | select(. != null) ] | max),
    alloc_copy: counter("slice/copy"; $n; "alloc_bytes"),
    py_alloc_view: counter("python/slice/view"; $pn; "alloc_bytes"),
    faults_copy: counter("slice/copy"; $n; "minflt"),
    faults_view: counter("slice/view"; $n; "minflt"),
    faults_pages: (if $n then $n / 4096 else null end),
    faults_copy_from: ([ $docs[] | .benchmarks[]? | select(.run_type == "iteration" and family_of(.name) == "slice/copy" and (.minflt // 0) >= 1) | size_of(.name) ] | min),
    peak_small: counter("slice/view"; $n0; "peak_rss"),
    faults_malloc: counter("baseline/malloc_memcpy"; $n; "minflt"),
    py_top: $pn, py_top_h: ($pn | if . then human_size else null end),
    py_copy: ns("python/slice/copy"; $pn), py_view: ns("python/slice/view"; $pn),
    py_ratio: r(ns("python/slice/copy"; $pn); ns("python/slice/view"; $pn)),
    py_view_min: span("python/slice/view").min, py_view_max: span("python/slice/view").max,
    py_view_vs_c: r(ns("python/slice/view"; $pn); ns("slice/view"; $pn)),
    py_copy_vs_c_pct: pct(ns("python/slice/copy"; $pn); ns("slice/copy"; $pn)),
    py_sum_view: ns("python/pass/view/sum"; $pn), py_sum_copy: ns("python/pass/copy/sum"; $pn),
    py_sum_ratio: r(ns("python/pass/copy/sum"; $pn); ns("python/pass/view/sum"; $pn)),
    py_header_view: ns("python/pass/view/header"; $pn),
    py_header_copy: ns("python/pass/copy/header"; $pn),
    python_version: ([ $docs[] | .context.python_version | select(. != null) ] | first)
  }
