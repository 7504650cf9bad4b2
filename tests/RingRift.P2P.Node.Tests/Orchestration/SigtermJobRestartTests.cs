using System.Diagnostics;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// A node running a job gets SIGTERM (as from <c>systemctl restart</c>) and is started again: the job's
/// process is not killed (it runs in its own session, and the unit's KillMode=process leaves it
/// alone), the leader keeps the item on the node while it is away (it left on purpose: the departed
/// grace, one peer timeout), and the restarted node reattaches to the same process and reports its
/// result: one attempt, no requeue.
/// </summary>
/// <remarks>
/// Three nodes, so the leader keeps its majority while node-1 is away and its dead-node requeuer runs
/// all along; only node-1's jobs file defines the work type, so no other node could take the item. The
/// SIGTERM comes once the leader has led for its own grace (a peer timeout, after which it requeues the
/// work of any node it does not see alive), so only the departed grace can keep the item on node-1. The
/// peer timeout, 20 s, is the time the restart has: several times what it takes on a loaded machine.
/// </remarks>
[Collection(JobProcessCollection.Name)]
public sealed class SigtermJobRestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new("restart");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SigtermToANodeRunningAJob_AndAStart_TheJobKeepsRunning_AndTheRestartedNodeReattachesAndReportsIt()
    {
        var release = _dir.Full("release");
        var script = _dir.Full("long-job.sh");
        File.WriteAllText(script, $"while [ ! -e \"{release}\" ]; do sleep 0.1; done\necho '{{\"result\": {{\"survived\": true}}}}'\n");
        var runs = _dir.Full("runs.yaml");
        var other = _dir.Full("other.yaml");
        File.WriteAllText(runs, $"jobs:\n  long_job:\n    command: [\"/bin/sh\", \"{script}\"]\n    slots: cpu\n");
        File.WriteAllText(other, "jobs:\n  other_job:\n    command: [\"/bin/sh\", \"-c\", \"exit 0\"]\n    slots: cpu\n");
        using var cluster = new JobProcessCluster(3, i => i == 0 ? runs : other, new Dictionary<string, string>
        {
            ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.5",
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = "20",
            ["RINGRIFT_P2P_LEADER_LEASE"] = "6",
        });
        var leader = await cluster.WaitForLeaderAsync();
        var leaderUrl = cluster.Nodes[JobProcessCluster.IndexOf(leader)].Url + "/";
        var added = await Eventually.Until(
            () => Http.PostAsync(leaderUrl, "work/add", new JsonObject
            {
                ["work_id"] = "long-1",
                ["work_type"] = "long_job",
                ["timeout_seconds"] = 3600,
                ["command_id"] = "add-long-1",
            }),
            a => a.Status != 503, "work/add of long-1 answered by a serving leader", ProcessCluster.ProcessWait);
        Assert.True(added.Status == 200 || added.Code == "DUPLICATE_WORK_ID", $"add answered {added.Status}: {added.Text}");

        var node = cluster.Nodes[0];
        var pid = await cluster.WaitAsync(() => RunningPidAsync(node), p => p is not null, "node-1 to run long-1");
        await cluster.WaitAsync(async () => (await Http.GetAsync(leaderUrl, "status")).Json?["jobs"]?["last_requeue"]?["grace_over"]?.GetValue<bool>(),
            over => over == true, $"{leader} to have led for its grace (from then on it requeues the work of nodes it does not see alive)");
        var sent = Stopwatch.GetTimestamp();
        await node.StopAsync(NodeHost.ShutdownTimeout + TimeSpan.FromSeconds(10)); // SIGTERM, SIGKILL only after this
        var exited = Stopwatch.GetElapsedTime(sent);
        Assert.True(node.ExitCode == 0, $"node-1 exited with {node.ExitCode}:\n{cluster.Logs()}");
        Assert.True(ProcessProbe.IsAlive(pid!.Value, null), $"the job's process {pid} died with its node");
        var whileAway = await ItemAsync(leaderUrl);
        Assert.Equal(("running", "node-1"), (whileAway["status"]!.GetValue<string>(), whileAway["claimed_by"]!.GetValue<string>()));

        cluster.Restart(0);
        var reattached = await cluster.WaitAsync(() => RunningPidAsync(cluster.Nodes[0]), p => p is not null,
            "the restarted node-1 to list long-1 as running again");
        output.WriteLine($"node-1 exited {exited.TotalSeconds:0.00} s after the SIGTERM and listed job {pid} again " +
            $"{Stopwatch.GetElapsedTime(sent).TotalSeconds:0.00} s after it (departed grace: the 20 s peer timeout)");
        Assert.Equal(pid, reattached);
        File.WriteAllText(release, "");

        var done = await cluster.WaitAsync(() => ItemAsync(leaderUrl), i => i["status"]?.GetValue<string>() is "completed" or "failed" or "pending",
            "long-1 to end");
        output.WriteLine(done.ToJsonString());
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(("node-1", 1), (done["claimed_by"]!.GetValue<string>(), done["attempts"]!.GetValue<int>()));
        Assert.True(done["result"]!["survived"]!.GetValue<bool>());
    }

    /// <summary>The pid node-1's runner lists for long-1 in its /status, or null (not running there, or no answer).</summary>
    private static async Task<int?> RunningPidAsync(ChildNode node)
    {
        try
        {
            var running = (await ProcessCluster.StatusAsync(node))?["jobs"]?["runner"]?["running"]?.AsArray() ?? [];
            return running.FirstOrDefault(j => j!["work_id"]!.GetValue<string>() == "long-1")?["pid"]?.GetValue<int?>();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    private static async Task<JsonNode> ItemAsync(string url) =>
        (await Http.GetAsync(url, "work/long-1")).Json ?? new JsonObject();
}
