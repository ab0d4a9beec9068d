# python_passing.gp: passing a slice to an O(1) and an O(n) function in CPython (copy vs
# memoryview) next to bufview's C figures from the same run. CPython's O(n) consumer is
# zlib.crc32, bufview's a byte sum: compare the gap between copy and view, not the levels.
load "common.gp"

set title "CPython beside bufview: passing a slice to a function (lower is faster)"
set ylabel "time per call (log scale)"
eval time_y

S = present("python_pass_copy_sum pass_copy_sum python_pass_view_sum pass_view_sum python_pass_copy_header pass_copy_header python_pass_view_header pass_view_header")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2 with linespoints ls sty(s) title ttl(s)
