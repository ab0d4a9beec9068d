# targets.jq: bufview's performance targets and the checks that make its figures quotable,
# on one run: jq -s -r -L plots -L bench -f plots/targets.jq RESULTS/*.json
# Every figure is a median over repetitions (results.jq); ratios are taken inside the run,
# so the VM's clock, which differs from day to day, cancels out.
include "results";
include "checks";

def r3: (. * 1000 | round) / 1000;
def pct: (. * 1000 | round) / 10;
def verdict(ok): if ok then "ok" else "MISSED" end;

checks as $checks
| figures as $f
| [ $f[] | select(.family == "slice/view" and (.error | not)) ] as $views
| ($views | map(.size) | max) as $top
| (first($f[] | select(.name == "baseline/empty")) // null) as $empty
| (select($empty != null) | "baseline/empty: \($empty.median | r3) ns per iteration (the unit below; the VM's clock moves it from day to day)"),
  (select($empty != null and ($views | length) > 0)
   | ($views | map(.median / $empty.median)) as $units
   | "slice/view: \($units | min | r3) to \($units | max | r3) empty iterations over \($views | length) sizes (target <= 7.2, i.e. 2 ns at the 0.277 ns empty loop of 2026-11-25): \(verdict(($units | max) <= 7.2))",
     "slice/view flat: top / 1 KiB = \(at($f; "slice/view"; $top).median / at($f; "slice/view"; 1024).median | r3) (target <= 1.3): \(verdict(at($f; "slice/view"; $top).median / at($f; "slice/view"; 1024).median <= 1.3))"),
  ([ $f[] | select(.family == "slice/copy_into" and .size >= 67108864 and (.error | not)) ] | sort_by(.size)[]
   | at($f; "baseline/memcpy"; .size) as $m | select($m != null)
   | ($m.median / .median) as $q
   | "slice/copy_into / baseline/memcpy throughput at \(.size | human_size): \($q | r3) (target >= 0.95): \(verdict($q >= 0.95))"),
  ([ $f[] | select(.family == "slice/copy" and (.error | not)) ] | sort_by(.size)[]
   | at($f; "baseline/malloc_memcpy"; .size) as $m | select($m != null)
   | (.median / $m.median) as $q
   | "slice/copy / baseline/malloc_memcpy at \(.size | human_size): \($q | r3) (target 0.95..1.05): \(verdict($q >= 0.95 and $q <= 1.05))"),
  ([ $f[] | select(.family == "slice/view" and .size == $top) ] | .[]
   | "peak memory added at \($top | human_size): view \(.counters.peak_rss_added / $top | r3)x the size, copy \(at($f; "slice/copy"; $top).counters.peak_rss_added // 0 | . / $top | r3)x"),
  ($checks.limits | map(select(.beats))) as $b
  | "limit lines: \($checks.limits | length) medians checked against the limit of their operation, \($b | length) beat it by more than 5%: \(verdict(($b | length) == 0))",
    ($b[] | "  \(.name): \(.ratio | r3) x \(.limit)"),
  ($checks.agreement[]
   | "same work (\(.group)) at \(.size | human_size): largest / smallest median = \(.spread | r3) (target <= 1.10): \(verdict(.agrees)) [\(.members | map("\(.family) \(.median | human_time), \(.minflt | round) faults, dst page offset \(.dst_page_offset // "?")") | join("; "))]"),
  ($checks.model[] | select(.size >= 262144)
   | "model \(.family) at \(.size | human_size): predicted \(.predicted | human_time) = \(.faults | round) faults x \(.fault_ns // 0 | human_time) + memcpy \(.memcpy_ns | human_time); measured \(.measured | human_time); error \(.error | pct)%")
