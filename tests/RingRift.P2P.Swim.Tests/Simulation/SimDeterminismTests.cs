using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>A simulation replays exactly from its seed: the same seed gives the same delivery trace,
/// event for event, and a different seed gives a different one.</summary>
public sealed class SimDeterminismTests
{
    [Fact]
    public void SameSeed_ProducesTheIdenticalTrace()
    {
        List<string> first = RunGossipWorkload(seed: 42);
        List<string> second = RunGossipWorkload(seed: 42);

        Assert.True(first.Count > 2_000, $"workload too small to prove anything: {first.Count} trace lines");
        Assert.Contains(first, line => line.Contains(nameof(SimTraceKind.PacketLost)));
        Assert.Contains(first, line => line.Contains(nameof(SimTraceKind.Held)));
        Assert.Contains(first, line => line.Contains(nameof(SimTraceKind.PacketPartitioned)));
        Assert.Contains(first, line => line.Contains(nameof(SimTraceKind.PacketCrashed)));
        Assert.Contains(first, line => line.StartsWith("reply", StringComparison.Ordinal));
        Assert.Equal(first, second);
    }

    [Fact]
    public void DifferentSeed_ProducesADifferentTrace()
    {
        List<string> first = RunGossipWorkload(seed: 42);
        List<string> other = RunGossipWorkload(seed: 43);

        Assert.NotEqual(first, other);
    }

    /// <summary>
    /// 16 nodes on a lossy, jittery, duplicating network. Each node gossips every 200 ms through its own
    /// (stall-aware) timer, forwards packets with a hop budget to random peers, and every second sends a
    /// request whose async continuation is logged. Node 2 stalls 300 ms every second, node 5 crashes and
    /// restarts, the cluster splits in two for a second, and one link is blocked one way.
    /// </summary>
    private static List<string> RunGossipWorkload(int seed)
    {
        var scenario = new SimScenario(seed, 16, new LinkProfile
        {
            Loss = 0.1,
            Latency = TimeSpan.FromMilliseconds(2),
            Jitter = TimeSpan.FromMilliseconds(3),
            Duplicate = 0.05,
        });
        var trace = new List<string>();
        scenario.Network.Traced += e => trace.Add(e.ToString());
        var timers = new List<ITimer>();

        void StartNode(int i, int life)
        {
            Random random = scenario.RandomFor(i, life);
            ISwimTransport transport = scenario.Transports[i];
            SwimEndpoint RandomPeer() => scenario.Endpoints[random.Next(scenario.NodeCount)];

            async Task Probe()
            {
                byte[]? reply = await transport.SendRequestAsync(RandomPeer(), [(byte)i], TimeSpan.FromMilliseconds(100), CancellationToken.None);
                trace.Add($"reply {scenario.Elapsed.Ticks} {i} {(reply is null ? "null" : reply.Length.ToString())}");
            }

            transport.Attach(
                (_, packet) =>
                {
                    if (packet[0] > 0)
                    {
                        transport.SendPacket(RandomPeer(), [(byte)(packet[0] - 1), (byte)i]);
                    }
                },
                (_, request) => random.Next(4) == 0 ? null : [.. request, (byte)i]);
            TimeProvider time = scenario.TimeFor(i);
            timers.Add(time.CreateTimer(_ => transport.SendPacket(RandomPeer(), [3, (byte)i]), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200)));
            timers.Add(time.CreateTimer(_ => _ = Probe(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        }

        scenario.Network.Restarted += endpoint => StartNode(scenario.Endpoints.ToList().IndexOf(endpoint), life: 1);
        for (int i = 0; i < scenario.NodeCount; i++)
        {
            StartNode(i, life: 0);
        }

        scenario.Faults
            .StallEvery(2, every: TimeSpan.FromSeconds(1), duration: TimeSpan.FromMilliseconds(300), firstAt: TimeSpan.FromMilliseconds(500))
            .Crash(5, TimeSpan.FromSeconds(3))
            .Restart(5, TimeSpan.FromSeconds(6))
            .Partition(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5), Enumerable.Range(0, 8), Enumerable.Range(8, 8))
            .Block(1, 3, TimeSpan.FromSeconds(2), unblockAt: TimeSpan.FromSeconds(8));

        scenario.RunFor(TimeSpan.FromSeconds(10));
        timers.ForEach(t => t.Dispose());
        trace.AddRange(scenario.Faults.Applied);
        return trace;
    }
}
