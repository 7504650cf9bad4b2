using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Issue 3's "done when": RINGRIFT_SWIM_ENABLED=true RINGRIFT_MEMBERSHIP_MODE=swim on a cluster of
/// three real processes. Nodes get only SWIM seeds (no HTTP --peers), so every HTTP endpoint they use
/// for the election came from SWIM metadata. SIGKILL one node: the others mark it failed in SWIM
/// (SWIM §4.2 suspicion → failed; Lifeguard timeouts) and, if it led, elect another leader.
/// </summary>
/// <remarks>How fast a killed node is detected belongs to the <c>swim-kill</c> benchmark, not to this test.</remarks>
public sealed class SwimClusterTests
{
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
        var leaderId = await cluster.WaitForLeaderAsync(); // the highest voter alive when the first lease was granted, and it keeps it

        foreach (var node in cluster.Nodes)
        {
            // SWIM converges on its own schedule (a majority suffices to elect): wait until this node sees both others.
            var swimStatus = await Eventually.Until(async () => (await Http.GetAsync(node.Url + "/", "swim/status")).Json!,
                s => s["alive_count"]?.GetValue<int>() == 2, $"{node.NodeId}'s SWIM to see both other nodes alive", ProcessCluster.ProcessWait);
            Assert.Equal("swim", swimStatus["liveness_source"]!.GetValue<string>());
            var status = await Eventually.Until(() => ProcessCluster.StatusAsync(node), s => s?["alive_peers"]?.GetValue<int>() == 2,
                $"{node.NodeId}'s /status to count both other nodes alive", ProcessCluster.ProcessWait);
            Assert.Equal("swim", status!["swim_raft"]!["membership_mode"]!.GetValue<string>());
        }

        var victim = killLeader ? cluster.Nodes.Single(n => n.NodeId == leaderId) : cluster.Nodes.First(n => n.NodeId != leaderId);
        victim.Kill();
        var survivors = cluster.Nodes.Where(n => n != victim).ToArray();

        var views = await Eventually.Until(() => ViewsOfAsync(survivors, victim), v => v.Values.All(s => s.Failed == 1),
            $"both survivors' SWIM to count the killed {victim.NodeId} failed", ProcessCluster.ProcessWait);
        foreach (var (id, view) in views)
        {
            Assert.False(view.VictimAlive, $"{id} still counts {victim.NodeId} alive: {view}");
            Assert.Equal(1, view.AlivePeers);
        }

        var newLeader = await cluster.WaitForLeaderAsync(not: killLeader ? leaderId : null);
        Assert.NotEqual(victim.NodeId, newLeader);
        if (!killLeader) Assert.Equal(leaderId, newLeader); // a follower's death does not unseat the leader
        var members = (await Http.GetAsync(survivors[0].Url + "/", "swim/members")).Json!["members"]!.AsArray();
        Assert.Equal("dead", members.Single(m => m!["node_id"]!.GetValue<string>() == victim.NodeId)!["state"]!.GetValue<string>());
    }

    /// <summary>One survivor's /status about the victim: SWIM's failed count, whether the victim counts alive, how many peers do.</summary>
    private sealed record View(int Failed, bool VictimAlive, int AlivePeers);

    private static async Task<Dictionary<string, View>> ViewsOfAsync(IEnumerable<ChildNode> survivors, ChildNode victim)
    {
        var views = new Dictionary<string, View>();
        foreach (var node in survivors)
        {
            var status = (await ProcessCluster.StatusAsync(node))!;
            views[node.NodeId] = new View(
                status["swim_raft"]!["swim"]!["failed_count"]!.GetValue<int>(),
                status["peers"]![victim.NodeId]!["alive"]!.GetValue<bool>(),
                status["alive_peers"]!.GetValue<int>());
        }
        return views;
    }
}
