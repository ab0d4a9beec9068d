# memory_alloc.gp: heap bytes allocated by one slice (the median repetition's count).
# Zero cannot sit on a log axis, so allocation-free points are drawn on the "0 B" line.
load "common.gp"

set title "Bytes allocated per slice (lower is leaner)"
set ylabel "heap bytes allocated per operation (log scale)"
eval bytes_y(-1, 36, 3)
set mytics 1
set yrange [0.35:*]

S = present("slice_view slice_view_new slice_copy python_slice_view python_slice_view_new python_slice_copy")
eval key_rows_n(words(S) + 1)
plot x with lines ls 20 title "slice length (n bytes)", \
     for [s in S] tsv(s) using 1:(z($8, 0.5)) with linespoints ls sty(s) title ttl(s)
