using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>Rolling back by environment: Raft switched off and every node restarted loses no queued work.</summary>
[Collection(RaftProcessCollection.Name)]
public sealed class RaftRollbackTests
{
    [Fact]
    public async Task SwitchingRaftOff_HandsUnfinishedRaftWorkToTheSqliteQueue_Once()
    {
        using var cluster = RaftProcessCluster.Start();
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        var url = cluster.Nodes[0].Url + "/";
        for (var i = 0; i < 12; i++)
            Assert.Equal(200, (await RetryUnavailableAsync(() => Http.PostAsync(url, "work/add", new JsonObject { ["work_id"] = $"r{i}", ["work_type"] = "training" }))).Status);
        var claimed = (await RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=gpu-1"))).Json!["work"]!["work_id"]!.GetValue<string>();
        var done = (await RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=gpu-1"))).Json!;
        Assert.Equal(200, (await Http.PostAsync(url, "work/complete", new JsonObject
        {
            ["work_id"] = done["work"]!["work_id"]!.GetValue<string>(), ["fencing_token"] = done["fencing_token"]!.GetValue<string>(),
        })).Status);

        // A planned rollback waits for the group to settle: every member has applied everything
        // committed (a member keeps only what it has checkpointed, a few ms after applying).
        await WaitForAllAppliedAsync(cluster);
        for (var i = 0; i < 3; i++) await cluster.Nodes[i].StopAsync(TimeSpan.FromSeconds(10));
        cluster.SetEnvironment("RINGRIFT_RAFT_ENABLED", "false");
        for (var i = 0; i < 3; i++) cluster.StartNode(i);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonArray? items = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var answer = await Http.GetAsync(url, "work?limit=1000");
                items = answer.Status == 200 ? answer.Json!["items"]!.AsArray() : null;
                if (items?.Count == 11) break;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Assert.NotNull(items);
        var ids = items!.Select(i => i!["work_id"]!.GetValue<string>()).ToList();
        Assert.Equal(11, ids.Count); // the 12 adds minus the one completed in Raft
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains(claimed, ids); // in flight when Raft went away: queued again
        Assert.All(items!, i => Assert.Equal("pending", i!["status"]!.GetValue<string>()));
        Assert.All(items!, i => Assert.Equal("training", i!["work_type"]!.GetValue<string>()));
    }

    private static async Task WaitForAllAppliedAsync(RaftProcessCluster cluster)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var views = await Task.WhenAll(cluster.Nodes.Select(RaftProcessCluster.RaftStatusAsync));
            var commit = views.Max(v => v?["node"]?["commit_index"]?.GetValue<long>() ?? 0);
            if (commit > 0 && views.All(v => v?["node"]?["last_applied"]?.GetValue<long>() >= commit)) break;
            await Task.Delay(50);
        }
        await Task.Delay(500);
    }

    /// <summary>Repeats a call answered 503 (retry-able by contract: e.g. a leader that cannot commit yet), for up to 10 s.</summary>
    internal static async Task<Http.Answer> RetryUnavailableAsync(Func<Task<Http.Answer>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var answer = await call();
            if (answer.Status != 503 || DateTime.UtcNow > deadline) return answer;
            await Task.Delay(100);
        }
    }
}
