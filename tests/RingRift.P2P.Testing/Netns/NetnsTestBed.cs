using System.Globalization;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// A real multi-host network on one machine: N network namespaces (hosts), each with one veth interface
/// (<c>eth0</c>, an address of <see cref="Subnet"/>) on one Linux bridge, plus a link from the root
/// namespace to the same bridge so the test process (the observer) reaches every host directly. Programs
/// run inside a host with <see cref="Start"/>; faults between hosts (loss, one-way and two-way cuts,
/// flapping links, bandwidth limits) are applied while they run (<c>NetnsTestBed.Faults.cs</c>).
/// </summary>
/// <remarks>
/// <para><b>The bridge has a namespace of its own</b> rather than living in the root namespace: host-to-host
/// traffic then never passes the root namespace's netfilter hooks (a host firewall, or br_netfilter
/// handing bridged frames to iptables) or its sysctls, and deleting that one namespace removes the bridge
/// and every veth pair at once. The root namespace gets only one link, named with the test bed's prefix,
/// with the subnet's .254; nothing routes beyond the subnet (hosts have no default route).</para>
/// <para><b>Names</b> (<see cref="NetnsNames"/>) carry the owning pid; <see cref="Create"/> first sweeps
/// what dead owners left (<see cref="NetnsSweep"/>). Dispose kills every process in the namespaces (those
/// started here and any they started), deletes the namespaces and the root link, and releases the
/// subnet, also when the test failed. Needs root, <c>ip</c> and <c>tc</c> (iproute2) and <c>nft</c>
/// (nftables); otherwise <see cref="Create"/> throws <see cref="NetnsUnavailableException"/> with one
/// line naming what is missing.</para>
/// </remarks>
public sealed partial class NetnsTestBed : IDisposable
{
    /// <summary>
    /// The xunit trait value of tests that use a test bed (<c>[Trait("Category", NetnsTestBed.Category)]</c>):
    /// ./test.sh leaves them out, saying so, where root, ip or nft is missing, unless
    /// <c>RINGRIFT_NETNS_TESTS=required</c> (CI).
    /// </summary>
    public const string Category = "Netns";

    private const string Bridge = "br0";
    private const string BridgeSideOfObserver = "obs";
    private static int LastSequence;

    private readonly NetnsDependencies _tools;
    private readonly List<string> _namespaces = [];
    private readonly List<NetnsProcess> _processes = [];
    private bool _rootLinkMade;
    private bool _disposed;

    private NetnsTestBed(NetnsDependencies tools, NetnsNames names, NetnsSubnet subnet)
    {
        _tools = tools;
        Names = names;
        Subnet = subnet;
    }

    /// <summary>The names of everything this test bed created.</summary>
    public NetnsNames Names { get; }

    /// <summary>The /24 the hosts and the observer have their addresses in.</summary>
    public NetnsSubnet Subnet { get; }

    /// <summary>The hosts, in order (<c>Hosts[0]</c> is host 1).</summary>
    public IReadOnlyList<NetnsHost> Hosts { get; private set; } = [];

    /// <summary>The test process's address on the bridge (root namespace); faults never touch traffic to it.</summary>
    public string ObserverAddress => Subnet.Observer;

    /// <summary>
    /// Sweeps leftovers of dead test processes, then creates <paramref name="hosts"/> namespaces on a bridge.
    /// </summary>
    /// <exception cref="NetnsUnavailableException">Not root, or ip / tc / nft missing (one line says which).</exception>
    public static NetnsTestBed Create(int hosts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hosts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hosts, NetnsSubnet.ObserverHost - 1);
        var tools = NetnsDependencies.Find();
        NetnsSweep.Run(tools.Ip);
        var names = new NetnsNames(Environment.ProcessId, Interlocked.Increment(ref LastSequence));
        var subnet = NetnsSubnet.Claim(NetnsCommand.Run(tools.Ip, "-o", "-4", "addr", "show"));
        var bed = new NetnsTestBed(tools, names, subnet);
        try
        {
            bed.Build(hosts);
            return bed;
        }
        catch
        {
            bed.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="program"/> inside <paramref name="host"/>'s namespace; its output goes to
    /// <paramref name="logPath"/>. Dispose of the test bed kills it if it still runs.
    /// </summary>
    public NetnsProcess Start(NetnsHost host, string program, IEnumerable<string> args, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var process = NetnsProcess.Start(_tools.Ip, host, program, args, environment, logPath);
        lock (_processes) _processes.Add(process);
        return process;
    }

    /// <summary>Runs <paramref name="program"/> inside <paramref name="host"/>'s namespace to its end (bounded); returns its exit code and output.</summary>
    public (int Code, string Out, string Err) Run(NetnsHost host, string program, params string[] args)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return NetnsCommand.TryRun(_tools.Ip, ["netns", "exec", host.Namespace, program, .. args]);
    }

    /// <summary>Kills every process, deletes every namespace and the root link, releases the subnet.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        var failures = new List<Exception>();
        void Try(Action step)
        {
            try { step(); } catch (Exception e) { failures.Add(e); } // the other steps run all the same
        }

        StopFlapping(failures); // before _disposed: stopping heals the link
        _disposed = true;
        NetnsProcess[] started;
        lock (_processes) started = [.. _processes];
        foreach (var process in started) Try(process.Dispose);

        // The root link first, and explicitly: deleting a veth end deletes its peer at once, whereas a deleted
        // namespace is torn down by the kernel in the background, with the root link's peer inside it.
        if (_rootLinkMade)
        {
            Try(() =>
            {
                if (NetnsSweep.RootLinks(_tools.Ip).Contains(Names.RootLink)) NetnsCommand.Run(_tools.Ip, "link", "delete", Names.RootLink);
            });
        }

        foreach (var ns in _namespaces)
        {
            Try(() => NetnsSweep.KillEverythingIn(_tools.Ip, ns));
            Try(() => NetnsCommand.Run(_tools.Ip, "netns", "delete", ns));
        }

        Subnet.Dispose();
        if (failures.Count > 0) throw new AggregateException($"cleaning up the test bed {Names.Prefix} failed", failures);
    }

    private void Build(int hosts)
    {
        var bridgeNs = Names.BridgeNamespace;
        AddNamespace(bridgeNs);
        Ip("-n", bridgeNs, "link", "add", Bridge, "type", "bridge");
        Ip("-n", bridgeNs, "link", "set", Bridge, "up");

        var made = new List<NetnsHost>();
        for (var index = 1; index <= hosts; index++)
        {
            var host = new NetnsHost(index, Names.HostNamespace(index), Subnet.Address(index));
            var bridgeSide = string.Create(CultureInfo.InvariantCulture, $"h{index}");
            AddNamespace(host.Namespace);
            Ip("-n", bridgeNs, "link", "add", bridgeSide, "type", "veth", "peer", "name", NetnsHost.Interface, "netns", host.Namespace);
            Ip("-n", bridgeNs, "link", "set", bridgeSide, "master", Bridge, "up");
            Ip("-n", host.Namespace, "link", "set", "lo", "up");
            Ip("-n", host.Namespace, "addr", "add", host.Address + "/24", "dev", NetnsHost.Interface);
            Ip("-n", host.Namespace, "link", "set", NetnsHost.Interface, "up");
            made.Add(host);
        }

        _rootLinkMade = true;
        Ip("link", "add", Names.RootLink, "type", "veth", "peer", "name", BridgeSideOfObserver, "netns", bridgeNs);
        Ip("-n", bridgeNs, "link", "set", BridgeSideOfObserver, "master", Bridge, "up");
        Ip("addr", "add", Subnet.Observer + "/24", "dev", Names.RootLink);
        Ip("link", "set", Names.RootLink, "up");
        Hosts = made;
    }

    private void AddNamespace(string ns)
    {
        var (code, _, stderr) = NetnsCommand.TryRun(_tools.Ip, "netns", "add", ns);
        if (code != 0) throw new NetnsUnavailableException(NetnsDependencies.CannotAdd(stderr));
        _namespaces.Add(ns);
    }

    private void Ip(params string[] args) => NetnsCommand.Run(_tools.Ip, args);
}
