using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>Stream requests over the simulated "TCP": no loss, same delays, partitions and crashes, and
/// null exactly at the timeout when nothing comes back.</summary>
public sealed class SimNetworkRequestTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Timeout500 = TimeSpan.FromMilliseconds(500);
    private static readonly SwimEndpoint A = new("10.0.0.1", 7947);
    private static readonly SwimEndpoint B = new("10.0.0.2", 7947);

    private readonly SimClock _clock = new();
    private readonly SimNetwork _network;
    private readonly SimRecorder _recorder;
    private readonly ISwimTransport _a;

    public SimNetworkRequestTests()
    {
        _network = new SimNetwork(_clock, seed: 5);
        _network.DefaultLink = new LinkProfile { Latency = 3 * Ms };
        _recorder = new SimRecorder(_clock);
        _a = _network.CreateTransport(A);
        _recorder.Attach(_a);
        _recorder.Attach(_network.CreateTransport(B));
    }

    [Fact]
    public async Task Request_GetsItsResponse_AfterOneRoundTrip()
    {
        Task<byte[]?> reply = _a.SendRequestAsync(B, [1, 2], Timeout500, CancellationToken.None);

        _clock.RunFor(6 * Ms - OneTick);
        Assert.False(reply.IsCompleted);
        _clock.RunFor(OneTick);

        Assert.True(reply.IsCompletedSuccessfully);
        Assert.Equal(new byte[] { 1, 2, 0xFF }, await reply);
        Assert.Equal(0, _clock.PendingEvents); // the timeout timer was disposed
    }

    [Fact]
    public async Task Request_ToACrashedHost_CompletesWithNullExactlyAtTheTimeout()
    {
        _network.Crash(B);
        Task<byte[]?> reply = _a.SendRequestAsync(B, [1], Timeout500, CancellationToken.None);

        _clock.RunFor(Timeout500 - OneTick);
        Assert.False(reply.IsCompleted);
        _clock.RunFor(OneTick);

        Assert.True(reply.IsCompletedSuccessfully);
        Assert.Null(await reply);
    }

    [Fact]
    public async Task Request_AcrossAPartition_CompletesWithNullAtTheTimeout()
    {
        _network.Partition([A], [B]);
        Task<byte[]?> reply = _a.SendRequestAsync(B, [1], Timeout500, CancellationToken.None);

        _clock.RunFor(Timeout500 - OneTick);
        Assert.False(reply.IsCompleted);
        _clock.RunFor(OneTick);

        Assert.Null(await reply);
        Assert.Equal(0, _network.CountersFor(B).RequestsReceived);
    }

    [Fact]
    public async Task Response_BlockedOnTheWayBack_LeavesTheRequesterToTimeOut()
    {
        _network.Block(B, A);
        Task<byte[]?> reply = _a.SendRequestAsync(B, [1], Timeout500, CancellationToken.None);

        _clock.RunFor(Timeout500);

        Assert.Null(await reply);
        Assert.Equal(1, _network.CountersFor(B).RequestsReceived);
    }

    [Fact]
    public async Task Request_IgnoresLinkLoss()
    {
        _network.DefaultLink = new LinkProfile { Latency = 3 * Ms, Loss = 1.0 };
        Task<byte[]?> reply = _a.SendRequestAsync(B, [9], Timeout500, CancellationToken.None);

        _clock.RunFor(6 * Ms);

        Assert.Equal(new byte[] { 9, 0xFF }, await reply);
    }

    [Fact]
    public async Task Handler_ReturningNull_ClosesWithoutAResponse_BeforeTheTimeout()
    {
        _recorder.Responder = (_, _) => null;
        Task<byte[]?> reply = _a.SendRequestAsync(B, [1], Timeout500, CancellationToken.None);

        _clock.RunFor(6 * Ms);

        Assert.True(reply.IsCompletedSuccessfully);
        Assert.Null(await reply);
    }

    [Fact]
    public async Task Request_ToAStalledHost_IsAnsweredWhenTheStallEnds()
    {
        _network.Stall(B, 100 * Ms);
        Task<byte[]?> reply = _a.SendRequestAsync(B, [4], Timeout500, CancellationToken.None);

        _clock.RunFor(103 * Ms - OneTick);
        Assert.False(reply.IsCompleted);
        _clock.RunFor(OneTick);

        Assert.Equal(new byte[] { 4, 0xFF }, await reply);
    }

    [Fact]
    public void Cancellation_CancelsTheTask()
    {
        using var cts = new CancellationTokenSource();
        _network.Crash(B);
        Task<byte[]?> reply = _a.SendRequestAsync(B, [1], Timeout500, cts.Token);

        _clock.RunFor(10 * Ms);
        cts.Cancel();

        Assert.True(reply.IsCanceled);
        _clock.RunFor(Timeout500);
        Assert.True(reply.IsCanceled);
    }

    [Fact]
    public async Task Counters_TallyRequestsAndStreamBytes_OnBothSides()
    {
        Task<byte[]?> reply = _a.SendRequestAsync(B, new byte[10], Timeout500, CancellationToken.None);
        _clock.RunFor(Timeout500);

        Assert.Equal(11, (await reply)!.Length);
        SimCounters a = _network.CountersFor(A);
        SimCounters b = _network.CountersFor(B);
        Assert.Equal((1L, 0L, 10L, 11L), (a.RequestsSent, a.RequestsReceived, a.StreamBytesSent, a.StreamBytesReceived));
        Assert.Equal((0L, 1L, 11L, 10L), (b.RequestsSent, b.RequestsReceived, b.StreamBytesSent, b.StreamBytesReceived));
        Assert.Equal(0, a.PacketsSent);
    }

    [Fact]
    public void Timeout_MustBePositive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = _a.SendRequestAsync(B, [1], TimeSpan.Zero, CancellationToken.None); });
        Assert.Equal("timeout", error.ParamName);
    }
}
