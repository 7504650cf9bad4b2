using RingRift.P2P.Node.Cli;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Three real nodes on loopback form one cluster with one leader and serve work from every node.</summary>
public sealed class ClusterFormationTests
{
    [Fact]
    public async Task ThreeNodes_LearnEachOther_AndAgreeOnTheHighestIdAsLeader()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        var leader = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("node-3", leader.Id); // Bully: highest id among alive voters
        foreach (var node in cluster.Nodes)
        {
            var status = await Http.GetAsync(node.Url, "status");
            Assert.Equal(200, status.Status);
            Assert.Equal("node-3", status.Json!["leader_id"]!.GetValue<string>());
            Assert.Equal(2, status.Json["alive_peers"]!.GetValue<int>());
            Assert.Equal(node.Id == "node-3" ? "leader" : "follower", status.Json["role"]!.GetValue<string>());
            Assert.False(status.Json["swim_raft"]!["swim"]!["available"]!.GetValue<bool>());
            Assert.Equal("http", status.Json["swim_raft"]!["membership_mode"]!.GetValue<string>());
            Assert.Equal("bully", status.Json["swim_raft"]!["consensus_mode"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task NodeJoiningThroughOneSeed_LearnsEveryPeer()
    {
        await using var cluster = await InProcessCluster.StartAsync(2);
        var late = await cluster.StartNodeAsync("node-0", LoopbackPorts.Free(1)[0], $"127.0.0.1:{cluster.Nodes[0].Port}");

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonNode? status = null;
        while (DateTime.UtcNow < deadline)
        {
            status = (await Http.GetAsync(late.Url, "status")).Json;
            if (status?["alive_peers"]?.GetValue<int>() == 2) break;
            await Task.Delay(100);
        }
        Assert.Equal(2, status!["alive_peers"]!.GetValue<int>());
        Assert.NotNull(status["peers"]!["node-2"]);
    }

    [Fact]
    public async Task WorkAddedOnAFollower_IsClaimedOnAnother_AndCompletedOnTheLeader()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        var leader = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20));
        var followers = cluster.Nodes.Where(n => n != leader).ToArray();

        var added = await Http.PostAsync(followers[0].Url, "work/add",
            """{"work_type":"selfplay","priority":70,"config":{"board_type":"hex8","num_players":2}}""");
        Assert.Equal(200, added.Status);
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

/// <summary>A node outside the named voters holds no replica; its /status shows the leader's queue counts.</summary>
public sealed class NonVoterTests
{
    [Fact]
    public async Task NonVoter_NeverLeads_AndShowsTheLeadersQueueCounts()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, new Dictionary<string, string?> { ["RINGRIFT_P2P_VOTERS"] = "node-1,node-2" });
        var observer = await cluster.StartNodeAsync("node-9", LoopbackPorts.Free(1)[0], $"127.0.0.1:{cluster.Nodes[0].Port}");
        var leader = await cluster.WaitForSingleLeaderAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("node-2", leader.Id); // node-9 has the highest id but is not a voter

        Assert.Equal(200, (await Http.PostAsync(observer.Url, "work/add", """{"work_type":"evaluation"}""")).Status);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        int total = 0;
        while (DateTime.UtcNow < deadline && total != 1)
        {
            total = (await Http.GetAsync(observer.Url, "status")).Json!["work_queue"]!["total"]!.GetValue<int>();
            await Task.Delay(100);
        }
        Assert.Equal(1, total);
        Assert.False(observer.Election.IsLeader);
        var status = (await Http.GetAsync(observer.Url, "status")).Json!;
        Assert.False(status["voters"]!["self_is_voter"]!.GetValue<bool>());
        Assert.Equal($"127.0.0.1:{leader.Port}", status["work_queue"]!["leader_address"]!.GetValue<string>());
    }
}
