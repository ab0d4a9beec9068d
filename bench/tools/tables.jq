# tables.jq: Markdown tables of bufview benchmark results, straight from the JSON files
# the benchmark programs write. Input: the files slurped together (jq -s -r -f tables.jq
# out/results/*.json). Times are real time per operation; GB/s are decimal gigabytes
# (1e9 bytes) per second of real time.

def rows: [.[] | .benchmarks[]
           | select(.run_type == "iteration" and ((.error_occurred // false) | not))];
def family: .name | split("/") | .[:-1] | join("/");
def size: .name | split("/") | last | tonumber;
def ns: .real_time * ({"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit]);
# Three significant digits, as text.
def sig3: if . >= 100 then round | tostring
          elif . >= 10 then (. * 10 | round) / 10 | tostring
          else (. * 100 | round) / 100 | tostring end;
def human_time: if . < 1e3 then "\(sig3) ns" elif . < 1e6 then "\(. / 1e3 | sig3) µs"
                elif . < 1e9 then "\(. / 1e6 | sig3) ms" else "\(. / 1e9 | sig3) s" end;
def human_bytes: if . >= 1073741824 then "\(. / 1073741824 | sig3) GiB"
                 elif . >= 1048576 then "\(. / 1048576 | sig3) MiB"
                 elif . >= 1024 then "\(. / 1024 | sig3) KiB" else "\(. | sig3) B" end;
def gbps: .bytes_per_second / 1e9 | if . >= 1000 then "\(. / 1000 | sig3) TB/s" else "\(sig3) GB/s" end;

# One row per size, one column per family; `cell` formats one result.
def table($r; $fams; cell):
  ([$r[] | family as $f | select(any($fams[]; . == $f)) | size] | unique) as $sizes
  | "| size | " + ($fams | join(" | ")) + " |",
    "|---:|" + ([$fams[] | "---:"] | join("|")) + "|",
    ($sizes[] as $s
     | "| \($s | human_bytes) | "
       + ([$fams[] as $f | (first($r[] | select(family == $f and size == $s)) | cell) // "–"]
          | join(" | "))
       + " |");

rows as $r
| (first(.[] | .context) // {}) as $c
| "Machine: \($c.cpu_model // "?") (\($c.num_cpus // "?") CPUs, \($c.mem_total_bytes // 0 | tonumber | human_bytes) RAM), \($c.os // "?"), kernel \($c.kernel // "?"); run \($c.date // "?")\n",
  "baseline/empty: \(first($r[] | select(.name == "baseline/empty")) | ns | human_time) per iteration\n",
  "Time per operation (real time):\n",
  table($r; ["baseline/memcpy", "baseline/malloc_memcpy", "slice/view", "slice/view_stored", "slice/copy", "slice/copy_by_hand", "slice/copy_into"]; ns | human_time),
  "\nPassing a slice to a function (time per call):\n",
  table($r; ["pass/view/header", "pass/copy/header", "pass/view/sum", "pass/copy/sum"]; ns | human_time),
  "\nThroughput (bytes of the dataset per second):\n",
  table($r; ["baseline/memcpy", "slice/copy_into", "chunks/view", "chunks/copy", "modify/view", "modify/copy"]; gbps),
  "\nPeak resident memory during the benchmark (dataset included):\n",
  table($r; ["slice/view", "slice/copy", "pass/view/sum", "pass/copy/sum", "modify/view", "modify/copy"]; .peak_rss | human_bytes),
  "\nBytes allocated and minor page faults per operation:\n",
  table($r; ["slice/view", "slice/copy", "baseline/malloc_memcpy", "chunks/copy", "modify/copy"];
        "\(.alloc_bytes | human_bytes), \(.minflt | if . >= 10 then round else (. * 100 | round) / 100 end) flt")
