# pages.gp: what a page of memory costs, per 4 KiB: fresh memory with 4 KiB pages (one
# fault each), fresh memory on transparent huge pages (one fault per 2 MiB), and memory
# the process already has. A new copy of n bytes on fresh 4 KiB pages pays the first line
# n/4096 times before it copies a byte.
load "common.gp"

set title "What a page costs: fresh, fresh on huge pages, resident (lower is cheaper)"
set ylabel "time per 4 KiB page (log scale; median, bar: min–max)"
eval time_y

S = present("baseline_fault_4k baseline_fault_2m baseline_fault_resident")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:15:16:17 with yerrorlines ls sty(s) title ttl(s)
