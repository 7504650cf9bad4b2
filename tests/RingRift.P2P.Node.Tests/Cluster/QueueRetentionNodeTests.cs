using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Tests.Metrics;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Three real nodes (in-process, real HTTP) with <c>RINGRIFT_QUEUE_RETENTION=1</c>, in Bully + quorum SQLite mode
/// and in Raft mode: finished items leave <c>/work</c> and every node's copy of the queue (once past the 10 s
/// minimum age), while pending and claimed items and a finished training stay; the leader counts what it
/// pruned in <c>/status</c> <c>work_retention</c> and in <c>ringrift_p2p_work_pruned_total</c>.
/// </summary>
public sealed class QueueRetentionNodeTests
{
    private static readonly string[] Finished = ["done-1", "done-2", "failed"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FinishedItems_LeaveTheQueueOnEveryNode_UnfinishedOnesAndTrainingsStay(bool raft)
    {
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings)
        {
            ["RINGRIFT_QUEUE_RETENTION"] = "1",
            ["RINGRIFT_QUEUE_RETAIN_MAX"] = "0",
        };
        if (raft)
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
            env["RINGRIFT_RAFT_WARMUP"] = "false";
        }
        await using var cluster = await InProcessCluster.StartAsync(3, env, raftPorts: raft ? TestPorts.Free(3) : null);
        var url = cluster.Nodes[0].Url; // any node: work routes go to the leader

        foreach (var (id, type, attempts) in new[] { ("done-1", "selfplay", 3), ("done-2", "sync", 3), ("failed", "selfplay", 1), ("open", "selfplay", 3), ("held", "selfplay", 3), ("train-1", "training", 3) })
            await OkAsync(url, "work/add", new JsonObject { ["work_id"] = id, ["work_type"] = type, ["max_attempts"] = attempts });
        foreach (var id in new[] { "done-1", "done-2", "failed", "held", "train-1" })
            await OkAsync(url, "work/claim", new JsonObject { ["work_id"] = id, ["node_id"] = "gpu-1" });
        foreach (var id in new[] { "done-1", "done-2", "train-1" })
            await OkAsync(url, "work/complete", new JsonObject { ["work_id"] = id, ["node_id"] = "gpu-1", ["result"] = new JsonObject { ["games"] = 1 } });
        await OkAsync(url, "work/fail", new JsonObject { ["work_id"] = "failed", ["node_id"] = "gpu-1", ["error"] = "out of memory" });

        await Eventually.Until(async () => await ListedAsync(url, "completed") + " | " + await ListedAsync(url, "failed"),
            listed => listed == "train-1 | ", "the finished self-play and sync items to leave /work (completed | failed)", TimeSpan.FromMinutes(2));

        foreach (var id in Finished) Assert.Equal(404, (await GetAsync(url, $"work/{id}")).Status);
        Assert.Equal("pending", (await GetAsync(url, "work/open")).Json!["status"]!.GetValue<string>());
        Assert.Equal("claimed", (await GetAsync(url, "work/held")).Json!["status"]!.GetValue<string>());

        // Every node's own copy converges: no finished item but the training.
        foreach (var node in cluster.Nodes)
        {
            await Eventually.Until(() => LocalCountsAsync(node, raft), counts => counts == (1, 0, 3),
                $"{node.Id}'s own queue to hold the training and the two unfinished items (finished, failed, total)");
        }

        // The leader (or leaders, had it moved) counted every pruned item once.
        var statuses = await Task.WhenAll(cluster.Nodes.Select(n => GetAsync(n.Url, "status")));
        var retention = statuses.Select(s => s.Json!["work_retention"]!).ToList();
        Assert.All(retention, r => Assert.Equal((1.0, 0), (r["retention_seconds"]!.GetValue<double>(), r["retain_max"]!.GetValue<int>())));
        Assert.Equal(Finished.Length, retention.Sum(r => r["pruned"]!.GetValue<long>()));
        var metrics = await Task.WhenAll(cluster.Nodes.Select(n => GetAsync(n.Url, "metrics")));
        Assert.Equal(Finished.Length, metrics.SelectMany(m => PrometheusText.Parse(m.Text)).Where(s => s.Name == "ringrift_p2p_work_pruned_total").Sum(s => s.Value));
    }

    /// <summary>Finished, failed and total items in the node's own copy of the queue: its SQLite replica, or its Raft state.</summary>
    private static async Task<(int, int, int)> LocalCountsAsync(ClusterNode node, bool raft)
    {
        var stats = raft
            ? node.Services.GetRequiredService<RaftService>().Node!.ReadLocal(s => s.Stats())
            : await node.Services.GetRequiredService<SqliteWorkQueue>().GetQueueStatsAsync();
        return (stats.Completed, stats.Failed, stats.Total);
    }

    private static async Task<string> ListedAsync(string url, string status)
    {
        var answer = await GetAsync(url, $"work?status={status}");
        return string.Join(',', answer.Json!["items"]!.AsArray().Select(i => i!["work_id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    /// <summary>A read, asked again while no leader serves (503: the cluster is still electing, or leadership moved).</summary>
    private static Task<Http.Answer> GetAsync(string url, string path) =>
        Eventually.Until(() => Http.GetAsync(url, path), a => a.Status != 503, $"GET {path} served", InProcessCluster.ClusterWait);

    /// <summary>A write that must succeed, sent again while no leader serves (a 503 that says nothing was done).</summary>
    private static async Task OkAsync(string url, string path, JsonObject body)
    {
        var answer = await Eventually.Until(() => Http.PostAsync(url, path, body.DeepClone()), a => a.Status != 503,
            $"POST {path} served", InProcessCluster.ClusterWait);
        Assert.True(answer.Status == 200, $"POST {path} {body.ToJsonString()} answered {answer.Status}: {answer.Text}");
    }
}
