# memory_peak.gp: the largest resident set while each benchmark ran (VmHWM, reset before
# every benchmark) while slicing, against the dataset size: a view needs the dataset, a copy
# needs it twice. CPython is left out: its one shared dataset is as large as the top size.
load "common.gp"

set title "Peak resident memory while slicing (lower is leaner)"
set ylabel "peak resident set (log scale)"
eval bytes_y(20, 40, 2)
set mytics 1
set yrange [2.0**20 : *]

S = present("slice_view slice_copy")
eval key_rows_n(words(S) + 2)
plot x with lines ls 20 lc rgb "#1f6fb4" lw 1.5 title "1× the dataset size", \
     2 * x with lines ls 20 lc rgb "#d62728" lw 1.5 title "2× the dataset size", \
     for [s in S] tsv(s) using 1:7 with linespoints ls sty(s) title ttl(s)
