using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>N nodes as real child processes on 127.0.0.1 (so one can be killed with SIGKILL).</summary>
public sealed class ProcessCluster : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-pc-" + Guid.NewGuid().ToString("N")[..8]);

    public List<ChildNode> Nodes { get; } = [];

    /// <summary>
    /// Starts <paramref name="count"/> nodes. <paramref name="swim"/>: each node gets its own SWIM port
    /// and the others' as --swim-seeds; then, unless <paramref name="httpPeers"/>, no --peers at all, so
    /// nodes learn each other's HTTP endpoints from SWIM metadata only.
    /// </summary>
    public static ProcessCluster Start(int count, IReadOnlyDictionary<string, string>? env = null, bool swim = false, bool httpPeers = true)
    {
        var cluster = new ProcessCluster();
        var ports = LoopbackPorts.Free(count);
        var swimPorts = swim ? LoopbackPorts.Free(count) : null;
        var environment = InProcessCluster.FastTimings.ToDictionary(kv => kv.Key, kv => kv.Value!);
        if (env is not null) foreach (var (k, v) in env) environment[k] = v;
        for (var i = 0; i < count; i++)
        {
            var id = $"node-{i + 1}";
            var peers = string.Join(',', ports.Where(p => p != ports[i]).Select(p => $"127.0.0.1:{p}"));
            List<string> args = ["--node-id", id, "--host", "127.0.0.1", "--port", ports[i].ToString(), "--data-dir", Path.Combine(cluster._root, id)];
            if (httpPeers) args.AddRange(["--peers", peers]);
            if (swimPorts is not null)
            {
                var swimSeeds = string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"));
                args.AddRange(["--swim-port", swimPorts[i].ToString(), "--swim-seeds", swimSeeds]);
            }
            cluster.Nodes.Add(ChildNode.Start(id, ports[i], args, Path.Combine(cluster._root, id + ".log"), environment));
        }
        return cluster;
    }

    public string Log(ChildNode node) => File.Exists(node.LogPath) ? File.ReadAllText(node.LogPath) : "(no log)";

    /// <summary>Waits until every live node's /status names the same leader and that leader serves the queue.</summary>
    public async Task<string> WaitForLeaderAsync(TimeSpan within, string? not = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var leaders = new HashSet<string?>();
            var ready = false;
            foreach (var node in Nodes.Where(n => !n.HasExited))
            {
                try
                {
                    var status = (await Http.GetAsync(node.Url + "/", "status")).Json;
                    var leader = status?["leader_id"]?.GetValue<string>();
                    leaders.Add(leader);
                    if (status?["node_id"]?.GetValue<string>() == leader && status?["work_queue"]?["is_leader"]?.GetValue<bool>() == true) ready = true;
                }
                catch (HttpRequestException) { leaders.Add(null); }
            }
            if (leaders.Count == 1 && leaders.First() is { } id && id != not && ready) return id;
            await Task.Delay(50);
        }
        throw new TimeoutException("no agreed leader; logs:\n" + string.Join("\n----\n", Nodes.Select(n => n.NodeId + ":\n" + Tail(Log(n)))));
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;

    public static async Task<JsonNode?> StatusAsync(ChildNode node) => (await Http.GetAsync(node.Url + "/", "status")).Json;

    public void Dispose()
    {
        foreach (var n in Nodes) n.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
