using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Bench;

/// <summary>
/// What an idle node costs its host. First the start-up: one node (no peers) started <c>--starts</c>
/// times, timed from process start to its first served <c>/status</c>. Then, per mode, a cluster of
/// <c>--nodes</c> node processes on 127.0.0.1 left idle for <c>--warmup</c> seconds and measured over
/// <c>--seconds</c>: CPU time as a percentage of one core, resident memory (mean and peak of a reading
/// every 5 s), threads, and garbage collections per generation (from each node's <c>/metrics</c>, read at
/// both ends of the window). Modes: <c>default</c> (HTTP heartbeats, Bully, SQLite) and <c>swim-raft</c>
/// (SWIM membership, Raft consensus); <c>--modes none</c> measures the start-up alone. <c>--node-program PATH</c>
/// measures another build (e.g. the release executable) instead of the node the bench was built with. Linux only (<c>/proc</c>).
/// </summary>
public static class FootprintBench
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly string[] Generations = ["gen0", "gen1", "gen2"];

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var count = BenchArgs.GetInt(args, "--nodes", 3);
        var warmup = TimeSpan.FromSeconds(BenchArgs.Get(args, "--warmup", 20));
        var window = TimeSpan.FromSeconds(BenchArgs.Get(args, "--seconds", 60));
        var starts = BenchArgs.GetInt(args, "--starts", 5);
        var modes = BenchArgs.GetString(args, "--modes", "default,swim-raft").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var program = BenchArgs.GetNodeProgram(args);
        foreach (var mode in modes)
            if (mode is not ("default" or "swim-raft" or "none")) throw new ArgumentException($"--modes: unknown mode '{mode}'; allowed: default, swim-raft, none");
        if (modes.Contains("none"))
        {
            // Only the start-up part: no idle cluster is measured.
            if (modes.Length > 1) throw new ArgumentException("--modes: none measures only the start-up and stands alone");
            modes = [];
        }
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("footprint reads /proc: Linux only");

        var root = Path.Combine(Path.GetTempPath(), "ringrift-footprint-" + Guid.NewGuid().ToString("N")[..8]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var label = program ?? "bench build";
        try
        {
            var startMs = new List<double>();
            for (var s = 0; s < starts; s++)
            {
                var ms = await StartupAsync(http, Path.Combine(root, $"start-{s + 1}"), program);
                startMs.Add(ms);
                output.WriteLine(JsonSerializer.Serialize(new { bench = "footprint_start", program = label, start = s + 1, ms = Math.Round(ms, 1) }));
            }
            startMs.Sort();
            if (startMs.Count > 0)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = "footprint_startup",
                    program = label,
                    starts = startMs.Count,
                    p50_ms = Math.Round(BenchArgs.Quantile(startMs, 0.5), 1),
                    max_ms = Math.Round(startMs[^1], 1),
                    goal_ms = 1000,
                }));
            }

            foreach (var mode in modes)
                await MeasureModeAsync(http, mode, count, warmup, window, Path.Combine(root, mode), program, label, output);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>Milliseconds from starting one node process to its first 200 on /status.</summary>
    private static async Task<double> StartupAsync(HttpClient http, string dir, string? program)
    {
        var port = LoopbackPorts.Free(1)[0];
        var clock = Stopwatch.StartNew();
        using var node = ChildNode.Start("node-1", port, ["--node-id", "node-1", "--host", "127.0.0.1", "--port", Text(port), "--data-dir", dir],
            Path.Combine(dir + ".log"), null, program);
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (node.HasExited) throw new InvalidOperationException($"the node exited with {node.ExitCode} before serving /status (log: {dir}.log)");
            try
            {
                using var response = await http.GetAsync(node.Url + "/status");
                if (response.IsSuccessStatusCode)
                {
                    var ms = clock.Elapsed.TotalMilliseconds;
                    await node.StopAsync(TimeSpan.FromSeconds(10));
                    return ms;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException) { } // not serving yet (the socket may fail outside HttpClient's wrapping)
            await Task.Delay(5);
        }
        throw new TimeoutException("the node did not serve /status within 60 s");
    }

    private static async Task MeasureModeAsync(HttpClient http, string mode, int count, TimeSpan warmup, TimeSpan window, string root,
        string? program, string label, TextWriter output)
    {
        var env = new Dictionary<string, string>();
        if (mode == "swim-raft")
        {
            env["RINGRIFT_SWIM_ENABLED"] = "true";
            env["RINGRIFT_MEMBERSHIP_MODE"] = "swim";
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
        }
        var ports = LoopbackPorts.Free(3 * count);
        var (httpPorts, swimPorts, raftPorts) = (ports[..count], ports[count..(2 * count)], ports[(2 * count)..]);
        var nodes = new List<ChildNode>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"node-{i + 1}";
                var args = new List<string> { "--node-id", id, "--host", "127.0.0.1", "--port", Text(httpPorts[i]), "--data-dir", Path.Combine(root, id) };
                if (count > 1) args.AddRange(["--peers", string.Join(',', httpPorts.Where(p => p != httpPorts[i]).Select(p => $"127.0.0.1:{p}"))]);
                if (mode == "swim-raft")
                {
                    args.AddRange(["--swim-port", Text(swimPorts[i]), "--raft-port", Text(raftPorts[i]),
                        "--raft-peers", string.Join(',', raftPorts.Select(p => $"127.0.0.1:{p}"))]);
                    if (count > 1) args.AddRange(["--swim-seeds", string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"))]);
                }
                nodes.Add(ChildNode.Start(id, httpPorts[i], args, Path.Combine(root, id + ".log"), env, program));
            }
            await Task.Delay(warmup);
            foreach (var n in nodes)
                if (n.HasExited) throw new InvalidOperationException($"{n.NodeId} exited with {n.ExitCode} during warm-up (log: {n.LogPath})");

            var gcBefore = await Task.WhenAll(nodes.Select(n => GcCountsAsync(http, n.Url)));
            var first = nodes.Select(n => ProcessSample.Read(n.ProcessId)).ToArray();
            var clock = Stopwatch.StartNew();
            var readings = nodes.Select(_ => new List<ProcessSample>()).ToArray();
            while (clock.Elapsed < window)
            {
                await Task.Delay(Min(SampleEvery, window - clock.Elapsed));
                for (var i = 0; i < nodes.Count; i++) readings[i].Add(ProcessSample.Read(nodes[i].ProcessId));
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var gcAfter = await Task.WhenAll(nodes.Select(n => GcCountsAsync(http, n.Url)));

            var cpu = new List<double>();
            var rss = new List<double>();
            var threads = new List<int>();
            for (var i = 0; i < nodes.Count; i++)
            {
                var last = readings[i][^1];
                var cpuPercent = (last.CpuTime - first[i].CpuTime).TotalSeconds / seconds * 100;
                var rssMean = readings[i].Average(r => r.RssBytes) / (1024.0 * 1024);
                var rssMax = readings[i].Max(r => r.RssBytes) / (1024.0 * 1024);
                cpu.Add(cpuPercent);
                rss.Add(rssMax);
                threads.Add(last.Threads);
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = "footprint_node",
                    mode,
                    node = nodes[i].NodeId,
                    cpu_percent = Math.Round(cpuPercent, 2),
                    rss_mb = Math.Round(rssMean, 1),
                    rss_max_mb = Math.Round(rssMax, 1),
                    threads = last.Threads,
                    gc_gen0 = gcAfter[i][0] - gcBefore[i][0],
                    gc_gen1 = gcAfter[i][1] - gcBefore[i][1],
                    gc_gen2 = gcAfter[i][2] - gcBefore[i][2],
                }));
            }
            output.WriteLine(JsonSerializer.Serialize(new
            {
                bench = "footprint",
                mode,
                program = label,
                nodes = count,
                warmup_s = warmup.TotalSeconds,
                seconds = Math.Round(seconds, 1),
                cpu_percent_mean = Math.Round(cpu.Average(), 2),
                cpu_percent_max = Math.Round(cpu.Max(), 2),
                rss_max_mb = Math.Round(rss.Max(), 1),
                threads_max = threads.Max(),
                goal_cpu_percent = mode == "default" ? 1.0 : 2.0,
                goal_rss_mb = 80,
            }));
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.StopAsync(TimeSpan.FromSeconds(10))));
            foreach (var n in nodes) n.Dispose();
        }
    }

    /// <summary>Collections so far per generation (gen0, gen1, gen2) from the node's <c>dotnet_gc_collections_total</c>.</summary>
    private static async Task<long[]> GcCountsAsync(HttpClient http, string url)
    {
        var text = await http.GetStringAsync(url + "/metrics");
        var counts = new long[Generations.Length];
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal)) continue;
            var g = Array.FindIndex(Generations, gen => line.Contains($"=\"{gen}\"", StringComparison.Ordinal));
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            if (g >= 0) counts[g] = (long)double.Parse(value, CultureInfo.InvariantCulture);
        }
        return counts;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
