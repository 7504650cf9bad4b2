#!/usr/bin/env bash
# Reads the .trx files under a folder (what test.sh keeps) and prints, one test a line:
#   trx-results.sh DIR            outcome<TAB>seconds<TAB>test name, every test
#   trx-results.sh DIR --failed   the names of the tests that did not pass
#   trx-results.sh DIR --slowest N  the N slowest tests, "seconds  name"
set -euo pipefail
dir=${1:?usage: trx-results.sh DIR [--failed | --slowest N]}
mode=${2:-}

all() {
    find "$dir" -name '*.trx' -print0 | xargs -0 -r grep -h '<UnitTestResult ' |
        sed -E 's/.*testName="([^"]*)".*duration="([^"]*)".*outcome="([^"]*)".*/\3\t\2\t\1/' |
        sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' |
        awk -F'\t' 'BEGIN { OFS = "\t" } { split($2, t, ":"); $2 = sprintf("%.1f", t[1] * 3600 + t[2] * 60 + t[3]); print }'
}

case "$mode" in
    "") all ;;
    --failed) all | awk -F'\t' '$1 != "Passed" && $1 != "NotExecuted" { print $3 }' ;;
    --slowest)
        # awk, not head: head would leave sort writing into a closed pipe (SIGPIPE fails the pipeline)
        all | sort -t$'\t' -k2,2 -g -r | awk -F'\t' -v n="${3:?--slowest needs a count}" 'NR <= n { printf "%7.1f s  %s\n", $2, $3 }' ;;
    *) echo "trx-results.sh: unknown option '$mode'; allowed: --failed, --slowest N" >&2; exit 2 ;;
esac
