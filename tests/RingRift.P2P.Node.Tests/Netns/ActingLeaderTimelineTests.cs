using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>What sampled <c>/status</c> answers prove about two acting Bully leaders (pure; no namespaces needed).</summary>
public sealed class ActingLeaderTimelineTests
{
    private static ActingLeaderSample Acting(string node, double at, long epoch, double leaseEnd) => new(node, at, true, epoch, leaseEnd);

    private static ActingLeaderSample Idle(string node, double at, long epoch = 0) => new(node, at, false, epoch, null);

    [Fact]
    public void ANodeActingWithinAnothersLease_WhichStillActsAtThatEpochAfterwards_IsAProvenOverlap()
    {
        var timeline = new ActingLeaderTimeline([Acting("a", 1.0, 1, 3.0), Acting("b", 1.5, 2, 1.8), Acting("a", 2.0, 1, 3.0)]);

        Assert.Single(timeline.Overlaps);
        Assert.Contains("b acted at 1.500", timeline.Overlaps[0]);
        Assert.Empty(timeline.Unresolved);
    }

    [Fact]
    public void ANodeActingOnlyAfterTheOtherLeaseEnded_IsNoOverlap()
    {
        var timeline = new ActingLeaderTimeline([Acting("a", 1.0, 1, 1.2), Idle("a", 1.3), Acting("b", 1.4, 2, 4.0), Idle("a", 1.5)]);

        Assert.Empty(timeline.Overlaps);
        Assert.Empty(timeline.Unresolved);
    }

    [Fact]
    public void AStepDownBetweenTwoSamples_WithinItsLease_IsUnresolvedNotAnOverlap()
    {
        // a resigned (its lease still ran) at an instant no sample saw, before or after b began acting.
        var timeline = new ActingLeaderTimeline([Acting("a", 1.0, 1, 3.0), Acting("b", 1.5, 2, 4.0), Acting("b", 1.55, 2, 4.0), Idle("a", 1.6, 2)]);

        Assert.Empty(timeline.Overlaps);
        Assert.Single(timeline.Unresolved); // one hand-over, however many samples of b fall inside a's lease
    }

    [Fact]
    public void OneEpochLedByTwoNodes_IsReported()
    {
        var timeline = new ActingLeaderTimeline([Acting("a", 1.0, 3, 1.1), Idle("a", 1.2), Acting("b", 5.0, 3, 6.0)]);

        Assert.Equal(["epoch 3 led by a and b"], timeline.SharedEpochs);
    }

    [Fact]
    public void Runs_SplitByEpochAndIdleSamples_KeepTheirLatestLeaseEndAndTheSampleBefore()
    {
        var timeline = new ActingLeaderTimeline([Idle("a", 0.5), Acting("a", 1.0, 1, 2.0), Acting("a", 1.5, 1, 2.5), Acting("a", 2.0, 2, 3.0), Idle("a", 2.2), Acting("a", 2.4, 2, 3.4)]);

        Assert.Equal(
            [new ActingRun("a", 1, 0.5, 1.0, 1.5, 2.5), new ActingRun("a", 2, 1.5, 2.0, 2.0, 3.0), new ActingRun("a", 2, 2.2, 2.4, 2.4, 3.4)],
            timeline.Runs);
        Assert.Equal(2.4, timeline.Latest("a")!.At);
    }

    [Theory]
    [InlineData(true, "n1", 1.5, true)]
    [InlineData(true, "n2", 1.5, false)] // names another node: not acting
    [InlineData(true, "n1", null, false)] // no lease left reported
    [InlineData(false, "n1", 1.5, false)]
    public void Sample_ActsOnlyWhenItLeadsItselfWithLeaseLeft(bool isLeader, string leaderId, double? remaining, bool acting)
    {
        var status = new JsonObject
        {
            ["node_id"] = "n1",
            ["timestamp"] = 100.0,
            ["is_leader"] = isLeader,
            ["leader_id"] = leaderId,
            ["epoch"] = 4L,
            ["lease_remaining_seconds"] = remaining,
        };

        var sample = ActingLeaderSample.Of(status);

        Assert.Equal(acting, sample.Acting);
        Assert.Equal(acting ? 101.5 : null, sample.LeaseEnd);
        Assert.Equal(4, sample.Epoch);
    }

    [Fact]
    public void Sample_WhoseLeaseEndedBetweenTheCheckAndTheTimestamp_IsPlacedAtTheLeaseEnd()
    {
        var status = new JsonObject { ["node_id"] = "n1", ["timestamp"] = 100.0, ["is_leader"] = true, ["leader_id"] = "n1", ["epoch"] = 1L, ["lease_remaining_seconds"] = -0.002 };

        Assert.Equal(99.998, ActingLeaderSample.Of(status).At, 6);
    }
}
