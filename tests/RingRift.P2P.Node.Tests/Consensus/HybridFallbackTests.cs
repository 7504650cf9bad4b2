using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Faults;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// CONSENSUS_MODE=hybrid: Raft unreachable (every Raft link cut by the fault proxies, HTTP intact)
/// → Bully + SQLite takes the work → Raft back → the fallback items move into Raft exactly once.
/// </summary>
[Collection(RaftProcessCollection.Name)]
public sealed class HybridFallbackTests
{
    private static readonly TimeSpan Within = RaftProcessCluster.ProcessWait;

    [Fact]
    public async Task WorkAddedWhileRaftIsDown_MovesIntoRaftOnceItIsBack()
    {
        var (mesh, cluster) = await RaftFaultScheduleTests.StartAsync(new Dictionary<string, string> { ["RINGRIFT_CONSENSUS_MODE"] = "hybrid" });
        await using var _ = mesh;
        using var __ = cluster;
        await cluster.WaitForLeaderAsync();
        var url = cluster.Nodes[0].Url + "/";
        await WaitForActiveAsync(cluster, "raft");
        Assert.Equal(200, (await RaftRollbackTests.RetryUnavailableAsync(() => Http.PostAsync(url, "work/add", new JsonObject { ["work_id"] = "in-raft", ["work_type"] = "selfplay" }))).Status);

        await CutRaftAsync(mesh, cluster);
        var coordinator = (await Http.GetAsync(url, "coordinator/status")).Json!;
        Assert.Equal("bully", coordinator["active_consensus"]!.GetValue<string>());
        Assert.Contains("raft", coordinator["fallback_reason"]!.GetValue<string>());
        for (var i = 0; i < 10; i++)
            await AddAsync(url, new JsonObject { ["work_id"] = $"fb-{i}", ["work_type"] = "training" });

        // Claimed from SQLite during the fallback: its worker keeps it until its 1 s timeout, then it moves too.
        await AddAsync(url, new JsonObject { ["work_id"] = "fb-claimed", ["work_type"] = "sync", ["timeout_seconds"] = 1 });
        var sqliteClaim = (await RaftRollbackTests.RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=cpu&capabilities=sync"))).Json!;
        Assert.Equal("fb-claimed", sqliteClaim["work"]!["work_id"]!.GetValue<string>());
        Assert.Null(sqliteClaim["fencing_token"]); // SQLite issues no tokens

        mesh.Heal();
        await WaitForActiveAsync(cluster, "raft");
        var items = await ListAsync(cluster, url, listed => listed.Count == 12, "the 12 items in Raft");
        var ids = items.Select(i => i!["work_id"]!.GetValue<string>()).OrderBy(i => i, StringComparer.Ordinal).ToList();
        Assert.Equal(["fb-0", "fb-1", "fb-2", "fb-3", "fb-4", "fb-5", "fb-6", "fb-7", "fb-8", "fb-9", "fb-claimed", "in-raft"], ids);
        Assert.All(items, i => Assert.Equal("pending", i!["status"]!.GetValue<string>()));

        // Once in Raft, a moved item is Raft's alone: completing it there is final; later migrator passes do not bring it back.
        var claim = (await RaftRollbackTests.RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=gpu&capabilities=training&command_id=fallback-moved-claim"))).Json!;
        var moved = claim["work"]!["work_id"]!.GetValue<string>();
        Assert.Equal(200, (await Http.PostAsync(url, "work/complete", new JsonObject { ["work_id"] = moved, ["fencing_token"] = claim["fencing_token"]!.GetValue<string>() })).Status);

        // A second fallback's item reaching Raft proves a migrator pass ran after that completion.
        await CutRaftAsync(mesh, cluster);
        await AddAsync(url, new JsonObject { ["work_id"] = "fb-late", ["work_type"] = "selfplay" });
        mesh.Heal();
        await WaitForActiveAsync(cluster, "raft");
        var after = await ListAsync(cluster, url, listed => listed.Any(i => i!["work_id"]!.GetValue<string>() == "fb-late"), "fb-late to move into Raft");
        Assert.Equal(13, after.Count);
        Assert.Equal("completed", after.Single(i => i!["work_id"]!.GetValue<string>() == moved)!["status"]!.GetValue<string>());
    }

    /// <summary>Cuts every Raft link through the proxies (HTTP stays up) and waits until every node serves through Bully.</summary>
    private static async Task CutRaftAsync(ProxyMesh mesh, RaftProcessCluster cluster)
    {
        foreach (var node in mesh.Nodes) mesh.ProxyOf(node).BlockAll();
        await WaitForActiveAsync(cluster, "bully");
    }

    /// <summary>Waits until every live node's /status names <paramref name="mode"/> as the active consensus.</summary>
    private static Task WaitForActiveAsync(RaftProcessCluster cluster, string mode) =>
        Eventually.Until(() => ActiveViewsAsync(cluster), views => views.Count > 0 && views.All(v => v == mode),
            $"every node to serve through {mode}", Within);

    /// <summary>Each live node's active_consensus ("no answer" when it does not answer).</summary>
    private static async Task<IReadOnlyList<string>> ActiveViewsAsync(RaftProcessCluster cluster)
    {
        var views = new List<string>();
        foreach (var node in cluster.Live)
        {
            try { views.Add((await Http.GetAsync(node.Url + "/", "status")).Json?["swim_raft"]?["active_consensus"]?.GetValue<string>() ?? "none"); }
            catch (HttpRequestException) { views.Add("no answer"); }
        }
        return views;
    }

    /// <summary>
    /// Adds an item, repeating until the node takes it; 409 DUPLICATE_WORK_ID means an earlier attempt
    /// whose answer was lost took it (the ids here are unique, and the final listing checks each once).
    /// </summary>
    private static Task AddAsync(string url, JsonObject body) =>
        Eventually.Until(() => Http.PostAsync(url, "work/add", body.DeepClone()),
            answer => answer.Status == 200 || answer is { Status: 409, Code: "DUPLICATE_WORK_ID" },
            $"work/add of {body["work_id"]} to be taken", Within);

    /// <summary>
    /// Lists every item until the listing satisfies <paramref name="done"/>. On timeout the failure gives each
    /// node's lines about moving work (the fallback migrator's) and its log's tail.
    /// </summary>
    private static async Task<JsonArray> ListAsync(RaftProcessCluster cluster, string url, Func<JsonArray, bool> done, string what)
    {
        try
        {
            return (await Eventually.Until(async () =>
                {
                    var answer = await Http.GetAsync(url, "work?limit=1000");
                    return answer.Status == 200 ? answer.Json!["items"]!.AsArray() : null;
                },
                listed => listed is not null && done(listed), what, Within))!;
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException(e.Message + "\nlogs:\n" + string.Join("\n----\n", cluster.Nodes.Select(n => $"{n.NodeId}:\n{MigratorLines(n)}\n(tail)\n{cluster.Tail(n)}")));
        }
    }

    /// <summary>The node's last 40 log lines about moving work between the queues and switching consensus, from the whole log.</summary>
    private static string MigratorLines(ChildNode node) => RaftProcessCluster.LogLines(node, ["igrat", "fallback", "Fallback", "consensus", "moved"], 40);
}
