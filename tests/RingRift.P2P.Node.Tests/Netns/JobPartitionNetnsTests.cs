using System.Text.Json.Nodes;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// The job loop across a partition, on network namespaces: Bully with the quorum SQLite queue (the default
/// mode), three node processes, all voters. node-3 leads and runs no jobs; node-1 runs two long jobs (node-2,
/// the other runner, starts only once both are running there) and is cut off from node-2 and node-3, both
/// ways, for longer than the peer timeout. The leader requeues both items once and node-2 runs them. One of
/// node-1's jobs ends during the cut: its completion, reported late after the heal, is refused; the other
/// still runs at the heal and node-1 stops it. node-2's completions are the only ones the queue holds.
/// Trait <c>Category=Netns</c>.
/// </summary>
/// <remarks>
/// Each job waits for a release file the test creates (<c>&lt;node&gt;-&lt;work id&gt;</c>), so the test decides
/// when each run ends: nothing is timed. The items' timeout is an hour, so no requeue by timeout can pass.
/// </remarks>
[Collection(NetnsCollection.Name)]
[Trait("Category", NetnsTestBed.Category)]
public sealed class JobPartitionNetnsTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Ends during the cut: node-1's completion of it comes late.</summary>
    private const string EndsInCut = "ends-in-cut";

    /// <summary>Still running on node-1 at the heal.</summary>
    private const string RunsPastHeal = "runs-past-heal";

    private const string CutOff = "node-1";
    private const string Other = "node-2";
    private const string Leader = "node-3";

    private readonly TempDir _dir = new("jobpart");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task NodeCutOffFromTheLeaderWhileRunningJobs_WorkIsRequeuedOnce_LateCompletionRefused_ProcessStopped_EachItemCompletedOnce()
    {
        var releases = Directory.CreateDirectory(_dir.Full("release")).FullName;
        var jobs = WriteJobsFile(releases);
        using var cluster = NetnsCluster.StartBully(3, new NetnsClusterOptions
        {
            Settings = new Dictionary<string, string?> { ["RINGRIFT_P2P_GPU_COUNT"] = "0" },
            Arguments = i => i < 2 ? ["--jobs", jobs] : [], // node-3, the leader, runs nothing
            StartLater = [1],                               // node-2: so both items go to node-1
        });
        var cutOff = cluster.Nodes[0];
        try
        {
            await cluster.WaitUntilServingAsync();
            await cluster.WaitForLeaderAsync(Leader);
            var leader = cluster.Nodes[2];
            foreach (var id in new[] { EndsInCut, RunsPastHeal }) await AddAsync(leader, id);
            await WaitForItemsAsync(leader, i => Is(i, "running", CutOff, attempts: 1), $"both items running on {CutOff}");
            var pids = await RunningPidsAsync(cutOff);
            var heldPid = pids[RunsPastHeal];
            var heldStart = ProcessProbe.StartTime(heldPid);
            Assert.True(heldStart is not null, $"{CutOff}'s job of {RunsPastHeal} (pid {heldPid}) is not running");

            cluster.StartNode(1);
            await cluster.WaitUntilServingAsync();
            await cluster.WaitForLeaderAsync(Leader); // node-2 has joined and names the same leader

            cluster.Bed.Partition([cutOff.Host]);
            var requeued = await WaitForItemsAsync(leader, i => Is(i, "running", Other, attempts: 2), $"both items requeued and running on {Other}");
            foreach (var item in requeued.Values)
            {
                Assert.Contains($"node_offline: {CutOff}", item["error"]?.GetValue<string>() ?? "");
            }

            // Cut off, node-1 cannot know: its job runs on, and the one that ends cannot report.
            Assert.True(ProcessProbe.IsAlive(heldPid, heldStart), $"{CutOff}'s job of {RunsPastHeal} stopped during the cut");
            Release(releases, CutOff, EndsInCut);
            await Eventually.Until(() => LogOf(cutOff).Contains($"Reporting complete of job {EndsInCut} failed; retrying", StringComparison.Ordinal),
                $"{CutOff} trying in vain to report its completion of {EndsInCut} during the cut", NetnsNode.ProcessWait);

            cluster.Bed.HealAll();
            var refused = $"The queue refused complete of job {EndsInCut}; dropping it";
            var accepted = $"Job {EndsInCut} completed";
            var log = await Eventually.Until(() => LogOf(cutOff), l => l.Contains(refused, StringComparison.Ordinal) || l.Contains(accepted, StringComparison.Ordinal),
                $"{CutOff}'s late completion of {EndsInCut} answered after the heal", NetnsNode.ProcessWait);
            Assert.False(log.Contains(accepted, StringComparison.Ordinal), $"{CutOff}'s late completion of {EndsInCut} was accepted");
            await Eventually.Until(() => !ProcessProbe.IsAlive(heldPid, heldStart) && !GroupHasMembers(heldPid),
                $"{CutOff}'s job of {RunsPastHeal} (pid {heldPid}) and its process group gone after the heal", NetnsNode.ProcessWait);
            Assert.Contains($"Job {RunsPastHeal} is no longer this node's; stopping its process", LogOf(cutOff), StringComparison.Ordinal);

            // The queue itself refuses what node-1 would send: a completion in node-1's name while node-2 holds the item.
            var (status, refusal) = await leader.PostJsonAsync("/work/complete", new JsonObject
            {
                ["work_id"] = EndsInCut,
                ["node_id"] = CutOff,
                ["result"] = new JsonObject { ["ran_on"] = CutOff },
            });
            Assert.True(status == 409, $"the leader answered {status} to {CutOff}'s completion of {EndsInCut}: {refusal?.ToJsonString()}");

            foreach (var id in new[] { EndsInCut, RunsPastHeal }) Release(releases, Other, id);
            var done = await WaitForItemsAsync(leader, i => Is(i, "completed", Other, attempts: 2), $"both items completed by {Other}");
            foreach (var (id, item) in done)
            {
                Assert.Equal(Other, item["result"]?["ran_on"]?.GetValue<string>());
                // The runner logs the completion once the leader has answered it, so the line can trail the item's status.
                var completions = await Eventually.Until(() => Count(LogOf(cluster.Nodes[1]), $"Job {id} completed"), n => n >= 1,
                    $"{Other}'s log line for its completion of {id}", NetnsNode.ProcessWait);
                Assert.Equal(1, completions);
                Assert.Equal(0, Count(LogOf(cutOff), $"Job {id} completed"));
            }

            var offline = await OfflineEventsAsync(leader);
            Assert.True(offline.Count == 1, $"node_offline events: {string.Join("; ", offline.Select(e => e.ToJsonString()))}");
            Assert.Equal(CutOff, offline[0]["offline_node_id"]?.GetValue<string>());
            Assert.Equal([EndsInCut, RunsPastHeal], offline[0]["requeued_work_ids"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
            output.WriteLine($"requeued: {string.Join("; ", requeued.Select(p => $"{p.Key} attempts {p.Value["attempts"]}, {p.Value["error"]}"))}");
            output.WriteLine($"queue's answer to {CutOff}'s completion: {status} {refusal?["code"]} {refusal?["error"]}");
            output.WriteLine($"{CutOff}'s job runner:");
            foreach (var line in LogOf(cutOff).Split('\n').Where(l => l.Contains(EndsInCut, StringComparison.Ordinal) || l.Contains(RunsPastHeal, StringComparison.Ordinal)))
                output.WriteLine("  " + line.Trim());
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{cluster.LogTails(40)}");
        }
    }

    /// <summary>
    /// One work type whose job waits for its release file, then reports the node that ran it and exits 0. Two
    /// CPU slots (no GPUs), a 2 s grace between SIGTERM and SIGKILL.
    /// </summary>
    private string WriteJobsFile(string releases)
    {
        var script = _dir.Full("job.sh");
        File.WriteAllText(script, """
            #!/bin/sh
            release="$1/$RINGRIFT_NODE_ID-$RINGRIFT_WORK_ID"
            while [ ! -e "$release" ]; do sleep 0.1; done
            printf '{"result": {"ran_on": "%s"}}\n' "$RINGRIFT_NODE_ID"
            """);
        var jobs = _dir.Full("jobs.yaml");
        File.WriteAllText(jobs, $"""
            slots:
              cpu: 2
            grace_seconds: 2
            jobs:
              selfplay:
                command: ["/bin/sh", "{script}", "{releases}"]
            """);
        return jobs;
    }

    private static void Release(string releases, string nodeId, string workId) =>
        File.WriteAllText(Path.Combine(releases, $"{nodeId}-{workId}"), "");

    /// <summary>Adds a long self-play item through the leader, retrying a refusal while leadership settles (one command id).</summary>
    private static async Task AddAsync(NetnsNode leader, string workId)
    {
        var (status, answer) = await Eventually.Until(
            () => leader.PostJsonAsync("/work/add", new JsonObject
            {
                ["work_id"] = workId,
                ["work_type"] = "selfplay",
                ["timeout_seconds"] = 3600,
                ["command_id"] = "add-" + workId,
            }),
            a => a.Status != 503, $"work/add of {workId} answered by a serving leader", NetnsNode.ProcessWait);
        Assert.True(status == 200 || answer?["code"]?.GetValue<string>() == "DUPLICATE_WORK_ID", $"add of {workId} answered {status}: {answer?.ToJsonString()}");
    }

    private static bool Is(JsonNode item, string status, string holder, int attempts) =>
        item["status"]?.GetValue<string>() == status && item["claimed_by"]?.GetValue<string>() == holder
        && item["attempts"]?.GetValue<int>() == attempts;

    /// <summary>Reads both items from the leader until <paramref name="done"/> accepts each; returns them by work id.</summary>
    private static Task<Dictionary<string, JsonNode>> WaitForItemsAsync(NetnsNode leader, Func<JsonNode, bool> done, string what) =>
        Eventually.Until(async () =>
        {
            var items = new Dictionary<string, JsonNode>();
            foreach (var id in new[] { EndsInCut, RunsPastHeal }) items[id] = await leader.GetJsonAsync("/work/" + id);
            return items;
        }, items => items.Values.All(done), what, NetnsNode.ProcessWait);

    /// <summary>The pids of the node's running jobs by work id, from its <c>/jobs?scope=node</c>, once both items' jobs run.</summary>
    private static async Task<Dictionary<string, int>> RunningPidsAsync(NetnsNode node)
    {
        var running = await Eventually.Until(async () =>
            ((await node.GetJsonAsync("/jobs?scope=node"))["nodes"]?[0]?["runner"]?["running"]?.AsArray() ?? [])
                .OfType<JsonNode>()
                .Where(j => j["state"]?.GetValue<string>() == "running" && j["pid"] is not null)
                .ToDictionary(j => j["work_id"]!.GetValue<string>(), j => j["pid"]!.GetValue<int>()),
            pids => pids.ContainsKey(EndsInCut) && pids.ContainsKey(RunsPastHeal), $"{node.Id}'s jobs of both items running with a pid", NetnsNode.ProcessWait);
        return running;
    }

    /// <summary>The leader's node_offline event payloads.</summary>
    private static async Task<List<JsonNode>> OfflineEventsAsync(NetnsNode leader) =>
        ((await leader.GetJsonAsync("/events?limit=100"))["events"]?.AsArray() ?? [])
            .OfType<JsonNode>()
            .Where(e => e["event"]?.GetValue<string>() == "node_offline")
            .Select(e => e["payload"]!)
            .ToList();

    /// <summary>True while any live process is in the process group <paramref name="group"/> (the job ran under setsid).</summary>
    private static bool GroupHasMembers(int group)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            // "pid (comm) S ppid pgrp ...": fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 2 && fields[0] is not ("Z" or "X") && fields[2] == group.ToString(System.Globalization.CultureInfo.InvariantCulture)) return true;
        }
        return false;
    }

    private static string LogOf(NetnsNode node) => node.Process.LogTail(int.MaxValue);

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
