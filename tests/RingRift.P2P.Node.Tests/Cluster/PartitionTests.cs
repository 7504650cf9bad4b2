namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Leases under partitions: a minority can never hold one, and two leaders never act at once.</summary>
public sealed class PartitionTests
{
    [Fact]
    public async Task LeaderCutOffFromTheMajority_StepsDown_WhileTheMajorityElectsAnother_NeverTwoAtOnce()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        var first = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("node-3", first.Id);
        var epochBefore = first.Election.Snapshot.Epoch;

        cluster.Links.Partition([first.Port], cluster.Nodes.Where(n => n != first).Select(n => n.Port));

        // Sample every node's own clock-exact leadership check at one instant, many times, across
        // the whole hand-over: never two acting leaders.
        var deadline = DateTime.UtcNow.AddSeconds(12);
        var maxAtOnce = 0;
        string? newLeader = null;
        while (DateTime.UtcNow < deadline)
        {
            var acting = cluster.ActingLeaders();
            maxAtOnce = Math.Max(maxAtOnce, acting.Count);
            if (acting.Count == 1 && acting[0] != first && newLeader is null) newLeader = acting[0].Id;
            if (newLeader is not null && !first.Election.IsLeader && DateTime.UtcNow > deadline.AddSeconds(-4)) break;
            await Task.Delay(10);
        }

        Assert.Equal(1, maxAtOnce);
        Assert.Equal("node-2", newLeader);
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
        var first = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20));
        cluster.Links.Partition([first.Port], cluster.Nodes.Where(n => n != first).Select(n => n.Port));
        var second = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20), n => n != first);
        var epoch = second.Election.Snapshot.Epoch;

        cluster.Links.HealAll();
        var third = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("node-3", third.Id);
        Assert.True(third.Election.Snapshot.Epoch > epoch);
    }
}

/// <summary>A leader that shuts down on purpose hands over without anyone waiting for timeouts.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task LeaderStoppingOnPurpose_IsReplacedWithoutWaitingForThePeerTimeoutOrTheLease()
    {
        // Peer timeout 5 s and lease 6 s: waiting for either would take at least 5 s.
        await using var cluster = await InProcessCluster.StartAsync(3, new Dictionary<string, string?>
        {
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = "5",
            ["RINGRIFT_P2P_LEADER_LEASE"] = "6",
        });
        var first = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(30));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await first.StopAsync();
        var next = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(30), n => n != first);

        Assert.Equal("node-2", next.Id);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"hand-over took {clock.Elapsed}");
    }
}
