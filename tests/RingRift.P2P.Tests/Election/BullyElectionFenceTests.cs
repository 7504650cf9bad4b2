using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>
/// The epoch floor (a node's work-queue fence): a leader below it steps down, every node's voter
/// refuses and reports it, and the next leader's epoch is above it — within one lease, with the
/// leadership invariant checked after every delivery and every tick.
/// </summary>
public sealed class BullyElectionFenceTests
{
    private readonly Dictionary<string, long> _floors = new(StringComparer.Ordinal);

    private ElectionCluster Cluster(params string[] ids) =>
        new(ids, epochFloor: id => () => _floors.GetValueOrDefault(id));

    /// <summary>Runs rounds until <paramref name="leader"/> leads above <paramref name="floor"/>; fails after one lease.</summary>
    private static void RunUntilLeadingAbove(ElectionCluster cluster, LeadershipInvariant invariant, string leader, long floor)
    {
        var deadline = cluster.Clock.GetUtcNow() + cluster.Options.LeaseDuration;
        while (!(cluster[leader].IsLeader && cluster[leader].Snapshot.Epoch > floor))
        {
            Assert.True(cluster.Clock.GetUtcNow() < deadline,
                $"{leader} does not lead above epoch {floor} one lease later: {cluster[leader].Snapshot}");
            cluster.Run(1, () => invariant.Check());
        }
    }

    [Fact]
    public void SingleNode_FencedAboveItsEpoch_StepsDown_AndLeadsAgainAboveTheFence()
    {
        var cluster = Cluster("n1");
        var invariant = new LeadershipInvariant(cluster);
        cluster.Run(1);
        Assert.Equal(1, cluster["n1"].Snapshot.Epoch);

        _floors["n1"] = 9; // e.g. a sync at epoch 9 from a known member
        RunUntilLeadingAbove(cluster, invariant, "n1", 9);

        Assert.Equal(10, cluster["n1"].Snapshot.Epoch); // the first campaign after stepping down is above the fence
        Assert.Equal(10, cluster.VoterOf("n1").Snapshot.HighestEpoch);
    }

    [Fact]
    public void FollowersFence_ReachesTheLeaderThroughTheElection_AndTheNextLeaderIsAboveIt()
    {
        var cluster = Cluster("n1", "n2", "n3");
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(3);
        Assert.Equal(["n3"], cluster.Leaders);

        _floors["n1"] = 7; // only n1's replica has seen epoch 7
        RunUntilLeadingAbove(cluster, invariant, "n3", 7);

        Assert.Equal(8, cluster["n3"].Snapshot.Epoch);
        Assert.True(cluster.VoterOf("n1").Snapshot.HighestEpoch >= 8);
        cluster.Run(5, () => invariant.Check());
        Assert.Equal(["n3"], cluster.Leaders);
        Assert.All(cluster.NodeIds, id => Assert.Equal(8, cluster[id].Snapshot.Epoch));
    }

    [Fact]
    public void FloorAtTheLeadersOwnEpoch_ChangesNothing()
    {
        // A leader fences its replicas at its own epoch when it takes the queue over: no step-down.
        var cluster = Cluster("n1", "n2", "n3");
        cluster.Run(1);
        foreach (var id in cluster.NodeIds) _floors[id] = 1;

        cluster.Run(40, () => Assert.Equal(["n3"], cluster.Leaders));

        Assert.Equal(1, cluster["n3"].Snapshot.Epoch);
    }

    [Fact]
    public void RestartedNode_WhoseVoterStateIsBehindItsFence_CampaignsAboveTheFence()
    {
        // voter_state.json restored from a backup taken at epoch 1, while the replica fence says 6.
        var cluster = Cluster("n1");
        var invariant = new LeadershipInvariant(cluster);
        cluster.Run(1);
        var backup = cluster.StoreOf("n1").Load()!;
        _floors["n1"] = 5;
        cluster.Run(1, () => invariant.Check());
        Assert.Equal(6, cluster["n1"].Snapshot.Epoch);
        _floors["n1"] = 6; // the queue taken over at epoch 6 fences the replica there

        cluster.Crash("n1");
        cluster.StoreOf("n1").Save(backup);
        cluster.Clock.Advance(cluster.Options.LeaseDuration); // the restored grant to the old process has run out
        var restarted = cluster.Restart("n1");
        Assert.Equal(1, restarted.Snapshot.KnownEpoch); // all the restored file knows

        cluster.Run(1, () => invariant.Check());
        Assert.True(restarted.IsLeader);
        Assert.Equal(7, restarted.Snapshot.Epoch);
    }

    [Fact]
    public void NodeWithAFence_RefusesLowerEpochs_AndReportsTheFence_InEveryAnswer()
    {
        var cluster = Cluster("n1", "n2", "n3");
        _floors["n1"] = 7;
        var n1 = cluster["n1"];

        var lease = n1.HandleLeaseRequest(new LeaseRequest("n3", 2));
        var probe = n1.HandleProbe(new ElectionProbe("n0", 0));
        var ack = n1.HandleAnnouncement(new LeaderAnnouncement("n3", 2, 10, null));

        Assert.False(lease.Granted);
        Assert.Equal(7, lease.HighestEpoch);
        Assert.Equal(7, probe.Epoch);
        Assert.False(ack.Accepted);
        Assert.Equal(7, ack.KnownEpoch);
        Assert.Equal(7, cluster.VoterOf("n1").Snapshot.HighestEpoch); // persisted: a restart keeps refusing
        Assert.True(n1.HandleLeaseRequest(new LeaseRequest("n3", 8)).Granted);
    }

    [Fact]
    public void LeaseRequestAndAnnouncement_FromAnUnknownId_AreRefused_AndTheLeaderKeepsLeading()
    {
        // Issue 16 §3: a forged lease request at a higher epoch, granted by the leader's own voter, made it step down.
        var cluster = Cluster("n1", "n2", "n3");
        var invariant = new LeadershipInvariant(cluster);
        cluster.Run(1);
        Assert.Equal(["n3"], cluster.Leaders);

        var lease = Assert.Throws<UnknownLeaderException>(() => cluster["n3"].HandleLeaseRequest(new LeaseRequest("zz", 50)));
        var announcement = Assert.Throws<UnknownLeaderException>(() => cluster["n1"].HandleAnnouncement(new LeaderAnnouncement("zz", 50, 10, null)));

        Assert.Equal("candidate_id 'zz' is not a voter known to node 'n3' (voters: n1, n2, n3); " +
            "the lease request at epoch 50 is refused and this node's voter and known epoch are unchanged", lease.Message);
        Assert.StartsWith("leader_id 'zz' is not a voter known to node 'n1'", announcement.Message);
        Assert.All(cluster.NodeIds, id => Assert.Equal(1, cluster.VoterOf(id).Snapshot.HighestEpoch));
        Assert.Equal("n3", cluster["n1"].Snapshot.LeaderId);
        cluster.Run(40, () => invariant.Check());
        Assert.Equal(["n3"], cluster.Leaders);
        Assert.Equal(1, cluster["n3"].Snapshot.Epoch);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(ReplicaFence.MaxEpoch + 1)]
    [InlineData(long.MaxValue)]
    public void LeaseRequestAndAnnouncement_WithAnEpochOutOfRange_AreRefused_AndTheLeaderKeepsLeading(long epoch)
    {
        var cluster = Cluster("n1", "n2", "n3");
        cluster.Run(1);

        var lease = Assert.Throws<ArgumentException>(() => cluster["n3"].HandleLeaseRequest(new LeaseRequest("n2", epoch)));
        var announcement = Assert.Throws<ArgumentException>(() => cluster["n1"].HandleAnnouncement(new LeaderAnnouncement("n2", epoch, 10, null)));

        Assert.Equal($"epoch {epoch} is out of range: a leader's epoch is 0 to {ReplicaFence.MaxEpoch}", lease.Message);
        Assert.Equal(lease.Message, announcement.Message);
        Assert.All(cluster.NodeIds, id => Assert.Equal(1, cluster[id].Snapshot.KnownEpoch));
        cluster.Run(10);
        Assert.Equal(["n3"], cluster.Leaders);
        Assert.Equal(1, cluster["n3"].Snapshot.Epoch);
    }

    [Fact]
    public void LeaseRequest_AtTheHighestEpochInRange_IsDecidedAsUsual()
    {
        var cluster = Cluster("n1", "n2", "n3");

        var response = cluster["n1"].HandleLeaseRequest(new LeaseRequest("n2", ReplicaFence.MaxEpoch));

        Assert.True(response.Granted);
        Assert.Equal(ReplicaFence.MaxEpoch, cluster["n1"].Snapshot.KnownEpoch);
    }
}
