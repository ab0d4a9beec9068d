# passing.gp: handing a slice to a function, as a view or as a copy. The header consumer
# reads the length and the first bytes (O(1)); the sum consumer reads every byte (O(n)).
load "common.gp"

set title "Passing a slice to a function: copy vs view (lower is faster)"
set ylabel "time per call (log scale)"
eval time_y

S = present("baseline_memcpy pass_copy_header pass_copy_sum pass_view_header pass_view_sum")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2 with linespoints ls sty(s) title ttl(s)
