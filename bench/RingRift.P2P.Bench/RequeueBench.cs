using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Bench;

/// <summary>
/// Requeue latency (issue 5, goal ≤ 10 s with SWIM): four node processes on 127.0.0.1 with default
/// timings run a long job; kill -9 the (non-leader) node running it and time until another node
/// holds the item. <c>--membership swim</c> (SWIM decides liveness) or <c>http</c> (heartbeats,
/// 15 s peer timeout); the killed node is restarted before the next round.
/// </summary>
public static class RequeueBench
{
    private const int NodeCount = 4;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var kills = BenchArgs.GetInt(args, "--kills", 5);
        var membership = BenchArgs.GetString(args, "--membership", "swim");
        if (membership is not ("swim" or "http")) { Console.Error.WriteLine("--membership must be swim or http"); return 2; }
        var root = Path.Combine(Path.GetTempPath(), "ringrift-requeue-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var jobs = Path.Combine(root, "jobs.yaml");
        await File.WriteAllTextAsync(jobs, "jobs:\n  selfplay:\n    command: [\"/bin/sh\", \"-c\", \"sleep 120\"]\n");
        var ports = LoopbackPorts.Free(NodeCount * 2);
        var env = new Dictionary<string, string> { ["RINGRIFT_P2P_GPU_COUNT"] = "0" };
        if (membership == "swim")
        {
            env["RINGRIFT_SWIM_ENABLED"] = "true";
            env["RINGRIFT_MEMBERSHIP_MODE"] = "swim";
        }
        var nodes = new ChildNode?[NodeCount];
        ChildNode StartNode(int i)
        {
            var id = $"node-{i + 1}";
            var peers = string.Join(',', Enumerable.Range(0, NodeCount).Where(j => j != i).Select(j => $"127.0.0.1:{ports[j]}"));
            var swimSeeds = string.Join(',', Enumerable.Range(0, NodeCount).Where(j => j != i).Select(j => $"127.0.0.1:{ports[NodeCount + j]}"));
            return ChildNode.Start(id, ports[i], ["--node-id", id, "--host", "127.0.0.1", "--port", ports[i].ToString(CultureInfo.InvariantCulture),
                "--peers", peers, "--data-dir", Path.Combine(root, id), "--jobs", jobs,
                "--swim-port", ports[NodeCount + i].ToString(CultureInfo.InvariantCulture), "--swim-seeds", swimSeeds], Path.Combine(root, id + ".log"), env);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var samples = new List<double>();
        try
        {
            for (var i = 0; i < NodeCount; i++) nodes[i] = StartNode(i);
            for (var k = 0; k < kills; k++)
            {
                var leader = await LeaderAsync(http, nodes, TimeSpan.FromSeconds(120));
                var leaderUrl = nodes.First(n => n!.NodeId == leader)!.Url;
                var (workId, victim) = await RunJobOffLeaderAsync(http, leaderUrl, leader, k);
                var index = Array.FindIndex(nodes, n => n!.NodeId == victim);
                var clock = Stopwatch.StartNew();
                nodes[index]!.Kill();
                var next = await WaitForHolderAsync(http, leaderUrl, workId, h => h != victim, TimeSpan.FromSeconds(120));
                samples.Add(clock.Elapsed.TotalMilliseconds);
                output.WriteLine(JsonSerializer.Serialize(new { bench = "requeue_kill", membership, kill = k + 1, killed = victim, now_on = next, ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1) }));
                await PostAsync(http, leaderUrl, "work/cancel", new JsonObject { ["work_id"] = workId });
                nodes[index]!.Dispose();
                nodes[index] = StartNode(index);
                await WaitAliveAsync(http, leaderUrl, victim, TimeSpan.FromSeconds(120));
            }
        }
        finally
        {
            foreach (var n in nodes) n?.Dispose();
            for (var i = 0; i < NodeCount; i++) JobFiles.KillRecordedJobs(Path.Combine(root, $"node-{i + 1}")); // jobs outlive their node by design
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
        samples.Sort();
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "requeue",
            membership,
            nodes = NodeCount,
            kills = samples.Count,
            timings = "defaults (heartbeat 5 s, peer timeout 15 s; SWIM defaults)",
            p50_ms = Math.Round(BenchArgs.Quantile(samples, 0.5), 1),
            p99_ms = Math.Round(BenchArgs.Quantile(samples, 0.99), 1),
            min_ms = Math.Round(samples[0], 1),
            max_ms = Math.Round(samples[^1], 1),
        }));
        return 0;
    }

    /// <summary>Adds a long job and returns it once running on a node other than the leader (cancelling and retrying when the leader took it).</summary>
    private static async Task<(string WorkId, string Node)> RunJobOffLeaderAsync(HttpClient http, string leaderUrl, string leader, int round)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var workId = $"rq-{round}-{attempt}";
            await PostAsync(http, leaderUrl, "work/add", new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay", ["timeout_seconds"] = 3600, ["max_attempts"] = 10 });
            var holder = await WaitForHolderAsync(http, leaderUrl, workId, _ => true, TimeSpan.FromSeconds(60), running: true);
            if (holder != leader) return (workId, holder);
            await PostAsync(http, leaderUrl, "work/cancel", new JsonObject { ["work_id"] = workId });
        }
        throw new InvalidOperationException("the leader took every job; cannot measure a follower's death");
    }

    private static async Task<string> WaitForHolderAsync(HttpClient http, string url, string workId, Func<string, bool> accept, TimeSpan within, bool running = false)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var item = JsonNode.Parse(await http.GetStringAsync($"{url}/work/{workId}"));
                var status = item?["status"]?.GetValue<string>();
                if (item?["claimed_by"]?.GetValue<string>() is { } holder && (running ? status == "running" : status is "claimed" or "running") && accept(holder))
                    return holder;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{workId} was not held as expected within {within}");
    }

    private static async Task<string> LeaderAsync(HttpClient http, ChildNode?[] nodes, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var n in nodes.Where(n => n is { HasExited: false }))
            {
                try
                {
                    var status = JsonNode.Parse(await http.GetStringAsync(n!.Url + "/status"));
                    if (status?["is_leader"]?.GetValue<bool>() == true && status["work_queue"]?["is_leader"]?.GetValue<bool>() == true) return n.NodeId;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("no serving leader within " + within);
    }

    private static async Task WaitAliveAsync(HttpClient http, string leaderUrl, string nodeId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = JsonNode.Parse(await http.GetStringAsync(leaderUrl + "/status"));
                if (status?["peers"]?[nodeId]?["alive"]?.GetValue<bool>() == true) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{nodeId} did not come back within {within}");
    }

    private static async Task PostAsync(HttpClient http, string url, string path, JsonObject body)
    {
        using var response = await http.PostAsync($"{url}/{path}", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
    }
}
