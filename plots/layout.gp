# layout.gp: the same copy of the slice, at one size, into memory whose data starts at
# different offsets within a 4 KiB page, fresh and resident. Only the placement changes;
# the work does not. The dotted line marks where this run's copies put their data (where
# CPython's bytes objects do).
load "common.gp"

set title sprintf("Placement: the same copy at different page offsets (%s, lower is faster)", slabel(layout_bytes))
set xlabel "page offset of the copy's first byte (bytes from the start of a 4 KiB page)"
set ylabel "time per copy (log scale; median, bar: min–max)"
unset logscale x
set xrange [-128 : 4223]
set xtics 0, 512, 4096
set mxtics 4
eval time_y

S = present("layout_copy layout_copy_resident")
eval key_rows_n(words(S) + 1)
set arrow 1 from dst_offset, graph 0 to dst_offset, graph 1 nohead ls 20
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s), \
     NaN with lines ls 20 title sprintf("this run's copies (offset %d)", dst_offset)
