using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Leases under partitions: a minority can never hold one, and two leaders never act at once.</summary>
public sealed class PartitionTests
{
    [Fact]
    public async Task LeaderCutOffFromTheMajority_StepsDown_WhileTheMajorityElectsAnother_NeverTwoAtOnce()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        var first = await cluster.WaitForLeaderAsync("node-3"); // Bully: the highest id ends up leading
        var epochBefore = first.Election.Snapshot.Epoch;
        var knownBefore = first.Election.Snapshot.KnownEpoch;

        cluster.Links.Partition([first.Port], cluster.Nodes.Where(n => n != first).Select(n => n.Port));

        // Sample every node's own clock-exact leadership check at one instant, many times, across the
        // whole hand-over: never two acting leaders. The hand-over is over once node-2 leads and the
        // cut-off node-3 has stepped down and lost two campaigns of its own (each raises its known
        // epoch), so it had two chances to lead again on its own.
        using var sampler = LeaderSampler.Start(cluster, first);
        var last = await Eventually.Until(() => sampler.Observed, o => o.NewLeader is not null && o.FirstStillLeads is false && o.FirstKnownEpoch >= knownBefore + 2,
            "the majority electing a new leader while the cut-off node-3 steps down and loses two campaigns", InProcessCluster.ClusterWait);
        var observed = await sampler.StopAsync();

        Assert.Equal(1, observed.MostAtOnce);
        Assert.Equal("node-2", last.NewLeader);
        Assert.False(first.Election.IsLeader); // the cut-off minority holds no lease
        Assert.True(cluster["node-2"].Election.Snapshot.Epoch > epochBefore);

        // The minority cannot serve work: it has no leader to relay to and cannot reach a quorum itself.
        var refused = await Http.PostAsync(first.Url, "work/add", """{"work_type":"selfplay"}""");
        Assert.Equal(503, refused.Status);
    }

    [Fact]
    public async Task AfterTheMinorityHeals_TheHigherNodeTakesBackLeadership_WithAHigherEpoch()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        var first = await cluster.WaitForLeaderAsync("node-3");
        cluster.Links.Partition([first.Port], cluster.Nodes.Where(n => n != first).Select(n => n.Port));
        var second = await cluster.WaitForLeaderAsync("node-2", excluding: first);
        var epoch = second.Election.Snapshot.Epoch;

        cluster.Links.HealAll();
        var third = await cluster.WaitForLeaderAsync("node-3");

        Assert.True(third.Election.Snapshot.Epoch > epoch);
    }
}
