using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Sqlite;

namespace RingRift.P2P.Bench;

/// <summary>
/// Dispatch throughput (issue 5, goal ≥ 1,500 committed placements/s): <c>--nodes</c> simulated
/// nodes (512 by default; GPU rows drawn from <see cref="GpuPowerRankings"/>, a tenth CPU-only, load
/// score uniform in [0, 0.9) so about one in nine is at or over LoadMaxForNewJobs 0.8, 4–8 GPU and
/// 4–8 CPU slots) and a real <see cref="SqliteWorkQueue"/> in a temp directory holding <c>--items</c>
/// pending items (20,000 by default; self-play 70 %, evaluation 15 %, sync 10 %, training 5 %,
/// priorities 0–100). The leader's <see cref="Dispatcher"/> runs rounds until nothing is pending or a
/// round places nothing; between rounds every claimed item is completed (the nodes finish their
/// jobs, untimed) so the next round finds free slots again.
/// </summary>
/// <remarks>
/// One JSON line: <c>{"bench":"dispatch","nodes":512,"items":…,"placements":…,"seconds":…,
/// "placements_per_s":…,"plan_ms_p50":…,"commit_ms_p50":…,"rounds":…}</c> plus read_ms_p50,
/// round_ms_max, lost_races, claim_errors, left_pending and the options. seconds is the sum of the
/// rounds' times (read + plan + commit); placements_per_s = placements / seconds. Exit code 0 when
/// every item was placed, 1 otherwise.
/// </remarks>
public static class DispatchBench
{
    private const int Fillers = 8;
    private const int Completers = 64;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var nodeCount = BenchArgs.GetInt(args, "--nodes", 512);
        var items = BenchArgs.GetInt(args, "--items", 20_000);
        var seed = BenchArgs.GetInt(args, "--seed", 1);
        var inFlight = BenchArgs.GetInt(args, "--in-flight", 64);

        var directory = Path.Combine(Path.GetTempPath(), "ringrift-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var queue = await SqliteWorkQueue.OpenAsync(Path.Combine(directory, "work_queue.db"));
            var random = new Random(seed);
            var nodes = SimulatedNodes(nodeCount, random);
            await FillAsync(queue, items, random);

            var dispatcher = new Dispatcher(new DispatcherOptions { MaxClaimsInFlight = inFlight });
            var rounds = new List<DispatchRound>();
            var wall = Stopwatch.StartNew();
            while (true)
            {
                var round = await dispatcher.RunOnceAsync(queue, nodes, static _ => true);
                rounds.Add(round);
                if (round.Placed == 0) break;
                await CompleteAllAsync(queue, round.Committed);
                if ((await queue.GetQueueStatsAsync()).Pending == 0) break;
            }
            wall.Stop();

            var stats = await queue.GetQueueStatsAsync();
            var placements = rounds.Sum(r => r.Placed);
            var seconds = rounds.Sum(r => r.ElapsedMs) / 1000;
            await output.WriteLineAsync(Json(w =>
            {
                w.WriteNumber("nodes", nodeCount);
                w.WriteNumber("items", items);
                w.WriteNumber("placements", placements);
                w.WriteNumber("seconds", Math.Round(seconds, 3));
                w.WriteNumber("placements_per_s", Math.Round(placements / seconds, 1));
                w.WriteNumber("plan_ms_p50", Math.Round(P50(rounds, r => r.PlanMs), 2));
                w.WriteNumber("commit_ms_p50", Math.Round(P50(rounds, r => r.CommitMs), 2));
                w.WriteNumber("read_ms_p50", Math.Round(P50(rounds, r => r.ReadMs), 2));
                w.WriteNumber("round_ms_max", Math.Round(rounds.Max(r => r.ElapsedMs), 2));
                w.WriteNumber("rounds", rounds.Count);
                w.WriteNumber("lost_races", rounds.Sum(r => r.LostRaces));
                w.WriteNumber("claim_errors", rounds.Sum(r => r.ClaimErrors));
                w.WriteNumber("left_pending", stats.Pending);
                w.WriteNumber("claims_in_flight", inFlight);
                w.WriteNumber("wall_seconds", Math.Round(wall.Elapsed.TotalSeconds, 3));
            }));
            return placements == items ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    private static NodeSummary[] SimulatedNodes(int count, Random random)
    {
        var gpuRows = GpuPowerRankings.All.Where(r => r.Key != GpuPowerRankings.Cpu).ToArray();
        JobType[] gpuCaps = [JobType.Selfplay, JobType.Training, JobType.Evaluation, JobType.Sync];
        JobType[] cpuCaps = [JobType.Selfplay, JobType.Evaluation, JobType.Sync];
        var nodes = new NodeSummary[count];
        for (var i = 0; i < count; i++)
        {
            var cpuOnly = random.Next(10) == 0;
            var row = cpuOnly ? new KeyValuePair<string, double>(GpuPowerRankings.Cpu, GpuPowerRankings.All[GpuPowerRankings.Cpu]) : gpuRows[random.Next(gpuRows.Length)];
            nodes[i] = new NodeSummary
            {
                NodeId = $"sim-{i:D4}",
                GpuName = row.Key,
                GpuPower = row.Value,
                GpuSlots = cpuOnly ? 0 : random.Next(4, 9),
                CpuSlots = random.Next(4, 9),
                Resources = new ResourceSnapshot(0, 0, 0, 0, random.NextDouble() * 0.9, false),
                Capabilities = cpuOnly ? cpuCaps : gpuCaps,
            };
        }
        return nodes;
    }

    private static async Task FillAsync(SqliteWorkQueue queue, int items, Random random)
    {
        var work = new NewWork[items];
        for (var i = 0; i < items; i++)
        {
            var roll = random.Next(100);
            var type = roll < 70 ? JobType.Selfplay : roll < 85 ? JobType.Evaluation : roll < 95 ? JobType.Sync : JobType.Training;
            work[i] = new NewWork { WorkId = $"dispatch-{i:D8}", WorkType = type, Priority = random.Next(WorkDefaults.MaxPriority + 1) };
        }
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Fillers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < items; i = Interlocked.Increment(ref next))
                await queue.AddWorkAsync(work[i]);
        })));
    }

    /// <summary>The simulated nodes finish every job the round gave them.</summary>
    private static Task CompleteAllAsync(SqliteWorkQueue queue, IReadOnlyList<Placement> placed) =>
        Parallel.ForEachAsync(placed, new ParallelOptions { MaxDegreeOfParallelism = Completers },
            async (p, ct) => await queue.CompleteWorkAsync(p.WorkId, null, p.NodeId, ct));

    private static double P50(List<DispatchRound> rounds, Func<DispatchRound, double> pick) =>
        BenchArgs.Quantile(rounds.Select(pick).Order().ToArray(), 0.5);

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("bench", "dispatch");
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
