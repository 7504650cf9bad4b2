using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Tests.Sync;

/// <summary>The token bucket shared by pulls and served files: wait = debt / rate.</summary>
public sealed class BandwidthLimiterTests
{
    [Fact]
    public void WithinTheBurst_NoWait_ThenTheDebtIsRepaidAtTheRate()
    {
        var time = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(1000, time, burstBytes: 1000);

        Assert.True(limiter.WaitAsync(1000, CancellationToken.None).IsCompleted); // the full bucket
        var wait = limiter.WaitAsync(500, CancellationToken.None).AsTask(); // 500 bytes of debt at 1000 B/s = 0.5 s
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(wait.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(wait.IsCompleted);
    }

    [Fact]
    public void ConcurrentTakers_QueueBehindEachOthersDebt_SoTheTotalRateHolds()
    {
        var time = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(1000, time, burstBytes: 100);
        Assert.True(limiter.WaitAsync(100, CancellationToken.None).IsCompleted);

        var first = limiter.WaitAsync(1000, CancellationToken.None).AsTask(); // debt 1000 → 1 s
        var second = limiter.WaitAsync(1000, CancellationToken.None).AsTask(); // debt 2000 → 2 s
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(second.IsCompleted);
    }

    [Fact]
    public void TheBucketRefillsOnlyUpToTheBurst()
    {
        var time = new FakeTimeProvider();
        var limiter = new BandwidthLimiter(1000, time, burstBytes: 1000);
        time.Advance(TimeSpan.FromHours(1)); // idle for long: still only one burst banked
        Assert.True(limiter.WaitAsync(1000, CancellationToken.None).IsCompleted);
        Assert.False(limiter.WaitAsync(1, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void ZeroMeansUnlimited()
    {
        var limiter = new BandwidthLimiter(0, new FakeTimeProvider());
        for (var i = 0; i < 100; i++) Assert.True(limiter.WaitAsync(int.MaxValue, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void ANegativeRateIsRefused_NamingIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BandwidthLimiter(-1, TimeProvider.System));
        Assert.Equal("bytesPerSecond", ex.ParamName);
    }
}
