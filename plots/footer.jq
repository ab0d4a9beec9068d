# footer.jq: the two lines printed under every chart, from the results' context (the C
# programs record CPU model, memory and OS; CPython's run adds its version):
#   line 1  the machine: CPU model, cores, memory, OS
#   line 2  the software and the date of the run
#
#   jq -s -r -L plots -L bench --arg runlabel "run ... · PARTIAL: ..." -f footer.jq results/*.json
# $runlabel (BUFVIEW_RUN_LABEL in make_plots.sh and make_report.sh) names the run and says
# when it is quick or partial, on every chart.
include "results";

def gib: . / 1073741824 | (. * 10 | round) / 10;

. as $docs
| ([ $docs[] | .context | select(.cpu_model != null) ] | first) as $c
| ([ $docs[] | .context | select(.python_version != null) ] | first) as $py
| ([ $docs[] | .context.date | select(. != null) ] | sort) as $dates
| ([ ($c.cpu_model // "unknown CPU"),
     "\($c.num_cpus // "?") cores",
     (if $c.mem_total_bytes then "\($c.mem_total_bytes | tonumber | gib) GiB RAM" else empty end),
     ($c.os // empty)
   ] | join("  ·  ")),
  ([ "bufview",
     (if $c.compiler then "gcc \($c.compiler) -O3 LTO" else empty end),
     "Google Benchmark 1.7.1",
     (if $py then "CPython \($py.python_version)" else empty end),
     (if ($dates | length) > 0
      then "run \($dates | last | sub("T"; " ") | sub(":[0-9]{2}(?<z>[-+Z])"; "\(.z)") | sub("\\+00:00$"; " UTC"))"
      else empty end),
     (if $runlabel != "" then $runlabel
      elif ([ $docs[] | .context.bufview_quick ] | any(. == "true")) then "--quick run: smoke figures"
      else empty end)
   ] | join("  ·  "))
