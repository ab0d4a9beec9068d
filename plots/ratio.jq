# ratio.jq: how many times longer one family takes than another, size by size, with the
# widest ratio the spreads allow, for every pair asked, in one pass over the results.
#
#   jq -s -r -L plots -L bench --argjson pairs '[["NAME", "NUM_FAMILY", "DEN_FAMILY"], ...]' \
#      -f ratio.jq RESULTS/*.json
#
# One line per pair and size both families have, ascending; the first column is the pair's
# NAME (make_plots.sh splits the lines into NAME.tsv and drops it):
#   NAME  size  median ratio  lowest (num min / den max)  highest (num max / den min)
include "results";

figures as $f
| $pairs[] as [$name, $num, $den]
| family_rows($f; $num)[] as $a
| at($f; $den; $a.size) as $b
| select($b != null)
| [ $name, $a.size, ($a.median / $b.median), ($a.min / $b.max), ($a.max / $b.min) ] | @tsv
