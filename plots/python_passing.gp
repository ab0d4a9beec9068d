# python_passing.gp: CPython beside bufview, passing a slice to a function: the O(n)
# consumers differ (zlib.crc32 in CPython, a byte sum in bufview), so compare the gap
# between copy and view, not the levels.
load "common.gp"

set title "CPython beside bufview: passing a slice to a function (lower is faster)"
set ylabel "time per call (log scale; median, bar: min–max)"
eval time_y

S = present("python_pass_copy_sum pass_copy_sum python_pass_view_sum pass_view_sum python_pass_copy_header pass_copy_header python_pass_view_header pass_view_header")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s)
