namespace RingRift.P2P.Node.Tests.Netns;

/// <summary><see cref="NodeClockReading"/>'s comparisons allow for each reading's round trip, and no more.</summary>
public sealed class NodeClockReadingTests
{
    private static NodeClockReading Reading(double sent, double answered, double uptime) => new("node-4", sent, answered, 0, 0, uptime);

    [Fact]
    public void SlowFirstAnswer_IsNotAJump()
    {
        // The CI failure (wall clock -3600.7 s off): the node read its clocks as the request came in, the answer
        // reached the observer 0.7 s later; read on the answer's time alone, the monotonic clock seemed 0.72 s back.
        var start = Reading(10.03, 10.054, 12.639);
        var stepped = Reading(10.06, 10.801, 12.663);
        Assert.Equal(0, stepped.MonotonicJumpSince(start));
    }

    [Theory]
    [InlineData(3600.0, 3600.0)]   // an hour forward: 3601 s on the node, at most 1 s on the observer's
    [InlineData(-3600.0, -3599.5)] // an hour back: -3599 s on the node, at least 0.5 s on the observer's
    public void MonotonicClockMovedWithTheWallClock_IsAJump(double step, double least)
    {
        var start = Reading(10.0, 10.5, 100.0);
        var stepped = Reading(11.0, 11.0, 100.0 + 1.0 + step);
        Assert.Equal(least, stepped.MonotonicJumpSince(start), 6);
    }

    [Fact]
    public void RateUsesTheMiddleOfEachRoundTrip()
    {
        var start = Reading(0.0, 2.0, 50.0); // read at about 1.0
        var later = Reading(10.0, 12.0, 61.0); // read at about 11.0
        Assert.Equal(1.1, later.MonotonicRateSince(start), 6);
    }
}
