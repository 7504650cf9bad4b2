#!/usr/bin/env bash
# Measures how long a release executable takes from its start to answering GET /status with 200: starts
# `EXECUTABLE run` on 127.0.0.1 with a fresh data folder, polls /status every 20 ms with curl, stops it
# (SIGTERM), N times; prints each run and the median in milliseconds.
#
#   scripts/startup-time.sh EXECUTABLE [--runs N] [--port P] [--emulate]
#     --runs N     how many starts (5 by default)
#     --port P     the node's port on 127.0.0.1 (28770 by default; must be free)
#     --emulate    run it under qemu-aarch64-static with the arm64 sysroot (the arm64 executable on x64)
set -euo pipefail
exe=${1:?usage: startup-time.sh EXECUTABLE [--runs N] [--port P] [--emulate]}
shift
runs=5 port=28770 emulate=false
while (($#)); do
    case "$1" in
        --runs) runs=${2:?--runs needs a count}; shift 2 ;;
        --port) port=${2:?--port needs a port}; shift 2 ;;
        --emulate) emulate=true; shift ;;
        *) echo "startup-time.sh: unknown option '$1'; allowed: --runs N, --port P, --emulate" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "startup-time.sh: --runs is '$runs'; allowed: a whole number >= 1" >&2; exit 2; }
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
launcher=()
if $emulate; then
    launcher=(qemu-aarch64-static -L /usr/aarch64-linux-gnu)
    export DOTNET_EnableWriteXorExecute=0
fi
work=$(mktemp -d)
pid=""
trap '[[ -z "$pid" ]] || kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
times=()
for run in $(seq 1 "$runs"); do
    data="$work/run-$run"
    mkdir -p "$data"
    start=$(date +%s%N)
    "${launcher[@]}" "$exe" run --node-id startup --host 127.0.0.1 --port "$port" --data-dir "$data" >"$data/node.log" 2>&1 &
    pid=$!
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/status" 2>/dev/null)" == 200 ]]; do
        kill -0 "$pid" 2>/dev/null || { echo "the node exited; its log:" >&2; cat "$data/node.log" >&2; exit 1; }
        sleep 0.02
    done
    ms=$((($(date +%s%N) - start) / 1000000))
    times+=("$ms")
    echo "run $run: $ms ms"
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
echo "median of $runs: $median ms ($(basename "$exe"), $(uname -m)$($emulate && echo ", under qemu"))"
