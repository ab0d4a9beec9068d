# io.gp: reading n bytes from a file in the page cache and receiving them from a socket, 64
# KiB at a time, each chunk into a new block (f.read(k), sock.recv(k): a new bytes object
# per chunk) or into its slice of one preallocated buffer (readinto, recv_into), in bufview
# and CPython, against the limits measured in the same run. The kernel copies every byte in
# all of them: a copy into a reused 64 KiB block is bounded by reading n bytes (the block
# stays in the cache), a copy into an n-byte buffer by memcpy into resident memory.
load "common.gp"

set title "Reading a file and receiving from a socket in 64 KiB chunks (lower is faster)"
set ylabel "time to take in n bytes (log scale; median, bar: min–max)"
eval time_y

# The two limits side by side: the read limit drawn grey, memcpy black.
ls_baseline_read = 5
S = present("baseline_read baseline_memcpy io_read_copy io_read_view python_io_read_copy python_io_read_view io_recv_copy io_recv_view python_io_recv_copy python_io_recv_view")
eval key_rows(S)
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s) noenhanced
