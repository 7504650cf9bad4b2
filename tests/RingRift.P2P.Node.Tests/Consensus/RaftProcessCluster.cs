using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// Three (or N) node processes on 127.0.0.1 with Raft serving the queue
/// (<c>RINGRIFT_RAFT_ENABLED=true</c>, <c>RINGRIFT_CONSENSUS_MODE=raft</c>). Members may be reached
/// through other addresses than the ones they bind (<paramref name="advertisedRaft"/>: e.g. a fault
/// proxy in front of each). Nodes can be SIGKILLed and restarted on their data.
/// </summary>
public sealed class RaftProcessCluster : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-raft-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string>[] _args;
    private readonly Dictionary<string, string> _env;

    public const string ProcessTestElectionTimeoutMs = "250";
    private readonly List<ChildNode> _retired = [];

    private RaftProcessCluster(int count, int[]? raftPorts, IReadOnlyList<int>? advertisedRaft, IReadOnlyDictionary<string, string>? env)
    {
        HttpPorts = LoopbackPorts.Free(count);
        RaftPorts = raftPorts ?? LoopbackPorts.Free(count);
        var advertised = advertisedRaft ?? RaftPorts;
        var members = string.Join(',', advertised.Select(p => $"127.0.0.1:{p}"));
        _env = InProcessCluster.FastTimings.ToDictionary(kv => kv.Key, kv => kv.Value!);
        _env["RINGRIFT_RAFT_ENABLED"] = "true";
        _env["RINGRIFT_CONSENSUS_MODE"] = "raft";
        // 250 ms, not the 100 ms default: these tests check safety under faults on a shared, often
        // saturated 2-core host, where 100 ms leases were lost over and over (one run had no leader for 30 s).
        _env["RINGRIFT_RAFT_ELECTION_TIMEOUT_MS"] = ProcessTestElectionTimeoutMs;
        if (env is not null) foreach (var (k, v) in env) _env[k] = v;
        _args = new List<string>[count];
        Nodes = new ChildNode[count];
        for (var i = 0; i < count; i++)
        {
            var id = IdOf(i);
            var peers = string.Join(',', HttpPorts.Where(p => p != HttpPorts[i]).Select(p => $"127.0.0.1:{p}"));
            _args[i] = ["--node-id", id, "--host", "127.0.0.1", "--port", HttpPorts[i].ToString(), "--data-dir", Path.Combine(_root, id),
                "--peers", peers, "--raft-port", RaftPorts[i].ToString(), "--raft-peers", members, "--raft-advertise", $"127.0.0.1:{advertised[i]}"];
        }
    }

    public int[] HttpPorts { get; }

    /// <summary>The ports the members bind.</summary>
    public int[] RaftPorts { get; }

    public ChildNode[] Nodes { get; }

    public IEnumerable<ChildNode> Live => Nodes.Where(n => !n.HasExited);

    public static string IdOf(int index) => $"node-{index + 1}";

    public static int IndexOf(string nodeId) => int.Parse(nodeId["node-".Length..]) - 1;

    /// <param name="raftPorts">The ports members bind (fresh free ports when null).</param>
    /// <param name="advertisedRaft">Where peers reach each member (its bind port when null).</param>
    /// <param name="started">Called with (index, pid) each time a node process starts.</param>
    public static RaftProcessCluster Start(int count = 3, int[]? raftPorts = null, IReadOnlyList<int>? advertisedRaft = null,
        IReadOnlyDictionary<string, string>? env = null, Action<int, int>? started = null)
    {
        var cluster = new RaftProcessCluster(count, raftPorts, advertisedRaft, env) { Started = started };
        for (var i = 0; i < count; i++) cluster.StartNode(i);
        return cluster;
    }

    /// <summary>Changes an environment variable for nodes started from now on.</summary>
    public void SetEnvironment(string name, string value) => _env[name] = value;

    public void StartNode(int index)
    {
        if (Nodes[index] is { HasExited: false }) throw new InvalidOperationException($"{IdOf(index)} is running");
        if (Nodes[index] is { } old) _retired.Add(old); // disposed at the end: other threads may still be reading it
        Nodes[index] = ChildNode.Start(IdOf(index), HttpPorts[index], _args[index], Path.Combine(_root, IdOf(index) + ".log"), _env);
        Started?.Invoke(index, Nodes[index].ProcessId);
    }

    /// <summary>Called with (index, pid) each time a node process starts.</summary>
    public Action<int, int>? Started { get; set; }

    public void Kill(int index) => Nodes[index].Kill();

    /// <summary>/raft/status of a node, or null when it does not answer.</summary>
    public static async Task<JsonNode?> RaftStatusAsync(ChildNode node)
    {
        try { return (await Http.GetAsync(node.Url + "/", "raft/status")).Json; }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return null; }
    }

    /// <summary>The Raft leader every live node names, once it is ready; not <paramref name="not"/>.</summary>
    public async Task<string> WaitForLeaderAsync(TimeSpan within, string? not = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var views = await Task.WhenAll(Live.Select(RaftStatusAsync));
            var leaders = views.Select(v => v?["node"]?["leader_id"]?.GetValue<string>()).ToHashSet();
            var ready = views.All(v => v?["node"]?["ready"]?.GetValue<bool>() == true);
            var serving = views.Any(v => v?["node"]?["is_leader"]?.GetValue<bool>() == true);
            if (leaders.Count == 1 && leaders.First() is { } id && id != not && ready && serving) return id;
            await Task.Delay(50);
        }
        throw new TimeoutException("no agreed Raft leader; logs:\n" + string.Join("\n----\n", Nodes.Select(n => n.NodeId + ":\n" + Tail(n))));
    }

    public string Tail(ChildNode node)
    {
        var text = File.Exists(node.LogPath) ? File.ReadAllText(node.LogPath) : "(no log)";
        return text.Length > 3000 ? text[^3000..] : text;
    }

    public void Dispose()
    {
        foreach (var n in Nodes.Concat(_retired)) n?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
