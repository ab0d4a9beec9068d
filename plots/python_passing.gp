# python_passing.gp: CPython and NumPy beside bufview, passing a slice to a function: the
# O(n) consumers differ (zlib.crc32 in CPython, np.bitwise_xor.reduce in NumPy, a byte sum
# in bufview), so compare the gap between copy and view, not the levels.
load "common.gp"

set title "bufview, CPython and NumPy: passing a slice to a function (lower is faster)"
set ylabel "time per call (log scale; median, bar: min–max)"
eval time_y

S = present("python_pass_copy_sum numpy_pass_copy_sum pass_copy_sum python_pass_view_sum numpy_pass_view_sum pass_view_sum python_pass_copy_header pass_copy_header python_pass_view_header pass_view_header")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s)
