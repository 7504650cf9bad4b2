using System.Diagnostics;
using RingRift.P2P.Swim.Net;
using RingRift.P2P.Swim.Wire;
using Xunit.Abstractions;

namespace RingRift.P2P.Swim.Tests.Net;

/// <summary>
/// SWIM on real sockets: 16 <see cref="SwimNode"/>s in this process, each on its own
/// <see cref="UdpSwimTransport"/> at 127.0.0.1 with <see cref="TimeProvider.System"/> and
/// <see cref="SwimConfig.Default"/>. A functional check that the core and the transport work together,
/// not a measurement of the detection goal (that is the simulator's job).
/// </summary>
public sealed class UdpSwimClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Count = 16;
    private static readonly TimeSpan ConvergeBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DetectBound = TimeSpan.FromSeconds(15);
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
        PacketAuthenticator auth = PacketAuthenticator.FromClusterToken("udp-cluster-test");
        for (int i = 0; i < Count; i++)
        {
            UdpSwimTransport transport = UdpSwimTransport.Bind("127.0.0.1", 0, maxPacketBytes: SwimConfig.Default.MaxPacketBytes);
            _transports.Add(transport);
            _nodes.Add(new SwimNode($"u{i}", SwimConfig.Default, transport, TimeProvider.System, new Random(1000 + i), auth));
        }

        var clock = Stopwatch.StartNew();
        _nodes[0].Start([]);
        foreach (SwimNode node in _nodes.Skip(1))
        {
            node.Start([_nodes[0].Endpoint]);
        }

        bool converged = await WaitUntil(() => _nodes.All(n => n.GetMembershipSummary().Alive == Count - 1), ConvergeBound);
        TimeSpan convergeTime = clock.Elapsed;
        output.WriteLine($"{Count} nodes converged in {convergeTime.TotalMilliseconds:F0} ms");
        Assert.True(converged, $"not converged within {ConvergeBound}: alive counts {Summaries()}");

        SwimNode victim = _nodes[5];
        List<SwimNode> survivors = _nodes.Where(n => n != victim).ToList();
        Assert.All(survivors, n => Assert.True(n.IsPeerAlive(victim.SelfId))); // control: alive before the crash
        clock.Restart();
        victim.Stop();
        await _transports[5].DisposeAsync();

        bool detected = await WaitUntil(() => survivors.All(n => n.GetMember(victim.SelfId)?.State == SwimMemberState.Dead), DetectBound);
        TimeSpan detectTime = clock.Elapsed;
        output.WriteLine($"all {survivors.Count} survivors marked {victim.SelfId} dead in {detectTime.TotalMilliseconds:F0} ms");
        Assert.True(detected, $"not all survivors saw {victim.SelfId} dead within {DetectBound}: " +
            string.Join(", ", survivors.Select(n => $"{n.SelfId}={n.GetMember(victim.SelfId)?.State}")));
        Assert.All(survivors, n => Assert.False(n.IsPeerAlive(victim.SelfId)));
        Assert.All(survivors, n => Assert.Equal(Count - 2, n.GetMembershipSummary().Alive)); // no one else falsely dead
    }

    private string Summaries() => string.Join(", ", _nodes.Select(n => $"{n.SelfId}={n.GetMembershipSummary().Alive}"));

    private static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan bound)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }
}
