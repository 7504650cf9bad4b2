using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>Rolling back by environment: Raft switched off and every node restarted loses no queued work.</summary>
[Collection(RaftProcessCollection.Name)]
public sealed class RaftRollbackTests
{
    private static readonly TimeSpan ProcessWait = RaftProcessCluster.ProcessWait;

    [Fact]
    public async Task SwitchingRaftOff_HandsUnfinishedRaftWorkToTheSqliteQueue_Once()
    {
        using var cluster = RaftProcessCluster.Start();
        await cluster.WaitForLeaderAsync();
        var url = cluster.Nodes[0].Url + "/";
        for (var i = 0; i < 12; i++)
            Assert.Equal(200, (await RetryUnavailableAsync(() => Http.PostAsync(url, "work/add", new JsonObject { ["work_id"] = $"r{i}", ["work_type"] = "training", ["command_id"] = $"add-r{i}" }))).Status);
        // Each claim retried with its own command id: a retry of a claim that went through answers the same item.
        var claimed = (await RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=gpu-1&command_id=rollback-claim-1"))).Json!["work"]!["work_id"]!.GetValue<string>();
        var done = (await RetryUnavailableAsync(() => Http.GetAsync(url, "work/claim?node_id=gpu-1&command_id=rollback-claim-2"))).Json!;
        Assert.Equal(200, (await Http.PostAsync(url, "work/complete", new JsonObject
        {
            ["work_id"] = done["work"]!["work_id"]!.GetValue<string>(),
            ["fencing_token"] = done["fencing_token"]!.GetValue<string>(),
        })).Status);

        // A planned rollback waits for the group to settle: every member has applied everything
        // committed and checkpointed it (a member keeps only what it has checkpointed).
        await WaitForAllCheckpointedAsync(cluster);
        for (var i = 0; i < 3; i++) await cluster.Nodes[i].StopAsync(TimeSpan.FromSeconds(10));
        cluster.SetEnvironment("RINGRIFT_RAFT_ENABLED", "false");
        for (var i = 0; i < 3; i++) cluster.StartNode(i);

        var items = await Eventually.Until(async () =>
            {
                var answer = await Http.GetAsync(url, "work?limit=1000");
                return answer.Status == 200 ? answer.Json!["items"]!.AsArray() : null;
            },
            listed => listed?.Count == 11, "the SQLite queue to list the 11 unfinished Raft items", ProcessWait);
        var ids = items!.Select(i => i!["work_id"]!.GetValue<string>()).ToList();
        Assert.Equal(11, ids.Count); // the 12 adds minus the one completed in Raft
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains(claimed, ids); // in flight when Raft went away: queued again
        Assert.All(items!, i => Assert.Equal("pending", i!["status"]!.GetValue<string>()));
        Assert.All(items!, i => Assert.Equal("training", i!["work_type"]!.GetValue<string>()));
    }

    /// <summary>Waits until every member's last_applied and log checkpoint reach the highest commit index any member reports.</summary>
    private static async Task WaitForAllCheckpointedAsync(RaftProcessCluster cluster)
    {
        var views = await Eventually.Until(
            async () => await Task.WhenAll(cluster.Nodes.Select(RaftProcessCluster.RaftStatusAsync)),
            views =>
            {
                var commit = views.Max(v => v?["node"]?["commit_index"]?.GetValue<long>() ?? 0);
                return commit > 0 && views.All(v => v?["node"]?["last_applied"]?.GetValue<long>() >= commit);
            },
            "every member to apply the highest commit index", ProcessWait);
        var committed = views.Max(v => v!["node"]!["commit_index"]!.GetValue<long>());
        await Eventually.Until(() => Enumerable.Range(0, cluster.Nodes.Length).Select(i => RaftLogCheckpoint.CommitIndex(cluster.DataDirOf(i))).ToList(),
            checkpoints => checkpoints.All(c => c >= committed), $"every member's log checkpoint to reach commit index {committed}", ProcessWait);
    }

    /// <summary>Repeats a call answered 503 (retry-able by contract: e.g. a leader that cannot commit yet) until it is answered otherwise.</summary>
    internal static Task<Http.Answer> RetryUnavailableAsync(Func<Task<Http.Answer>> call) =>
        Eventually.Until(call, answer => answer.Status != 503, "an answer other than 503", ProcessWait);
}
