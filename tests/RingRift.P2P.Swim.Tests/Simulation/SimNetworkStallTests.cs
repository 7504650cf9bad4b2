using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Stalled hosts (a CPU-starved box): work that reaches them is queued in arrival order and
/// released when the stall ends; node timers are deferred with it.</summary>
public sealed class SimNetworkStallTests() : ThreeHostNetworkTests(seed: 11, B)
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void PacketsReachingAStalledHost_AreQueued_ThenHandedOverInArrivalOrderWhenItEnds()
    {
        _network.Stall(B, 100 * Ms);
        for (byte i = 0; i < 5; i++)
        {
            byte n = i;
            _clock.Schedule(n * 10 * Ms, () => _a.SendPacket(B, [n]));
        }

        _clock.RunFor(100 * Ms - OneTick);
        Assert.Empty(_recorder.Packets);
        Assert.True(_network.IsStalled(B));

        _clock.RunFor(OneTick);
        Assert.False(_network.IsStalled(B));
        Assert.Equal([0, 1, 2, 3, 4], _recorder.FirstBytesTo(B));
        Assert.All(_recorder.Packets, p => Assert.Equal(100 * Ms, p.At));
    }

    [Fact]
    public void PacketsArrivingAfterTheStall_AreDeliveredNormally()
    {
        _network.Stall(B, 10 * Ms);
        _clock.RunFor(20 * Ms);

        _a.SendPacket(B, [7]);
        _clock.RunFor(Ms);

        Assert.Equal(21 * Ms, Assert.Single(_recorder.Packets).At);
    }

    [Fact]
    public void PacketArrivingAtTheStallsEndInstant_DoesNotOvertakeQueuedOnes()
    {
        // A's packet is scheduled before the stall (so its arrival event sorts before the release) and
        // lands exactly at the end; C's packet arrived earlier and was queued. Arrival order must win.
        _network.SetLink(A, B, new LinkProfile { Latency = 10 * Ms });
        _a.SendPacket(B, [1]);
        _network.Stall(B, 10 * Ms);
        _c.SendPacket(B, [2]);

        _clock.RunFor(10 * Ms);

        Assert.Equal([2, 1], _recorder.FirstBytesTo(B));
    }

    [Fact]
    public void OverlappingStalls_ExtendToTheLaterEnd()
    {
        _network.Stall(B, 10 * Ms);
        _clock.RunFor(5 * Ms);
        _network.Stall(B, 20 * Ms);
        _a.SendPacket(B, [1]);

        _clock.RunFor(20 * Ms - OneTick);
        Assert.Empty(_recorder.Packets);
        Assert.Equal(_clock.Start + 25 * Ms, _network.StalledUntil(B));
        _clock.RunFor(OneTick);
        Assert.Equal(25 * Ms, Assert.Single(_recorder.Packets).At);
        Assert.Null(_network.StalledUntil(B));
    }

    [Fact]
    public void NodeTimer_DueDuringAStall_FiresWhenItEnds_InArrivalOrderWithQueuedPackets()
    {
        var log = new List<string>();
        _b.Attach((_, packet) => log.Add($"packet{packet[0]}@{_clock.Elapsed.TotalMilliseconds}"), (_, _) => null);
        TimeProvider nodeTime = _network.TimeProviderFor(B);
        using ITimer timer = nodeTime.CreateTimer(_ => log.Add($"timer@{_clock.Elapsed.TotalMilliseconds}"), null, 5 * Ms, Timeout.InfiniteTimeSpan);
        _network.Stall(B, 50 * Ms);
        _a.SendPacket(B, [1]);                                  // reaches B at 1 ms
        _clock.Schedule(10 * Ms, () => _a.SendPacket(B, [2]));  // reaches B at 11 ms

        _clock.RunFor(50 * Ms - OneTick);
        Assert.Empty(log);
        _clock.RunFor(OneTick);

        Assert.Equal(["packet1@50", "timer@50", "packet2@50"], log);
    }

    [Fact]
    public void PeriodicNodeTimer_TickingSeveralTimesDuringAStall_FiresOnceWhenItEnds_ThenResumes()
    {
        TimeProvider nodeTime = _network.TimeProviderFor(B);
        var at = new List<double>();
        using ITimer timer = nodeTime.CreateTimer(_ => at.Add(_clock.Elapsed.TotalMilliseconds), null, 10 * Ms, 10 * Ms);
        _clock.RunFor(15 * Ms);
        _network.Stall(B, 40 * Ms); // 15..55 ms: ticks at 20, 30, 40, 50 are starved

        _clock.RunFor(50 * Ms);     // to 65 ms

        Assert.Equal([10, 55, 60], at);
    }

    [Fact]
    public void NodeTimeView_KeepsWallClockRunningDuringAStall()
    {
        TimeProvider nodeTime = _network.TimeProviderFor(B);
        long before = nodeTime.GetTimestamp();
        _network.Stall(B, TimeSpan.FromSeconds(2));

        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(1), nodeTime.GetElapsedTime(before));
        Assert.Equal(_clock.GetUtcNow(), nodeTime.GetUtcNow());
    }

    [Fact]
    public void CrashDuringAStall_DiscardsQueuedWork_AndBlamesTheSenders()
    {
        TimeProvider nodeTime = _network.TimeProviderFor(B);
        int fired = 0;
        using ITimer timer = nodeTime.CreateTimer(_ => fired++, null, 5 * Ms, Timeout.InfiniteTimeSpan);
        _network.Stall(B, 50 * Ms);
        _a.SendPacket(B, [1]);
        _c.SendPacket(B, [2]);
        _clock.RunFor(10 * Ms);

        _network.Crash(B);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Empty(_recorder.Packets);
        Assert.Equal(0, fired);
        Assert.Equal(1, _network.CountersFor(A).DroppedCrash);
        Assert.Equal(1, _network.CountersFor(C).DroppedCrash);
    }

    [Fact]
    public void NodeTimers_OfACrashedLife_NeverFireAgain_EvenAfterRestart()
    {
        TimeProvider oldLife = _network.TimeProviderFor(B);
        int oldFired = 0;
        using ITimer oldTimer = oldLife.CreateTimer(_ => oldFired++, null, 10 * Ms, 10 * Ms);
        _clock.RunFor(10 * Ms);
        Assert.Equal(1, oldFired);

        _network.Crash(B);
        _clock.RunFor(20 * Ms);
        _network.Restart(B);
        TimeProvider newLife = _network.TimeProviderFor(B);
        int newFired = 0;
        using ITimer newTimer = newLife.CreateTimer(_ => newFired++, null, 10 * Ms, 10 * Ms);
        _clock.RunFor(100 * Ms);

        Assert.Equal(1, oldFired);
        Assert.Equal(10, newFired);
    }

    [Fact]
    public void Stall_WithNonPositiveDuration_IsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _network.Stall(B, TimeSpan.Zero));
        Assert.Equal("duration", error.ParamName);
        Assert.Throws<ArgumentException>(() => _network.Stall(new SwimEndpoint("10.9.9.9", 7947), Ms));
    }
}
