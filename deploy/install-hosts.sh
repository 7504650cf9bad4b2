#!/usr/bin/env bash
# Installs (or upgrades) ringrift-p2p on the hosts of a distributed_hosts.yaml, one host at a time, and
# stops at the first host that fails. For each active host, in file order:
#   1. copies the executable for the host's arch (the entry's `arch:`, else --arch), the systemd unit, the
#      hosts file, the jobs file (with --jobs) and an env file (--env-file plus RINGRIFT_NODE_ID and the
#      file paths for this host) to a staging folder in the ssh user's home;
#   2. installs them next to the live files as *.new and runs `ringrift-p2p.new config check` on the host
#      with them: a bad configuration stops here, with the running node and its files untouched;
#   3. moves the new files into place, installs the unit, `systemctl restart`s the service;
#   4. waits until the service is active and the node answers GET /status, before the next host.
# The hosts file is read with `ringrift-p2p config hosts` (no yq or python needed). Nothing runs on a
# host with --dry-run: the ssh and scp commands are printed instead. See deploy/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: deploy/install-hosts.sh --hosts FILE [options]

  --hosts FILE        distributed_hosts.yaml: the hosts to install on (its active ones), also copied to each host
  --artifacts DIR     where ringrift-p2p-linux-x64 and ringrift-p2p-linux-arm64 are (default: artifacts)
  --binary FILE       one executable for every host instead (arch ignored)
  --arch x64|arm64    for hosts whose entry has no arch: (default: x64)
  --env-file FILE     settings for every node (systemd EnvironmentFile format); RINGRIFT_NODE_ID and the
                      file paths are added per host
  --jobs FILE         jobs.yaml to install (RINGRIFT_P2P_JOBS_FILE is set to it)
  --unit FILE         the systemd unit (default: deploy/systemd/ringrift-p2p.service next to this script);
                      its ExecStart= and EnvironmentFile= give the executable's and env file's paths on the host
  --only ID,ID        only these hosts (still in file order, still only active ones)
  --ssh-option OPT    passed to ssh and scp as -o OPT (repeatable), e.g. --ssh-option Port=2222
  --wait SECONDS      how long a restarted node gets to answer GET /status (default: 90; 0: do not wait)
  --cli PROGRAM       the local ringrift-p2p that reads the hosts file (default: the artifact for this
                      machine if it runs here, else ringrift-p2p on the PATH; a .dll runs with dotnet)
  --dry-run           print the ssh and scp commands instead of running them
  -h, --help          this text
EOF
}

die() { echo "install-hosts: $*" >&2; exit 2; }

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hosts_file="" artifacts="artifacts" binary="" default_arch="x64" env_file="" jobs_file=""
unit="$script_dir/systemd/ringrift-p2p.service" only="" wait_seconds=90 cli="" dry_run=false
ssh_opts=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --hosts) hosts_file="${2:?--hosts needs a file}"; shift 2 ;;
        --artifacts) artifacts="${2:?--artifacts needs a folder}"; shift 2 ;;
        --binary) binary="${2:?--binary needs a file}"; shift 2 ;;
        --arch) default_arch="${2:?--arch needs x64 or arm64}"; shift 2 ;;
        --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
        --jobs) jobs_file="${2:?--jobs needs a file}"; shift 2 ;;
        --unit) unit="${2:?--unit needs a file}"; shift 2 ;;
        --only) only="${2:?--only needs host ids}"; shift 2 ;;
        --ssh-option) ssh_opts+=(-o "${2:?--ssh-option needs an option}"); shift 2 ;;
        --wait) wait_seconds="${2:?--wait needs seconds}"; shift 2 ;;
        --cli) cli="${2:?--cli needs a program}"; shift 2 ;;
        --dry-run) dry_run=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done
[[ -n "$hosts_file" ]] || { usage >&2; die "--hosts is required"; }
[[ -f "$hosts_file" ]] || die "--hosts $hosts_file: no such file"
[[ "$default_arch" == x64 || "$default_arch" == arm64 ]] || die "--arch takes x64 or arm64, got '$default_arch'"
[[ "$wait_seconds" =~ ^[0-9]+$ ]] || die "--wait takes a whole number of seconds, got '$wait_seconds'"
[[ -f "$unit" ]] || die "--unit $unit: no such file (the systemd unit to install)"
[[ -z "$env_file" || -f "$env_file" ]] || die "--env-file $env_file: no such file"
[[ -z "$jobs_file" || -f "$jobs_file" ]] || die "--jobs $jobs_file: no such file"
[[ -z "$binary" || -f "$binary" ]] || die "--binary $binary: no such file"

# Where the unit expects things on the host: ExecStart='s program and EnvironmentFile= (a leading '-' only
# makes the file optional), so this script follows the unit rather than guessing.
unit_value() { sed -n "s/^[[:space:]]*$1=[-@:+!]*\\([^[:space:]]*\\).*/\\1/p" "$unit" | head -n 1; }
remote_bin=$(unit_value ExecStart)
[[ "$remote_bin" == /* ]] || remote_bin=/usr/local/bin/ringrift-p2p
remote_env=$(unit_value EnvironmentFile)
# The unit's User=, created on a host that lacks it (a system user whose home is the data directory).
service_user=$(unit_value User)
[[ "$remote_env" == /* ]] || remote_env=/etc/ringrift-p2p/ringrift-p2p.env
remote_etc=$(dirname "$remote_env")
service=$(basename "$unit")
stage=.ringrift-p2p-install # in the ssh user's home on the host

# The local program that reads the hosts file.
if [[ -z "$cli" ]]; then
    case "$(uname -m)" in x86_64 | amd64) here=x64 ;; aarch64 | arm64) here=arm64 ;; *) here="" ;; esac
    if [[ -n "$here" && -x "$artifacts/ringrift-p2p-linux-$here" ]] && "$artifacts/ringrift-p2p-linux-$here" --help >/dev/null 2>&1; then
        cli="$artifacts/ringrift-p2p-linux-$here"
    elif command -v ringrift-p2p >/dev/null 2>&1; then
        cli=ringrift-p2p
    else
        die "no ringrift-p2p to read the hosts file with: give --cli PROGRAM"
    fi
fi
run_cli() { if [[ "$cli" == *.dll ]]; then dotnet "$cli" "$@"; else "$cli" "$@"; fi; }

# A setting of the shared env file (the last line for it, quotes removed), to reach the node afterwards.
env_value() {
    [[ -n "$env_file" ]] || return 0
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$env_file" | tail -n 1 | sed "s/^[\"']//; s/[\"'][[:space:]]*\$//"
}

# Prints a command as it would be typed (--dry-run), or runs it. With a second argument after --stdin,
# that text is the command's standard input (printed as a here-document).
run() {
    local input=""
    if [[ "$1" == --stdin ]]; then input="$2"; shift 2; fi
    if $dry_run; then
        printf '+'
        printf ' %q' "$@"
        if [[ -n "$input" ]]; then printf " <<'REMOTE'\n%s\nREMOTE\n" "$input"; else printf '\n'; fi
        return 0
    fi
    if [[ -n "$input" ]]; then "$@" <<<"$input"; else "$@"; fi
}

inventory=$(run_cli config hosts --hosts "$hosts_file") || die "$hosts_file has errors (listed above); nothing was installed"

local_stage=$(mktemp -d)
trap 'rm -rf "$local_stage"' EXIT
declare -a done_hosts=() todo_hosts=()
declare -A selected=()
if [[ -n "$only" ]]; then
    IFS=',' read -ra only_ids <<<"$only"
    for id in "${only_ids[@]}"; do selected["$id"]=1; done
fi

while IFS=$'\t' read -r id ssh_target address p2p_port _swim _raft arch active _voter _raft_member status _role; do
    if [[ -n "$only" && -z "${selected[$id]:-}" ]]; then continue; fi
    if [[ "$active" != yes ]]; then
        echo "install-hosts: skipping $id (not active: status $status)"
        continue
    fi
    [[ "$ssh_target" != - ]] || die "$id has no ssh_host or tailscale_ip in $hosts_file"
    todo_hosts+=("$id"$'\t'"$ssh_target"$'\t'"$address"$'\t'"$p2p_port"$'\t'"$arch")
done <<<"$inventory"
[[ ${#todo_hosts[@]} -gt 0 ]] || die "no active host to install on${only:+ among --only $only}"

for line in "${todo_hosts[@]}"; do
    IFS=$'\t' read -r id ssh_target address p2p_port arch <<<"$line"
    host_arch="$arch"
    [[ "$host_arch" != - ]] || host_arch="$default_arch"
    program="${binary:-$artifacts/ringrift-p2p-linux-$host_arch}"
    [[ -f "$program" ]] || die "$id needs $program (arch $host_arch), which does not exist; build it with scripts/release.sh or give --binary"
    user="${ssh_target%@*}"
    [[ "$ssh_target" == *@* ]] || user=""
    if [[ "$user" == root ]]; then sudo=""; else sudo="sudo -n "; fi

    # This host's files, under the names they get on the host (links: nothing large is copied here).
    host_stage="$local_stage/$id"
    mkdir -p "$host_stage"
    ln -sf "$(cd "$(dirname "$program")" && pwd)/$(basename "$program")" "$host_stage/ringrift-p2p"
    ln -sf "$(cd "$(dirname "$unit")" && pwd)/$(basename "$unit")" "$host_stage/$service"
    ln -sf "$(cd "$(dirname "$hosts_file")" && pwd)/$(basename "$hosts_file")" "$host_stage/distributed_hosts.yaml"
    files=(ringrift-p2p "$service" distributed_hosts.yaml ringrift-p2p.env)
    jobs_args=""
    {
        if [[ -n "$env_file" ]]; then cat "$env_file"; echo; fi
        echo "# Added by deploy/install-hosts.sh for $id (these lines win over any above)."
        echo "RINGRIFT_NODE_ID=$id"
        echo "RINGRIFT_P2P_HOSTS_FILE=$remote_etc/distributed_hosts.yaml"
        if [[ -n "$jobs_file" ]]; then echo "RINGRIFT_P2P_JOBS_FILE=$remote_etc/jobs.yaml"; fi
    } >"$host_stage/ringrift-p2p.env"
    if [[ -n "$jobs_file" ]]; then
        ln -sf "$(cd "$(dirname "$jobs_file")" && pwd)/$(basename "$jobs_file")" "$host_stage/jobs.yaml"
        files+=(jobs.yaml)
        jobs_args=" --jobs $remote_etc/jobs.yaml.new"
    fi
    new_files="$remote_bin.new $remote_etc/distributed_hosts.yaml.new $remote_env.new${jobs_file:+ $remote_etc/jobs.yaml.new}"

    # Installed as *.new, checked on the host, and only then moved over the live files.
    install_script="set -eu
cd \"\$HOME/$stage\"
${sudo}install -d -m 0755 $(dirname "$remote_bin") $remote_etc
${sudo}install -m 0755 ringrift-p2p $remote_bin.new
${sudo}install -m 0644 distributed_hosts.yaml $remote_etc/distributed_hosts.yaml.new
${sudo}install -m 0600 ringrift-p2p.env $remote_env.new${jobs_file:+
${sudo}install -m 0644 jobs.yaml $remote_etc/jobs.yaml.new}
if ! ${sudo}$remote_bin.new config check --env-file $remote_env.new --hosts $remote_etc/distributed_hosts.yaml.new$jobs_args; then
    ${sudo}rm -f $new_files
    echo \"config check failed on $id: nothing was changed\" >&2
    exit 3
fi
${sudo}mv -f $remote_etc/distributed_hosts.yaml.new $remote_etc/distributed_hosts.yaml${jobs_file:+
${sudo}mv -f $remote_etc/jobs.yaml.new $remote_etc/jobs.yaml}
${sudo}mv -f $remote_env.new $remote_env
${sudo}mv -f $remote_bin.new $remote_bin
${service_user:+id -u $service_user >/dev/null 2>&1 || ${sudo}useradd --system --home-dir /var/lib/ringrift-p2p --shell /usr/sbin/nologin $service_user
}${sudo}install -m 0644 $service /etc/systemd/system/$service
${sudo}systemctl daemon-reload
${sudo}systemctl enable --quiet $service
${sudo}systemctl restart $service
cd \"\$HOME\" && rm -rf \"$stage\""

    # The node answers on the port and address it binds: the env file's, else the entry's p2p_port on loopback.
    port=$(env_value RINGRIFT_P2P_PORT)
    bind=$(env_value RINGRIFT_P2P_HOST)
    [[ -n "$bind" && "$bind" != 0.0.0.0 && "$bind" != "::" ]] || bind=127.0.0.1
    url="http://$bind:${port:-$p2p_port}"
    wait_script="for i in \$(seq 1 $wait_seconds); do
    if systemctl is-active --quiet $service && $remote_bin status --url $url --json >/dev/null 2>&1; then exit 0; fi
    sleep 1
done
echo \"$id: the service did not answer GET $url/status within $wait_seconds s\" >&2
systemctl status --no-pager $service | tail -n 20 >&2
exit 4"

    echo "install-hosts: $id ($ssh_target, $host_arch): $program"
    rc=0
    step="copying files"
    run ssh "${ssh_opts[@]}" -o BatchMode=yes "$ssh_target" "mkdir -p -m 700 $stage" || rc=$?
    [[ $rc -ne 0 ]] || run scp "${ssh_opts[@]}" -o BatchMode=yes -q "${files[@]/#/$host_stage/}" "$ssh_target:$stage/" || rc=$?
    [[ $rc -ne 0 ]] || step="checking and installing"
    [[ $rc -ne 0 ]] || run --stdin "$install_script" ssh "${ssh_opts[@]}" -o BatchMode=yes "$ssh_target" 'bash -s' || rc=$?
    [[ $rc -ne 0 ]] || step="waiting for the node to serve"
    [[ $rc -ne 0 || "$wait_seconds" == 0 ]] || run --stdin "$wait_script" ssh "${ssh_opts[@]}" -o BatchMode=yes "$ssh_target" 'bash -s' || rc=$?
    if [[ $rc -eq 0 ]]; then
        done_hosts+=("$id")
        continue
    fi
    remaining=()
    seen=false
    for other in "${todo_hosts[@]}"; do
        other_id="${other%%$'\t'*}"
        if $seen; then remaining+=("$other_id"); fi
        [[ "$other_id" != "$id" ]] || seen=true
    done
    echo "install-hosts: $id failed while $step (exit $rc); stopping." >&2
    echo "install-hosts: done: ${done_hosts[*]:-none}; not started: ${remaining[*]:-none}" >&2
    exit 1
done
if $dry_run; then
    echo "install-hosts: dry run, nothing ran on any host; would install on: ${done_hosts[*]}"
else
    echo "install-hosts: done: ${done_hosts[*]}"
fi
