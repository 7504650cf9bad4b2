using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>
/// Issue 16 §2, damaged files in the data dir, one test per file on a real node (Kestrel on 127.0.0.1):
/// the node either starts and repairs the file, or refuses to start with a message naming the file and
/// the fix — and following that fix, it starts and serves again.
/// </summary>
public sealed class DataDirDamageTests
{
    private static string DataDirOf(ClusterNode node) => node.Services.GetRequiredService<NodeOptions>().DataDir;

    private static async Task AddAsync(ClusterNode node, string workId)
    {
        var added = await Http.PostAsync(node.Url, "work/add", new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay", ["config"] = new JsonObject { ["board"] = new string('x', 400) } });
        Assert.True(added.Status == 200, $"add of {workId} answered {added.Status}: {added.Text}");
    }

    /// <summary>One node that leads and serves, with <paramref name="items"/> items added.</summary>
    private static async Task<(InProcessCluster Cluster, ClusterNode Node)> StartWithItemsAsync(int items)
    {
        var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var node = await cluster.WaitForLeaderAsync();
        for (var i = 0; i < items; i++) await AddAsync(node, $"w-{i}");
        return (cluster, node);
    }

    /// <summary>The restart with <paramref name="damage"/> is refused; the message names the file and says <paramref name="fix"/>.</summary>
    private static async Task<string> AssertRefusedAsync(InProcessCluster cluster, ClusterNode node, Action<string> damage, string file, string fix)
    {
        var dataDir = DataDirOf(node);
        var error = await Assert.ThrowsAsync<DataDirFormatException>(() => cluster.RestartNodeAsync(node, "", damage));
        Assert.Contains(Path.Combine(dataDir, file), error.Message);
        Assert.Contains(fix, error.Message);
        return dataDir;
    }

    private static async Task<ClusterNode> StartAgainServingAsync(InProcessCluster cluster, ClusterNode stopped)
    {
        await cluster.StartNodeAsync(stopped.Id, stopped.Port, "");
        var node = await cluster.WaitForLeaderAsync();
        await AddAsync(node, "after");
        return node;
    }

    [Fact]
    public async Task WorkQueueDb_WithATruncatedPage_IsRefused_AndMovedAside_TheNodeServesAgain()
    {
        var (cluster, node) = await StartWithItemsAsync(60);
        await using var _ = cluster;
        string? queue = null;

        var dataDir = await AssertRefusedAsync(cluster, node, dir =>
        {
            queue = Path.Combine(dir, DataDirFiles.Queue);
            var length = new FileInfo(queue).Length;
            Assert.True(length >= 4 * 4096, $"the queue file has only {length} bytes");
            using var file = new FileStream(queue, FileMode.Open);
            file.SetLength(length / 2 + 100); // the last half of the pages gone, one of them cut in the middle
        }, DataDirFiles.Queue, "is damaged (SQLite: ");

        File.Move(queue!, queue + ".damaged"); // the fix the message gives (a lone node has no other copy to get back)
        await StartAgainServingAsync(cluster, node);
        Assert.True(File.Exists(Path.Combine(dataDir, DataDirFiles.Queue + ".damaged")));
    }

    [Fact]
    public async Task WorkQueueWal_WithATornTail_TheNodeStarts_KeepingEveryCommitBeforeIt()
    {
        var (cluster, node) = await StartWithItemsAsync(20);
        await using var _ = cluster;
        // A crash image: the database file and its write-ahead log as they are on disk while the node runs.
        var queue = Path.Combine(DataDirOf(node), DataDirFiles.Queue);
        Assert.True(File.Exists(queue + "-wal"), "the running node has no write-ahead log");
        var db = await File.ReadAllBytesAsync(queue);
        var wal = await File.ReadAllBytesAsync(queue + "-wal");
        Assert.True(wal.Length > 4096, $"the write-ahead log holds {wal.Length} bytes");

        var again = await cluster.RestartNodeAsync(node, "", dir =>
        {
            var path = Path.Combine(dir, DataDirFiles.Queue);
            File.Delete(path + "-shm");
            File.WriteAllBytes(path, db);
            File.WriteAllBytes(path + "-wal", wal[..^100]); // the last frame torn
        });

        var serving = await cluster.WaitForLeaderAsync();
        Assert.Same(again, serving);
        for (var i = 0; i < 19; i++) // the last add's commit may be the torn one; every earlier one is whole
            Assert.Equal(200, (await Http.GetAsync(serving.Url, $"work/w-{i}")).Status);
        await AddAsync(serving, "after");
    }

    [Fact]
    public async Task PeersJson_Garbage_TheNodeStarts_IgnoresIt_AndRewritesItWhole()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, InProcessCluster.SteadyTimings);
        await cluster.WaitForLeaderAsync("node-2");
        var node = cluster["node-1"];
        var peers = $"127.0.0.1:{cluster["node-2"].Port}";

        node = await cluster.RestartNodeAsync(node, peers, dir => File.WriteAllBytes(Path.Combine(dir, DataDirFiles.Peers), [0x7b, 0x00, 0xff, 0x5b, 0x22]));

        await cluster.WaitForLeaderAsync("node-2");
        var path = Path.Combine(DataDirOf(node), DataDirFiles.Peers);
        await Eventually.Until(() =>
        {
            try { return JsonNode.Parse(File.ReadAllText(path)) is JsonArray list && list.Any(p => p?["node_id"]?.GetValue<string>() == "node-2"); }
            catch (JsonException) { return false; }
        }, "peers.json rewritten as a list naming node-2", InProcessCluster.ClusterWait);
    }

    /// <summary>
    /// A serving node with one item is restarted with <paramref name="file"/> holding <paramref name="garbage"/>:
    /// refused naming the file and <paramref name="fix"/>; after <paramref name="applyFix"/> (given the data dir
    /// and the epoch the node led at) it starts, serves, and still holds the item.
    /// </summary>
    private static async Task AssertRefusedThenServesAfterTheFixAsync(string file, string garbage, string fix, Action<string, long> applyFix)
    {
        var (cluster, node) = await StartWithItemsAsync(1);
        await using var _ = cluster;
        var epoch = node.Election.Snapshot.Epoch;

        var dataDir = await AssertRefusedAsync(cluster, node, dir => File.WriteAllText(Path.Combine(dir, file), garbage), file, fix);

        applyFix(dataDir, epoch);
        var again = await StartAgainServingAsync(cluster, node);
        Assert.Equal(200, (await Http.GetAsync(again.Url, "work/w-0")).Status);
    }

    [Fact]
    public Task VoterStateJson_Garbage_IsRefused_AndDeleted_TheNodeLeadsAgain() =>
        AssertRefusedThenServesAfterTheFixAsync(DataDirFiles.VoterState, "{\"holder\": ", "delete it and start the node again",
            (dir, _) => File.Delete(Path.Combine(dir, DataDirFiles.VoterState)));

    [Fact]
    public Task ReplicaFence_Garbage_IsRefused_AndRewrittenWithTheEpoch_TheNodeServesAgain() =>
        AssertRefusedThenServesAfterTheFixAsync(DataDirFiles.Fence, "\u0000\u0000garbage", "Write the cluster's current epoch into it",
            (dir, epoch) => File.WriteAllText(Path.Combine(dir, DataDirFiles.Fence), epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public Task FormatJson_Garbage_IsRefused_AndDeleted_TheNodeServesAgain() =>
        AssertRefusedThenServesAfterTheFixAsync(DataDirFormat.FileName, "]]", "delete the file and start the node again",
            (dir, _) => File.Delete(Path.Combine(dir, DataDirFormat.FileName)));

    [Fact]
    public async Task ReplicaPosition_Garbage_TheNodeStarts_CountsItAsZero_AndTheNextWriteRepairsIt()
    {
        var (cluster, node) = await StartWithItemsAsync(1);
        await using var _ = cluster;

        node = await cluster.RestartNodeAsync(node, "", dir => File.WriteAllText(Path.Combine(dir, DataDirFiles.Position), "not a number at all"));

        var serving = await cluster.WaitForLeaderAsync();
        await AddAsync(serving, "after");
        Assert.False(node.Services.GetRequiredService<WorkReplica>().IsBehind);
        var text = (await File.ReadAllTextAsync(Path.Combine(DataDirOf(node), DataDirFiles.Position))).Trim();
        Assert.True(long.TryParse(text, out var position) && position > 0, $"replica_position holds '{text}'");
    }
}
