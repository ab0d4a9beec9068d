# format.sh: number formatting shared by run.sh and make_report.sh (sourced, not run).
# Every function takes a raw figure from the JSON and prints it for people.

# ns -> "1.52 ns", "84.3 µs", "1.21 s"; "?" when empty. Rounded to three significant
# digits exactly as results.jq's human_time does (half away from zero), so a figure reads
# the same in the terminal as in the tables and the report. With FMT_ASCII=1, "us" for µs
# (as Google Benchmark's console does), so that terminal columns line up in any locale.
fmt_time() {
    [ -n "${1:-}" ] || { echo "?"; return; }
    local mu="µs"
    [ "${FMT_ASCII:-0}" = 1 ] && mu="us"
    awk -v v="$1" -v mu="$mu" '
        function sig3(x) { return x >= 100 ? int(x + 0.5) : x >= 10 ? int(x * 10 + 0.5) / 10 : int(x * 100 + 0.5) / 100 }
        BEGIN {
            if (v >= 1e9) printf "%g s", sig3(v / 1e9); else if (v >= 1e6) printf "%g ms", sig3(v / 1e6);
            else if (v >= 1e3) printf "%g %s", sig3(v / 1e3), mu; else printf "%g ns", sig3(v) }'
}
# an integer with thousands separators: 16385 -> 16,385
fmt_int() { awk -v v="$1" 'BEGIN { printf "%.0f", v }' | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }
# a ratio -> "5.4", "640", "27,895", "7.3 million"
fmt_ratio() {
    [ -n "${1:-}" ] || { echo "?"; return; }
    if awk -v v="$1" 'BEGIN { exit !(v >= 1e3 && v < 1e6) }'; then fmt_int "$1"; return; fi
    awk -v v="$1" 'BEGIN {
        if (v >= 1e9) printf "%.3g billion", v / 1e9; else if (v >= 1e6) printf "%.3g million", v / 1e6;
        else if (v >= 10) printf "%.0f", v; else printf "%.2g", v }'
}
# plain number, 3 significant digits
fmt_n3() { [ -n "${1:-}" ] && awk -v v="$1" 'BEGIN { printf "%.3g", v }' || echo "?"; }
# bytes -> "64 MiB", "1.5 GiB", "544 B"
fmt_bytes() {
    awk -v v="$1" 'BEGIN {
        if (v >= 1073741824) printf "%.3g GiB", v / 1073741824;
        else if (v >= 1048576) printf "%.3g MiB", v / 1048576;
        else if (v >= 1024) printf "%.3g KiB", v / 1024; else printf "%d B", v }'
}
# seconds -> "45 s", "3m05s"
fmt_secs() { awk -v s="$1" 'BEGIN { s = int(s + 0.5); if (s < 60) printf "%d s", s; else printf "%dm%02ds", s / 60, s % 60 }'; }
