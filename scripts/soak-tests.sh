#!/usr/bin/env bash
# Runs CI's test command (`bash .ci/run`) on N fresh clones of this repository's HEAD, one after the
# other, and prints one line per run and then one line per test that failed, with how many runs it
# failed in. Each run's console log and .trx files are kept under the output folder.
#
#   scripts/soak-tests.sh N [--busy K] [--ref REF] [--out DIR]
#     --busy K   K busy-loop processes run beside each suite run (the CI machine is shared; 0 by default)
#     --ref REF  what to clone (HEAD by default; only committed work is tested)
#     --out DIR  where the logs go (soak-results/<date-time> by default)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:?usage: soak-tests.sh N [--busy K] [--ref REF] [--out DIR]}
shift
busy=0 ref=HEAD out="$repo/soak-results/$(date -u +%Y%m%d-%H%M%S)"
while (($#)); do
    case "$1" in
        --busy) busy=${2:?--busy needs a count}; shift 2 ;;
        --ref) ref=${2:?--ref needs a commit}; shift 2 ;;
        --out) out=${2:?--out needs a folder}; shift 2 ;;
        *) echo "soak-tests.sh: unknown option '$1'; allowed: --busy K, --ref REF, --out DIR" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "soak-tests.sh: N is '$runs'; allowed: a whole number >= 1" >&2; exit 2; }
[[ "$busy" =~ ^[0-9]+$ ]] || { echo "soak-tests.sh: --busy is '$busy'; allowed: a whole number >= 0" >&2; exit 2; }
commit=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
mkdir -p "$out"
work=$(mktemp -d)
loops=()
stop_loops() {
    if ((${#loops[@]})); then
        kill "${loops[@]}" 2>/dev/null || true
        wait "${loops[@]}" 2>/dev/null || true
    fi
    loops=()
}
trap 'stop_loops; rm -rf "$work"' EXIT

echo "soak: $runs runs of bash .ci/run on fresh clones of ${commit:0:12}, $busy busy loops beside each; logs in $out"
green=0
for ((i = 1; i <= runs; i++)); do
    run="$out/run-$i"
    mkdir -p "$run"
    rm -rf "$work/clone"
    git clone -q "$repo" "$work/clone"
    git -C "$work/clone" checkout -q "$commit"
    for ((b = 0; b < busy; b++)); do
        bash -c 'while :; do :; done' &
        loops+=($!)
    done
    start=$SECONDS
    status=0
    RINGRIFT_TEST_RESULTS="$run/trx" bash "$work/clone/.ci/run" >"$run/console.log" 2>&1 || status=$?
    stop_loops
    seconds=$((SECONDS - start))
    "$repo/scripts/trx-results.sh" "$run/trx" --failed >"$run/failed.txt" || true
    if ((status != 0)) && [[ ! -s "$run/failed.txt" ]]; then
        # no test recorded as failed, yet the run failed: a build error, a crashed or hung test host
        echo "(run failed without a failed test; see run-$i/console.log)" >"$run/failed.txt"
    fi
    if ((status == 0)); then green=$((green + 1)); fi
    echo "run $i/$runs: exit $status, $(tail -n 1 "$run/console.log"), ${seconds} s"
done

echo "soak: $green of $runs runs green"
cat "$out"/run-*/failed.txt | sort | uniq -c | sort -rn | sed 's/^ */failed in /; s/ / run(s): /3' || true
