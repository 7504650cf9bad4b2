using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Bench;

/// <summary>
/// Raft failover on three real node processes on 127.0.0.1 (<c>RINGRIFT_RAFT_ENABLED=true</c>,
/// <c>RINGRIFT_CONSENSUS_MODE=raft</c>): wait until one leader is agreed and every member is ready,
/// probe GET /work/claim every 5 ms on each survivor, SIGKILL the leader, and time from the kill to
/// the first "claimed" answer whose fencing token carries a term above the killed leader's (so the
/// claim was committed by a new leader). The killed node restarts on its data folder and catches up
/// before the next kill. One JSON line per kill (with <c>killed_at</c>, the local wall-clock time of
/// the kill, to line up with the nodes' log timestamps), then a summary (p50 / p99 nearest-rank).
/// <c>--keep-logs</c> keeps the nodes' folders and logs (path on stderr) instead of deleting them;
/// <c>--node-program PATH</c> runs the nodes from another build of the node (a published executable or
/// its <c>.dll</c>) instead of the one the bench was built with.
/// </summary>
public static class RaftFailoverBench
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromMilliseconds(20);
    private const int MaxOutstandingProbesPerNode = 1;
    private static readonly TimeSpan StableWait = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan HitWait = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var kills = BenchArgs.GetInt(args, "--kills", 20);
        var lowerMs = BenchArgs.GetInt(args, "--election-timeout-ms", new RingRift.P2P.Config.P2PConfig().RaftElectionTimeoutMs);
        var upperMs = 2 * lowerMs;
        var keepLogs = args.Contains("--keep-logs");
        var nodeProgram = BenchArgs.GetNodeProgram(args);

        var root = Path.Combine(Path.GetTempPath(), "ringrift-raft-failover-" + Guid.NewGuid().ToString("N")[..8]);
        var ports = LoopbackPorts.Free(6);
        var httpPorts = ports[..3];
        var raftPorts = ports[3..];
        var raftPeers = string.Join(',', raftPorts.Select(p => $"127.0.0.1:{p}"));
        var env = new Dictionary<string, string>
        {
            ["RINGRIFT_RAFT_ENABLED"] = "true",
            ["RINGRIFT_CONSENSUS_MODE"] = "raft",
            ["RINGRIFT_RAFT_ELECTION_TIMEOUT_MS"] = Text(lowerMs),
        };
        var nodes = new ChildNode?[3];
        ChildNode StartNode(int i)
        {
            var id = $"node-{i + 1}";
            var peers = string.Join(',', httpPorts.Where(p => p != httpPorts[i]).Select(p => $"127.0.0.1:{p}"));
            return ChildNode.Start(id, httpPorts[i], ["--node-id", id, "--host", "127.0.0.1", "--port", Text(httpPorts[i]),
                "--peers", peers, "--data-dir", Path.Combine(root, id), "--raft-port", Text(raftPorts[i]), "--raft-peers", raftPeers],
                Path.Combine(root, id + ".log"), env, nodeProgram);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2 * MaxOutstandingProbesPerNode })
        {
            Timeout = TimeSpan.FromSeconds(2),
        };
        var samples = new List<double>();
        var kept = false;
        try
        {
            for (var i = 0; i < 3; i++) nodes[i] = StartNode(i);
            var stable = await WaitStableAsync(http, nodes, StableWait);
            var items = Math.Max(200, kills * 50);
            await AddItemsAsync(http, nodes, items);
            for (var k = 0; k < kills; k++)
            {
                stable = await WaitStableAsync(http, nodes, StableWait);
                var victim = stable.LeaderIndex;
                var survivors = Enumerable.Range(0, 3).Where(i => i != victim).ToArray();
                var hit = new TaskCompletionSource<ProbeHit>(TaskCreationOptions.RunContinuationsAsynchronously);
                using var stopProbes = new CancellationTokenSource();
                var probes = new long[1];
                var elected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                var probers = survivors.Select(i => ProbeAsync(http, nodes[i]!.Url, i, stable.Term, hit, probes, stopProbes.Token))
                    .Concat(survivors.Select(i => WatchElectionAsync(http, nodes[i]!.Url, stable.Term, elected, stopProbes.Token))).ToArray();

                var killedAt = Stopwatch.GetTimestamp();
                var killedAtClock = DateTime.Now;
                nodes[victim]!.Kill();
                ProbeHit first;
                try { first = await hit.Task.WaitAsync(HitWait); }
                finally
                {
                    await stopProbes.CancelAsync();
                    await Task.WhenAll(probers);
                }
                var killMs = Stopwatch.GetElapsedTime(killedAt, first.At).TotalMilliseconds;
                double? electedMs = elected.Task.IsCompletedSuccessfully ? Stopwatch.GetElapsedTime(killedAt, elected.Task.Result).TotalMilliseconds : null;
                samples.Add(killMs);
                var newLeader = await NamedLeaderAsync(http, nodes[first.NodeIndex]!.Url, stable.LeaderId);

                nodes[victim]!.Dispose();
                var restartedAt = Stopwatch.GetTimestamp();
                nodes[victim] = StartNode(victim);
                await WaitStableAsync(http, nodes, StableWait);
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    bench = "raft_failover_kill",
                    kill = k + 1,
                    killed = stable.LeaderId,
                    old_term = stable.Term,
                    new_leader = newLeader,
                    term = first.Token.Term,
                    probed_node = nodes[first.NodeIndex]!.NodeId, // the node the winning probe was sent to (it may have forwarded to the leader)
                    killed_at = killedAtClock.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), // local time, as the nodes' log timestamps
                    kill_ms = Math.Round(killMs, 1),
                    leader_reported_ms = electedMs is { } e ? Math.Round(e, 1) : (double?)null,
                    probes = Interlocked.Read(ref probes[0]),
                    restart_to_caught_up_ms = Math.Round(Stopwatch.GetElapsedTime(restartedAt).TotalMilliseconds, 0),
                }));
                output.Flush();
            }
        }
        catch (Exception) when (KeepLogs(root, out kept))
        {
            throw; // unreachable: KeepLogs answers false after noting where the logs are
        }
        finally
        {
            foreach (var n in nodes) n?.Dispose();
            if (keepLogs && !kept) Console.Error.WriteLine($"raft-failover: node logs kept in {root}");
            if (!kept && !keepLogs) try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }

        samples.Sort();
        output.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "raft_failover",
            nodes = 3,
            kills = samples.Count,
            lower_election_timeout_ms = lowerMs,
            upper_election_timeout_ms = upperMs,
            timeouts = "RINGRIFT_RAFT_ELECTION_TIMEOUT_MS (upper = 2x lower)",
            p50_ms = Math.Round(BenchArgs.Quantile(samples, 0.5), 1),
            p99_ms = Math.Round(BenchArgs.Quantile(samples, 0.99), 1),
            max_ms = Math.Round(samples[^1], 1),
            min_ms = Math.Round(samples[0], 1),
        }));
        return 0;
    }

    /// <summary>Leaves the node logs in place after a failure and says where (always false: only a filter).</summary>
    private static bool KeepLogs(string root, out bool kept)
    {
        kept = true;
        Console.Error.WriteLine($"raft-failover failed; node logs kept in {root}");
        return false;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds <paramref name="count"/> items through any node (followers forward to the leader), 16 at a
    /// time. An add refused while leadership moves (503) or cut off is re-sent with the same command id,
    /// so it is applied once; any other refusal, or 10 s without success, fails the run.
    /// </summary>
    private static async Task AddItemsAsync(HttpClient http, ChildNode?[] nodes, int count)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            for (var k = Interlocked.Increment(ref next); k <= count; k = Interlocked.Increment(ref next))
            {
                var id = Text(k);
                var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                for (var attempt = 0; ; attempt++)
                {
                    var url = nodes[attempt % nodes.Length]!.Url;
                    string? why;
                    try
                    {
                        using var answer = await http.PostAsJsonAsync(url + "/work/add", new { work_id = "fo-" + id, work_type = "selfplay", command_id = "add-fo-" + id });
                        if (answer.IsSuccessStatusCode) break;
                        why = $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}";
                        if (answer.StatusCode != HttpStatusCode.ServiceUnavailable) throw new InvalidOperationException($"POST /work/add fo-{id} on {url} answered {why}");
                    }
                    catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                    {
                        why = error.Message;
                    }
                    if (DateTime.UtcNow > giveUp) throw new TimeoutException($"POST /work/add fo-{id} did not succeed within 10 s; last answer {why}");
                    await Task.Delay(20);
                }
            }
        }));
    }

    /// <summary>
    /// Fires GET /work/claim at <paramref name="url"/> every <see cref="ProbeInterval"/> (without waiting
    /// for earlier answers, at most <see cref="MaxOutstandingProbesPerNode"/> open) and completes
    /// <paramref name="hit"/> with the first claim whose fencing token's term exceeds <paramref name="oldTerm"/>.
    /// </summary>
    private static async Task ProbeAsync(HttpClient http, string url, int nodeIndex, long oldTerm, TaskCompletionSource<ProbeHit> hit,
        long[] probes, CancellationToken stop)
    {
        var open = 0;
        var inFlight = new List<Task>();
        async Task OneAsync()
        {
            try
            {
                using var answer = await http.GetAsync(url + "/work/claim?node_id=bench", stop);
                var at = Stopwatch.GetTimestamp();
                if (answer.StatusCode != HttpStatusCode.OK) return;
                var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync(stop));
                if (body?["status"]?.GetValue<string>() != "claimed") return;
                if (FencingToken.TryParse(body["fencing_token"]?.GetValue<string>(), out var token) && token.Term > oldTerm)
                    hit.TrySetResult(new ProbeHit(at, nodeIndex, token));
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException or JsonException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref open);
            }
        }

        while (!stop.IsCancellationRequested)
        {
            if (Volatile.Read(ref open) < MaxOutstandingProbesPerNode)
            {
                Interlocked.Increment(ref open);
                Interlocked.Increment(ref probes[0]);
                inFlight.Add(OneAsync());
            }
            try { await Task.Delay(ProbeInterval, stop); } catch (OperationCanceledException) { break; }
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// Diagnostic beside the claim probe: polls /raft/status every <see cref="StatusPollInterval"/> and completes
    /// <paramref name="elected"/> when this node reports that it leads in a term above <paramref name="oldTerm"/>
    /// (leadership confirmed by a committed entry), separating the election from serving the HTTP claim.
    /// </summary>
    private static async Task WatchElectionAsync(HttpClient http, string url, long oldTerm, TaskCompletionSource<long> elected, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !elected.Task.IsCompleted)
        {
            var status = await RaftStatusAsync(http, url);
            var at = Stopwatch.GetTimestamp();
            if (status?["is_leader"]?.GetValue<bool>() == true && status["term"]?.GetValue<long>() > oldTerm) elected.TrySetResult(at);
            try { await Task.Delay(StatusPollInterval, stop); } catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>The leader /raft/status on <paramref name="url"/> names, once it names one other than <paramref name="old"/> (2 s at most).</summary>
    private static async Task<string?> NamedLeaderAsync(HttpClient http, string url, string old)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline)
        {
            var status = await RaftStatusAsync(http, url);
            if (status?["leader_id"]?.GetValue<string>() is { } leader && leader != old) return leader;
            await Task.Delay(10);
        }
        return null;
    }

    private static async Task<JsonNode?> RaftStatusAsync(HttpClient http, string url)
    {
        try { return JsonNode.Parse(await http.GetStringAsync(url + "/raft/status"))?["node"]; }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or JsonException) { return null; }
    }

    /// <summary>Until every node runs, all name one leader, that leader says it leads, and every member is ready (caught up).</summary>
    private static async Task<StableCluster> WaitStableAsync(HttpClient http, ChildNode?[] nodes, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var statuses = await Task.WhenAll(nodes.Select(n => n is { HasExited: false } ? RaftStatusAsync(http, n.Url) : Task.FromResult<JsonNode?>(null)));
            last = string.Join("; ", statuses.Select((s, i) => $"{nodes[i]?.NodeId}: {s?.ToJsonString() ?? "no answer"}"));
            if (statuses.All(s => s is not null && s["ready"]?.GetValue<bool>() == true))
            {
                var named = statuses.Select(s => s!["leader_id"]?.GetValue<string>()).Distinct().ToList();
                var leading = Enumerable.Range(0, statuses.Length).Where(i => statuses[i]!["is_leader"]?.GetValue<bool>() == true).ToList();
                if (named is [{ } leaderId] && leading is [var index] && nodes[index]!.NodeId == leaderId)
                    return new StableCluster(index, leaderId, statuses[index]!["term"]!.GetValue<long>());
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"raft cluster not stable within {within.TotalSeconds:0} s; last /raft/status: {last}");
    }

    private sealed record StableCluster(int LeaderIndex, string LeaderId, long Term);

    private sealed record ProbeHit(long At, int NodeIndex, FencingToken Token);
}
