# speedup.gp: how many times longer the copy takes than the view for the same work, size
# by size; the bar is the widest ratio the two spreads allow.
load "common.gp"

set title "Speedup of views: copy time ÷ view time (higher = views win by more)"
set ylabel "copy time ÷ view time (log scale)"
set logscale y 10
set ytics ()
rlabel(e) = e < 0 ? sprintf("%g×", 10.0**e) : e < 4 ? sprintf("%d×", int(10**e)) : sprintf("10^{%d}×", e)
do for [e = -2:12] { set ytics add (rlabel(e) 10.0**e) }
set mytics 10

t_speedup_slice = "slice [1:n-1]"
t_speedup_pass_header = "pass to header (O(1))"
t_speedup_pass_sum = "pass to sum (O(n))"
t_speedup_chunks = "chunked walk (64 KiB)"
t_speedup_modify = "modify in place"
t_speedup_python_slice = "CPython: slice"
t_speedup_python_pass_sum = "CPython: pass to zlib.crc32"
ls_speedup_slice = 2
ls_speedup_pass_header = 1
ls_speedup_pass_sum = 6
ls_speedup_chunks = 3
ls_speedup_modify = 7
ls_speedup_python_slice = 12
ls_speedup_python_pass_sum = 16

S = present("speedup_slice speedup_pass_header speedup_pass_sum speedup_chunks speedup_modify speedup_python_slice speedup_python_pass_sum")
eval key_rows_n(words(S) + 1)
plot 1 with lines ls 20 title "1× (copy as fast as view)", \
     for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s)
