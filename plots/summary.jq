# summary.jq: the summary table of a run, slicing [1:n-1] size by size, as TSV:
#   size  copy_ns  view_ns  copy/view  copy_GB/s  py_copy_ns  py_view_ns  py_copy/py_view
# (CPython columns are empty when python.json is absent.) GB/s: bytes copied (n-2) per
# second of real time, 10^9 bytes.
#
#   jq -s -r -L plots -f summary.jq results/*.json
include "results";

. as $docs
| rows_by_size($docs; "slice/copy") as $c
| rows_by_size($docs; "slice/view") as $v
| rows_by_size($docs; "python/slice/copy") as $pc
| rows_by_size($docs; "python/slice/view") as $pv
| [ $c | keys[] | select($v[.] != null) | tonumber ] | sort[]
| tostring as $k
| [ ., $c[$k].ns, $v[$k].ns, ($c[$k].ns / $v[$k].ns), (($c[$k].bps // 0) / 1e9),
    ($pc[$k].ns // ""), ($pv[$k].ns // ""),
    (if $pc[$k] and $pv[$k] then $pc[$k].ns / $pv[$k].ns else "" end) ]
| @tsv
