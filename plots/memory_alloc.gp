# memory_alloc.gp: heap bytes allocated per operation (counted by the benchmarks' allocator;
# tracemalloc for CPython). A view allocates nothing in bufview and a small fixed object in
# CPython; a copy allocates the whole slice every time.
load "common.gp"

set title "Bytes allocated per slice (lower is leaner)"
set ylabel "heap bytes allocated per operation (log scale)"
eval bytes_y(-1, 36, 3)
set mytics 1
set yrange [0.35:*]

S = present("slice_view slice_copy python_slice_view python_slice_copy")
eval key_rows_n(words(S) + 1)
plot x with lines ls 20 title "slice length (n bytes)", \
     for [s in S] tsv(s) using 1:(z($5, 0.5)) with linespoints ls sty(s) title ttl(s)
