# common.gp: what every bufview chart shares, loaded by each chart script after the driver
# (make_plots.sh) has set, with gnuplot -e:
#   ext      "png" or "svg"         outfile  where to write
#   datadir  the columns made by series.jq / ratio.jq (one NAME.tsv per series)
#   footer1, footer2   machine, then software and date   xmin, xmax  smallest and largest
#                      dataset size in bytes
# Terminal, colours and line styles, size/time/byte tick labels, the footer, and the
# helpers that build a plot over only the series that exist.

set encoding utf8
if (ext eq "svg") {
    set terminal svg size 900,600 dynamic enhanced font "DejaVu Sans,12" background rgb "white"
} else {
    set terminal pngcairo size 900,600 enhanced font "DejaVu Sans,10" background rgb "white"
}
set output outfile
# The svg terminal draws marks larger than pngcairo for the same point size.
psc = (ext eq "svg") ? 0.6 : 1.0

# ---- line styles: colour says what is done (copy/view), the dash says who does it -------
# 1 view, 2 copy, 3 copy into a reused buffer (or huge pages), 4 memcpy / read limit,
# 5 malloc+memcpy, 6 second view series, 7 second copy series, 8 write limit, 9 view of the
# exporter, 14 and 15 the limits of copies on huge pages and recycled memory; +10: the
# same in CPython (dotted, larger open marks, so a CPython point equal to bufview's rings
# it instead of hiding under it)
set style line 1 lc rgb "#1f6fb4" lw 2.2 pt 7 ps 0.9*psc dt 1
set style line 2 lc rgb "#d62728" lw 2.2 pt 5 ps 0.9*psc dt 1
set style line 3 lc rgb "#ff8c00" lw 2.2 pt 9 ps 1.0*psc dt 1
set style line 4 lc rgb "#222222" lw 1.6 pt 0 dt 2
set style line 5 lc rgb "#888888" lw 1.6 pt 0 dt 4
set style line 6 lc rgb "#17a2b8" lw 2.2 pt 13 ps 1.0*psc dt 1
set style line 7 lc rgb "#9c27b0" lw 2.2 pt 11 ps 1.0*psc dt 1
set style line 11 lc rgb "#1f6fb4" lw 2.2 pt 6 ps 1.6*psc dt 3
set style line 12 lc rgb "#d62728" lw 2.2 pt 4 ps 1.6*psc dt 3
set style line 16 lc rgb "#17a2b8" lw 2.2 pt 12 ps 1.6*psc dt 3
set style line 17 lc rgb "#9c27b0" lw 2.2 pt 10 ps 1.6*psc dt 3
set style line 8 lc rgb "#2e7d32" lw 1.6 pt 0 dt 5
set style line 9 lc rgb "#8d6e63" lw 2.2 pt 3 ps 1.0*psc dt 1
set style line 14 lc rgb "#ff8c00" lw 1.4 pt 0 dt 2
set style line 15 lc rgb "#17a2b8" lw 1.4 pt 0 dt 2
set style line 19 lc rgb "#8d6e63" lw 2.2 pt 2 ps 1.4*psc dt 3
# +20: the same in NumPy (dash-dot, open diamonds and triangles)
set style line 21 lc rgb "#1f6fb4" lw 2.0 pt 12 ps 1.5*psc dt 4
set style line 22 lc rgb "#d62728" lw 2.0 pt 10 ps 1.5*psc dt 4
set style line 26 lc rgb "#17a2b8" lw 2.0 pt 12 ps 1.5*psc dt 4
set style line 27 lc rgb "#9c27b0" lw 2.0 pt 10 ps 1.5*psc dt 4
set style line 20 lc rgb "#444444" lw 1.2 dt 3 pt 0   # reference lines

set grid xtics ytics mytics lc rgb "#e4e4e4" lw 1 dt 1, lc rgb "#f2f2f2" lw 1 dt 1
set border 3 lc rgb "#555555"
set tics nomirror out scale 0.6
# The key sits in the bottom margin, between the axis label and the footer: never over data.
set key at screen 0.5, screen 0.175 center top vertical Left reverse samplen 3.5 spacing 1.1 width 2 box lc rgb "#dddddd"
# Two columns whatever the terminal's idea of text width, and room for a fourth row of
# entries when there are more than six: call as eval key_rows(S) (or with the count of
# entries, reference lines included, as eval key_rows_n(n)).
key_rows_n(n) = sprintf("set key maxrows %d; set bmargin at screen %g; set key at screen 0.5, screen %g center top", \
                        (n + 1) / 2, n > 6 ? 0.335 : 0.3, n > 6 ? 0.21 : 0.175)
key_rows(list) = key_rows_n(words(list))
set title font ",15"
set xlabel "dataset size (bytes; KiB, MiB, GiB = 2^{10}, 2^{20}, 2^{30})"
set lmargin at screen 0.11
set rmargin at screen 0.965
set tmargin at screen 0.9
set bmargin at screen 0.3

# Machine and date, bottom right, small and grey: present on every chart, never over data.
ffont = ext eq "svg" ? ",10" : ",9"
set label 900 footer1 at screen 0.985, screen 0.045 right font ffont tc rgb "#666666" front noenhanced
set label 901 footer2 at screen 0.985, screen 0.015 right font ffont tc rgb "#666666" front noenhanced

# ---- axes -----------------------------------------------------------------------------
# Sizes: powers of two on a log axis, labelled at powers of four (the benchmark sizes).
slabel(b) = b >= 2.0**30 ? sprintf("%g GiB", b / 2.0**30) : \
            b >= 2.0**20 ? sprintf("%g MiB", b / 2.0**20) : \
            b >= 2.0**10 ? sprintf("%g KiB", b / 2.0**10) : sprintf("%g B", b)
set logscale x 2
set xrange [xmin / 1.4 : xmax * 1.4]
set xtics ()
do for [e = 0:44:2] { if (2.0**e >= xmin / 1.4 && 2.0**e <= xmax * 1.4) { set xtics add (slabel(2.0**e) 2.0**e) } }
set mxtics 2

# Times in nanoseconds: decades labelled with their unit.
tlabel(t) = t < 1e3 ? sprintf("%g ns", t) : t < 1e6 ? sprintf("%g µs", t / 1e3) : \
            t < 1e9 ? sprintf("%g ms", t / 1e6) : sprintf("%g s", t / 1e9)
# Called as: eval time_y
time_y = "set logscale y 10; set ytics (); do for [e = -2:12] { set ytics add (tlabel(10.0**e) 10.0**e) }; set mytics 10; set format y '%g'"

# Byte amounts on a log axis: labels every 2^step.
blabel(b) = b < 1 ? "0 B" : slabel(b)
bytes_y(lo, hi, step) = sprintf("set logscale y 2; set ytics (); do for [e = %d:%d:%d] { set ytics add (blabel(2.0**e) 2.0**e) }; set mytics 2", lo, hi, step)

# Counts (page faults) on a log axis.
clabel(v) = v >= 1e6 ? sprintf("%gM", v / 1e6) : v >= 1e3 ? sprintf("%gk", v / 1e3) : sprintf("%g", v)

# A log axis cannot show zero: zeros are drawn on a floor line labelled "0", missing
# values (NaN) stay missing.
z(v, floor) = (v != v) ? NaN : (v > 0 ? v : floor)

# ---- which series exist -----------------------------------------------------------------
# have("slice_copy") is true when datadir/slice_copy.tsv has data.
# (Strings are joined with "." rather than sprintf: gnuplot 5.4's sprintf truncates long
# results.)
have(s) = system("test -s '" . datadir . "/" . s . ".tsv' && echo 1 || echo 0") eq "1"
# The words of a list that have data, in order.
present(list) = system("for s in " . list . "; do test -s '" . datadir . "/'$s.tsv && printf '%s ' $s; done")
tsv(s) = datadir . "/" . s . ".tsv"
# Title and line style of a series: variables named t_<series> and ls_<series>.
ttl(s) = value("t_" . s)
sty(s) = value("ls_" . s)

# Series titles and styles: t_<series> and ls_<series> for every family in
# bench/families.json, written by make_plots.sh into the data directory.
load datadir . "/families.gp"

# Every series is drawn as its median with the spread over repetitions as an error bar:
# columns x, median, min, max (series.jq, ratio.jq).
set bars small
