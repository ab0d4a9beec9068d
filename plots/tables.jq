# tables.jq: Markdown tables of one run's results (bench/README.md's tables are made with
# it). Every cell is the median over repetitions with its spread (min–max), from
# results.jq like every other figure bufview prints.
#
#   jq -s -r -L plots -L bench -f plots/tables.jq RESULTS/*.json    (or plots/tables.sh)
include "results";

def cell_time: "\(.median | human_time) (\(.min | human_time)–\(.max | human_time))";
def cell_rate: .counters as $c | .counters_min as $lo | .counters_max as $hi
  | "\($c.bytes_per_second / 1e9 | sig3) (\($lo.bytes_per_second / 1e9 | sig3)–\($hi.bytes_per_second / 1e9 | sig3))";
def cell_page: (.size / 4096) as $p | "\(.median / $p | human_time) (\(.min / $p | human_time)–\(.max / $p | human_time))";
def cell_added: "\(.counters.peak_rss_added | human_bytes)";
def cell_faults: "\(.counters.minflt | if . >= 10 then round else (. * 100 | round) / 100 end)";

# One row per size (or per variant, with $key "variant"), one column per family.
def table($f; $fams; $key; cell):
  ([ $f[] | select(.error | not) | .family as $x | select($fams | index($x)) | .[$key] ] | unique) as $keys
  | "| \(if $key == "size" then "size" else "page offset" end) | " + ($fams | join(" | ")) + " |",
    "|---:|" + ([$fams[] | "---:"] | join("|")) + "|",
    ($keys[] as $k
     | "| \(if $key == "size" then ($k | human_size) else $k end) | "
       + ([$fams[] as $fm | (first($f[] | select(.family == $fm and .[$key] == $k and (.error | not))) | cell) // "–"]
          | join(" | "))
       + " |");

figures as $f
| context as $c
| "Machine: \($c.cpu_model // "?") (\($c.num_cpus // "?") CPUs, \($c.mem_total_bytes // 0 | tonumber | human_bytes) RAM), \($c.os // "?"), kernel \($c.kernel // "?"); run \($c.date // "?"). Each cell: median over repetitions (min–max).\n",
  "baseline/empty: \(first($f[] | select(.name == "baseline/empty")) | cell_time) per iteration\n",
  "Slicing [1:n-1] (time per slice):\n",
  table($f; ["slice/view", "slice/view_new", "python/slice/view", "python/slice/view_new", "slice/copy", "slice/copy_by_hand", "python/slice/copy", "baseline/malloc_memcpy"]; "size"; cell_time),
  "\nA new copy of the slice by where its memory comes from (time per copy):\n",
  table($f; ["slice/copy", "slice/copy_recycled", "baseline/malloc_memcpy_recycled", "slice/copy_thp", "baseline/malloc_memcpy_thp", "slice/copy_into", "baseline/memcpy"]; "size"; cell_time),
  "\nPassing a slice to a function (time per call):\n",
  table($f; ["pass/view/header", "pass/copy/header", "pass/view/sum", "pass/copy/sum", "python/pass/view/sum", "python/pass/copy/sum"]; "size"; cell_time),
  "\nThroughput (GB/s, 10^9 bytes of data per second):\n",
  table($f; ["baseline/read", "baseline/write", "baseline/memcpy", "chunks/view", "chunks/copy", "modify/view", "modify/copy"]; "size"; cell_rate),
  "\nWhat a page costs (time per 4 KiB page: fresh with 4 KiB pages, fresh with huge pages, already resident):\n",
  table($f; ["baseline/fault/4k", "baseline/fault/2m", "baseline/fault/resident"]; "size"; cell_page),
  "\nPlacement: the slice copied at \($c.bufview_layout_bytes // "?" | tonumber? // 0 | human_size) into memory whose data starts at each page offset (time per copy; the slice starts at page offset \($c.bufview_src_page_offset // "?")):\n",
  table($f; ["layout/copy", "layout/copy_resident"]; "variant"; cell_time),
  "\nMemory the benchmark added to the process at its peak (peak_rss_added):\n",
  table($f; ["slice/view", "slice/copy", "slice/copy_recycled", "pass/view/sum", "pass/copy/sum", "modify/view", "modify/copy", "python/slice/view", "python/slice/copy"]; "size"; cell_added),
  "\nMinor page faults per operation:\n",
  table($f; ["slice/view", "slice/copy", "slice/copy_recycled", "slice/copy_thp", "baseline/malloc_memcpy", "python/slice/copy", "modify/copy"]; "size"; cell_faults)
