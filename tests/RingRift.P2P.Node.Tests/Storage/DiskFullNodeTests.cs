using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Storage;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Storage;

/// <summary>
/// A node whose data dir is a small tmpfs that fills up (issue 16 §2): writes answer 507
/// INSUFFICIENT_STORAGE naming the full path, <c>/status</c> and <c>/health</c> flag it, a
/// <c>storage_full</c> webhook goes out, the leader keeps leading and serving reads, and when space
/// returns the next write succeeds, the flag clears and <c>storage_recovered</c> goes out; every add
/// that was acknowledged is still there. Once with the SQLite queue (Bully), once with Raft.
/// </summary>
[Trait("Category", TmpfsMount.Category)]
public sealed class DiskFullNodeTests
{
    /// <summary>Big enough for a node's files and a 256 KiB reserve, small enough to fill in an instant.</summary>
    private const int MountKiB = 4096;

    [Theory]
    [InlineData("bully")]
    [InlineData("raft")]
    public async Task FullDataDir_RefusesWritesWith507AndFlags_KeepsServingReads_RecoversWhenSpaceReturns(string consensus)
    {
        await using var mount = await TmpfsMount.CreateAsync(MountKiB);
        await using var hook = await WebhookSink.StartAsync();
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings)
        {
            ["RINGRIFT_P2P_STORAGE_RESERVE_MB"] = "0.25",
            ["RINGRIFT_WEBHOOK_URL"] = hook.Url,
            ["RINGRIFT_WEBHOOK_EVENTS"] = "storage_full,storage_recovered",
        };
        int? raftPort = null;
        if (consensus == "raft")
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
            raftPort = TestPorts.Free();
        }
        await using var cluster = await InProcessCluster.StartAsync(0, env);
        var node = await cluster.StartNodeAsync("node-1", TestPorts.Free(), "", raftPort: raftPort,
            raftPeers: raftPort is { } rp ? $"127.0.0.1:{rp}" : null, dataDir: Path.Combine(mount.Path, "node-1"));
        var acknowledged = new List<string>();
        for (var i = 0; i < 5; i++) acknowledged.Add(await AddUntilAcceptedAsync(node, i));

        mount.Fill();
        // No write asked for yet: the leader's lease renewals meet the full disk first, and must neither fail nor go unnoticed.
        await Eventually.Until(async () => (await Http.GetAsync(node.Url, "/status")).Json!["storage"]!["full"]!.GetValue<bool>(),
            "storage.full in /status, set by a lease renewal on the full disk", InProcessCluster.ClusterWait);
        var full = await Eventually.Until(() => hook.Bodies.FirstOrDefault(b => b["event"]?.GetValue<string>() == "storage_full"),
            b => b is not null, "a storage_full webhook");
        Assert.Equal("node-1", full!["payload"]!["node_id"]!.GetValue<string>());
        Assert.StartsWith(mount.Path, full["payload"]!["path"]!.GetValue<string>());
        var health = (await Http.GetAsync(node.Url, "/health")).Json!;
        Assert.True(health["storage"]!["full"]!.GetValue<bool>());
        Assert.False(health["healthy"]!.GetValue<bool>());

        // Two lease lengths full: the lease is renewed in the reserve's room, so the node still leads and reads work.
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Equal("leader", (await Http.GetAsync(node.Url, "/status")).Json!["role"]!.GetValue<string>());
        AssertAllListed(await ListAsync(node), acknowledged);

        var refused = await AddAsync(node, 100);
        Assert.Equal(507, refused.Status);
        Assert.Equal("INSUFFICIENT_STORAGE", refused.Code);
        Assert.Contains(mount.Path, refused.Error);
        Assert.Contains("no space left on device", refused.Error);
        Assert.True((await Http.GetAsync(node.Url, "/status")).Json!["storage"]!["refused_writes"]!.GetValue<long>() >= 1);

        mount.Free();
        acknowledged.Add(await AddUntilAcceptedAsync(node, 1000));
        Assert.False((await Http.GetAsync(node.Url, "/status")).Json!["storage"]!["full"]!.GetValue<bool>());
        Assert.True((await Http.GetAsync(node.Url, "/health")).Json!["healthy"]!.GetValue<bool>());
        await Eventually.Until(() => hook.Events.Contains("storage_recovered"), "a storage_recovered webhook");
        Assert.Equal(["storage_full", "storage_recovered"], hook.Events);
        AssertAllListed(await ListAsync(node), acknowledged);
    }

    private static Task<Http.Answer> AddAsync(ClusterNode node, int n) =>
        Http.PostAsync(node.Url, "/work/add", new JsonObject
        {
            ["work_type"] = "selfplay",
            ["config"] = new JsonObject { ["n"] = n, ["pad"] = new string('x', 4000) },
        });

    /// <summary>Adds until the node answers 200 (it may not lead yet, or not have recovered yet); returns the work id.</summary>
    private static async Task<string> AddUntilAcceptedAsync(ClusterNode node, int n)
    {
        var answer = await Eventually.Until(() => AddAsync(node, n), a => a.Status == 200, $"add #{n} accepted", InProcessCluster.ClusterWait);
        return WorkId(answer);
    }

    private static string WorkId(Http.Answer answer) => answer.Json!["work_id"]!.GetValue<string>();

    private static async Task<IReadOnlyList<string>> ListAsync(ClusterNode node)
    {
        var answer = await Http.GetAsync(node.Url, "/work?limit=1000");
        Assert.Equal(200, answer.Status);
        return answer.Json!["items"]!.AsArray().Select(i => i!["work_id"]!.GetValue<string>()).ToArray();
    }

    private static void AssertAllListed(IReadOnlyList<string> listed, IReadOnlyList<string> acknowledged)
    {
        var missing = acknowledged.Except(listed).ToArray();
        Assert.True(missing.Length == 0, $"acknowledged adds missing: {string.Join(", ", missing)}");
    }
}
