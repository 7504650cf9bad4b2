using System.Globalization;
using System.Text;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// Faults between hosts, applied while programs run. Each host's faults are one nftables table inside
/// its own namespace (<see cref="NetnsNames.FaultTable"/>), with one chain on the output hook: loss is
/// <c>numgen random mod 100 &lt; P drop</c>, a cut is <c>ip daddr B drop</c> on A's output. The table is
/// rewritten whole, in one nft transaction, on every change. Traffic to the observer (the test process)
/// is never dropped, so a test can always read every host. Bandwidth limits are a <c>tbf</c> qdisc on the
/// host's interface. Nothing here touches the root namespace.
/// </summary>
public sealed partial class NetnsTestBed
{
    private readonly Dictionary<int, HostFaults> _faults = [];
    private readonly List<NetnsFlap> _flaps = [];

    /// <summary>
    /// Drops <paramref name="percent"/> % (0-100) of the datagrams and segments <paramref name="host"/> sends
    /// to other hosts, at random and independently; 0 removes the loss.
    /// </summary>
    public void SetLoss(NetnsHost host, int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        Change(host, faults => faults.LossPercent = percent);
    }

    /// <summary>One-way cut: everything <paramref name="from"/> sends to <paramref name="to"/> is dropped; the other way still works.</summary>
    public void Block(NetnsHost from, NetnsHost to)
    {
        ArgumentNullException.ThrowIfNull(to);
        Change(from, faults => faults.BlockedTo.Add(to.Index));
    }

    /// <summary>Two-way cut between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public void Partition(NetnsHost a, NetnsHost b)
    {
        Block(a, b);
        Block(b, a);
    }

    /// <summary>Cuts every link between a host of <paramref name="side"/> and a host not in it, both ways.</summary>
    public void Partition(IReadOnlyCollection<NetnsHost> side)
    {
        ArgumentNullException.ThrowIfNull(side);
        foreach (var inside in side)
        {
            foreach (var outside in Hosts.Where(h => !side.Contains(h))) Partition(inside, outside);
        }
    }

    /// <summary>Removes the cuts between <paramref name="a"/> and <paramref name="b"/>, both directions.</summary>
    public void Heal(NetnsHost a, NetnsHost b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Change(a, faults => faults.BlockedTo.Remove(b.Index));
        Change(b, faults => faults.BlockedTo.Remove(a.Index));
    }

    /// <summary>Removes every cut and every loss (flapping links and bandwidth limits stay).</summary>
    public void HealAll()
    {
        foreach (var host in Hosts)
        {
            Change(host, faults =>
            {
                faults.BlockedTo.Clear();
                faults.LossPercent = 0;
            });
        }
    }

    /// <summary>
    /// A flapping link: cuts <paramref name="a"/>–<paramref name="b"/> both ways, heals it after
    /// <paramref name="period"/>, cuts it again after another, and so on until the returned handle is
    /// disposed (which heals it) or the test bed is.
    /// </summary>
    public NetnsFlap Flap(NetnsHost a, NetnsHost b, TimeSpan period)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var flap = new NetnsFlap(() => Partition(a, b), () => Heal(a, b), period);
        lock (_flaps) _flaps.Add(flap);
        flap.Begin();
        return flap;
    }

    /// <summary>
    /// Limits what <paramref name="host"/> sends to <paramref name="kilobitsPerSecond"/> (a token bucket,
    /// <c>tbf</c>, on its interface; packets that would wait longer than 100 ms are dropped). Replaces any earlier limit.
    /// </summary>
    public void LimitBandwidth(NetnsHost host, int kilobitsPerSecond)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(kilobitsPerSecond, 8);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var burstBytes = Math.Max(3000, kilobitsPerSecond * 1000 / 8 / 20); // at least two full frames, else 50 ms of rate
        NetnsCommand.Run(_tools.Ip, "netns", "exec", host.Namespace, _tools.Tc, "qdisc", "replace", "dev", NetnsHost.Interface, "root", "tbf",
            "rate", string.Create(CultureInfo.InvariantCulture, $"{kilobitsPerSecond}kbit"),
            "burst", burstBytes.ToString(CultureInfo.InvariantCulture), "latency", "100ms");
    }

    /// <summary>Removes <paramref name="host"/>'s bandwidth limit (nothing when it has none).</summary>
    public void RemoveBandwidthLimit(NetnsHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (code, _, stderr) = NetnsCommand.TryRun(_tools.Ip, "netns", "exec", host.Namespace, _tools.Tc, "qdisc", "del", "dev", NetnsHost.Interface, "root");
        // Deleting the default qdisc (no limit set) is refused with "Cannot delete qdisc with handle of zero".
        if (code != 0 && !stderr.Contains("handle of zero", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"removing the bandwidth limit of {host} failed: {stderr.Trim()}");
        }
    }

    /// <summary>The fault table now in <paramref name="host"/>'s namespace, as <c>nft list</c> prints it; empty when there is none.</summary>
    public string FaultRules(NetnsHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (code, stdout, _) = NetnsCommand.TryRun(_tools.Ip, "netns", "exec", host.Namespace, _tools.Nft, "list", "table", "inet", Names.FaultTable);
        return code == 0 ? stdout : "";
    }

    private void Change(NetnsHost host, Action<HostFaults> change)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_faults)
        {
            if (!_faults.TryGetValue(host.Index, out var faults)) _faults[host.Index] = faults = new HostFaults();
            change(faults);
            NetnsCommand.RunWithInput(_tools.Ip, Render(faults), "netns", "exec", host.Namespace, _tools.Nft, "-f", "-");
        }
    }

    /// <summary>One nft transaction replacing the host's fault table (deleting it when there is no fault).</summary>
    private string Render(HostFaults faults)
    {
        var table = "inet " + Names.FaultTable;
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"table {table}\ndelete table {table}\n"); // create-then-delete: no error when absent
        if (faults.LossPercent == 0 && faults.BlockedTo.Count == 0) return script.ToString();
        script.Append(CultureInfo.InvariantCulture, $"table {table} {{\n  chain out {{\n    type filter hook output priority 0; policy accept;\n");
        script.Append(CultureInfo.InvariantCulture, $"    ip daddr {ObserverAddress} accept\n");
        if (faults.BlockedTo.Count > 0)
        {
            var addresses = string.Join(", ", faults.BlockedTo.Order().Select(Subnet.Address));
            script.Append(CultureInfo.InvariantCulture, $"    ip daddr {{ {addresses} }} drop\n");
        }

        if (faults.LossPercent == 100)
        {
            script.Append(CultureInfo.InvariantCulture, $"    oifname \"{NetnsHost.Interface}\" drop\n"); // numgen's bound must be below its modulus
        }
        else if (faults.LossPercent > 0)
        {
            script.Append(CultureInfo.InvariantCulture, $"    oifname \"{NetnsHost.Interface}\" numgen random mod 100 < {faults.LossPercent} drop\n");
        }

        script.Append("  }\n}\n");
        return script.ToString();
    }

    private void StopFlapping(List<Exception> failures)
    {
        NetnsFlap[] flaps;
        lock (_flaps) flaps = [.. _flaps];
        foreach (var flap in flaps)
        {
            try { flap.Stop(); } catch (Exception e) { failures.Add(e); }
        }
    }

    /// <summary>What is wrong with one host's output.</summary>
    private sealed class HostFaults
    {
        public int LossPercent { get; set; }

        public HashSet<int> BlockedTo { get; } = [];
    }
}
