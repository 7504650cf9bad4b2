using RingRift.P2P.Config;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Tests.Membership;

/// <summary>--swim-port / --swim-seeds against RINGRIFT_SWIM_BIND_PORT / RINGRIFT_SWIM_SEEDS and distributed_hosts.yaml.</summary>
public sealed class NodeOptionsSwimTests : IDisposable
{
    private readonly string _hosts = Path.Combine(Path.GetTempPath(), $"hosts-{Guid.NewGuid():N}.yaml");

    public NodeOptionsSwimTests() => File.WriteAllText(_hosts, """
        p2p_voters: [a, b]
        hosts:
          a: { tailscale_ip: 100.64.0.1, swim_port: 7001 }
          b: { tailscale_ip: 100.64.0.2 }
        """);

    public void Dispose() => File.Delete(_hosts);

    [Fact]
    public void Flag_beats_environment_beats_the_hosts_entry_beats_7947()
    {
        Assert.Equal(7947, Resolve(new RunFlags(NodeId: "x")).SwimPort);
        Assert.Equal(7001, Resolve(new RunFlags(NodeId: "a", HostsFile: _hosts)).SwimPort);
        Assert.Equal(7100, Resolve(new RunFlags(NodeId: "a", HostsFile: _hosts), ("RINGRIFT_SWIM_BIND_PORT", "7100")).SwimPort);
        Assert.Equal(7200, Resolve(new RunFlags(NodeId: "a", HostsFile: _hosts, SwimPort: 7200), ("RINGRIFT_SWIM_BIND_PORT", "7100")).SwimPort);
    }

    [Fact]
    public void Seeds_come_from_the_flag_or_the_environment_plus_the_hosts_files_voters()
    {
        var fromFlag = Resolve(new RunFlags(NodeId: "b", HostsFile: _hosts, SwimSeeds: "10.0.0.9:7947, [::1]:7948"), ("RINGRIFT_SWIM_SEEDS", "10.9.9.9:1"));
        var fromEnv = Resolve(new RunFlags(NodeId: "x"), ("RINGRIFT_SWIM_SEEDS", "10.9.9.9:1"));

        Assert.Equal([new SwimEndpoint("10.0.0.9", 7947), new SwimEndpoint("::1", 7948), new SwimEndpoint("100.64.0.1", 7001)], fromFlag.SwimSeeds);
        Assert.Equal([new SwimEndpoint("10.9.9.9", 1)], fromEnv.SwimSeeds);
    }

    [Fact]
    public void A_bad_seed_or_port_names_its_source()
    {
        Assert.Equal("--swim-seeds", Assert.Throws<P2PConfigException>(() => Resolve(new RunFlags(NodeId: "x", SwimSeeds: "nohost"))).Variable);
        Assert.Equal("RINGRIFT_SWIM_SEEDS", Assert.Throws<P2PConfigException>(() => Resolve(new RunFlags(NodeId: "x"), ("RINGRIFT_SWIM_SEEDS", "h:0"))).Variable);
        Assert.Equal("--swim-port", Assert.Throws<P2PConfigException>(() => Resolve(new RunFlags(NodeId: "x", SwimPort: 0))).Variable);
    }

    private static NodeOptions Resolve(RunFlags flags, params (string Name, string Value)[] env) =>
        NodeOptionsResolver.Resolve(flags with { DataDir = Path.GetTempPath() }, env.ToDictionary(e => e.Name, e => (string?)e.Value));
}
