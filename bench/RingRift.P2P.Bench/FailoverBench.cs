using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Bench;

/// <summary>
/// Bully failover on three real processes on 127.0.0.1: kill -9 the leader, time until another node
/// serves the work queue as leader (every survivor agreeing), restart the killed node, repeat.
/// <c>--node-program PATH</c> runs the nodes from another build (e.g. a release executable).
/// </summary>
public static class FailoverBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var kills = BenchArgs.GetInt(args, "--kills", 10);
        var heartbeat = BenchArgs.Get(args, "--heartbeat", 0.5);
        var peerTimeout = BenchArgs.Get(args, "--peer-timeout", 1.5);
        var lease = BenchArgs.Get(args, "--lease", 3);
        var program = BenchArgs.GetNodeProgram(args);
        var env = new Dictionary<string, string>
        {
            ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = heartbeat.ToString(CultureInfo.InvariantCulture),
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = peerTimeout.ToString(CultureInfo.InvariantCulture),
            ["RINGRIFT_P2P_LEADER_LEASE"] = lease.ToString(CultureInfo.InvariantCulture),
        };
        var root = Path.Combine(Path.GetTempPath(), "ringrift-failover-" + Guid.NewGuid().ToString("N")[..8]);
        var ports = LoopbackPorts.Free(3);
        var nodes = new ChildNode?[3];
        ChildNode StartNode(int i)
        {
            var id = $"node-{i + 1}";
            var peers = string.Join(',', ports.Where(p => p != ports[i]).Select(p => $"127.0.0.1:{p}"));
            return ChildNode.Start(id, ports[i], ["--node-id", id, "--host", "127.0.0.1", "--port", ports[i].ToString(CultureInfo.InvariantCulture),
                "--peers", peers, "--data-dir", Path.Combine(root, id)], Path.Combine(root, id + ".log"), env, program);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var samples = new List<double>();
        try
        {
            for (var i = 0; i < 3; i++) nodes[i] = StartNode(i);
            var leader = await WaitForLeaderAsync(http, nodes, null, TimeSpan.FromSeconds(60));
            for (var k = 0; k < kills; k++)
            {
                var victim = Array.FindIndex(nodes, n => n!.NodeId == leader);
                var clock = Stopwatch.StartNew();
                nodes[victim]!.Kill();
                var next = await WaitForLeaderAsync(http, nodes, leader, TimeSpan.FromSeconds(120));
                samples.Add(clock.Elapsed.TotalMilliseconds);
                output.WriteLine(JsonSerializer.Serialize(new { bench = "bully_failover_kill", kill = k + 1, killed = leader, new_leader = next, ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1) }));
                nodes[victim]!.Dispose();
                nodes[victim] = StartNode(victim);
                leader = await WaitForLeaderAsync(http, nodes, null, TimeSpan.FromSeconds(120)); // the restarted node rejoins and follows (a lease in force is not preempted)
                await Task.Delay(TimeSpan.FromSeconds(lease)); // let every node see the settled leader
                leader = await WaitForLeaderAsync(http, nodes, null, TimeSpan.FromSeconds(120));
            }
        }
        finally
        {
            foreach (var n in nodes) n?.Dispose();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
        samples.Sort();
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "bully_failover",
            nodes = 3,
            kills = samples.Count,
            heartbeat_s = heartbeat,
            peer_timeout_s = peerTimeout,
            lease_s = lease,
            p50_ms = Math.Round(BenchArgs.Quantile(samples, 0.5), 1),
            p99_ms = Math.Round(BenchArgs.Quantile(samples, 0.99), 1),
            min_ms = Math.Round(samples[0], 1),
            max_ms = Math.Round(samples[^1], 1),
        }));
        return 0;
    }

    /// <summary>Until every live node names one leader (not <paramref name="not"/>) and that leader serves the queue.</summary>
    private static async Task<string> WaitForLeaderAsync(HttpClient http, ChildNode?[] nodes, string? not, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var named = new HashSet<string?>();
            var serving = false;
            foreach (var n in nodes.Where(n => n is { HasExited: false }))
            {
                try
                {
                    var status = JsonNode.Parse(await http.GetStringAsync(n!.Url + "/status"));
                    var leader = status?["leader_id"]?.GetValue<string>();
                    named.Add(leader);
                    serving |= leader == n.NodeId && status?["work_queue"]?["is_leader"]?.GetValue<bool>() == true;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { named.Add(null); }
            }
            if (named.Count == 1 && named.First() is { } id && id != not && serving) return id;
            await Task.Delay(20);
        }
        throw new TimeoutException("no leader agreed within " + within);
    }
}
