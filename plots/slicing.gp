# slicing.gp: the main chart. Time to take the slice [1:n-1] of an n-byte dataset, by
# copying it and by viewing it, against the machine's own copy limits measured in the same
# run: a copy can never beat memcpy, a new copy never beats malloc + memcpy.
load "common.gp"

set title "Slicing [1:n-1]: copy vs view (lower is faster)"
set ylabel "time per slice (log scale)"
eval time_y

S = present("baseline_malloc_memcpy baseline_memcpy slice_copy slice_copy_into slice_view slice_view_stored")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2 with linespoints ls sty(s) title ttl(s)
