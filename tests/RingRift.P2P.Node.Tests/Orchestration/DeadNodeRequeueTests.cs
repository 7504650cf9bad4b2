using System.Diagnostics;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// kill -9 of a node running a job: the leader requeues the job as soon as membership declares the
/// node dead (peer timeout 1 s here), long before the item's own timeout, and another node runs it.
/// </summary>
[Collection(JobProcessCollection.Name)]
public sealed class DeadNodeRequeueTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheNodeRunningAJob_RequeuesIt_AndAnotherNodeRunsIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ringrift-requeue-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var jobs = Path.Combine(dir, "jobs.yaml");
        File.WriteAllText(jobs, "jobs:\n  selfplay:\n    command: [\"/bin/sh\", \"-c\", \"sleep 20\"]\n");
        try
        {
            using var cluster = new JobProcessCluster(3, jobs);
            var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
            // A leader agreed in /status may still be taking the queue over (503 NOT_READY): retry like a client.
            Http.Answer added;
            var addBy = DateTime.UtcNow.AddSeconds(30);
            do
            {
                added = await Http.PostAsync(cluster.Nodes[0].Url + "/", "work/add",
                    new JsonObject { ["work_id"] = "long-1", ["work_type"] = "selfplay", ["timeout_seconds"] = 3600, ["command_id"] = "add-long-1" });
                if (added.Status != 503) break;
                await Task.Delay(200);
            } while (DateTime.UtcNow < addBy);
            Assert.True(added.Status == 200 || added.Code == "DUPLICATE_WORK_ID", $"add answered {added.Status}: {added.Text}"); // a 503 attempt may have landed

            var first = await WaitForAsync(cluster, item => item?["status"]?.GetValue<string>() == "running", TimeSpan.FromSeconds(30));
            var victim = first["claimed_by"]!.GetValue<string>();
            var killedAt = Stopwatch.GetTimestamp();
            cluster.Nodes[JobProcessCluster.IndexOf(victim)].Kill();

            var second = await WaitForAsync(cluster, item => item?["claimed_by"]?.GetValue<string>() is { } by && by != victim
                && item["status"]?.GetValue<string>() is "claimed" or "running", TimeSpan.FromSeconds(30));
            var elapsed = Stopwatch.GetElapsedTime(killedAt);
            output.WriteLine($"leader {leader}; ran on {victim}, killed; claimed by {second["claimed_by"]} {elapsed.TotalSeconds:0.0} s later");
            Assert.Equal(2, second["attempts"]!.GetValue<int>());
            Assert.Contains("node_offline", second["error"]?.GetValue<string>() ?? "");
            Assert.True(elapsed < TimeSpan.FromSeconds(20), $"requeue took {elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<JsonNode> WaitForAsync(JobProcessCluster cluster, Func<JsonNode?, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var node in cluster.Nodes.Where(n => !n.HasExited))
            {
                try
                {
                    var answer = await Http.GetAsync(node.Url + "/", "work/long-1");
                    if (answer.Status != 200) continue;
                    last = answer.Json;
                    if (done(last)) return last!;
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"work item never reached the expected state; last: {last?.ToJsonString()}\n{cluster.Logs()}");
    }
}
