using System.Text.Json.Nodes;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// Issue 16 §2, the Raft write-ahead log (<c>raft/wal/data/0</c>) damaged while a single-member Raft node
/// is stopped: a torn tail past the last flushed entry (what a crash in the middle of a write leaves) is
/// ignored and every acknowledged item is kept; an entry damaged inside the flushed log is skipped and
/// counted in <c>/raft/status</c> <c>corrupt_entries</c>.
/// </summary>
public sealed class RaftLogDamageTests
{
    private const int Items = 20;

    /// <summary>Starts a one-member Raft node, adds <see cref="Items"/> items, stops it, damages the log with <paramref name="damage"/>, starts it again.</summary>
    private static async Task<(InProcessCluster Cluster, ClusterNode Node)> RestartWithDamagedLogAsync(Action<string, int> damage)
    {
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings) { ["RINGRIFT_RAFT_ENABLED"] = "true", ["RINGRIFT_CONSENSUS_MODE"] = "raft" };
        var cluster = await InProcessCluster.StartAsync(0, env);
        var ports = TestPorts.Free(2);
        var raftPeers = $"127.0.0.1:{ports[1]}";
        var node = await cluster.StartNodeAsync("node-1", ports[0], "", raftPort: ports[1], raftPeers: raftPeers);
        node = await cluster.WaitForLeaderAsync();
        for (var i = 0; i < Items; i++)
        {
            var added = await Http.PostAsync(node.Url, "work/add", new JsonObject { ["work_id"] = $"w-{i}", ["work_type"] = "selfplay" });
            Assert.True(added.Status == 200, added.Text);
        }
        var data = Path.Combine(node.Services.GetRequiredService<NodeOptions>().DataDir, "raft", "wal", "data", "0");
        await node.DisposeAsync();
        cluster.Nodes.Remove(node);

        var bytes = await File.ReadAllBytesAsync(data); // a preallocated chunk: the entries, then zeros
        var end = Array.FindLastIndex(bytes, b => b != 0) + 1;
        Assert.True(end > 100, $"the log's data chunk ends at byte {end}");
        damage(data, end);

        await cluster.StartNodeAsync("node-1", ports[0], "", raftPort: ports[1], raftPeers: raftPeers);
        return (cluster, await cluster.WaitForLeaderAsync());
    }

    private static void Write(string path, long at, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Open);
        file.Position = at;
        file.Write(bytes);
    }

    [Fact]
    public async Task TornTailPastTheLastFlushedEntry_IsIgnored_AndEveryAcknowledgedItemIsKept()
    {
        var garbage = new byte[300];
        new Random(16).NextBytes(garbage);
        var (cluster, node) = await RestartWithDamagedLogAsync((data, end) => Write(data, end, garbage));
        await using var _ = cluster;

        for (var i = 0; i < Items; i++)
            Assert.Equal(200, (await Http.GetAsync(node.Url, $"work/w-{i}")).Status);
        Assert.Equal(200, (await Http.PostAsync(node.Url, "work/add", new JsonObject { ["work_id"] = "after", ["work_type"] = "selfplay" })).Status);
        Assert.Equal(0, (await Http.GetAsync(node.Url, "raft/status")).Json!["node"]!["corrupt_entries"]!.GetValue<long>());
    }

    [Fact]
    public async Task EntryDamagedInsideTheFlushedLog_TheNodeStarts_AndReportsItInCorruptEntries()
    {
        var (cluster, node) = await RestartWithDamagedLogAsync((data, end) => Write(data, end - 40, new byte[40]));
        await using var _ = cluster;

        var status = (await Http.GetAsync(node.Url, "raft/status")).Json!;
        Assert.Equal(1, status["node"]!["corrupt_entries"]!.GetValue<long>());
        Assert.Equal(200, (await Http.GetAsync(node.Url, "work/w-0")).Status);
        Assert.Equal(200, (await Http.PostAsync(node.Url, "work/add", new JsonObject { ["work_id"] = "after", ["work_type"] = "selfplay" })).Status);
    }
}
