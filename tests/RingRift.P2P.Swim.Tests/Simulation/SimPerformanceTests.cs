using System.Diagnostics;
using RingRift.P2P.Testing.Simulation;
using Xunit.Abstractions;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Smoke tests that the kit is cheap enough for long runs. They assert only functional results
/// and print the wall time; no timing assertion (shared CI machines vary).</summary>
public sealed class SimPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void OneMillionScheduledEvents_RunInTimeOrder()
    {
        var clock = new SimClock();
        var random = new Random(3);
        const int Total = 1_000_000;
        int scheduled = 0;
        long ran = 0;
        long lastTicks = 0;
        bool ordered = true;

        void Tick()
        {
            ran++;
            ordered &= clock.Elapsed.Ticks >= lastTicks;
            lastTicks = clock.Elapsed.Ticks;
            if (scheduled < Total)
            {
                scheduled++;
                clock.Schedule(TimeSpan.FromTicks(random.Next(1, 10_000_000)), Tick);
            }
        }

        for (int i = 0; i < 1_000; i++)
        {
            scheduled++;
            clock.Schedule(TimeSpan.FromTicks(random.Next(1, 10_000_000)), Tick);
        }

        var watch = Stopwatch.StartNew();
        long executed = clock.RunFor(TimeSpan.FromDays(1));
        watch.Stop();

        output.WriteLine($"{executed:N0} events in {watch.Elapsed.TotalMilliseconds:N0} ms ({executed / watch.Elapsed.TotalSeconds:N0}/s)");
        Assert.Equal(Total, executed);
        Assert.Equal(Total, ran);
        Assert.True(ordered);
        Assert.Equal(0, clock.PendingEvents);
    }

    [Fact]
    public void AMillionPackets_Among512Nodes_AreAllAccountedFor()
    {
        var scenario = new SimScenario(seed: 4, nodeCount: 512, new LinkProfile
        {
            Loss = 0.05,
            Latency = TimeSpan.FromMilliseconds(1),
            Jitter = TimeSpan.FromMilliseconds(1),
        });
        var timers = new List<ITimer>();
        byte[] payload = new byte[100];
        for (int i = 0; i < scenario.NodeCount; i++)
        {
            ISwimTransport transport = scenario.Transports[i];
            Random random = scenario.RandomFor(i);
            transport.Attach((_, _) => { }, (_, _) => null);
            timers.Add(scenario.TimeFor(i).CreateTimer(
                _ => transport.SendPacket(scenario.Endpoints[random.Next(scenario.NodeCount)], payload),
                null,
                TimeSpan.FromMilliseconds(random.Next(1, 200)),
                TimeSpan.FromMilliseconds(200)));
        }

        scenario.Faults.StallEvery(7, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();
        long executed = scenario.RunFor(TimeSpan.FromSeconds(400));
        watch.Stop();
        timers.ForEach(t => t.Dispose());
        scenario.RunFor(TimeSpan.FromSeconds(1)); // drain packets in flight

        SimCounters total = scenario.Network.TotalCounters();
        output.WriteLine($"{total.PacketsSent:N0} packets, {executed:N0} events over 400 s virtual (~57 node-hours) in {watch.Elapsed.TotalMilliseconds:N0} ms");
        Assert.InRange(total.PacketsSent, 1_000_000, 1_030_000); // 512 nodes × 5/s × 400 s = 1,024,000
        Assert.Equal(total.PacketsSent, total.PacketsReceived + total.Dropped);
        Assert.Equal(total.PacketsSent * 100, total.BytesSent);
        Assert.InRange(total.DroppedLoss / (double)total.PacketsSent, 0.045, 0.055);
    }
}
