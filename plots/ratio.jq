# ratio.jq: how many times longer one family takes than another, size by size.
#
#   jq -s -r -L plots --arg num slice/copy --arg den slice/view -f ratio.jq results/*.json
#
# Output, one line per size both families have, ascending:
#   size  num_ns/den_ns  num_ns  den_ns
include "common";

. as $docs
| rows_by_size($docs; $num) as $a
| rows_by_size($docs; $den) as $b
| [ $a | keys[] | select($b[.] != null) | tonumber ] | sort[]
| tostring as $k
| [ (. ), ($a[$k].ns / $b[$k].ns), $a[$k].ns, $b[$k].ns ] | @tsv
