# summary.jq: the summary of a run, slicing [1:n-1] size by size, as tab-separated text
# that ./run.sh prints and the report puts in its table (the same strings, formatted once):
#   size  copy  copy_spread  view  view_spread  copy/view  copy_GB/s  py_copy  py_view
#   py_copy/py_view  np_copy  np_view  np_copy/np_view
# Times are medians over repetitions, spreads "min–max". CPython's and NumPy's columns are
# "–" where they were not measured; their views slice an existing memoryview or array
# (mv[1:n-1], a[1:n-1]), the peers of bufview's view.
#
#   jq -s -r -L plots -L bench -f summary.jq RESULTS/*.json
include "results";

def spread: "\(.min | human_time)–\(.max | human_time)";

figures as $f
| family_rows($f; "slice/copy")[] as $c
| at($f; "slice/view"; $c.size) as $v
| select($v != null)
| at($f; "python/slice/copy"; $c.size) as $pc
| at($f; "python/slice/view"; $c.size) as $pv
| at($f; "numpy/slice/copy"; $c.size) as $nc
| at($f; "numpy/slice/view"; $c.size) as $nv
| [ ($c.size | human_size), ($c.median | human_time), ($c | spread),
    ($v.median | human_time), ($v | spread), ($c.median / $v.median | human_ratio),
    ($c.counters.bytes_per_second // null | if . then human_gbps else "–" end),
    (if $pc then $pc.median | human_time else "–" end),
    (if $pv then $pv.median | human_time else "–" end),
    (if $pc and $pv then $pc.median / $pv.median | human_ratio else "–" end),
    (if $nc then $nc.median | human_time else "–" end),
    (if $nv then $nv.median | human_time else "–" end),
    (if $nc and $nv then $nc.median / $nv.median | human_ratio else "–" end) ]
| @tsv
