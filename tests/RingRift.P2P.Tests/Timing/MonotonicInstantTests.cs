using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Testing.Election;
using RingRift.P2P.Timing;
using Xunit;

namespace RingRift.P2P.Tests.Timing;

public sealed class MonotonicInstantTests
{
    [Fact]
    public void Now_FollowsTheMonotonicClock_NotAStepOfTheWallClock()
    {
        var fake = new FakeTimeProvider();
        var clock = new DriftingTimeProvider(fake);
        var start = MonotonicInstant.Now(clock);

        clock.StepWallClock(TimeSpan.FromHours(-1));
        fake.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), MonotonicInstant.Now(clock) - start);
        Assert.True(MonotonicInstant.Now(clock) > start);
        Assert.Equal(start + TimeSpan.FromSeconds(3), MonotonicInstant.Now(clock));
    }

    [Fact]
    public void Now_ConvertsANanosecondTimestamp_ToTicks()
    {
        var clock = new NanosecondClock(1_500_000_000_123); // 1,500 s and 123 ns after boot

        Assert.Equal(TimeSpan.FromSeconds(1500) + TimeSpan.FromTicks(1), MonotonicInstant.Now(clock).SinceOrigin);
    }

    [Fact]
    public void ToWallClock_PlacesTheInstant_OnTheWallClockAsItReadsNow()
    {
        var fake = new FakeTimeProvider();
        var clock = new DriftingTimeProvider(fake);
        var deadline = MonotonicInstant.Now(clock) + TimeSpan.FromSeconds(30);

        clock.StepWallClock(TimeSpan.FromHours(1));

        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(30), deadline.ToWallClock(clock));
    }

    private sealed class NanosecondClock(long timestamp) : TimeProvider
    {
        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => timestamp;
    }
}
