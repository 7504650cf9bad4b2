using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Issue 16 §3 on real nodes (Kestrel on 127.0.0.1, <see cref="InProcessCluster.SteadyTimings"/>): node-1's
/// work_queue.db is restored from a backup older than items it acknowledged, and the leader that held them
/// too stops, so node-1 is in the next majority. The next leader does not serve without those items; once
/// the stopped node is back, the cluster serves every acknowledged item and node-1 is whole again.
/// The deterministic cases (and the same scenario failing before the fix) are in
/// Coordination/RestoredQueueTests.
/// </summary>
public sealed class RestoredQueueNodeTests
{
    private static readonly string[] Acked = ["acked-1", "acked-2", "acked-3"];

    private static string PeersOf(InProcessCluster cluster, string id) =>
        string.Join(',', cluster.Nodes.Where(n => n.Id != id).Select(n => $"127.0.0.1:{n.Port}"));

    private static string QueueFile(string dataDir) => Path.Combine(dataDir, "work_queue.db");

    private static async Task AddAsync(ClusterNode leader, string workId)
    {
        var added = await Http.PostAsync(leader.Url, "work/add", new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay" });
        Assert.True(added.Status == 200, $"add of {workId} answered {added.Status}: {added.Text}");
    }

    /// <summary>Every running node that serves the queue answers every acknowledged item (none is lost).</summary>
    private static async Task AssertServersHoldEveryItemAsync(InProcessCluster cluster)
    {
        foreach (var node in cluster.Nodes.Where(n => n.Running && n.Queue.ActiveEpoch is not null))
        {
            foreach (var id in Acked)
            {
                var item = await Http.GetAsync(node.Url, $"work/{id}");
                Assert.True(item.Status is 200 or 503, $"{node.Id} serves the queue but answers {item.Status} for {id}: {item.Text}");
            }
        }
    }

    [Fact]
    public async Task QueueFileRestoredFromAnOldBackup_OnANodeInTheNextMajority_NoAcknowledgedItemIsLost()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, InProcessCluster.SteadyTimings);
        var leader = await cluster.WaitForLeaderAsync("node-3");
        await AddAsync(leader, "old");

        // A backup of node-1's queue file, taken while the node is stopped (so the file is whole).
        byte[]? backup = null;
        await cluster.RestartNodeAsync(cluster["node-1"], PeersOf(cluster, "node-1"), dir => backup = File.ReadAllBytes(QueueFile(dir)));
        await cluster.WaitForLeaderAsync("node-3");

        // node-2 is cut off: node-3 and node-1 alone acknowledge the next items.
        var away = cluster["node-2"];
        cluster.Links.Partition([away.Port], cluster.Nodes.Where(n => n != away).Select(n => n.Port));
        foreach (var id in Acked) await AddAsync(leader, id);

        // node-1 restarts on the old file; node-2 comes back; node-3, the other holder of the items, stops.
        var restored = await cluster.RestartNodeAsync(cluster["node-1"], PeersOf(cluster, "node-1"), dir =>
        {
            foreach (var leftover in new[] { "-wal", "-shm" }) File.Delete(QueueFile(dir) + leftover);
            File.WriteAllBytes(QueueFile(dir), backup!);
        });
        cluster.Links.HealAll();
        await cluster["node-3"].StopAsync();

        // node-2 is elected by node-1 and itself, syncs them, learns node-1 is behind and does not serve.
        await Eventually.Until(() => cluster["node-2"].Election.IsLeader && restored.Services.GetRequiredService<WorkReplica>().IsBehind,
            "node-2 leads the election and node-1 has answered its sync as behind", InProcessCluster.ClusterWait);
        var watchUntil = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < watchUntil)
        {
            await AssertServersHoldEveryItemAsync(cluster);
            await Task.Delay(100);
        }

        // node-3 is back: the cluster serves every acknowledged item, and node-1 holds them again.
        await cluster.RestartNodeAsync(cluster["node-3"], PeersOf(cluster, "node-3"));
        var serving = await cluster.WaitForLeaderAsync();
        foreach (var id in Acked.Append("old"))
        {
            var item = await Http.GetAsync(serving.Url, $"work/{id}");
            Assert.True(item.Status == 200, $"{serving.Id} lost {id}: {item.Status} {item.Text}");
        }
        await Eventually.Until(() => !restored.Services.GetRequiredService<WorkReplica>().IsBehind,
            "the new leader copied the queue back to node-1", InProcessCluster.ClusterWait);
        foreach (var id in Acked) Assert.NotNull(await restored.Services.GetRequiredService<WorkReplica>().Store.GetWorkAsync(id));
        Assert.True(File.Exists(Path.Combine(restored.Services.GetRequiredService<NodeOptions>().DataDir, "replica_position")));
    }
}
