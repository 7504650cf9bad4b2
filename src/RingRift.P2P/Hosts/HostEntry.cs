using RingRift.P2P.Config;

namespace RingRift.P2P.Hosts;

/// <summary>One host under <c>hosts:</c> in <c>distributed_hosts.yaml</c>. Property docs give the YAML key and default.</summary>
public sealed record HostEntry
{
    /// <summary>Status values that make a host active.</summary>
    public static IReadOnlyList<string> ActiveStatuses { get; } = ["ready", "proxy_only"];

    /// <summary>The host's key under <c>hosts:</c>; also its node id.</summary>
    public required string Id { get; init; }

    /// <summary><c>ssh_host</c>, possibly <c>user@address</c>.</summary>
    public string? SshHost { get; init; }

    /// <summary><c>tailscale_ip</c>; preferred over <see cref="SshHost"/> for <see cref="Address"/>.</summary>
    public string? TailscaleIp { get; init; }

    /// <summary><c>role</c>, free text (coordinator, gpu_selfplay, …).</summary>
    public string? Role { get; init; }

    /// <summary><c>status</c> as written; "ready" when absent.</summary>
    public string Status { get; init; } = "ready";

    /// <summary><c>p2p_enabled</c>; true by default.</summary>
    public bool P2pEnabled { get; init; } = true;

    /// <summary><c>voter</c>; false by default. Used only when the file has no <c>p2p_voters</c> list.</summary>
    public bool Voter { get; init; }

    /// <summary><c>gpu</c>, free text ("GH200 (96 GB)"); map it with <see cref="GpuPowerRankings.Of"/>.</summary>
    public string? Gpu { get; init; }

    /// <summary><c>gpu_vram_gb</c> (≥ 0).</summary>
    public double? GpuVramGb { get; init; }

    /// <summary><c>memory_gb</c> (≥ 0).</summary>
    public double? MemoryGb { get; init; }

    /// <summary><c>cpus</c> (≥ 1).</summary>
    public int? Cpus { get; init; }

    /// <summary><c>training_enabled</c>; false by default.</summary>
    public bool TrainingEnabled { get; init; }

    /// <summary><c>selfplay_enabled</c>; false by default.</summary>
    public bool SelfplayEnabled { get; init; }

    /// <summary><c>nat_blocked</c>: the host cannot accept inbound connections; false by default.</summary>
    public bool NatBlocked { get; init; }

    /// <summary><c>p2p_port</c>, the HTTP API port; 8770 by default.</summary>
    public int P2pPort { get; init; } = 8770;

    /// <summary><c>swim_port</c>, the SWIM UDP port; 7947 by default.</summary>
    public int SwimPort { get; init; } = 7947;

    /// <summary><c>raft_port</c>, the Raft TCP port; 4321 by default.</summary>
    public int RaftPort { get; init; } = 4321;

    /// <summary>
    /// <c>arch</c> (ours): the host's CPU architecture, <c>x64</c> or <c>arm64</c> (also written
    /// <c>amd64</c>, <c>x86_64</c>, <c>aarch64</c>); tells an installer which executable the host needs.
    /// Null when absent.
    /// </summary>
    public string? Arch { get; init; }

    /// <summary>What <c>arch</c> accepts.</summary>
    public const string ArchAllowed = "expected x64 or arm64 (or amd64, x86_64, aarch64)";

    /// <summary><c>x64</c> or <c>arm64</c> for any of the names <c>arch</c> accepts (ignoring case); null for anything else.</summary>
    public static string? NormalizeArch(string text) => text.Trim().ToLowerInvariant() switch
    {
        "x64" or "amd64" or "x86_64" => "x64",
        "arm64" or "aarch64" => "arm64",
        _ => null,
    };

    /// <summary><see cref="TailscaleIp"/> if set, else <see cref="SshHost"/> without any <c>user@</c> prefix; null when neither is set.</summary>
    public string? Address => TailscaleIp ?? StripUser(SshHost);

    /// <summary>True when <see cref="Status"/> is ready or proxy_only (any case) and <see cref="P2pEnabled"/>.</summary>
    public bool IsActive => P2pEnabled && ActiveStatuses.Contains(Status, StringComparer.OrdinalIgnoreCase);

    /// <summary>Relative power of <see cref="Gpu"/> (<see cref="GpuPowerRankings.Of"/>; no GPU → 0.1).</summary>
    public double GpuPower => GpuPowerRankings.Of(Gpu);

    private static string? StripUser(string? sshHost)
    {
        if (sshHost is null) return null;
        var at = sshHost.LastIndexOf('@');
        return at < 0 ? sshHost : sshHost[(at + 1)..];
    }
}
