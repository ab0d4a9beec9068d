# slicing.gp: the main chart. Time to take the slice [1:n-1] of an n-byte dataset, by
# copying it and by viewing it, against the copy limits measured in the same run: no copy
# beats memcpy into resident memory, no new copy beats a new block + memcpy. Each point is
# the median over repetitions; the bar is their spread (min to max).
load "common.gp"

set title "Slicing [1:n-1]: copy vs view (lower is faster)"
set ylabel "time per slice (log scale; median, bar: min–max)"
eval time_y

S = present("baseline_malloc_memcpy baseline_memcpy slice_copy slice_copy_into slice_view_new slice_view")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s)
