using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Metrics;

/// <summary>GET /metrics on a 3-node cluster: each node exports its own instruments (no node's in another's), and the values match /status.</summary>
public sealed class MetricsEndpointTests
{
    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(string url, string? token = null)
    {
        var answer = await Http.GetAsync(url, "metrics", token);
        Assert.Equal(200, answer.Status);
        return PrometheusText.Parse(answer.Text);
    }

    [Fact]
    public async Task Every_node_exports_its_own_leadership_and_membership_and_needs_no_token()
    {
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_CLUSTER_AUTH_TOKEN"] = "metrics-secret" };
        await using var cluster = await InProcessCluster.StartAsync(3, env);
        var leader = await cluster.WaitForLeaderAsync();

        foreach (var node in cluster.Nodes)
        {
            var samples = await Eventually.Until(() => ScrapeAsync(node.Url),
                s => s.Single(x => x.Name == "ringrift_p2p_members" && x["source"] == "http" && x["state"] == "alive").Value == 2,
                $"{node.Id}'s /metrics counting both peers alive", InProcessCluster.ClusterWait);

            var isLeader = Assert.Single(samples, s => s.Name == "ringrift_p2p_is_leader");
            Assert.Equal(node.Id == leader.Id ? 1 : 0, isLeader.Value);
            Assert.Equal(0, samples.Single(s => s.Name == "ringrift_p2p_consensus_fallback").Value);
            Assert.True(samples.Single(s => s.Name == "ringrift_p2p_leader_changes_total" && s["consensus"] == "bully").Value >= 1);
            Assert.Contains(samples, s => s.Name == "dotnet_gc_collections_total");
            Assert.Contains(samples, s => s.Name == "dotnet_process_memory_working_set_bytes");
        }
        var requests = await ScrapeAsync(leader.Url); // peers' heartbeats are requests the leader has served
        Assert.Contains(requests, s => s.Name == "http_server_request_duration_seconds_count" && s["http_route"] == "/heartbeat" && s.Value > 0);
    }
}
