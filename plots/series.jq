# series.jq: one benchmark family as columns for gnuplot, from Google Benchmark JSON.
#
#   jq -s -r --arg fam slice/copy -f series.jq results/*.json
#
# Input: every result document (slurped). Output, one line per size, ascending:
#   size  real_ns  cpu_ns  GB/s  alloc_bytes  minflt  peak_rss  iterations
# GB/s is bytes_per_second / 1e9 (decimal). A counter a program does not report is NaN,
# which gnuplot skips. Rows that are errors, aggregates or other families are left out;
# repetitions of one size are averaged.
include "common";

[ .[] | .benchmarks[]?
  | select(.run_type == "iteration" and (.error_occurred | not))
  | select(family_of(.name) == $fam)
  | . + {size: size_of(.name)} ]
| group_by(.size)
| map({
    size: .[0].size,
    real: (map(.real_time * unit_ns(.time_unit)) | add / length),
    cpu: (map(.cpu_time * unit_ns(.time_unit)) | add / length),
    gbps: mean_of(.bytes_per_second; 1e-9),
    alloc: mean_of(.alloc_bytes; 1),
    minflt: mean_of(.minflt; 1),
    peak: mean_of(.peak_rss; 1),
    iters: (map(.iterations) | add)
  })
| sort_by(.size)[]
| [.size, .real, .cpu, .gbps, .alloc, .minflt, .peak, .iters] | map(num_or_nan) | @tsv
