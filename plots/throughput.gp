# throughput.gp: data rate of whole-dataset work, chunked reading and in-place
# modification, through views and through copies, against the limits of their operations
# in the same run: reading every byte (a walk that sums), writing every byte, and memcpy.
load "common.gp"

set title "Throughput: chunked walk and in-place modify (higher is faster)"
set ylabel "throughput (GB/s, 10^9 bytes per second; median, bar: min–max)"
set yrange [0:*]
set ytics auto
set format y "%g"
set mytics 2

S = present("baseline_read baseline_write baseline_memcpy chunks_view chunks_copy modify_view modify_copy")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:5:6:7 with yerrorlines ls sty(s) title ttl(s)
