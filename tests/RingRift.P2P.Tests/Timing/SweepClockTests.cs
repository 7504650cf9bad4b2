using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Testing.Election;
using RingRift.P2P.Timing;
using Xunit;

namespace RingRift.P2P.Tests.Timing;

public sealed class SweepClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _real = new(Start);
    private readonly DriftingTimeProvider _node;
    private readonly SweepClock _clock;

    public SweepClockTests()
    {
        _node = new DriftingTimeProvider(_real);
        _clock = new SweepClock(_node);
    }

    private static double Unix(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    [Fact]
    public void Steady_ReadsTheWallClock()
    {
        Assert.Equal(Unix(Start), _clock.UnixNow());
        _real.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(Unix(Start) + 90, _clock.UnixNow());
    }

    [Fact]
    public void WallClockSteppedForward_IsIgnored_TimeGoesOnAtTheMonotonicRate()
    {
        _clock.UnixNow(); // anchors
        _node.StepWallClock(TimeSpan.FromHours(1));
        Assert.Equal(Unix(Start), _clock.UnixNow());
        _real.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Unix(Start) + 30, _clock.UnixNow());
    }

    [Fact]
    public void WallClockSteppedBack_IsFollowed_SoNothingIsReleasedEarly()
    {
        _clock.UnixNow();
        _node.StepWallClock(TimeSpan.FromHours(-1));
        Assert.Equal(Unix(Start) - 3600, _clock.UnixNow());
        _real.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(Unix(Start) - 3600 + 30, _clock.UnixNow());
    }

    [Fact]
    public void SmallForwardCorrections_AreFollowed_AndDoNotAddUp()
    {
        _clock.UnixNow();
        for (var i = 1; i <= 10; i++)
        {
            _real.Advance(TimeSpan.FromSeconds(5));
            _node.StepWallClock(TimeSpan.FromMilliseconds(900)); // each within FollowAhead of the carried time
            Assert.Equal(Unix(Start) + i * 5.9, _clock.UnixNow(), precision: 3);
        }
        _node.StepWallClock(SweepClock.FollowAhead + TimeSpan.FromMilliseconds(1));
        Assert.Equal(Unix(Start) + 59, _clock.UnixNow(), precision: 3); // a larger step is not
    }

    [Fact]
    public void AfterAReset_TheNextReadAnchorsOnTheWallClockAsItIsThen()
    {
        _clock.UnixNow();
        _node.StepWallClock(TimeSpan.FromHours(1));
        Assert.Equal(Unix(Start), _clock.UnixNow());
        _clock.Reset(); // leadership lost; the next leadership starts from the wall clock as it reads then
        Assert.Equal(Unix(Start) + 3600, _clock.UnixNow());
    }

    [Fact]
    public void TheFirstReadAnchors_AStepBeforeItCannotBeSeen()
    {
        _node.StepWallClock(TimeSpan.FromHours(1));
        Assert.Equal(Unix(Start) + 3600, _clock.UnixNow());
    }
}
