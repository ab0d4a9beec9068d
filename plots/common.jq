# common.jq: helpers shared by the jq filters in plots/ (loaded with -L plots).

# "slice/copy/1048576" -> "slice/copy"; "baseline/empty" -> "baseline/empty"
def family_of(name):
  name | split("/") | if (last | test("^[0-9]+$")) then .[:-1] | join("/") else join("/") end;

# "slice/copy/1048576" -> 1048576; null when the name does not end in a size
def size_of(name):
  name | split("/") | last | if test("^[0-9]+$") then tonumber else null end;

def unit_ns(u): {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[u // "ns"];

# Mean of a counter over repetitions, scaled; null when no row has it.
def mean_of(f; scale): map(f | select(. != null)) | if length == 0 then null else (add / length) * scale end;

def num_or_nan: if . == null then "NaN" else . end;

# Every iteration row of one family keyed by size: {"1024": row, ...}, times in ns.
def rows_by_size($docs; fam):
  [ $docs[] | .benchmarks[]?
    | select(.run_type == "iteration" and (.error_occurred | not))
    | select(family_of(.name) == fam)
    | {key: (size_of(.name) | tostring),
       value: {ns: (.real_time * unit_ns(.time_unit)), bps: .bytes_per_second}} ]
  | from_entries;

# 4 GiB, 64 MiB, 1 KiB, 1000 B
def human_size:
  if . >= 1073741824 then "\(. / 1073741824 | if . == floor then . else (. * 10 | round) / 10 end) GiB"
  elif . >= 1048576 then "\(. / 1048576 | if . == floor then . else (. * 10 | round) / 10 end) MiB"
  elif . >= 1024 then "\(. / 1024 | if . == floor then . else (. * 10 | round) / 10 end) KiB"
  else "\(.) B" end;

# A time in ns as text with three significant digits: 1.52 ns, 84.3 µs, 1.21 s
def sig3: if . >= 100 then round elif . >= 10 then (. * 10 | round) / 10 else (. * 100 | round) / 100 end;
def human_time:
  if . >= 1e9 then "\(. / 1e9 | sig3) s"
  elif . >= 1e6 then "\(. / 1e6 | sig3) ms"
  elif . >= 1e3 then "\(. / 1e3 | sig3) µs"
  else "\(. | sig3) ns" end;
