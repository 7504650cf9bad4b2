#!/usr/bin/env bash
# Builds the release artifacts into artifacts/ (git-ignored), or into --out DIR:
#   ringrift-p2p-linux-x64, ringrift-p2p-linux-arm64   self-contained single-file executables (ReadyToRun,
#                                                      invariant globalization, not trimmed: docs/install.md)
#   ringrift-p2p.<version>.nupkg                       the dotnet tool (needs the .NET 10 runtime)
#   SHA256SUMS                                         `sha256sum -c SHA256SUMS` checks all three
# Needs only the .NET 10 SDK (the runtime packs for both architectures are restored from NuGet). The build
# happens under DIR/build (kept, so a second run is incremental), never in the source tree's bin/ and obj/,
# so it can run beside a test run of the same checkout. The version and commit come from the build
# (Directory.Build.props, Directory.Build.targets): `ringrift-p2p-linux-x64 --version` prints them.
#
#   scripts/release.sh [--out DIR] [--rid RID]...
#     --out DIR  where the artifacts go (artifacts/ by default)
#     --rid RID  build only this runtime (linux-x64 or linux-arm64; repeatable); both by default.
#                The tool package and SHA256SUMS are written every time, over the executables present.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out="$repo/artifacts"
rids=()
while (($#)); do
    case "$1" in
        --out) out=${2:?--out needs a folder}; shift 2 ;;
        --rid) rids+=("${2:?--rid needs a runtime identifier}"); shift 2 ;;
        *) echo "release.sh: unknown option '$1'; allowed: --out DIR, --rid linux-x64|linux-arm64" >&2; exit 2 ;;
    esac
done
((${#rids[@]})) || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
    [[ "$rid" == linux-x64 || "$rid" == linux-arm64 ]] || { echo "release.sh: --rid is '$rid'; allowed: linux-x64, linux-arm64" >&2; exit 2; }
done
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
mkdir -p "$out"
out=$(cd "$out" && pwd)
build="$out/build"
project="$repo/src/RingRift.P2P.Node/RingRift.P2P.Node.csproj"

for rid in "${rids[@]}"; do
    # Single file: the managed assemblies and the native libraries (SQLite's) in one file; the native ones
    # are extracted once to $DOTNET_BUNDLE_EXTRACT_BASE_DIR (default ~/.net) at the first start.
    # ReadyToRun: compiled ahead of time, so start-up does not wait for the JIT (under qemu it matters most).
    # Not compressed: compression costs start-up time for a smaller file (docs/install.md has both).
    # No tiering: the ReadyToRun code is final, so an idle node does not spend its first minutes compiling
    # hot methods again (0.3 % instead of 5 % of a core in its first minute; start-up +0.4 s: docs/footprint.md).
    dotnet publish "$project" -c Release -r "$rid" --self-contained --artifacts-path "$build" -o "$build/publish/$rid" \
        -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:IncludeNativeLibrariesForSelfExtract=true \
        -p:PublishReadyToRunComposite=false -p:EnableCompressionInSingleFile=false -p:TieredCompilation=false
    cp "$build/publish/$rid/ringrift-p2p" "$out/ringrift-p2p-$rid"
    echo "release.sh: ringrift-p2p-$rid built (${SECONDS} s since the start)"
done

rm -f "$out"/ringrift-p2p.*.nupkg
dotnet pack "$project" -c Release --artifacts-path "$build" -o "$out"
echo "release.sh: tool package built (${SECONDS} s since the start)"

cd "$out"
files=(ringrift-p2p-linux-* ringrift-p2p.*.nupkg)
sha256sum "${files[@]}" >SHA256SUMS
echo "Artifacts in $out:"
ls -l "${files[@]}" SHA256SUMS
