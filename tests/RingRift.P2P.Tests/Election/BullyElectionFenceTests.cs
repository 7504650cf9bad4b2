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
}
