using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Sqlite;

namespace RingRift.P2P.Bench;

/// <summary>
/// Claim throughput of <see cref="SqliteWorkQueue"/>: fills a queue in a temp directory with
/// <c>--items</c> pending items (20,000 by default), then <c>--claimers</c> concurrent claimers
/// (8 by default) each call ClaimNext until the queue is empty. Prints one JSON line:
/// <c>{"bench":"sqlite_claims","claimers":8,"items":20000,"seconds":…,"claims_per_sec":…,"double_claims":0}</c>.
/// </summary>
/// <remarks>
/// Items get priorities 0–100 and all four work types in turn, so claims walk the pending index
/// rather than the insertion order. Only the claim phase is timed. double_claims = claims made − distinct work ids claimed.
/// Exit code 0 when every item was claimed exactly once, 1 otherwise, 2 on bad options.
/// </remarks>
public static class SqliteClaimBench
{
    public const int DefaultItems = 20_000;
    public const int DefaultClaimers = 8;
    private const int Fillers = 8;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out var items, out var claimers, out var dependentPercent, out var problem))
        {
            await output.WriteLineAsync(Json(w => w.WriteString("error", problem)));
            return 2;
        }

        var directory = Path.Combine(Path.GetTempPath(), "ringrift-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var queue = await SqliteWorkQueue.OpenAsync(Path.Combine(directory, "work_queue.db"));
            await FillAsync(queue, items, dependentPercent);

            var claimed = new List<string>[claimers];
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = Enumerable.Range(0, claimers).Select(c => Task.Run(async () =>
            {
                var mine = claimed[c] = new List<string>(items / claimers + 16);
                var nodeId = $"claimer-{c}";
                await gate.Task;
                while (await queue.ClaimNextAsync(nodeId, null) is { } item)
                    mine.Add(item.WorkId);
            })).ToArray();

            var stopwatch = Stopwatch.StartNew();
            gate.SetResult();
            await Task.WhenAll(tasks);
            stopwatch.Stop();

            var claims = claimed.Sum(list => list.Count);
            var distinct = claimed.SelectMany(list => list).Distinct(StringComparer.Ordinal).Count();
            var seconds = stopwatch.Elapsed.TotalSeconds;
            await output.WriteLineAsync(Json(w =>
            {
                w.WriteNumber("claimers", claimers);
                w.WriteNumber("items", items);
                w.WriteNumber("dependent_percent", dependentPercent);
                w.WriteNumber("seconds", Math.Round(seconds, 3));
                w.WriteNumber("claims_per_sec", Math.Round(claims / seconds, 1));
                w.WriteNumber("double_claims", claims - distinct);
            }));
            return claims - distinct == 0 && distinct == items ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Adds the items from <see cref="Fillers"/> concurrent writers, so their inserts share commits.</summary>
    private static async Task FillAsync(SqliteWorkQueue queue, int items, int dependentPercent)
    {
        if (dependentPercent > 0)
        {
            // the one item the dependent ones wait for: completed before the run, so they are claimable
            await queue.AddWorkAsync(new NewWork { WorkId = "done", WorkType = JobType.Training });
            await queue.ClaimWorkAsync("done", "bench");
            await queue.CompleteWorkAsync("done", null);
        }
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Fillers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < items; i = Interlocked.Increment(ref next))
            {
                await queue.AddWorkAsync(new NewWork
                {
                    WorkId = $"bench-{i:D8}",
                    WorkType = JobTypes.All[i % 4],
                    Priority = i % (WorkDefaults.MaxPriority + 1),
                    DependsOn = i % 100 < dependentPercent ? WorkDependencies.Of(["done"]) : WorkDependencies.None,
                });
            }
        })));
    }

    private static bool TryParse(string[] args, out int items, out int claimers, out int dependentPercent, out string problem)
    {
        items = DefaultItems;
        claimers = DefaultClaimers;
        dependentPercent = 0;
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is not ("--items" or "--claimers" or "--dependent-percent"))
            {
                problem = $"unknown option '{name}'; allowed: --items N (1-10000000), --claimers K (1-256), --dependent-percent P (0-100)";
                return false;
            }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                problem = $"{name} needs a whole number, got '{(i + 1 < args.Length ? args[i + 1] : "")}'";
                return false;
            }
            i++;
            if (name == "--items")
            {
                if (value is < 1 or > 10_000_000) { problem = $"--items must be between 1 and 10000000, got {value}"; return false; }
                items = value;
            }
            else if (name == "--dependent-percent")
            {
                if (value > 100) { problem = $"--dependent-percent must be between 0 and 100, got {value}"; return false; }
                dependentPercent = value;
            }
            else
            {
                if (value is < 1 or > 256) { problem = $"--claimers must be between 1 and 256, got {value}"; return false; }
                claimers = value;
            }
        }
        return true;
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("bench", "sqlite_claims");
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
