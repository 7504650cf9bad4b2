using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Datagram delivery in the in-memory network: delay, loss, duplication, partitions, blocks,
/// crashes and counters.</summary>
public sealed class SimNetworkTests() : ThreeHostNetworkTests(seed: 7, A, B, C)
{

    [Fact]
    public void Packet_ArrivesExactlyAfterTheLinkLatency_NeverSynchronously()
    {
        _network.DefaultLink = new LinkProfile { Latency = TimeSpan.FromMilliseconds(3) };

        _a.SendPacket(B, [1, 2, 3]);
        Assert.Empty(_recorder.Packets);

        _clock.RunFor(TimeSpan.FromMilliseconds(3) - OneTick);
        Assert.Empty(_recorder.Packets);
        _clock.RunFor(OneTick);

        var packet = Assert.Single(_recorder.Packets);
        Assert.Equal((TimeSpan.FromMilliseconds(3), A, B), (packet.At, packet.From, packet.To));
        Assert.Equal(new byte[] { 1, 2, 3 }, packet.Payload);
    }

    [Fact]
    public void Packet_IsCopiedAtSend_SoTheSenderMayReuseItsBuffer()
    {
        byte[] buffer = [1, 2, 3];
        _a.SendPacket(B, buffer);
        buffer[0] = 99;

        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(_recorder.Packets).Payload);
    }

    [Fact]
    public void Delay_StaysWithinLatencyPlusJitter_AndCoversTheRange()
    {
        _network.DefaultLink = new LinkProfile { Latency = TimeSpan.FromMilliseconds(10), Jitter = TimeSpan.FromMilliseconds(5) };
        const int Count = 10_000;
        for (int i = 0; i < Count; i++)
        {
            _a.SendPacket(B, [0]);
        }

        _clock.RunFor(TimeSpan.FromSeconds(1));

        var delays = _recorder.Packets.Select(p => p.At.TotalMilliseconds).ToList();
        Assert.Equal(Count, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, 10.0, 15.0));
        Assert.True(delays.Min() < 10.05, $"min delay {delays.Min()} ms: jitter should reach near 0");
        Assert.True(delays.Max() > 14.95, $"max delay {delays.Max()} ms: jitter should reach near 5 ms");
        Assert.InRange(delays.Average(), 12.4, 12.6); // uniform: mean 12.5 ms, σ/√n ≈ 0.014 ms
    }

    [Fact]
    public void Loss_DropsTheConfiguredFraction_WithinFiveSigma()
    {
        _network.DefaultLink = new LinkProfile { Loss = 0.05 };
        const int Count = 100_000;
        for (int i = 0; i < Count; i++)
        {
            _a.SendPacket(B, [0]);
        }

        _clock.RunFor(TimeSpan.FromSeconds(1));

        SimCounters sender = _network.CountersFor(A);
        double sigma = Math.Sqrt(Count * 0.05 * 0.95); // ≈ 69 packets
        Assert.InRange(sender.DroppedLoss, (long)(5_000 - 5 * sigma), (long)(5_000 + 5 * sigma));
        Assert.Equal(Count - sender.DroppedLoss, _recorder.Packets.Count);
        Assert.Equal(_recorder.Packets.Count, _network.CountersFor(B).PacketsReceived);
    }

    [Fact]
    public void Duplicate_DeliversASecondCopy_AtTheConfiguredRate()
    {
        _network.DefaultLink = new LinkProfile { Duplicate = 0.1 };
        const int Count = 20_000;
        for (int i = 0; i < Count; i++)
        {
            _a.SendPacket(B, [0]);
        }

        _clock.RunFor(TimeSpan.FromSeconds(1));

        long duplicated = _network.CountersFor(A).Duplicated;
        double sigma = Math.Sqrt(Count * 0.1 * 0.9);
        Assert.InRange(duplicated, (long)(2_000 - 5 * sigma), (long)(2_000 + 5 * sigma));
        Assert.Equal(Count + duplicated, _recorder.Packets.Count);
    }

    [Fact]
    public void LinkProfile_AppliesToOneDirectionOnly()
    {
        _network.SetLink(A, B, new LinkProfile { Loss = 1.0 });

        _a.SendPacket(B, [1]);
        _b.SendPacket(A, [2]);
        _a.SendPacket(C, [3]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([2, 3], _recorder.Packets.Select(p => p.Payload[0]));
        Assert.Equal(1, _network.CountersFor(A).DroppedLoss);

        _network.ClearLink(A, B);
        _a.SendPacket(B, [4]);
        _clock.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal([4], _recorder.FirstBytesTo(B));
    }

    [Fact]
    public void Partition_CutsTrafficBetweenGroups_BothWays_UntilHealed()
    {
        _network.Partition([A, B], [C]);

        _a.SendPacket(B, [1]);
        _a.SendPacket(C, [2]);
        _c.SendPacket(A, [3]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([1], _recorder.Packets.Select(p => p.Payload[0]));
        Assert.Equal(1, _network.CountersFor(A).DroppedPartition);
        Assert.Equal(1, _network.CountersFor(C).DroppedPartition);
        Assert.False(_network.CanReach(C, A));

        _network.Heal();
        _c.SendPacket(A, [4]);
        _clock.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal([4], _recorder.FirstBytesTo(A));
    }

    [Fact]
    public void Partition_PutsUnlistedEndpointsTogetherInOneMoreGroup()
    {
        _network.Partition([A]);

        Assert.True(_network.CanReach(B, C));
        Assert.False(_network.CanReach(A, B));
        Assert.False(_network.CanReach(C, A));
    }

    [Fact]
    public void Partition_ListingAnEndpointTwice_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _network.Partition([A, B], [B]));
        Assert.Contains("10.0.0.2:7947", error.Message);
    }

    [Fact]
    public void Partition_DropsPacketsAlreadyInFlight()
    {
        _network.DefaultLink = new LinkProfile { Latency = TimeSpan.FromMilliseconds(10) };
        _a.SendPacket(B, [1]);
        _clock.RunFor(TimeSpan.FromMilliseconds(5));

        _network.Partition([A], [B]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Empty(_recorder.Packets);
        Assert.Equal(1, _network.CountersFor(A).DroppedPartition);
    }

    [Fact]
    public void Block_IsOneWay_UntilUnblocked()
    {
        _network.Block(A, B);

        _a.SendPacket(B, [1]);
        _b.SendPacket(A, [2]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([2], _recorder.Packets.Select(p => p.Payload[0]));
        Assert.Equal(1, _network.CountersFor(A).DroppedPartition);

        _network.Unblock(A, B);
        _a.SendPacket(B, [3]);
        _clock.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal([3], _recorder.FirstBytesTo(B));
    }

    [Fact]
    public void Crash_DropsTrafficToAndFromTheHost_IncludingPacketsInFlight()
    {
        _network.DefaultLink = new LinkProfile { Latency = TimeSpan.FromMilliseconds(10) };
        _a.SendPacket(B, [1]);
        _clock.RunFor(TimeSpan.FromMilliseconds(5));

        _network.Crash(B);
        _a.SendPacket(B, [2]);
        _b.SendPacket(A, [3]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Empty(_recorder.Packets);
        Assert.Equal(2, _network.CountersFor(A).DroppedCrash);
        Assert.Equal(1, _network.CountersFor(B).DroppedCrash);
        Assert.True(_network.IsCrashed(B));
    }

    [Fact]
    public void Restart_DeliversAgain_OnlyToTheNewlyAttachedHandlers()
    {
        _network.Crash(B);
        _network.Restart(B);
        _a.SendPacket(B, [1]);
        _clock.RunFor(TimeSpan.FromSeconds(1));
        Assert.Empty(_recorder.Packets); // the dead process's handlers are gone

        var fresh = new SimRecorder(_clock);
        fresh.Attach(_b);
        _a.SendPacket(B, [2]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([2], fresh.FirstBytesTo(B));
        Assert.False(_network.IsCrashed(B));
    }

    [Fact]
    public void PacketToAnUnknownEndpoint_CountsAsDroppedCrash()
    {
        _a.SendPacket(new SwimEndpoint("10.9.9.9", 7947), [1]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(1, _network.CountersFor(A).DroppedCrash);
        Assert.Empty(_recorder.Packets);
    }

    [Fact]
    public void CreateTransport_TwiceForOneEndpoint_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => _network.CreateTransport(A));
        Assert.Contains("10.0.0.1:7947", error.Message);
    }

    [Fact]
    public void Counters_TallyPacketsAndBytesPerEndpoint_AndInTotal()
    {
        _a.SendPacket(B, new byte[100]);
        _a.SendPacket(C, new byte[50]);
        _b.SendPacket(A, new byte[7]);
        _clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(new SimCounters(2, 150, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0), _network.CountersFor(A));
        Assert.Equal(new SimCounters(1, 7, 1, 100, 0, 0, 0, 0, 0, 0, 0, 0), _network.CountersFor(B));
        SimCounters total = _network.TotalCounters();
        Assert.Equal((3, 157L, 3, 157L), (total.PacketsSent, total.BytesSent, total.PacketsReceived, total.BytesReceived));

        _network.ResetCounters();
        Assert.Equal(default, _network.TotalCounters());
    }

    [Fact]
    public void LinkProfile_RejectsOutOfRangeValues_NamingTheField()
    {
        var loss = Assert.Throws<ArgumentOutOfRangeException>(() => new LinkProfile { Loss = 1.5 });
        Assert.Equal("Loss", loss.ParamName);
        var latency = Assert.Throws<ArgumentOutOfRangeException>(() => new LinkProfile { Latency = TimeSpan.FromTicks(-1) });
        Assert.Equal("Latency", latency.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinkProfile { Duplicate = double.NaN });
    }
}
