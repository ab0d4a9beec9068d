# targets.jq: the performance targets of the benchmarks (issue 5), checked on one run's
# JSON files: jq -s -r -f targets.jq out/results/*.json. Prints each figure and whether it
# meets its target. Figures are real time; ratios are taken within the run. Each ratio is
# followed by the same ratio in CPU time: where the two differ, another program had the
# CPU during one of the two measurements and the run should be repeated on a quiet machine.

def rows: [.[] | .benchmarks[]
           | select(.run_type == "iteration" and ((.error_occurred // false) | not))];
def family: .name | split("/") | .[:-1] | join("/");
def size: .name | split("/") | last | (try tonumber catch null);
def ns: .real_time * ({"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit]);
def cpu_ns: .cpu_time * ({"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit]);
def r3: (. * 1000 | round) / 1000;
def verdict(ok): if ok then "ok" else "MISSED" end;
def at($r; $f; $s): first($r[] | select(family == $f and size == $s));

rows as $r
| ([$r[] | select(family == "slice/view") | size] | max) as $top
| (($r[] | select(.name == "baseline/empty") | ns) as $empty
   | "baseline/empty: \($empty | r3) ns per iteration (target <= 0.5): \(verdict($empty <= 0.5))"),
  ((at($r; "slice/view"; 1024) | ns) as $v1
   | (at($r; "slice/view"; $top) | ns) as $vt
   | ([$r[] | select(family == "slice/view") | ns] | max) as $vmax
   | "slice/view: \($v1 | r3) ns at 1 KiB, \($vt | r3) ns at \($top) bytes, at most \($vmax | r3) ns (target <= 2): \(verdict($vmax <= 2))",
     "slice/view flat: top / 1 KiB = \($vt / $v1 | r3) (target <= 1.3): \(verdict($vt / $v1 <= 1.3))"),
  ([$r[] | select(family == "slice/view_stored") | ns] as $st
   | select($st | length > 0)
   | "slice/view_stored (the view written out in full; no target): \($st | min | r3) to \($st | max | r3) ns"),
  (([$r[] | select(family == "slice/copy_into" and size >= 67108864) | size] | sort[]) as $s
   | (at($r; "slice/copy_into"; $s).bytes_per_second / at($r; "baseline/memcpy"; $s).bytes_per_second) as $q
   | ((at($r; "baseline/memcpy"; $s) | cpu_ns) / (at($r; "slice/copy_into"; $s) | cpu_ns)) as $qc
   | "slice/copy_into / baseline/memcpy throughput at \($s): \($q | r3) (target >= 0.95): \(verdict($q >= 0.95)) [cpu time: \($qc | r3)]"),
  (([$r[] | select(family == "slice/copy") | size] | sort[]) as $s
   | ((at($r; "slice/copy"; $s) | ns) / (at($r; "baseline/malloc_memcpy"; $s) | ns)) as $q
   | ((at($r; "slice/copy"; $s) | cpu_ns) / (at($r; "baseline/malloc_memcpy"; $s) | cpu_ns)) as $qc
   | "slice/copy / baseline/malloc_memcpy time at \($s): \($q | r3) (target 0.95..1.05): \(verdict($q >= 0.95 and $q <= 1.05)) [cpu time: \($qc | r3)]"),
  (([$r[] | select(family == "slice/copy_by_hand") | size] | sort[]) as $s
   | (at($r; "slice/copy"; $s) | ns) as $copy
   | (at($r; "slice/copy_by_hand"; $s) | ns) as $hand
   | (at($r; "baseline/malloc_memcpy"; $s) | ns) as $base
   | "  at \($s): slice/copy / slice/copy_by_hand = \($copy / $hand | r3) (bufview's own cost), slice/copy_by_hand / baseline/malloc_memcpy = \($hand / $base | r3) (the header's cost in the allocator; no target)"),
  ($r[] | select(size == $top and (family | test("^(slice|pass|chunks|modify)/")))
   | "peak_rss / dataset for \(.name): \(.peak_rss / $top | r3)x")
