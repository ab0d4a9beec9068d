# compare.jq: the table of one run (B) against another (A): one line per benchmark both
# have, tab-separated:
#   name  A_median_ns  B_median_ns  B/A  B/A_lowest  B/A_highest  p_value  verdict  reps
#   group (the name's first part: slice, pass, python, numpy, ...)  size (NaN without one)
# Medians and spreads are results.jq's (the figure everywhere); B/A_lowest = B min / A max
# and B/A_highest = B max / A min, the widest ratio the spreads allow; p_value is the
# U-test's on real time from Google Benchmark's compare.py (--dump_to_json), empty where it
# did not run.
#
#   jq -n -r -L plots -L bench --slurpfile ra A.json --slurpfile rb B.json \
#      --slurpfile diff DIFF.json -f compare.jq   (each results file a slurped list of docs)
include "results";

($ra[0] | figure_map) as $a
| ($rb[0] | figure_map) as $b
| ([ $diff[0][]? | select(.run_type == "iteration" or (.aggregate_name // "") == "")
     | {key: .name, value: .utest} ] | from_entries) as $u
| [ $a | keys[] | select($b[.] != null) ] | sort[]
| $a[.] as $x | $b[.] as $y
| select(($x.error | not) and ($y.error | not))
| ($u[.] // null) as $t
| . as $name
| ($t.time_pvalue // null) as $p
| [ ., $x.median, $y.median, ($y.median / $x.median), ($y.min / $x.max), ($y.max / $x.min),
    (if $p == null then "" else ($p * 1000 | round / 1000) end),
    (if $p == null then "no U-test"
     elif $p < 0.05 then (if $y.median > $x.median then "slower in B (p < 0.05)" else "faster in B (p < 0.05)" end)
     else "no difference shown" end),
    ([$x.reps, $y.reps] | min), ($name | split("/") | .[0]), ($x.size // "NaN") ]
| @tsv
