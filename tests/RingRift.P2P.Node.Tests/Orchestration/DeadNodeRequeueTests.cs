using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// kill -9 of a node running a job: the leader requeues the job as soon as membership declares the
/// node dead (peer timeout 1 s here), long before the item's own timeout, and another node runs it.
/// </summary>
/// <remarks>
/// The item's timeout is an hour, far beyond the wait's bound, so a requeue by that timeout cannot pass
/// the test. How fast the requeue is belongs to the <c>requeue</c> benchmark, not to this test.
/// </remarks>
[Collection(JobProcessCollection.Name)]
public sealed class DeadNodeRequeueTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new("requeue");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task KillingTheNodeRunningAJob_RequeuesIt_AndAnotherNodeRunsIt()
    {
        // The job outlasts any wait here, so the item stays claimed or running until the test ends (Dispose kills it).
        var jobs = _dir.Full("jobs.yaml");
        File.WriteAllText(jobs, "jobs:\n  selfplay:\n    command: [\"/bin/sh\", \"-c\", \"sleep 600\"]\n");
        using var cluster = new JobProcessCluster(3, jobs);
        var leader = await cluster.WaitForLeaderAsync();

        // A leader may change hands while the cluster settles (503 NOT_READY): retry like a client, with
        // one command id, so a retried add that had landed answers DUPLICATE_WORK_ID.
        var added = await Eventually.Until(
            () => Http.PostAsync(cluster.Nodes[0].Url + "/", "work/add",
                new JsonObject { ["work_id"] = "long-1", ["work_type"] = "selfplay", ["timeout_seconds"] = 3600, ["command_id"] = "add-long-1" }),
            a => a.Status != 503, "work/add of long-1 answered by a serving leader", ProcessCluster.ProcessWait);
        Assert.True(added.Status == 200 || added.Code == "DUPLICATE_WORK_ID", $"add answered {added.Status}: {added.Text}");

        var first = await WaitForItemAsync(cluster, item => item["status"]?.GetValue<string>() == "running", "long-1 running");
        var victim = first["claimed_by"]!.GetValue<string>();
        cluster.Nodes[JobProcessCluster.IndexOf(victim)].Kill();

        var second = await WaitForItemAsync(cluster, item => item["claimed_by"]?.GetValue<string>() is { } by && by != victim
            && item["status"]?.GetValue<string>() is "claimed" or "running", $"long-1 claimed by a node other than the killed {victim}");
        output.WriteLine($"leader {leader}; ran on {victim}, killed; then claimed by {second["claimed_by"]}");
        Assert.Equal(2, second["attempts"]!.GetValue<int>());
        Assert.Contains("node_offline", second["error"]?.GetValue<string>() ?? "");
    }

    /// <summary>Reads long-1 from the first live node that answers (relayed to the leader) until <paramref name="done"/> accepts it.</summary>
    private static async Task<JsonNode> WaitForItemAsync(JobProcessCluster cluster, Func<JsonNode, bool> done, string what) =>
        (await cluster.WaitAsync(() => ReadItemAsync(cluster), item => item is not null && done(item), what))!;

    private static async Task<JsonNode?> ReadItemAsync(JobProcessCluster cluster)
    {
        foreach (var node in cluster.Nodes.Where(n => !n.HasExited))
        {
            try
            {
                var answer = await Http.GetAsync(node.Url + "/", "work/long-1");
                if (answer.Status == 200) return answer.Json;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        }
        return null;
    }
}
