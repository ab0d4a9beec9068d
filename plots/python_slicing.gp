# python_slicing.gp: CPython and NumPy beside bufview, peer by peer: slicing an existing
# view (mv[1:n-1], a[1:n-1]), making a view of the object and slicing it
# (memoryview(data)[1:n-1]), and copying (data[1:n-1], a[1:n-1].copy()), from the same run.
load "common.gp"

set title "bufview, CPython and NumPy: slicing [1:n-1] (lower is faster)"
set ylabel "time per slice (log scale; median, bar: min–max)"
eval time_y

S = present("python_slice_copy numpy_slice_copy slice_copy python_slice_view_new slice_view_new python_slice_view numpy_slice_view slice_view")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s)
