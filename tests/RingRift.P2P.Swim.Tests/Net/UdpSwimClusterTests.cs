using System.Diagnostics;
using RingRift.P2P.Swim.Net;
using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Swim.Tests.Net;

/// <summary>
/// SWIM on real sockets: 16 <see cref="SwimNode"/>s in this process, each on its own
/// <see cref="UdpSwimTransport"/> at 127.0.0.1 with <see cref="TimeProvider.System"/> and
/// <see cref="SwimConfig.Default"/>. A functional check that the core and the transport work together,
/// not a measurement of the detection goal (that is the simulator's job, and the swim-kill bench's on
/// real sockets): the waits are bounds for a loaded 2-core host, and the times are only printed.
/// </summary>
public sealed class UdpSwimClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Count = 16;
    private static readonly TimeSpan ConvergeBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DetectBound = TimeSpan.FromSeconds(60);
    private readonly List<SwimNode> _nodes = [];
    private readonly List<UdpSwimTransport> _transports = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (SwimNode node in _nodes)
        {
            node.Stop();
        }

        foreach (UdpSwimTransport t in _transports)
        {
            await t.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sixteen_nodes_join_via_one_seed_converge_and_all_declare_a_stopped_node_dead()
    {
        // SWIM §4.1 (join via a known member) and §4.2 (suspicion → failed), Lifeguard timeouts, on UDP/TCP.
        var auth = PacketAuthenticator.FromClusterToken("udp-cluster-test");
        for (int i = 0; i < Count; i++)
        {
            var transport = UdpSwimTransport.Bind("127.0.0.1", 0, maxPacketBytes: SwimConfig.Default.MaxPacketBytes);
            _transports.Add(transport);
            _nodes.Add(new SwimNode($"u{i}", SwimConfig.Default, transport, TimeProvider.System, new Random(1000 + i), auth));
        }

        var clock = Stopwatch.StartNew();
        _nodes[0].Start([]);
        foreach (SwimNode node in _nodes.Skip(1))
        {
            node.Start([_nodes[0].Endpoint]);
        }

        await Eventually.Until(() => AliveCounts(_nodes), counts => counts.Values.All(c => c == Count - 1),
            $"all {Count} nodes to see the other {Count - 1} alive (alive count per node)", ConvergeBound);
        output.WriteLine($"{Count} nodes converged in {clock.Elapsed.TotalMilliseconds:F0} ms");

        SwimNode victim = _nodes[5];
        var survivors = _nodes.Where(n => n != victim).ToList();
        // Control, alive before the crash; a busy host may have it suspected for a moment, and a refuted suspicion is no fault.
        await Eventually.Until(() => StatesOf(victim, survivors), states => states.Values.All(s => s == SwimMemberState.Alive),
            $"every survivor to see {victim.SelfId} alive before the crash", ConvergeBound);
        clock.Restart();
        victim.Stop();
        await _transports[5].DisposeAsync();

        await Eventually.Until(() => StatesOf(victim, survivors), states => states.Values.All(s => s == SwimMemberState.Dead),
            $"every survivor to mark {victim.SelfId} dead (its state per survivor)", DetectBound);
        output.WriteLine($"all {survivors.Count} survivors marked {victim.SelfId} dead in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.All(survivors, n => Assert.False(n.IsPeerAlive(victim.SelfId)));
        // No one else falsely dead; a survivor suspected for a moment on a busy host is refuted and counts alive again.
        Assert.All(survivors, n => Assert.All(survivors.Where(o => o != n),
            o => Assert.NotEqual(SwimMemberState.Dead, n.GetMember(o.SelfId)?.State)));
        await Eventually.Until(() => AliveCounts(survivors), counts => counts.Values.All(c => c == Count - 2),
            $"every survivor to see the other {Count - 2} survivors alive (alive count per survivor)", ConvergeBound);
    }

    private static Dictionary<string, int> AliveCounts(IEnumerable<SwimNode> nodes) =>
        nodes.ToDictionary(n => n.SelfId, n => n.GetMembershipSummary().Alive);

    private static Dictionary<string, SwimMemberState?> StatesOf(SwimNode member, IEnumerable<SwimNode> observers) =>
        observers.ToDictionary(n => n.SelfId, n => n.GetMember(member.SelfId)?.State);
}
