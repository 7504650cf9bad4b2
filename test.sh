#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs every test project. Needs only the .NET 10 SDK.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build RingRift.P2P.slnx -c Release
dotnet test RingRift.P2P.slnx -c Release --no-build --logger "console;verbosity=minimal" "$@"
