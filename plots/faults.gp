# faults.gp: minor page faults per operation. A new copy of n bytes touches fresh pages:
# about one fault per 4 KiB page unless the allocator reuses memory; a view touches none.
load "common.gp"

set title "Minor page faults per slice (lower is better)"
set ylabel "minor page faults per operation (log scale)"
set logscale y 10
set ytics ()
set ytics add ("0" 1e-4)
do for [e = -3:8] { set ytics add (clabel(10.0**e) 10.0**e) }
set mytics 10
set yrange [5e-5:*]

S = present("slice_view slice_copy slice_copy_recycled slice_copy_thp baseline_malloc_memcpy python_slice_view python_slice_copy")
eval key_rows_n(words(S) + 1)
plot x / 4096 with lines ls 20 title "one fault per 4 KiB page of the slice", \
     for [s in S] tsv(s) using 1:(z($9, 1e-4)) with linespoints ls sty(s) title ttl(s)
