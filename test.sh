#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs every test project. Needs only the .NET 10 SDK.
# Extra arguments go to `dotnet test` (e.g. --filter). RINGRIFT_TEST_RESULTS names a folder to keep
# the .trx result files in (one subfolder per test project); a temporary one is used and removed otherwise.
# The dashboard's browser tests (trait Category=Browser) drive the system's Chromium (`chromium` on the
# PATH, or the binary RINGRIFT_CHROMIUM names). Without one they are left out, saying so, unless
# RINGRIFT_BROWSER_TESTS=required (as in CI), which runs them anyway, so they fail. Likewise the systemd
# unit's tests (trait Category=Systemd) need systemd-analyze, unless RINGRIFT_SYSTEMD_TESTS=required, and
# the release's arm64 tests (trait Category=Arm64) need qemu-aarch64-static, the arm64 sysroot and Debian's arm64 cross gcc, unless
# RINGRIFT_ARM64_TESTS=required, and the multi-host tests on network namespaces (trait Category=Netns) need root,
# ip (iproute2) and nft (nftables), unless RINGRIFT_NETNS_TESTS=required, and the full-disk tests on a small tmpfs
# (trait Category=Mount) need root and mount, unless RINGRIFT_MOUNT_TESTS=required, and the clock tests that run nodes under
# libfaketime (trait Category=Faketime) need its preload library, unless RINGRIFT_FAKETIME_TESTS=required.
# The release tests (tests/RingRift.P2P.Artifacts.Tests) need scripts/release.sh's natively compiled executables,
# minutes of compiling. A full run (no arguments) builds them into artifacts/test-release in the background at the
# lowest CPU priority while the other projects test, so the compiler takes only the time the tests leave idle, and
# runs the release tests once both are done. With arguments, the release tests' fixture builds them when selected.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
test_args=("$@")
full_run=$(($# == 0))
skipped=()  # trait categories left out, each with one line saying why
notes=()
if [[ -n "${RINGRIFT_CHROMIUM:-}" ]]; then browser="$RINGRIFT_CHROMIUM"; else browser=$(command -v chromium || true); fi
if [[ "${RINGRIFT_BROWSER_TESTS:-}" != "required" && ! -x "${browser:-/nonexistent}" ]]; then
    skipped+=(Browser)
    notes+=("Browser tests not run: no Chromium found (apt-get install chromium, or set RINGRIFT_CHROMIUM to a Chromium binary).")
fi
if [[ "${RINGRIFT_SYSTEMD_TESTS:-}" != "required" ]] && ! command -v systemd-analyze >/dev/null 2>&1; then
    skipped+=(Systemd)
    notes+=("Systemd tests not run: no systemd-analyze found (apt-get install systemd).")
fi
if [[ "${RINGRIFT_ARM64_TESTS:-}" != "required" ]] &&
    ! { command -v qemu-aarch64-static >/dev/null && [[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]] && command -v aarch64-linux-gnu-gcc >/dev/null; }; then
    skipped+=(Arm64)
    notes+=("Arm64 tests not run: no qemu-aarch64-static, no arm64 sysroot in /usr/aarch64-linux-gnu or no aarch64-linux-gnu-gcc to build the arm64 executable (scripts/test-deps.sh installs them).")
fi
if [[ "${RINGRIFT_NETNS_TESTS:-}" != "required" ]] &&
    ! { [[ $(id -u) -eq 0 ]] && PATH="$PATH:/usr/sbin:/sbin" command -v ip >/dev/null && PATH="$PATH:/usr/sbin:/sbin" command -v nft >/dev/null; }; then
    skipped+=(Netns)
    notes+=("Netns tests not run: they need root, ip (iproute2) and nft (nftables; scripts/test-deps.sh installs it).")
fi
if [[ "${RINGRIFT_MOUNT_TESTS:-}" != "required" ]] && ! { [[ $(id -u) -eq 0 ]] && PATH="$PATH:/usr/sbin:/sbin" command -v mount >/dev/null; }; then
    skipped+=(Mount)
    notes+=("Mount tests not run: the full-disk tests mount a small tmpfs, which needs root and mount (util-linux).")
fi
if [[ "${RINGRIFT_FAKETIME_TESTS:-}" != "required" && ! -e "/usr/lib/$(uname -m)-linux-gnu/faketime/libfaketimeMT.so.1" ]]; then
    skipped+=(Faketime)
    notes+=("Faketime tests not run: no libfaketimeMT.so.1 in /usr/lib/$(uname -m)-linux-gnu/faketime (apt-get install libfaketime; scripts/test-deps.sh installs it).")
fi
exclude=""  # the filter leaving out the skipped categories
if ((${#skipped[@]})); then
    for category in "${skipped[@]}"; do exclude+="${exclude:+&}Category!=$category"; done
    filtered=false
    for i in "${!test_args[@]}"; do
        if [[ "${test_args[$i]}" == "--filter" && $((i + 1)) -lt ${#test_args[@]} ]]; then
            test_args[i + 1]="(${test_args[i + 1]})&$exclude"
            filtered=true
        fi
    done
    $filtered || test_args+=(--filter "$exclude")
fi
release_project=tests/RingRift.P2P.Artifacts.Tests
release_args=()
release_pid=""
release_log=""
if ((full_run)) && [[ -z "${RINGRIFT_RELEASE_ARTIFACTS:-}" ]]; then
    release_args=(--out "$PWD/artifacts/test-release" --rid linux-x64)
    [[ " ${skipped[*]} " == *" Arm64 "* ]] || release_args+=(--rid linux-arm64)
    # A full run's only filter is the categories left out (test_args is that filter or nothing).
    main_args=(--filter "${exclude:+$exclude&}FullyQualifiedName!~RingRift.P2P.Artifacts.Tests")
else
    main_args=("${test_args[@]}")
fi
dotnet build RingRift.P2P.slnx -c Release
# Code style (.editorconfig) is checked, not hoped for; the tests still run when it fails.
format_status=0
dotnet format RingRift.P2P.slnx --verify-no-changes --no-restore || format_status=$?
log=$(mktemp)
results_made=false
if [[ -z "${RINGRIFT_TEST_RESULTS:-}" ]]; then
    RINGRIFT_TEST_RESULTS=$(mktemp -d)
    results_made=true
fi
cleanup() {
    [[ -z "$release_pid" ]] || kill -- -"$release_pid" 2>/dev/null || true
    rm -f "$log" ${release_log:+"$release_log"}
    ! $results_made || rm -rf "$RINGRIFT_TEST_RESULTS"
}
trap cleanup EXIT
export RINGRIFT_TEST_RESULTS # Directory.Build.props puts each test project's results in a subfolder of it
status=0
if ((${#release_args[@]})); then
    release_log=$(mktemp)
    # Its own process group (so an interrupted run stops all of it) and no reuse of the test build's MSBuild nodes,
    # which run at normal priority and would start the native compiler at normal priority too.
    MSBUILDDISABLENODEREUSE=1 setsid nice -n 19 scripts/release.sh "${release_args[@]}" >"$release_log" 2>&1 &
    release_pid=$!
fi
# A test that hangs is stopped after 10 minutes and reported by name instead of eating CI's time limit.
test_options=(-c Release --no-build --logger "console;verbosity=minimal" --logger trx --blame-hang-timeout 10m --blame-hang-dump-type none)
dotnet test RingRift.P2P.slnx "${test_options[@]}" "${main_args[@]}" | tee "$log" || status=$?
release_failed=""
if [[ -n "$release_pid" ]]; then
    release_status=0
    wait "$release_pid" || release_status=$?
    if ((release_status == 0)); then
        echo "Release built in the background: $(grep -o 'tool package built ([0-9]* s' "$release_log" | grep -o '[0-9]* s')"
        RINGRIFT_RELEASE_ARTIFACTS="$PWD/artifacts/test-release" dotnet test "$release_project" "${test_options[@]}" "${test_args[@]}" |
            tee -a "$log" || status=$?
    else
        tail -n 60 "$release_log"
        release_failed="scripts/release.sh ${release_args[*]} exited $release_status (its last lines are above): the release tests did not run."
        [[ $status -ne 0 ]] || status=$release_status
    fi
    release_pid=""
fi
echo "Slowest tests:"
scripts/trx-results.sh "$RINGRIFT_TEST_RESULTS" --slowest 15 || echo "(the .trx results could not be read)"
for note in "${notes[@]}"; do echo "$note"; done
# One closing line over all test projects: "N passed, N failed".
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed\n", p, f }' "$log"
[[ -z "$release_failed" ]] || echo "$release_failed"
if [[ $format_status -ne 0 ]]; then
    echo "Code style check failed (see the lines above); 'dotnet format RingRift.P2P.slnx' fixes most of it."
    [[ $status -ne 0 ]] || status=$format_status
fi
exit "$status"
