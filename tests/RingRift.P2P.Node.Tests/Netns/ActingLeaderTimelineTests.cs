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
        Assert.Equal(2.4, timeline.Latest("a")!.From);
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
        Assert.Equal(acting ? 101.5 : null, sample.LeaseEndEarliest);
        Assert.Equal(acting ? 101.5 : null, sample.LeaseEndLatest);
        Assert.Equal((100.0, 100.0), (sample.From, sample.To));
        Assert.Equal(4, sample.Epoch);
    }

    [Fact]
    public void Sample_WhoseLeaseEndedBetweenTheCheckAndTheTimestamp_IsPlacedAtTheLeaseEnd()
    {
        var status = new JsonObject { ["node_id"] = "n1", ["timestamp"] = 100.0, ["is_leader"] = true, ["leader_id"] = "n1", ["epoch"] = 1L, ["lease_remaining_seconds"] = -0.002 };

        var sample = ActingLeaderSample.Of(status);

        Assert.Equal(99.998, sample.From, 6);
        Assert.Equal(99.998, sample.To, 6);
    }

    private static JsonObject Leading(string node, double remaining) => new()
    {
        ["node_id"] = node,
        ["timestamp"] = 1e9, // a stepped wall clock: not used on the observer's time line
        ["is_leader"] = true,
        ["leader_id"] = node,
        ["epoch"] = 2L,
        ["lease_remaining_seconds"] = remaining,
    };

    private static readonly ObserverTiming DriftingN1 = new(TimeSpan.FromSeconds(3), node => node == "n1" ? (0.9, 1.1) : (1, 1));

    [Fact]
    public void ObservedSample_LiesBetweenSendingAndReceiving_ItsLeaseEndBoundedByTheNodesClockRates()
    {
        var sample = ActingLeaderSample.Observed(Leading("n1", 2.2), sentAt: 10.0, receivedAt: 10.1, DriftingN1);

        Assert.Equal((10.0, 10.1), (sample.From, sample.To));
        Assert.Equal(10.0 + 2.0 - 0.0005, sample.LeaseEndEarliest!.Value, 9); // 2.2 s on a clock running 1.1 times as fast
        Assert.Equal(10.1 + 2.2 / 0.9 + 0.0005, sample.LeaseEndLatest!.Value, 9); // or 0.9 times
        Assert.Equal(2, sample.Epoch);
    }

    [Fact]
    public void ObservedSample_ReportingMoreThanALease_IsCappedAtTheLeaseDuration()
    {
        // A leader never holds more than one lease; /status read across a wall-clock step of an hour can show one more hour.
        var sample = ActingLeaderSample.Observed(Leading("n2", 3602.7), sentAt: 10.0, receivedAt: 10.1, DriftingN1);

        Assert.Equal(10.1 + 3.0 + 0.0005, sample.LeaseEndLatest!.Value, 9);
    }

    [Fact]
    public void ObservedSample_NotLeadingItself_IsIdleWithNoLease()
    {
        var status = Leading("n1", 1.0);
        status["leader_id"] = "n3";

        var sample = ActingLeaderSample.Observed(status, 5.0, 5.2, DriftingN1);

        Assert.False(sample.Acting);
        Assert.Null(sample.LeaseEndLatest);
    }

    private static ActingLeaderSample Acting(string node, double from, double to, long epoch, double leaseEnd) => new(node, from, to, true, epoch, leaseEnd, leaseEnd);

    [Fact]
    public void IntervalSamples_ProveAnOverlapOnlyFromSamplesSurelyBeforeAndSurelyAfterTheOthersCheck()
    {
        // b's check fell in [1.02, 1.08]; a's samples that straddle that interval order nothing.
        var straddling = new ActingLeaderTimeline([Acting("a", 1.00, 1.05, 1, 3.0), Acting("b", 1.02, 1.08, 2, 4.0), Acting("a", 1.06, 1.10, 1, 3.0)]);
        Assert.Empty(straddling.Overlaps);

        var ordered = new ActingLeaderTimeline([Acting("a", 0.90, 0.95, 1, 3.0), Acting("a", 1.00, 1.05, 1, 3.0), Acting("b", 1.02, 1.08, 2, 4.0),
            Acting("a", 1.06, 1.10, 1, 3.0), Acting("a", 1.20, 1.25, 1, 3.0)]);
        Assert.Single(ordered.Overlaps);
        Assert.Contains("b acted between 1.020 and 1.080 (epoch 2) while a, acting between 0.900 and 0.950", ordered.Overlaps[0]);
    }

    [Fact]
    public void IntervalSample_WhoseCheckMayFallAfterTheOthersEarliestLeaseEnd_IsNoOverlap()
    {
        var timeline = new ActingLeaderTimeline([Acting("a", 0.90, 0.95, 1, 1.05), Acting("b", 1.02, 1.08, 2, 1.15), Acting("a", 1.20, 1.25, 1, 3.0)]);

        Assert.Empty(timeline.Overlaps);
        Assert.Empty(timeline.Unresolved);
    }

    [Fact]
    public void Run_SpansItsSamplesIntervals_AndEndsByItsLastSamplesLeaseBound()
    {
        // Bounds from a clock known only within a range are loosest right after a renewal (most lease left):
        // the run keeps the bound of its last sample, which saw the same lease end with less of it left.
        var timeline = new ActingLeaderTimeline([new ActingLeaderSample("a", 0.4, 0.45, false, 0, null, null),
            Acting("a", 1.0, 1.1, 1, 4.3), Acting("a", 1.5, 1.6, 1, 4.05)]);

        Assert.Equal([new ActingRun("a", 1, 0.4, 1.0, 1.6, 4.05)], timeline.Runs);
    }
}
