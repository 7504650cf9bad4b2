#!/usr/bin/env bash
# Builds the release artifacts into artifacts/ (git-ignored), or into --out DIR:
#   ringrift-p2p-linux-x64, ringrift-p2p-linux-arm64   natively compiled single-file executables (Native AOT,
#                                                      invariant globalization; docs/install.md)
#   ringrift-p2p.<version>.nupkg                       the dotnet tool (needs the .NET 10 runtime)
#   SHA256SUMS                                         `sha256sum -c SHA256SUMS` checks all three
# Needs the .NET 10 SDK (the native compiler and runtime for both architectures are restored from NuGet) and gcc;
# for linux-arm64 on x64, Debian's gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu and libc6-dev-arm64-cross. The build
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
    # Native AOT: the node compiled to machine code with the runtime it needs, SQLite's library inside it
    # (src/RingRift.P2P.Node/NativeAot.targets): no JIT, no assemblies to map, so an idle node holds a third of the
    # memory and starts in a fraction of the time (docs/footprint.md). gcc links it; linux-arm64 on an x64 machine
    # with Debian's cross compiler. The executables need glibc 2.34 or later (they are linked on Debian 12).
    case "$rid@$(uname -m)" in
        linux-x64@x86_64 | linux-arm64@aarch64) cc=gcc objcopy=objcopy packages="gcc" ;;
        linux-arm64@*) cc=aarch64-linux-gnu-gcc objcopy=aarch64-linux-gnu-objcopy
            packages="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross" ;;
        *) echo "release.sh: cannot build $rid on a $(uname -m) machine" >&2; exit 2 ;;
    esac
    for tool in "$cc" "$objcopy"; do
        command -v "$tool" >/dev/null || { echo "release.sh: $tool not found, needed for $rid; install it: apt-get install $packages" >&2; exit 2; }
    done
    dotnet publish "$project" -c Release -r "$rid" --artifacts-path "$build" -o "$build/publish/$rid" \
        -p:PublishAot=true -p:CppCompilerAndLinker="$cc" -p:ObjCopyName="$objcopy"
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
