using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Models;

public sealed class NodeHealthRulesTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static NodeHealth Eval(TimeSpan age, ResourceMetrics? m = null) =>
        NodeHealthRules.Evaluate(m ?? ResourceMetrics.Idle, age, Interval, Timeout);

    [Fact]
    public void FreshHeartbeat_IdleNode_IsHealthy() => Assert.Equal(NodeHealth.Healthy, Eval(TimeSpan.Zero));

    [Fact]
    public void Offline_StartsExactlyAtThePeerTimeout()
    {
        Assert.Equal(NodeHealth.Unhealthy, Eval(Timeout - Tick));
        Assert.Equal(NodeHealth.Offline, Eval(Timeout));
    }

    [Fact]
    public void Offline_WinsOverEverything() =>
        Assert.Equal(NodeHealth.Offline, Eval(Timeout + TimeSpan.FromHours(1), new ResourceMetrics(100, 100, 100, 100)));

    [Fact]
    public void Unhealthy_StartsOneTickAfterHalfThePeerTimeout_WithTheDefaultTimings()
    {
        // 2 × interval = 10 s, timeout / 2 = 7.5 s: with the defaults the "half timeout" rule bites first.
        Assert.Equal(NodeHealth.Healthy, Eval(TimeSpan.FromSeconds(7.5)));
        Assert.Equal(NodeHealth.Unhealthy, Eval(TimeSpan.FromSeconds(7.5) + Tick));
    }

    [Fact]
    public void Degraded_StartsOneTickAfterTwoIntervals_WhenTheTimeoutIsLong()
    {
        var longTimeout = TimeSpan.FromSeconds(60); // half = 30 s, well after 2 × 5 s
        Assert.Equal(NodeHealth.Healthy, NodeHealthRules.Evaluate(ResourceMetrics.Idle, TimeSpan.FromSeconds(10), Interval, longTimeout));
        Assert.Equal(NodeHealth.Degraded, NodeHealthRules.Evaluate(ResourceMetrics.Idle, TimeSpan.FromSeconds(10) + Tick, Interval, longTimeout));
        Assert.Equal(NodeHealth.Degraded, NodeHealthRules.Evaluate(ResourceMetrics.Idle, TimeSpan.FromSeconds(30), Interval, longTimeout));
        Assert.Equal(NodeHealth.Unhealthy, NodeHealthRules.Evaluate(ResourceMetrics.Idle, TimeSpan.FromSeconds(30) + Tick, Interval, longTimeout));
    }

    [Theory]
    [InlineData(0, 94.9999, 0, 0, NodeHealth.Degraded)]   // memory > 90: overloaded only
    [InlineData(0, 95, 0, 0, NodeHealth.Unhealthy)]
    [InlineData(0, 0, 0, 94.9999, NodeHealth.Degraded)]   // disk > 90: overloaded only
    [InlineData(0, 0, 0, 95, NodeHealth.Unhealthy)]
    [InlineData(100, 0, 0, 0, NodeHealth.Degraded)]       // CPU never makes a node unhealthy
    [InlineData(0, 0, 100, 0, NodeHealth.Degraded)]       // nor GPU memory
    [InlineData(90, 90, 90, 90, NodeHealth.Healthy)]      // 90 is not above the overload threshold
    [InlineData(90.0001, 0, 0, 0, NodeHealth.Degraded)]
    public void Resources_Boundaries(double cpu, double mem, double gpu, double disk, NodeHealth expected) =>
        Assert.Equal(expected, Eval(TimeSpan.Zero, new ResourceMetrics(cpu, mem, gpu, disk)));

    [Fact]
    public void NegativeAge_FromClockSkew_CountsAsFresh() => Assert.Equal(NodeHealth.Healthy, Eval(TimeSpan.FromSeconds(-30)));

    [Fact]
    public void NonPositiveTimings_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>("heartbeatInterval", () => NodeHealthRules.Evaluate(ResourceMetrics.Idle, TimeSpan.Zero, TimeSpan.Zero, Timeout));
        Assert.Throws<ArgumentOutOfRangeException>("peerTimeout", () => NodeHealthRules.Evaluate(ResourceMetrics.Idle, TimeSpan.Zero, Interval, TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentNullException>("m", () => NodeHealthRules.Evaluate(null!, TimeSpan.Zero, Interval, Timeout));
    }
}
