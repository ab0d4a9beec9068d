# consume.gp: consuming n bytes from the front, 64 KiB at a time, by re-slicing
# (data = data[k:], a new bytes object of what is left each step: n^2/2k bytes copied) and
# by advancing a view (mv = mv[k:]: nothing copied), in bufview and CPython. Both axes are
# logarithmic, so a time that grows as n^p is a straight line of slope p: each series'
# slope is fitted here with gnuplot's own `fit` (least squares of log(time) on log(size),
# medians, from fit_from = 16 steps up: with fewer steps the call's fixed cost and the last,
# smallest objects are a visible part of the time and bend the line at its small end) and
# printed in its legend, about 2 for the copy and about 1 for the view. When the driver
# sets slopes_out, the slopes are also written there, one line per series:
#   family  slope  slope's standard error (NaN with 2 points)  points  from  to
load "common.gp"

set title "Consuming n bytes k = 64 KiB at a time: re-slicing vs a view (lower is faster)"
set ylabel "time to consume n bytes (log scale; median, bar: min–max)"
eval time_y

fit_from = 16 * 65536
S = present("consume_copy python_consume_copy consume_view python_consume_view")
# The x axis spans the consume sizes only (they start at one step and stop early).
sizes = "cat " . datadir . "/consume_*.tsv " . datadir . "/python_consume_*.tsv 2>/dev/null"
cmin = real(system(sizes . " | awk 'NR == 1 || $1 < m { m = $1 } END { print m + 0 }'"))
cmax = real(system(sizes . " | awk '$1 > m { m = $1 } END { print m + 0 }'"))
if (cmin > 0 && cmax > 0) {
    set xrange [cmin / 1.4 : cmax * 1.4]
    set xtics ()
    do for [e = 0:44:2] {
        if (2.0**e >= cmin / 1.4 && 2.0**e <= cmax * 1.4) { set xtics add (slabel(2.0**e) 2.0**e) }
    }
}
if (exists("slopes_out")) { set print slopes_out }
set fit quiet
set fit logfile "/dev/null"
set fit errorvariables
# The sizes a fit uses (from fit_from, with a time), as awk prints them.
fitted(s, prog) = system(sprintf("awk -v f=%d '$1 >= f && $2 > 0 %s' '%s'", fit_from, prog, tsv(s)))
do for [s in S] {
    np = int(fitted(s, "{ k++ } END { print k + 0 }"))
    if (np >= 2) {
        fa = 1.0
        fb = 1.0
        fit [*:*] fa + fb * x tsv(s) \
            using (log($1)):($1 >= fit_from && $2 > 0 ? log($2) : 1/0) via fa, fb
        lo = real(fitted(s, "{ print $1; exit }"))
        hi = real(fitted(s, "{ v = $1 } END { print v }"))
        eval sprintf("t_%s = t_%s . sprintf(', slope %%.2f', %.17g)", s, s, fb)
        if (exists("slopes_out")) {
            fam = system(sprintf("printf '%%s' '%s' | sed 's#_#/#g'", s))
            print sprintf("%s\t%.6f\t%s\t%d\t%d\t%d", fam, fb, \
                          np > 2 ? sprintf("%.6f", fb_err) : "NaN", np, lo, hi)
        }
    }
}
if (exists("slopes_out")) { unset print }

t_fit_note = sprintf("slopes fitted from %s (log time on log size)", slabel(fit_from))
# One column: the titles carry their slopes and would not fit side by side.
set key maxrows (words(S) + 1)
set bmargin at screen 0.335
set key at screen 0.5, screen 0.21 center top
plot for [s in S] tsv(s) using 1:2:3:4 with yerrorlines ls sty(s) title ttl(s) noenhanced, \
     NaN with lines lc rgb "white" title t_fit_note
