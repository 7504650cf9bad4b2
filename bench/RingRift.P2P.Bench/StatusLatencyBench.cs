using System.Diagnostics;
using System.Text.Json;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Bench;

/// <summary>
/// GET /status latency on loopback under a fixed offered load: a three-node cluster runs in this
/// process, and C client loops send requests paced to R requests/s in total to the leader.
/// </summary>
public static class StatusLatencyBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var rate = BenchArgs.Get(args, "--rate", 2000);
        var seconds = BenchArgs.Get(args, "--seconds", 10);
        var concurrency = BenchArgs.GetInt(args, "--concurrency", 32);

        await using var cluster = await BenchCluster.StartInProcessAsync(3);
        var url = await cluster.WaitForLeaderUrlAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url) };
        for (var i = 0; i < 200; i++) (await http.GetAsync("status")).Dispose(); // warm-up

        var total = (int)(rate * seconds);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var latencies = new double[total];
        var errors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var due = interval * i;
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync("status");
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "status_latency",
            nodes = 3,
            offered_rps = rate,
            achieved_rps = Math.Round(total / elapsed, 1),
            requests = total,
            errors,
            concurrency,
            p50_ms = Math.Round(BenchArgs.Quantile(latencies, 0.50), 3),
            p99_ms = Math.Round(BenchArgs.Quantile(latencies, 0.99), 3),
            max_ms = Math.Round(latencies[^1], 3),
        }));
        return 0;
    }
}
