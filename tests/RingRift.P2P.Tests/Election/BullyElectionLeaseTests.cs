using RingRift.P2P.Election;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>The lease side: a leader acts only while a majority's grants must still be in force.</summary>
public sealed class BullyElectionLeaseTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Fact]
    public void Leader_ThatCannotRenew_StopsExactlyAtLeaseValidUntil_BeforeAnyVoterGrantEnds()
    {
        // Issue rule: a leader that cannot renew steps down before its lease ends.
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Run(11); // elected at +1 s, renewed at +11 s
        var validUntil = cluster["n3"].Snapshot.LeaseValidUntil!.Value;
        Assert.Equal(cluster.Clock.GetUtcNow() + TimeSpan.FromSeconds(27), validUntil); // t0 + 30 s - 3 s margin

        cluster.Network.Partition(["n3"], ["n1", "n2"]);
        while (cluster.Clock.GetUtcNow() + cluster.Options.TickInterval < validUntil)
            cluster.Run(1, () => { invariant.Check(); Assert.True(cluster["n3"].IsLeader); });

        foreach (var voter in new[] { "n1", "n2", "n3" })
        {
            var grant = cluster.VoterOf(voter).Snapshot;
            Assert.Equal("n3", grant.Holder);
            Assert.True(validUntil < grant.ExpiresAt, $"{voter} grant ends {grant.ExpiresAt:O}, leader acts until {validUntil:O}");
        }

        cluster.Clock.SetUtcNow(validUntil - OneTick);
        Assert.True(cluster["n3"].IsLeader);
        Assert.Equal(NodeRole.Leader, cluster["n3"].Snapshot.Role);

        cluster.Clock.Advance(OneTick); // no tick runs: IsLeader reads the clock
        Assert.False(cluster["n3"].IsLeader);
        Assert.Equal(NodeRole.Follower, cluster["n3"].Snapshot.Role);
        Assert.Null(cluster["n3"].Snapshot.LeaderId);
    }

    [Fact]
    public void MajoritySide_ElectsOnlyOnceTheOldGrantsHaveExpired()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(1);
        var oldGrantEnd = cluster.VoterOf("n1").Snapshot.ExpiresAt!.Value;

        cluster.Network.Partition(["n3"], ["n1", "n2"]);
        while (cluster.Clock.GetUtcNow() + cluster.Options.TickInterval <= oldGrantEnd)
            cluster.Run(1, () => { invariant.Check(); Assert.False(cluster["n2"].IsLeader); });

        cluster.Run(4, () => invariant.Check());
        Assert.Equal(["n2"], cluster.Leaders);
        Assert.True(cluster["n2"].Snapshot.Epoch > 1);
    }

    [Fact]
    public void Leader_RenewsThroughABriefOutage_WithoutEverLosingTheLease()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        cluster.Run(10);

        cluster.Network.Partition(["n3"], ["n1", "n2"]);
        cluster.Run(12); // one renewal fails; the lease still has time
        cluster.Network.Heal();

        cluster.Run(30, () => Assert.Equal(["n3"], cluster.Leaders));
        Assert.Equal(1, cluster["n3"].Snapshot.Epoch);
    }

    [Fact]
    public void Leader_WhoseVoterReportsAHigherEpoch_StepsDownAtOnce()
    {
        // Fencing: a renewal refused with a higher highest-epoch means another leader may exist.
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        cluster.Run(1);
        cluster.VoterOf("n1").ObserveEpoch(9, "n2");
        cluster.VoterOf("n2").ObserveEpoch(9, "n2");

        cluster.Run(9);
        Assert.True(cluster["n3"].IsLeader); // renewal not due yet
        cluster.Run(1);

        Assert.False(cluster["n3"].IsLeader);
        Assert.Equal(9, cluster["n3"].Snapshot.KnownEpoch);
    }

    [Fact]
    public async Task StepDown_ReleasesEveryGrant_SoFailoverDoesNotWaitForExpiry()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        cluster.Run(1);

        await cluster["n3"].StepDownAsync(CancellationToken.None);
        Assert.False(cluster["n3"].IsLeader);
        foreach (var voter in cluster.NodeIds)
            Assert.Null(cluster.VoterOf(voter).Snapshot.Holder);

        cluster.Crash("n3"); // planned shutdown
        cluster.Run(1);
        Assert.Equal(["n2"], cluster.Leaders);
    }

    [Fact]
    public void WithoutStepDown_FailoverWaitsForTheGrantsToExpire()
    {
        // Control for the test above: a crash without release leaves the voters bound until expiry.
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        cluster.Run(1);
        cluster.Crash("n3");

        cluster.Run(20);

        Assert.False(cluster["n2"].IsLeader);
        Assert.Equal("n3", cluster.VoterOf("n1").Snapshot.Holder);
    }

    [Fact]
    public async Task StepDown_HoldsOffCampaigning_ForOneLease()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        cluster.Run(1);

        await cluster["n3"].StepDownAsync(CancellationToken.None);
        cluster.Run(29, () => Assert.Empty(cluster.Leaders)); // n2 still sees n3 alive, and n3 holds off
        cluster.Run(2);

        Assert.Equal(["n3"], cluster.Leaders);
    }

    [Theory]
    [InlineData(1)]  // the campaign
    [InlineData(11)] // the first renewal
    public void LeaderWithLatency_StillStopsBeforeItsVotersRelease(int rounds)
    {
        // t0 is taken before requests leave, so a slow grant only makes the voter's expiry later:
        // every grant ends at least SafetyMargin after the leader stops.
        var cluster = new ElectionCluster(["n1", "n2", "n3"], seed: 4);
        cluster.Network.MaxHopLatency = TimeSpan.FromMilliseconds(400);
        cluster.Run(rounds);
        var validUntil = cluster["n3"].Snapshot.LeaseValidUntil!.Value;

        foreach (var voter in cluster.NodeIds)
        {
            Assert.True(validUntil + cluster.Options.SafetyMargin <= cluster.VoterOf(voter).Snapshot.ExpiresAt,
                $"{voter}: grant ends {cluster.VoterOf(voter).Snapshot.ExpiresAt:O}, leader acts until {validUntil:O}");
        }
    }
}
