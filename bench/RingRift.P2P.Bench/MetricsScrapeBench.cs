using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Bench;

/// <summary>
/// GET /metrics latency on a node holding a queue: one node in this process (it leads itself) gets
/// <c>--items</c> pending items (default 10,000) through <c>POST /work/add_batch</c>; once its metrics count them
/// (the per-type count runs every 15 s), <c>--scrapes</c> scrapes (default 500) run one after another and their
/// latency and size are reported.
/// </summary>
public static class MetricsScrapeBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var items = BenchArgs.GetInt(args, "--items", 10_000);
        var scrapes = BenchArgs.GetInt(args, "--scrapes", 500);

        await using var cluster = await BenchCluster.StartInProcessAsync(1);
        var url = await cluster.WaitForLeaderUrlAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        for (var start = 0; start < items; start += 100)
        {
            var batch = new JsonArray([.. Enumerable.Range(start, Math.Min(100, items - start)).Select(i => (JsonNode)new JsonObject
            {
                ["work_id"] = $"m-{i}",
                ["work_type"] = (i % 4) switch { 0 => "selfplay", 1 => "training", 2 => "gauntlet", _ => "gpu_cmaes" },
            })]);
            using var response = await http.PostAsync("work/add_batch", new StringContent(new JsonObject { ["items"] = batch }.ToJsonString(), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
        var counted = Stopwatch.StartNew();
        while (PendingCounted(await http.GetStringAsync("metrics")) < items)
        {
            if (counted.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"/metrics did not count {items} pending items within 60 s");
            await Task.Delay(250);
        }

        var latencies = new double[scrapes];
        long bytes = 0;
        for (var i = 0; i < scrapes; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var body = await http.GetByteArrayAsync("metrics");
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            bytes = body.Length;
        }
        Array.Sort(latencies);
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "metrics_scrape",
            queued_items = items,
            scrapes,
            bytes,
            p50_ms = Math.Round(BenchArgs.Quantile(latencies, 0.50), 3),
            p99_ms = Math.Round(BenchArgs.Quantile(latencies, 0.99), 3),
            max_ms = Math.Round(latencies[^1], 3),
        }));
        return 0;
    }

    /// <summary>The pending items /metrics counts, over every work type.</summary>
    private static double PendingCounted(string text) => text.Split('\n')
        .Where(l => l.StartsWith("ringrift_p2p_work_items{", StringComparison.Ordinal) && l.Contains("status=\"pending\"", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
