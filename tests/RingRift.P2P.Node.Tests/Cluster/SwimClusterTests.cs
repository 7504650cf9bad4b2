using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Issue 3's "done when": RINGRIFT_SWIM_ENABLED=true RINGRIFT_MEMBERSHIP_MODE=swim on a cluster of
/// three real processes. Nodes get only SWIM seeds (no HTTP --peers), so every HTTP endpoint they use
/// for the election came from SWIM metadata. SIGKILL one node: the others mark it failed in SWIM
/// (SWIM §4.2 suspicion → failed; Lifeguard timeouts) and, if it led, elect another leader.
/// </summary>
public sealed class SwimClusterTests
{
    /// <summary>A loose bound for detection on a loaded 2-core machine; the timing goals are the bench's, not this test's.</summary>
    private static readonly TimeSpan DetectBound = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, string> SwimMode = new()
    {
        ["RINGRIFT_SWIM_ENABLED"] = "true",
        ["RINGRIFT_MEMBERSHIP_MODE"] = "swim",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Swim_mode_elects_over_SWIM_membership_and_a_killed_node_is_failed_on_the_others(bool killLeader)
    {
        using var cluster = ProcessCluster.Start(3, SwimMode, swim: true, httpPeers: false);
        var leaderId = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));

        foreach (var node in cluster.Nodes)
        {
            var swimStatus = (await Http.GetAsync(node.Url + "/", "swim/status")).Json!;
            Assert.Equal("swim", swimStatus["liveness_source"]!.GetValue<string>());
            Assert.Equal(2, swimStatus["alive_count"]!.GetValue<int>());
            var status = (await ProcessCluster.StatusAsync(node))!;
            Assert.Equal("swim", status["swim_raft"]!["membership_mode"]!.GetValue<string>());
            Assert.Equal(2, status["alive_peers"]!.GetValue<int>());
        }

        var victim = killLeader ? cluster.Nodes.Single(n => n.NodeId == leaderId) : cluster.Nodes.First(n => n.NodeId != leaderId);
        victim.Kill();
        var survivors = cluster.Nodes.Where(n => n != victim).ToArray();

        var deadline = DateTime.UtcNow + DetectBound;
        var views = new Dictionary<string, JsonNode>();
        while (DateTime.UtcNow < deadline)
        {
            foreach (var node in survivors) views[node.NodeId] = (await ProcessCluster.StatusAsync(node))!;
            if (views.Values.All(v => Failed(v) == 1)) break;
            await Task.Delay(100);
        }

        foreach (var (id, view) in views)
        {
            Assert.True(Failed(view) == 1, $"{id} sees failed_count {Failed(view)} within {DetectBound}: {view["swim_raft"]}");
            Assert.False(view["peers"]![victim.NodeId]!["alive"]!.GetValue<bool>());
            Assert.Equal(1, view["alive_peers"]!.GetValue<int>());
        }

        var newLeader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(30), not: killLeader ? leaderId : null);
        Assert.NotEqual(victim.NodeId, newLeader);
        if (!killLeader) Assert.Equal(leaderId, newLeader); // a follower's death does not unseat the leader
        var members = (await Http.GetAsync(survivors[0].Url + "/", "swim/members")).Json!["members"]!.AsArray();
        Assert.Equal("dead", members.Single(m => m!["node_id"]!.GetValue<string>() == victim.NodeId)!["state"]!.GetValue<string>());
    }

    private static int Failed(JsonNode status) => status["swim_raft"]!["swim"]!["failed_count"]!.GetValue<int>();
}
