using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RingRift.P2P.Node.Metrics;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Bench;

/// <summary>
/// What recording one claim costs the serving node (<see cref="QueueMetrics.Claim"/>: a histogram record and a
/// counter add) with nothing listening and with OpenTelemetry's meter provider and Prometheus exporter listening,
/// measured side by side on one thread over <c>--calls</c> calls (default 5,000,000), alternating 3 times.
/// Multiply by claims/s for the share of a core the metrics take at that rate.
/// </summary>
public static class MetricsRecordCostBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var calls = BenchArgs.GetInt(args, "--calls", 5_000_000);
        var off = new List<double>();
        var on = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            using (var quiet = new ServiceCollection().AddMetrics().AddSingleton<QueueStatsCache>().AddSingleton<QueueMetrics>().BuildServiceProvider())
                off.Add(NanosPerCall(quiet.GetRequiredService<QueueMetrics>(), calls));
            await using (var listened = ClaimMeters.Start())
                on.Add(NanosPerCall(listened.Queue, calls));
        }
        off.Sort();
        on.Sort();
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "metrics_record_cost",
            calls,
            ns_per_claim_off = Math.Round(off[1], 1),
            ns_per_claim_on = Math.Round(on[1], 1),
            core_share_at_50000_claims_per_s = Math.Round((on[1] - off[1]) * 50_000 / 1e9, 5),
        }));
        return 0;
    }

    private static double NanosPerCall(QueueMetrics metrics, int calls)
    {
        for (var i = 0; i < 100_000; i++) metrics.Claim(Stopwatch.GetTimestamp(), found: true); // warm-up
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) metrics.Claim(Stopwatch.GetTimestamp(), found: (i & 7) != 0);
        return clock.Elapsed.TotalNanoseconds / calls;
    }
}
