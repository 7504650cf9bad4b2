using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Three real nodes on loopback form one cluster with one leader and serve work from every node.</summary>
public sealed class ClusterFormationTests
{
    [Fact]
    public async Task ThreeNodes_LearnEachOther_AndAgreeOnTheHighestIdAsLeader()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, InProcessCluster.SteadyTimings);
        // Bully: nodes started together wait to hear each other (ElectionLoop.Settled) before any campaigns, so the
        // highest id among alive voters is the first to hold a lease, and keeps it.
        await cluster.WaitForLeaderAsync("node-3");

        foreach (var node in cluster.Nodes)
        {
            // Heartbeats settle each node's view of its peers; wait for it, then check the whole /status.
            var status = await Eventually.Until(() => Http.GetAsync(node.Url, "status"),
                a => a.Json?["alive_peers"]?.GetValue<int>() == 2 && a.Json["leader_id"]?.GetValue<string>() == "node-3",
                $"{node.Id}'s /status to see both peers alive and node-3 leading", InProcessCluster.ClusterWait);
            Assert.Equal(200, status.Status);
            Assert.Equal(node.Id == "node-3" ? "leader" : "follower", status.Json!["role"]!.GetValue<string>());
            Assert.False(status.Json["swim_raft"]!["swim"]!["available"]!.GetValue<bool>());
            Assert.Equal("http", status.Json["swim_raft"]!["membership_mode"]!.GetValue<string>());
            Assert.Equal("bully", status.Json["swim_raft"]!["consensus_mode"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task NodeJoiningThroughOneSeed_LearnsEveryPeer()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, InProcessCluster.SteadyTimings);
        var late = await cluster.StartNodeAsync("node-0", TestPorts.Free(), $"127.0.0.1:{cluster.Nodes[0].Port}");

        var status = await Eventually.Until(async () => (await Http.GetAsync(late.Url, "status")).Json,
            s => s?["alive_peers"]?.GetValue<int>() == 2, "node-0, seeded with node-1 only, to see two peers alive", InProcessCluster.ClusterWait);
        Assert.NotNull(status!["peers"]!["node-2"]);
    }

    [Fact]
    public async Task WorkAddedOnAFollower_IsClaimedOnAnother_AndCompletedOnTheLeader()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, InProcessCluster.SteadyTimings);
        var leader = await cluster.WaitForLeaderAsync();
        var followers = cluster.Nodes.Where(n => n != leader).ToArray();

        var added = await Http.PostAsync(followers[0].Url, "work/add",
            """{"work_type":"selfplay","priority":70,"config":{"board_type":"hex8","num_players":2}}""");
        Assert.True(added.Status == 200, $"work/add on {followers[0].Id} answered {added.Status}: {added.Text}");
        var workId = added.Json!["work_id"]!.GetValue<string>();

        var claimed = await Http.GetAsync(followers[1].Url, "work/claim?node_id=gpu-7&capabilities=selfplay,training");
        Assert.Equal("claimed", claimed.Json!["status"]!.GetValue<string>());
        Assert.Equal(workId, claimed.Json["work"]!["work_id"]!.GetValue<string>());

        var again = await Http.GetAsync(followers[0].Url, "work/claim?node_id=gpu-8");
        Assert.Equal("no_work_available", again.Json!["status"]!.GetValue<string>());

        Assert.Equal(200, (await Http.PostAsync(leader.Url, "work/start", $$"""{"work_id":"{{workId}}","node_id":"gpu-7"}""")).Status);
        var done = await Http.PostAsync(leader.Url, "work/complete", $$$"""{"work_id":"{{{workId}}}","result":{"games_completed":1000}}""");
        Assert.Equal(200, done.Status);

        var item = await Http.GetAsync(followers[1].Url, $"work/{workId}");
        Assert.Equal("completed", item.Json!["status"]!.GetValue<string>());
        Assert.Equal(1000, item.Json["result"]!["games_completed"]!.GetValue<int>());
        Assert.Equal("gpu-7", item.Json["claimed_by"]!.GetValue<string>());
    }
}
