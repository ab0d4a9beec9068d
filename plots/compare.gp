# compare.gp: run B against run A, one point per benchmark: B's median over A's, at the
# benchmark's size, with the widest ratio the two spreads allow as a bar; one colour per
# group of families (slice, pass, python, ...; its points a little apart at each size, so
# that none hides another). Above 1, B
# was slower. Set by compare.sh: ext, outfile, datadir, title.
set encoding utf8
if (ext eq "svg") {
    set terminal svg size 900,600 dynamic enhanced font "DejaVu Sans,12" background rgb "white"
} else {
    set terminal pngcairo size 900,600 enhanced font "DejaVu Sans,10" background rgb "white"
}
set output outfile
set datafile separator "\t"
set title "Run against run: B ÷ A per benchmark (" . title . ")" font ",14" noenhanced
set xlabel "benchmark size (bytes, log scale)"
set ylabel "B median ÷ A median (log scale; bar: widest ratio of the spreads)"
set logscale x 2
set logscale y 2
set yrange [0.25:4]
set ytics ("¼" 0.25, "½" 0.5, "0.8" 0.8, "0.9" 0.9, "1" 1, "1.1" 1.1, "1.25" 1.25, "2" 2, "4" 4)
slabel(b) = b >= 2.0**30 ? sprintf("%g GiB", b / 2.0**30) : b >= 2.0**20 ? sprintf("%g MiB", b / 2.0**20) : \
            b >= 2.0**10 ? sprintf("%g KiB", b / 2.0**10) : sprintf("%g B", b)
set xtics ()
do for [e = 10:44:2] { set xtics add (slabel(2.0**e) 2.0**e) }
set xrange [2.0**9.5 : *]
set grid lc rgb "#e4e4e4"
set key outside bottom center horizontal maxrows 2 noenhanced
set bars small
f = datadir . "/table.tsv"
programs = "baseline layout slice pass chunks modify consume io python numpy"
colours = "#222222 #888888 #d62728 #1f6fb4 #ff8c00 #9c27b0 #8d6e63 #2e7d32 #17a2b8 #6a1b9a"
plot 1 with lines lc rgb "#888888" dt 2 title "same time", \
     1.1 with lines lc rgb "#cccccc" dt 3 title "±10%", 1/1.1 with lines lc rgb "#cccccc" dt 3 notitle, \
     for [i=1:words(programs)] f using (strcol(10) eq word(programs, i) ? $11 * 2**((i - 5.5) * 0.05) : NaN):4:5:6 \
         with yerrorbars pt 7 ps 0.6 lc rgb word(colours, i) title word(programs, i)
