#!/usr/bin/env bash
# Installs the Debian packages some tests drive for real, when any is missing (one apt-get update first), and the
# compilers the release tests' natively compiled executables need (scripts/release.sh: gcc, the arm64 cross gcc).
# CI (.ci/run) calls it as root; on a developer machine run it with sudo, or let ./test.sh leave those
# tests out (it says which and why). Each line: a command or file that must exist, and the package giving it.
set -euo pipefail
needs=(
    "chromium chromium"
    "systemd-analyze systemd"
    "qemu-aarch64-static qemu-user-static"
    "/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 libc6-arm64-cross"
    "/usr/aarch64-linux-gnu/lib/libstdc++.so.6 libstdc++6-arm64-cross"
    "/usr/aarch64-linux-gnu/lib/libgcc_s.so.1 libgcc-s1-arm64-cross"
    "gcc gcc"
    "aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu"
    "aarch64-linux-gnu-objcopy binutils-aarch64-linux-gnu"
    "/usr/aarch64-linux-gnu/lib/crt1.o libc6-dev-arm64-cross"
    "nft nftables"
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 libfaketime"
)
missing=()
for need in "${needs[@]}"; do
    read -r what package <<<"$need"
    if [[ "$what" == /* ]]; then [[ -e "$what" ]] && continue; else command -v "$what" >/dev/null 2>&1 && continue; fi
    missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "Installing test dependencies: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
