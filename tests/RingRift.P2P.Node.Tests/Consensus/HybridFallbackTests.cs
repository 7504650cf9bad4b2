using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// CONSENSUS_MODE=hybrid: Raft unreachable (every Raft link cut by the fault proxies, HTTP intact)
/// → Bully + SQLite takes the work → Raft back → the fallback items move into Raft exactly once.
/// </summary>
[Collection(RaftProcessCollection.Name)]
public sealed class HybridFallbackTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WorkAddedWhileRaftIsDown_MovesIntoRaftOnceItIsBack()
    {
        var (mesh, cluster) = await RaftFaultScheduleTests.StartAsync(new Dictionary<string, string> { ["RINGRIFT_CONSENSUS_MODE"] = "hybrid" });
        await using var _ = mesh;
        using var __ = cluster;
        await cluster.WaitForLeaderAsync(Within);
        var url = cluster.Nodes[0].Url + "/";
        await EventuallyAsync(async () => await ActiveAsync(cluster) == "raft");
        Assert.Equal(200, (await RaftRollbackTests.RetryUnavailableAsync(() => Http.PostAsync(url, "work/add", new JsonObject { ["work_id"] = "in-raft", ["work_type"] = "selfplay" }))).Status);

        foreach (var node in mesh.Nodes) mesh.ProxyOf(node).BlockAll();
        await EventuallyAsync(async () => await ActiveAsync(cluster) == "bully");
        var coordinator = (await Http.GetAsync(url, "coordinator/status")).Json!;
        Assert.Equal("bully", coordinator["active_consensus"]!.GetValue<string>());
        Assert.Contains("raft", coordinator["fallback_reason"]!.GetValue<string>());
        for (var i = 0; i < 10; i++)
            await EventuallyAsync(async () => (await Http.PostAsync(url, "work/add", new JsonObject { ["work_id"] = $"fb-{i}", ["work_type"] = "training" })).Status == 200);

        // Claimed from SQLite during the fallback: its worker keeps it until its 1 s timeout, then it moves too.
        await EventuallyAsync(async () => (await Http.PostAsync(url, "work/add", new JsonObject { ["work_id"] = "fb-claimed", ["work_type"] = "sync", ["timeout_seconds"] = 1 })).Status == 200);
        var sqliteClaim = (await RaftRollbackTests.RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=cpu&capabilities=sync"))).Json!;
        Assert.Equal("fb-claimed", sqliteClaim["work"]!["work_id"]!.GetValue<string>());
        Assert.Null(sqliteClaim["fencing_token"]); // SQLite issues no tokens

        mesh.Heal();
        await EventuallyAsync(async () => await ActiveAsync(cluster) == "raft");
        JsonArray items = [];
        await EventuallyAsync(async () =>
        {
            var answer = await Http.GetAsync(url, "work?limit=1000");
            if (answer.Status != 200) return false;
            items = answer.Json!["items"]!.AsArray();
            return items.Count == 12;
        });
        var ids = items.Select(i => i!["work_id"]!.GetValue<string>()).OrderBy(i => i, StringComparer.Ordinal).ToList();
        Assert.Equal(["fb-0", "fb-1", "fb-2", "fb-3", "fb-4", "fb-5", "fb-6", "fb-7", "fb-8", "fb-9", "fb-claimed", "in-raft"], ids);
        Assert.All(items, i => Assert.Equal("pending", i!["status"]!.GetValue<string>()));

        // Once in Raft, a moved item is Raft's alone: completing it there is final; later migrator passes do not bring it back.
        var claim = (await RaftRollbackTests.RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=gpu&capabilities=training"))).Json!;
        var moved = claim["work"]!["work_id"]!.GetValue<string>();
        Assert.Equal(200, (await Http.PostAsync(url, "work/complete", new JsonObject { ["work_id"] = moved, ["fencing_token"] = claim["fencing_token"]!.GetValue<string>() })).Status);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = (await Http.GetAsync(url, "work?limit=1000")).Json!["items"]!.AsArray();
        Assert.Equal(12, after.Count);
        Assert.Equal("completed", after.Single(i => i!["work_id"]!.GetValue<string>() == moved)!["status"]!.GetValue<string>());
    }

    private static async Task<string?> ActiveAsync(RaftProcessCluster cluster)
    {
        var views = new HashSet<string?>();
        foreach (var node in cluster.Live)
        {
            try { views.Add((await Http.GetAsync(node.Url + "/", "status")).Json?["swim_raft"]?["active_consensus"]?.GetValue<string>()); }
            catch (HttpRequestException) { views.Add(null); }
        }
        return views.Count == 1 ? views.First() : null;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Within;
        while (DateTime.UtcNow < deadline)
        {
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        Assert.Fail("condition not met within " + Within);
    }
}
