# passing.gp: handing a slice to a function that reads its header (O(1)) or every byte
# (O(n)), as a view or as a new copy, against the limits of those operations measured in
# the same run: reading n bytes, and making a new copy.
load "common.gp"

set title "Passing a slice to a function: copy vs view (lower is faster)"
set ylabel "time per call (log scale; median, bar: min–max)"
eval time_y

S = present("baseline_malloc_memcpy baseline_read pass_copy_header pass_copy_sum pass_view_header pass_view_sum")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s)
