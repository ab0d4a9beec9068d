# python_slicing.gp: the same slice [1:n-1] in CPython (bytes slicing copies, memoryview
# slicing does not) next to bufview's C figures from the same run.
load "common.gp"

set title "CPython beside bufview: slicing [1:n-1] (lower is faster)"
set ylabel "time per slice (log scale)"
eval time_y

S = present("python_slice_copy slice_copy python_slice_view slice_view")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2 with linespoints ls sty(s) title ttl(s)
