# memory_peak.gp: how much memory each benchmark added to the process at its peak (the
# peak resident set during the run minus what was resident when it began; the dataset,
# built before, is not counted). A view adds nothing; a copy adds its own size.
load "common.gp"

set title "Memory a slice adds at its peak (lower is leaner)"
set ylabel "peak resident memory added (log scale; median, bar: min–max)"
eval bytes_y(-1, 36, 3)
set mytics 1
set yrange [0.35:*]

S = present("slice_view slice_copy slice_copy_recycled modify_view modify_copy python_slice_view python_slice_copy")
eval key_rows_n(words(S) + 1)
plot x with lines ls 20 title "1× the slice's size", \
     for [s in S] tsv(s) using 1:(z($10, 0.5)):(z($11, 0.5)):(z($12, 0.5)) with yerrorlines ls sty(s) title ttl(s)
