using RingRift.P2P.Election;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>Incoming announcements, lease requests and probes, and the LeaderChanged event.</summary>
public sealed class BullyElectionHandlerTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Fact]
    public void Announcement_IsAccepted_ForAHigherEpoch_OrTheSameEpochFromItsOwner()
    {
        var cluster = new ElectionCluster(["n1"], voterIds: ["n9", "x", "y", "n7"]);
        var n1 = cluster["n1"];

        Assert.True(n1.HandleAnnouncement(new LeaderAnnouncement("x", 5, 10, "http://x")).Accepted);
        Assert.False(n1.HandleAnnouncement(new LeaderAnnouncement("y", 4, 10, null)).Accepted); // stale epoch
        Assert.False(n1.HandleAnnouncement(new LeaderAnnouncement("y", 5, 10, null)).Accepted); // epoch belongs to x
        Assert.True(n1.HandleAnnouncement(new LeaderAnnouncement("x", 5, 10, "http://x")).Accepted); // renewal
        var s = n1.Snapshot;
        Assert.Equal(("x", "http://x", 5L), (s.LeaderId, s.LeaderAddress, s.Epoch));

        var ack = n1.HandleAnnouncement(new LeaderAnnouncement("y", 6, 10, null));
        Assert.True(ack.Accepted);
        Assert.Equal((6L, "y"), (ack.KnownEpoch, ack.KnownLeaderId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Announcement_WithoutAPositiveRemainingLease_IsRefused(double remaining)
    {
        var cluster = new ElectionCluster(["n1"], voterIds: ["n9", "x", "y", "n7"]);

        Assert.False(cluster["n1"].HandleAnnouncement(new LeaderAnnouncement("x", 5, remaining, null)).Accepted);
        Assert.Null(cluster["n1"].Snapshot.LeaderId);
    }

    [Fact]
    public void AnnouncedLeader_IsBelievedUntilItsRemainingLease_ToTheTick()
    {
        var cluster = new ElectionCluster(["n1"], voterIds: ["n9", "x", "y", "n7"]);
        var start = cluster.Clock.GetUtcNow();
        cluster["n1"].HandleAnnouncement(new LeaderAnnouncement("x", 5, 12, null));

        cluster.Clock.SetUtcNow(start + TimeSpan.FromSeconds(12) - OneTick);
        Assert.Equal("x", cluster["n1"].Snapshot.LeaderId);

        cluster.Clock.Advance(OneTick);
        Assert.Null(cluster["n1"].Snapshot.LeaderId);
        Assert.Equal(0, cluster["n1"].Snapshot.Epoch);
    }

    [Fact]
    public void AnnouncedLease_IsCappedAtOneLeaseDuration()
    {
        var cluster = new ElectionCluster(["n1"], voterIds: ["n9", "x", "y", "n7"]);

        cluster["n1"].HandleAnnouncement(new LeaderAnnouncement("x", 5, 1e9, null));

        Assert.Equal(cluster.Clock.GetUtcNow() + cluster.Options.LeaseDuration, cluster["n1"].Snapshot.LeaseValidUntil);
    }

    [Fact]
    public void SittingLeader_ReceivingAHigherEpoch_StepsDownAtOnce_AndReleasesOnItsNextTick()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"], voterIds: ["n1", "n2", "n3", "n4"]);
        cluster.Run(1);
        Assert.True(cluster["n3"].IsLeader);

        // From a higher voter outside the test network, so n3 does not simply campaign again.
        var ack = cluster["n3"].HandleAnnouncement(new LeaderAnnouncement("n4", 2, 20, null));

        Assert.True(ack.Accepted);
        Assert.False(cluster["n3"].IsLeader);
        Assert.Equal("n4", cluster["n3"].Snapshot.LeaderId);
        Assert.Equal("n3", cluster.VoterOf("n2").Snapshot.Holder);

        cluster.Tick("n3");
        Assert.Null(cluster.VoterOf("n2").Snapshot.Holder);
    }

    [Fact]
    public void Announcement_FencesTheLocalVoter_AgainstOlderEpochs()
    {
        var cluster = new ElectionCluster(["n1"], voterIds: ["n1", "x", "y"]);

        cluster["n1"].HandleAnnouncement(new LeaderAnnouncement("x", 5, 10, null));

        Assert.Equal((5L, "x"), (cluster.VoterOf("n1").Snapshot.HighestEpoch, cluster.VoterOf("n1").Snapshot.HighestEpochHolder));
        Assert.False(cluster["n1"].HandleLeaseRequest(new LeaseRequest("y", 4)).Granted);
    }

    [Fact]
    public void Resignation_FromTheFollowedLeader_EndsItsLeadership_AndOthersCannotForgeIt()
    {
        // A zero remaining lease from the followed leader at its epoch means it stepped down.
        var cluster = new ElectionCluster(["n1"], voterIds: ["n9", "x", "y", "n7"]);
        var n1 = cluster["n1"];
        n1.HandleAnnouncement(new LeaderAnnouncement("x", 5, 10, null));

        Assert.False(n1.HandleAnnouncement(new LeaderAnnouncement("y", 5, 0, null)).Accepted);
        Assert.False(n1.HandleAnnouncement(new LeaderAnnouncement("x", 4, 0, null)).Accepted);
        Assert.Equal("x", n1.Snapshot.LeaderId);

        Assert.True(n1.HandleAnnouncement(new LeaderAnnouncement("x", 5, 0, null)).Accepted);
        Assert.Null(n1.Snapshot.LeaderId);
        Assert.Equal(5, n1.Snapshot.KnownEpoch);
    }

    [Fact]
    public void RestartedNode_ResumesAboveTheEpochsItsVoterSaved()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        cluster.Run(1);
        cluster.Crash("n1");

        var restarted = cluster.Restart("n1");

        Assert.Equal(1, restarted.Snapshot.KnownEpoch);
        Assert.Null(restarted.Snapshot.LeaderId); // it has not heard an announcement yet
        cluster.Run(11);
        Assert.Equal("n3", restarted.Snapshot.LeaderId);
    }

    [Fact]
    public void LeaseRequest_IsDecidedByTheLocalVoter_AndRaisesKnownEpoch()
    {
        var cluster = new ElectionCluster(["n1"], voterIds: ["n9", "x", "y", "n7"]);

        var response = cluster["n1"].HandleLeaseRequest(new LeaseRequest("n7", 9));

        Assert.True(response.Granted);
        Assert.Equal("n1", response.VoterId);
        Assert.Equal("n7", cluster.VoterOf("n1").Snapshot.Holder);
        Assert.Equal(9, cluster["n1"].Snapshot.KnownEpoch);
    }

    [Fact]
    public void Probe_SaysWillLead_ForTheLeader_AndNotForANonVoter()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3", "n4"], voterIds: ["n1", "n2", "n3"]);
        cluster.Run(1);

        var leader = cluster["n3"].HandleProbe(new ElectionProbe("n1", 0));
        var nonVoter = cluster["n4"].HandleProbe(new ElectionProbe("n1", 0));
        var lower = cluster["n2"].HandleProbe(new ElectionProbe("n1", 0));

        Assert.Equal(("n3", true, "n3", 1L, true), (leader.NodeId, leader.Alive, leader.LeaderId, leader.Epoch, leader.WillLead));
        Assert.False(nonVoter.WillLead);
        Assert.False(lower.WillLead); // n3 is alive above it
    }

    [Fact]
    public void LeaderChanged_IsRaisedOncePerChange_IncludingToNoLeader()
    {
        var cluster = new ElectionCluster(["n1", "n2", "n3"]);
        var seen = new List<(string? Leader, long Epoch)>();
        cluster["n1"].LeaderChanged += s => seen.Add((s.LeaderId, s.Epoch));

        cluster.Run(12); // elected, then renewed: renewals raise nothing
        Assert.Equal([("n3", 1L)], seen);

        cluster.Crash("n3");
        cluster.Run(60);

        Assert.Equal(3, seen.Count);
        Assert.Equal((null, 0L), seen[1]); // n3's announced lease ran out
        Assert.Equal("n2", seen[2].Leader);
    }

    [Fact]
    public void LeaderChanged_ThatThrows_DoesNotBreakTheTick()
    {
        var cluster = new ElectionCluster(["n1"]);
        cluster["n1"].LeaderChanged += _ => throw new InvalidOperationException("subscriber bug");

        cluster.Run(1);

        Assert.True(cluster["n1"].IsLeader);
    }

    [Fact]
    public void Constructor_RejectsAVoterWithAnotherLease()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var voter = new LeaseVoter("n1", TimeSpan.FromSeconds(10), clock);

        var ex = Assert.Throws<ArgumentException>(() => new BullyElection("n1", new BullyOptions(),
            new StaticMembershipView("n1"), () => new VoterSet(["n1"]), new InMemoryElectionNetwork().TransportFor("n1"),
            voter, clock, new Random(1)));

        Assert.Equal("localVoter", ex.ParamName);
    }
}
