# results.jq: the one reading of bufview's benchmark results, shared by every jq filter
# (charts, report, summary, tables, targets, comparisons, tests). Load with
#   jq -s -L plots -L bench 'include "results"; ...' RESULTS/*.json
#
# The figure of a benchmark instance is the median over its repetitions (Google
# Benchmark's "median" aggregate, or python_bench.py's, which writes the same rows); its
# spread is the "min" and "max" aggregates. With a single repetition there are no
# aggregates and the one run is all three. Everything that prints or draws a figure takes
# it from `figures` below, so the same benchmark has the same figure everywhere.

import "families" as $families;

# The family list (bench/families.json), as {name: entry}.
def families: $families::families[0].families | map({key: .name, value: .}) | from_entries;

def unit_ns(u): {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[u // "ns"];

# "slice/copy/1048576" -> "slice/copy"; "layout/copy/48/67108864" -> "layout/copy";
# "baseline/empty" -> "baseline/empty"
def family_of(name):
  name | split("/") | until(length <= 1 or (last | test("^[0-9]+$") | not); .[:-1]) | join("/");
# The last number of a name (the size); null when it does not end in one.
def size_of(name):
  name | split("/") | last | if test("^[0-9]+$") then tonumber else null end;
# The number before the size (a layout instance's page offset); null when there is none.
def variant_of(name):
  name | split("/") | if length >= 3 and (.[-1] | test("^[0-9]+$")) and (.[-2] | test("^[0-9]+$"))
                      then .[-2] | tonumber else null end;

def row_ns: .real_time * unit_ns(.time_unit);
def row_cpu_ns: .cpu_time * unit_ns(.time_unit);

# The keys of a result row that are not counters.
def standard_keys:
  ["name", "family_index", "per_family_instance_index", "run_name", "run_type",
   "repetitions", "repetition_index", "threads", "aggregate_name", "aggregate_unit",
   "iterations", "real_time", "cpu_time", "time_unit", "error_occurred", "error_message",
   "label"];
def counters_of: with_entries(select(.key as $k | standard_keys | index($k) | not));

# One instance from all its rows: name, family, size, variant, reps, median/min/max (ns of
# real time), cpu (median cpu ns), iterations, counters (of the median row), counters_min,
# counters_max; or, for a benchmark that reported an error, name, family, size and error.
def instance:
  (map(select(.run_type != "aggregate"))) as $it
  | (map(select(.run_type == "aggregate")) | map({key: .aggregate_name, value: .}) | from_entries) as $agg
  | (.[0].run_name // .[0].name) as $name
  | {name: $name, family: family_of($name), size: size_of($name), variant: variant_of($name)}
  + if any(.[]; .error_occurred // false) then
      {error: (first(.[] | select(.error_occurred // false)) | .error_message // "error")}
    else
      ($agg.median // $it[0]) as $med
      | ($agg.min // $it[0]) as $lo
      | ($agg.max // $it[0]) as $hi
      | {reps: ($med.repetitions // ($it | length)),
         median: ($med | row_ns), min: ($lo | row_ns), max: ($hi | row_ns),
         cpu: ($med | row_cpu_ns), iterations: $med.iterations,
         counters: ($med | counters_of), counters_min: ($lo | counters_of),
         counters_max: ($hi | counters_of)}
    end;

# Every instance of every slurped results document, in name order.
def figures:
  [ .[] | .benchmarks[]? ] | group_by(.run_name // .name) | map(instance);
# The same as {name: instance}.
def figure_map: figures | map({key: .name, value: .}) | from_entries;
# Instances of one family without errors, by size (ascending).
def family_rows($figs; $fam):
  [ $figs[] | select(.family == $fam and (.error | not)) ] | sort_by(.size, .variant);
# The instance of a family at a size, or null.
def at($figs; $fam; $n):
  first($figs[] | select(.family == $fam and .size == $n and (.error | not))) // null;

# The run's context: the first document that has each key wins.
def context: reduce (.[] | .context // {}) as $c ({}; $c + .);
def quick: [ .[] | .context.bufview_quick // empty ] | any(. == "true");

# ---- text -------------------------------------------------------------------------------
# 4 GiB, 64 MiB, 1 KiB, 1000 B
def human_size:
  if . >= 1073741824 then "\(. / 1073741824 | if . == floor then . else (. * 10 | round) / 10 end) GiB"
  elif . >= 1048576 then "\(. / 1048576 | if . == floor then . else (. * 10 | round) / 10 end) MiB"
  elif . >= 1024 then "\(. / 1024 | if . == floor then . else (. * 10 | round) / 10 end) KiB"
  else "\(.) B" end;
# Three significant digits.
def sig3: if . >= 100 then round elif . >= 10 then (. * 10 | round) / 10 else (. * 100 | round) / 100 end;
# A time in ns as text: 1.52 ns, 84.3 µs, 1.21 s
def human_time:
  if . >= 1e9 then "\(. / 1e9 | sig3) s"
  elif . >= 1e6 then "\(. / 1e6 | sig3) ms"
  elif . >= 1e3 then "\(. / 1e3 | sig3) µs"
  else "\(. | sig3) ns" end;
def human_bytes:
  if . >= 1073741824 then "\(. / 1073741824 | sig3) GiB"
  elif . >= 1048576 then "\(. / 1048576 | sig3) MiB"
  elif . >= 1024 then "\(. / 1024 | sig3) KiB" else "\(. | sig3) B" end;
# A figure with its spread: "84.3 µs (80.1–90.2)"
def human_spread: "\(.median | human_time) (\(.min | human_time)–\(.max | human_time))";
def num_or_nan: if . == null then "NaN" else . end;
# A ratio as text: 3 significant digits ("5.4", "27900").
def human_ratio: sig3 | tostring;
# A rate in bytes/s as GB/s text (10^9 bytes).
def human_gbps: . / 1e9 | sig3 | tostring;
# A percentage from a fraction, one decimal ("12.5").
def human_pct: . * 1000 | round / 10 | tostring;
