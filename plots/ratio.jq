# ratio.jq: how many times longer one family takes than another, size by size, with the
# widest ratio the spreads allow.
#
#   jq -s -r -L plots -L bench --arg num slice/copy --arg den slice/view -f ratio.jq RESULTS/*.json
#
# One line per size both families have, ascending:
#   size  median ratio  lowest (num min / den max)  highest (num max / den min)
include "results";

figures as $f
| family_rows($f; $num)[] as $a
| at($f; $den; $a.size) as $b
| select($b != null)
| [ $a.size, ($a.median / $b.median), ($a.min / $b.max), ($a.max / $b.min) ] | @tsv
