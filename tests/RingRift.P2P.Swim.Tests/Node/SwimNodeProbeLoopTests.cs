using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Loops;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>A node reports each protocol period to its probe loop tracker, so a node whose timers stop shows as stalled.</summary>
public sealed class SwimNodeProbeLoopTests
{
    [Fact]
    public void Each_protocol_period_is_one_run_at_the_probe_interval_and_a_stopped_node_stalls()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var net = new LoopbackNet(time);
        var loops = new LoopRegistry(time);
        var config = SwimConfig.Default;
        var a = new SwimNode("a", config, net.Add(new SwimEndpoint("10.0.0.1", 7947)), time, new Random(1), PacketAuthenticator.None)
        {
            ProbeLoop = loops.Register("swim", config.ProbeInterval),
        };
        var b = new SwimNode("b", config, net.Add(new SwimEndpoint("10.0.0.2", 7947)), time, new Random(2), PacketAuthenticator.None);
        a.Start([]);
        b.Start([a.Endpoint]);

        net.Run(config.ProbeInterval * 10 + TimeSpan.FromMilliseconds(1));

        var running = loops.Snapshot()["swim"];
        Assert.Equal(10, running.Runs);
        Assert.Equal(0, running.Failures);
        Assert.Equal(LoopState.Ok, running.Status);
        Assert.Equal(config.ProbeInterval.TotalSeconds, running.IntervalSeconds);
        Assert.True(a.Stats.Probes >= 8, $"{a.Stats.Probes} probes in 10 periods"); // the first period(s) before b joined probe nobody

        a.Stop();
        net.Run(config.ProbeInterval * (LoopTracker.StallIntervals + 1));

        var stopped = loops.Snapshot()["swim"];
        Assert.Equal(10, stopped.Runs);
        Assert.Equal(LoopState.Stalled, stopped.Status);
        Assert.False(stopped.Healthy);
        b.Stop();
    }
}
