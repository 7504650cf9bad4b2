using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>A node outside the named voters holds no replica; its /status shows the leader's queue counts.</summary>
public sealed class NonVoterTests
{
    [Fact]
    public async Task NonVoter_NeverLeads_AndShowsTheLeadersQueueCounts()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_P2P_VOTERS"] = "node-1,node-2" });
        var observer = await cluster.StartNodeAsync("node-9", TestPorts.Free(), $"127.0.0.1:{cluster.Nodes[0].Port}");
        var leader = await cluster.WaitForLeaderAsync("node-2"); // node-9 has the highest id but is not a voter

        var added = await Http.PostAsync(observer.Url, "work/add", """{"work_type":"evaluation"}""");
        Assert.True(added.Status == 200, $"work/add on node-9 answered {added.Status}: {added.Text}");

        var status = await Eventually.Until(async () => (await Http.GetAsync(observer.Url, "status")).Json!,
            s => s["work_queue"]?["total"]?.GetValue<int>() == 1, "node-9's /status to count the one item in the leader's queue", InProcessCluster.ClusterWait);
        Assert.False(observer.Election.IsLeader);
        Assert.False(status["voters"]!["self_is_voter"]!.GetValue<bool>());
        Assert.Equal($"127.0.0.1:{leader.Port}", status["work_queue"]!["leader_address"]!.GetValue<string>());
    }
}
