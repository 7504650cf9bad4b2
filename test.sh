#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs every test project. Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build RingRift.P2P.slnx -c Release
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test RingRift.P2P.slnx -c Release --no-build --logger "console;verbosity=minimal" "$@" | tee "$log" || status=$?
# One closing line over all test projects: "N passed, N failed".
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' "$log"
exit "$status"
