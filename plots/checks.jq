# checks.jq: the checks that decide whether a run's figures can be quoted, as data:
#
#   jq -s -L plots -L bench 'include "checks"; checks' RESULTS/*.json
#
# {limits: [...], agreement: [...], model: [...]}, each a list of rows:
# - limits: every instance of a family that has a limit line (bench/families.json), with
#   the limit's median at the same size; ratio = median / limit median; beats = ratio <
#   0.95 (the limit beaten by more than 5%).
# - agreement: for each "same work" group and each size from 1 MiB up, every member's
#   median, placement (page offsets) and faults per operation; spread = largest / smallest
#   median; agrees = spread <= 1.10.
# - model: for each new copy (slice/copy and its THP and recycled variants), the predicted
#   time faults x fault cost + bytes / memcpy's rate (all from the same run: the copy's own
#   fault count, the fault anchor's time per fault at that size, baseline/memcpy's rate)
#   and the error of the prediction (predicted / measured - 1).
include "results";

def checks:
figures as $f
| families as $fams
| {
  limits: [
    $f[] | select(.error | not) | . as $r
    | ($fams[.family].limit // null) as $lim
    | select($lim != null)
    | at($f; $lim; .size) as $l
    | select($l != null)
    | {name, family, size, limit: $lim, median, limit_median: $l.median,
       ratio: (.median / $l.median), beats: (.median / $l.median < 0.95)}
  ],
  agreement: [
    ($fams | to_entries | map(select(.value.same_work != null)) | group_by(.value.same_work)[])
    as $group
    | ($group | map(.key)) as $members
    | ([ $f[] | select(.error | not) | select(.family as $fm | $members | index($fm)) | .size ]
       | unique[] | select(. >= 1048576)) as $n
    | [ $members[] as $m | at($f; $m; $n) | select(. != null)
        | {family, median, min, max, minflt: .counters.minflt,
           src_page_offset: .counters.src_page_offset, dst_page_offset: .counters.dst_page_offset} ]
    | select(length >= 2)
    | {group: $group[0].value.same_work, size: $n, members: .,
       spread: ((map(.median) | max) / (map(.median) | min)),
       agrees: (((map(.median) | max) / (map(.median) | min)) <= 1.10)}
  ],
  model: [
    ({"slice/copy": "baseline/fault/4k", "slice/copy_thp": "baseline/fault/2m",
      "slice/copy_recycled": null} | to_entries[]) as $pair
    | family_rows($f; $pair.key)[] as $c
    | ($c.size - 2) as $bytes
    | at($f; "baseline/memcpy"; $c.size) as $m
    | select($m != null and $m.counters.bytes_per_second != null)
    | (if $pair.value == null then null else at($f; $pair.value; $c.size) end) as $a
    | (if $a != null and ($a.counters.minflt // 0) > 0 then $a.median / $a.counters.minflt
       else null end) as $per_fault
    | ($c.counters.minflt // 0) as $faults
    | select($faults < 1 or $per_fault != null)
    | ((if $faults < 1 then 0 else $faults * $per_fault end) + $bytes / $m.counters.bytes_per_second * 1e9) as $pred
    | {family: $c.family, size: $c.size, measured: $c.median, predicted: $pred,
       faults: $faults, fault_ns: $per_fault, memcpy_ns: ($bytes / $m.counters.bytes_per_second * 1e9),
       error: ($pred / $c.median - 1)}
  ]
};
