using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;
using RingRift.P2P.Testing.Raft;

namespace RingRift.P2P.Bench;

/// <summary>
/// Replicated claims/s through the Raft leader: three members in this process on 127.0.0.1 with
/// durable write-ahead logs; for each in-flight level a fresh cluster is pre-filled with
/// <c>--items</c> pending items (default 400,000), then that many client loops call
/// <see cref="ReplicatedWorkQueue.ClaimNextFencedAsync"/> on the leader for <c>--seconds</c> (default 5)
/// or until the items run out. A level's pre-fill is min(items, 20,000 × in-flight), and min(items,
/// 10,000) for the one-command-per-entry run; <c>ran_out</c> says whether a level emptied its queue. One JSON line per level; one line for adds/s (the pre-fill at the
/// highest level, timed); with <c>--no-group-commit</c> one more line at 64 in flight with MaxBatch = 1.
/// claims_per_s = claims / seconds; commands_per_entry = commands written / log entries written.
/// With <c>--metrics both</c> every level runs twice on fresh clusters, metrics off then on (each claim recorded in
/// the node's <see cref="QueueMetrics"/> with an OpenTelemetry meter provider and the Prometheus exporter listening,
/// as a node serving the queue records it), and one more line gives the on/off ratio of claims/s.
/// </summary>
public static class RaftClaimsBench
{
    private const int NoGroupCommitInFlight = 64;

    /// <summary>Items pre-filled per in-flight client at most (so 1 in flight does not wait for 200,000 adds it cannot use in 5 s).</summary>
    private const int FillPerClient = 20_000;

    /// <summary>Items pre-filled for the one-command-per-entry run at most: it adds (and claims) only ~1,000/s.</summary>
    private const int NoGroupCommitFill = 10_000;
    private static readonly TimeSpan LeaderWait = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var items = BenchArgs.GetInt(args, "--items", 400_000);
        var levels = ParseLevels(args, "--in-flight", [1, 64, 256, 1024]);
        var seconds = BenchArgs.Get(args, "--seconds", 5);
        var batch = BenchArgs.GetInt(args, "--batch", 1024);
        var batchesInFlight = BenchArgs.GetInt(args, "--batches-in-flight", RaftNodeOptions.DefaultMaxBatchesInFlight);
        var noGroupCommit = args.Contains("--no-group-commit");
        var dependentPercent = BenchArgs.GetInt(args, "--dependent-percent", 0);
        var metricsMode = BenchArgs.GetString(args, "--metrics", "off");
        if (metricsMode is not ("off" or "on" or "both"))
            throw new ArgumentException($"--metrics got '{metricsMode}'; allowed: off, on, both");
        var highest = levels.Max();

        foreach (var level in levels)
        {
            if (metricsMode != "both")
            {
                await RunLevelAsync(output, items, level, seconds, batch, batchesInFlight, printAdds: level == highest, fillers: highest, dependentPercent, metricsMode == "on");
                continue;
            }
            var off = await RunLevelAsync(output, items, level, seconds, batch, batchesInFlight, printAdds: false, fillers: highest, dependentPercent, metrics: false);
            var on = await RunLevelAsync(output, items, level, seconds, batch, batchesInFlight, printAdds: false, fillers: highest, dependentPercent, metrics: true);
            output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "raft_claims_metrics_cost",
                ["in_flight"] = level,
                ["claims_per_s_off"] = Math.Round(off, 0),
                ["claims_per_s_on"] = Math.Round(on, 0),
                ["on_over_off"] = Math.Round(on / off, 3),
            }));
        }
        if (noGroupCommit)
            await RunLevelAsync(output, items, NoGroupCommitInFlight, seconds, maxBatch: 1, batchesInFlight, printAdds: false, fillers: highest, dependentPercent);
        return 0;
    }

    /// <summary>An item added, claimed and completed before the run, for <c>--dependent-percent</c> of the items to depend on.</summary>
    private static async Task<string> CompletedItemAsync(RaftTestCluster cluster)
    {
        var result = string.Empty;
        await RunPhaseAsync(cluster, 1, deadline: null, async (queue, _) =>
        {
            if (result.Length > 0) return false;
            // command ids make a retry after a leader change answer the first outcome
            await queue.AddWorkAsync(new NewWork { WorkId = "done", WorkType = JobType.Training, Priority = 0 }, "add-done");
            await queue.ClaimWorkFencedAsync("done", "bench", "claim-done");
            await queue.CompleteWorkAsync("done", null, "bench", null, "complete-done");
            result = "done";
            return true;
        });
        return result;
    }

    /// <returns>Claims per second.</returns>
    private static async Task<double> RunLevelAsync(TextWriter output, int items, int inFlight, double seconds, int maxBatch, int batchesInFlight,
        bool printAdds, int fillers, int dependentPercent, bool metrics = false)
    {
        await using var meters = metrics ? ClaimMeters.Start() : null;
        await using var cluster = await RaftTestCluster.StartAsync(3, tune: o => o with { MaxBatch = maxBatch, MaxBatchesInFlight = batchesInFlight },
            electionTimeoutMs: null);
        await cluster.WaitForLeaderAsync(LeaderWait);
        var done = dependentPercent > 0 ? await CompletedItemAsync(cluster) : null;

        var fill = maxBatch == 1 ? Math.Min(items, NoGroupCommitFill) : (int)Math.Min(items, (long)FillPerClient * inFlight);
        var added = 0L;
        var current = new long[fillers]; // the item each loop is adding: kept until acknowledged, so a refused add is retried, not skipped
        var adds = await RunPhaseAsync(cluster, fillers, deadline: null, async (queue, loop) =>
        {
            if (current[loop] == 0) current[loop] = Interlocked.Increment(ref added);
            var k = current[loop];
            if (k > fill) return false;
            var id = k.ToString(CultureInfo.InvariantCulture);
            var dependsOn = done is not null && k % 100 < dependentPercent ? WorkDependencies.Of([done]) : WorkDependencies.None;
            await queue.AddWorkAsync(new NewWork { WorkId = "w-" + id, WorkType = JobType.Selfplay, DependsOn = dependsOn }, "add-" + id);
            current[loop] = 0;
            return true;
        });
        if (printAdds) output.WriteLine(Line("raft_adds", "adds", adds, maxBatch, batchesInFlight, fill));

        var claims = await RunPhaseAsync(cluster, inFlight, TimeSpan.FromSeconds(seconds), async (queue, loop) =>
        {
            var started = Stopwatch.GetTimestamp();
            var result = await queue.ClaimNextFencedAsync("bench-" + loop.ToString(CultureInfo.InvariantCulture), null, null);
            meters?.Queue.Claim(started, result.Item is not null);
            return result.Item is not null;
        });
        output.WriteLine(Line("raft_claims", "claims", claims, maxBatch, batchesInFlight, fill, metrics));
        output.Flush();
        return claims.Latencies.Count / claims.Seconds;
    }

    /// <summary>
    /// Runs <paramref name="loops"/> client loops until <paramref name="deadline"/> passes or an
    /// operation answers false (nothing left). Only operations that answered true count and are timed.
    /// A call refused because leadership moved switches the loop to the new leader.
    /// </summary>
    private static async Task<PhaseResult> RunPhaseAsync(RaftTestCluster cluster, int loops, TimeSpan? deadline,
        Func<ReplicatedWorkQueue, int, Task<bool>> operation)
    {
        var (entriesBefore, commandsBefore) = GroupCommitTotals(cluster);
        var snapshotsBefore = SnapshotsWritten(cluster);
        var latencies = new List<double>[loops];
        long errors = 0, notLeader = 0;
        var ranOut = 0;
        var clock = Stopwatch.StartNew();
        var end = deadline is { } d ? d : TimeSpan.MaxValue;

        async Task LoopAsync(int loop)
        {
            var mine = latencies[loop] = new List<double>(4096);
            var queue = new ReplicatedWorkQueue(cluster.CurrentLeader() ?? cluster.Running.First());
            while (clock.Elapsed < end && Volatile.Read(ref ranOut) == 0)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (!await operation(queue, loop))
                    {
                        Volatile.Write(ref ranOut, 1);
                        return;
                    }
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (NotRaftLeaderException)
                {
                    Interlocked.Increment(ref notLeader);
                    await Task.Delay(5);
                    if (cluster.CurrentLeader() is { } leader) queue = new ReplicatedWorkQueue(leader);
                }
                catch (Exception error) when (error is RaftCommitUnknownException or TimeoutException or ObjectDisposedException or InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, loops).Select(i => Task.Run(() => LoopAsync(i))));
        var elapsed = clock.Elapsed.TotalSeconds;
        var (entriesAfter, commandsAfter) = GroupCommitTotals(cluster);
        var all = latencies.SelectMany(l => l ?? []).ToList();
        all.Sort();
        return new PhaseResult(loops, all, elapsed, errors, notLeader, ranOut != 0,
            entriesAfter - entriesBefore, commandsAfter - commandsBefore, SnapshotsWritten(cluster) - snapshotsBefore);
    }

    private static string Line(string bench, string what, PhaseResult r, int maxBatch, int batchesInFlight, int items, bool metrics = false)
    {
        var fields = new Dictionary<string, object>
        {
            ["bench"] = bench,
            ["metrics"] = metrics,
            ["nodes"] = 3,
            ["group_commit"] = maxBatch > 1,
            ["max_batch"] = maxBatch,
            ["batches_in_flight"] = batchesInFlight,
            ["items"] = items,
            ["in_flight"] = r.InFlight,
            [what] = r.Latencies.Count,
            ["seconds"] = Math.Round(r.Seconds, 3),
            [what + "_per_s"] = Math.Round(r.Latencies.Count / r.Seconds, 0),
            ["p50_ms"] = Math.Round(BenchArgs.Quantile(r.Latencies, 0.5), 3),
            ["p99_ms"] = Math.Round(BenchArgs.Quantile(r.Latencies, 0.99), 3),
            ["max_ms"] = r.Latencies.Count == 0 ? double.NaN : Math.Round(r.Latencies[^1], 3),
            ["log_entries"] = r.Entries,
            ["commands_per_entry"] = r.Entries == 0 ? 0 : Math.Round((double)r.Commands / r.Entries, 1),
            ["snapshots_written"] = r.Snapshots,
            ["not_leader_errors"] = r.NotLeaderErrors,
            ["errors"] = r.Errors,
        };
        if (what != "adds") fields["ran_out"] = r.RanOut; // the pre-fill always stops when all items are in
        return JsonSerializer.Serialize(fields, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
    }

    /// <summary>A comma-separated list of positive integers, e.g. "1,64,256".</summary>
    private static int[] ParseLevels(string[] args, string name, int[] defaults)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return defaults;
        if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a comma-separated list of positive integers, e.g. 1,64,256");
        var levels = new List<int>();
        foreach (var part in args[i + 1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level < 1)
                throw new ArgumentException($"{name} got '{part}' in '{args[i + 1]}'; allowed: positive integers separated by commas");
            levels.Add(level);
        }
        return levels.Count > 0 ? [.. levels] : throw new ArgumentException($"{name} got '{args[i + 1]}'; give at least one positive integer");
    }

    private sealed record PhaseResult(int InFlight, List<double> Latencies, double Seconds, long Errors, long NotLeaderErrors, bool RanOut,
        long Entries, long Commands, long Snapshots);

    /// <summary>Log entries and commands written by group commit on all members (each counts only while it leads).</summary>
    private static (long Entries, long Commands) GroupCommitTotals(RaftTestCluster cluster)
    {
        long entries = 0, commands = 0;
        foreach (var status in cluster.Running.Select(n => n.Status()))
        {
            entries += status.Batches;
            commands += status.Commands;
        }
        return (entries, commands);
    }

    private static long SnapshotsWritten(RaftTestCluster cluster) => cluster.Running.Sum(n => n.Status().SnapshotsWritten);
}
