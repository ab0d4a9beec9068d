# series.jq: every benchmark family as columns for gnuplot, in one pass over the results.
#
#   jq -s -r -L plots -L bench -f series.jq RESULTS/*.json
#
# One line per family and size (per page offset for the layout families), families in name
# order, ascending within each; the first column names the family (make_plots.sh splits the
# lines into one file per family and drops it):
#   0 family  1 x  2 median_ns  3 min_ns  4 max_ns  5 GB/s  6 GB/s_min  7 GB/s_max
#   8 alloc_bytes  9 minflt  10 peak_rss_added  11 its min  12 its max  13 iterations
#   14 repetitions  15 ns per 4 KiB page (median; min and max follow in 16, 17)
# The figure is the median over repetitions, the spread its min and max (results.jq).
# GB/s is bytes_per_second / 1e9. A counter a program does not report is NaN, which
# gnuplot skips.
include "results";

[ figures[] | select(.error | not) ]
| group_by(.family)[]
| .[0].family as $fam
| (if $fam | startswith("layout/") then "variant" else "size" end) as $x
| sort_by(.[$x])[]
| (if .size then .size / 4096 else null end) as $pages
| [ .[$x], .median, .min, .max,
    (.counters.bytes_per_second // null | if . then . / 1e9 else null end),
    (.counters_min.bytes_per_second // null | if . then . / 1e9 else null end),
    (.counters_max.bytes_per_second // null | if . then . / 1e9 else null end),
    .counters.alloc_bytes, .counters.minflt,
    .counters.peak_rss_added, .counters_min.peak_rss_added, .counters_max.peak_rss_added,
    .iterations, .reps,
    (if $pages then .median / $pages else null end),
    (if $pages then .min / $pages else null end),
    (if $pages then .max / $pages else null end) ]
| [$fam] + map(num_or_nan) | @tsv
