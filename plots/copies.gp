# copies.gp: one new copy of the slice, measured several ways and in three kinds of
# memory. Fresh 4 KiB pages (what a one-off copy pays: bufview, the same copy in plain C,
# CPython's data[1:n-1], and their limit, a new block + memcpy), recycled memory (the
# block the previous copy freed) and fresh transparent huge pages, each beside its own
# limit. The crosses are the model's prediction for bufview's copies: faults x the fault
# anchor's cost per fault + bytes / memcpy's rate, all measured in the same run.
load "common.gp"

set title "A new copy of [1:n-1]: where its memory comes from (lower is faster)"
set ylabel "time per copy (log scale; median, bar: min–max)"
eval time_y

S = present("baseline_malloc_memcpy slice_copy slice_copy_by_hand python_slice_copy baseline_malloc_memcpy_thp slice_copy_thp baseline_malloc_memcpy_recycled slice_copy_recycled")
M = present("model_slice_copy model_slice_copy_thp")
t_model_slice_copy = "model: faults × fault cost + bytes ÷ memcpy rate"
t_model_slice_copy_thp = "model, huge pages"
eval key_rows_n(words(S) + words(M))
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s), \
     for [m in M] tsv(m) using 1:2 with points pt 2 ps 1.6*psc lc rgb "#000000" title ttl(m)
