using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// Three (or N) node processes on 127.0.0.1 with Raft serving the queue
/// (<c>RINGRIFT_RAFT_ENABLED=true</c>, <c>RINGRIFT_CONSENSUS_MODE=raft</c>). Members may be reached
/// through other addresses than the ones they bind (<paramref name="advertisedRaft"/>: e.g. a fault
/// proxy in front of each). Nodes can be SIGKILLed and restarted on their data. Disposing kills every
/// process it started and deletes the data folder; no node starts after that.
/// </summary>
public sealed class RaftProcessCluster : IDisposable
{
    /// <summary>
    /// The bound of a wait on these processes (a leader, a catch-up, a listing): sized for a loaded
    /// 2-core machine; a wait ends as soon as its condition holds, so it costs nothing when all is well.
    /// </summary>
    public static readonly TimeSpan ProcessWait = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-raft-").FullName;
    private readonly List<string>[] _args;
    private readonly Dictionary<string, string> _env;
    private readonly Lock _gate = new();
    private bool _disposed;

    public const string ProcessTestElectionTimeoutMs = "250";
    private readonly List<ChildNode> _retired = [];

    private RaftProcessCluster(int count, int[]? raftPorts, IReadOnlyList<int>? advertisedRaft, IReadOnlyDictionary<string, string>? env, bool swim)
    {
        HttpPorts = TestPorts.Free(count);
        SwimPorts = swim ? TestPorts.Free(count) : null;
        RaftPorts = raftPorts ?? TestPorts.Free(count);
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
            _args[i] = ["--node-id", id, "--host", "127.0.0.1", "--port", HttpPorts[i].ToString(), "--data-dir", DataDirOf(i),
                "--peers", peers, "--raft-port", RaftPorts[i].ToString(), "--raft-peers", members, "--raft-advertise", $"127.0.0.1:{advertised[i]}"];
            if (SwimPorts is { } swimPorts)
            {
                var seeds = string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"));
                _args[i].AddRange(["--swim-port", swimPorts[i].ToString(), "--swim-seeds", seeds]);
            }
        }
    }

    /// <summary>Each node's SWIM port when started with <c>swim</c>; null otherwise.</summary>
    public int[]? SwimPorts { get; }

    public int[] HttpPorts { get; }

    /// <summary>The ports the members bind.</summary>
    public int[] RaftPorts { get; }

    public ChildNode[] Nodes { get; }

    public IEnumerable<ChildNode> Live => Nodes.Where(n => !n.HasExited);

    public static string IdOf(int index) => $"node-{index + 1}";

    public static int IndexOf(string nodeId) => int.Parse(nodeId["node-".Length..]) - 1;

    /// <summary>The node's --data-dir (its Raft log is under raft/).</summary>
    public string DataDirOf(int index) => Path.Combine(_root, IdOf(index));

    /// <param name="raftPorts">The ports members bind (fresh free ports when null).</param>
    /// <param name="advertisedRaft">Where peers reach each member (its bind port when null).</param>
    /// <param name="started">Called with (index, pid) each time a node process starts.</param>
    /// <param name="swim">Give each node a SWIM port and the others' as SWIM seeds (SWIM itself is enabled by <paramref name="env"/>).</param>
    public static RaftProcessCluster Start(int count = 3, int[]? raftPorts = null, IReadOnlyList<int>? advertisedRaft = null,
        IReadOnlyDictionary<string, string>? env = null, Action<int, int>? started = null, bool swim = false)
    {
        var cluster = new RaftProcessCluster(count, raftPorts, advertisedRaft, env, swim) { Started = started };
        try
        {
            for (var i = 0; i < count; i++) cluster.StartNode(i);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Changes an environment variable for nodes started from now on.</summary>
    public void SetEnvironment(string name, string value) => _env[name] = value;

    /// <summary>Starts the node's process (again, on its data); refused once the cluster is disposed.</summary>
    public void StartNode(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Nodes[index] is { HasExited: false }) throw new InvalidOperationException($"{IdOf(index)} is running");
            if (Nodes[index] is { } old) _retired.Add(old); // disposed at the end: other threads may still be reading it
            Nodes[index] = ChildNode.Start(IdOf(index), HttpPorts[index], _args[index], Path.Combine(_root, IdOf(index) + ".log"), _env, TestNodeProgram.Path);
            Started?.Invoke(index, Nodes[index].ProcessId);
        }
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

    /// <summary>Every live node's view of the Raft leadership, read once.</summary>
    public async Task<IReadOnlyList<RaftMemberView>> MemberViewsAsync()
    {
        var live = Live.ToList();
        var statuses = await Task.WhenAll(live.Select(RaftStatusAsync));
        return live.Select((node, i) => RaftMemberView.Of(node.NodeId, statuses[i])).ToList();
    }

    /// <summary>
    /// The Raft leader every live node names, once all of them are ready and it says it leads; not
    /// <paramref name="not"/>. On timeout the failure gives each node's last view and its log's tail.
    /// </summary>
    public async Task<string> WaitForLeaderAsync(TimeSpan? within = null, string? not = null)
    {
        var what = not is null ? "one Raft leader named by every live node, all ready" : $"a Raft leader other than {not} named by every live node, all ready";
        try
        {
            var views = await Eventually.Until(MemberViewsAsync, views => RaftMemberView.AgreedLeader(views, not) is not null, what, within ?? ProcessWait);
            return RaftMemberView.AgreedLeader(views, not)!;
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException(e.Message + "\nlogs:\n" + string.Join("\n----\n", Nodes.Select(n => n.NodeId + ":\n" + LeadershipHistory(n) + "\n(tail)\n" + Tail(n))));
        }
    }

    /// <summary>
    /// The node's last 60 log lines about leadership (its own leader changes, DotNext's state transitions
    /// and votes) from the whole log: a stuck election's cause is often older than the log's tail.
    /// </summary>
    public static string LeadershipHistory(ChildNode node) => LogLines(node, ["leader", "Transition", "term", "vote", "Vote", "ready"], 60);

    /// <summary>The node's last <paramref name="count"/> log lines holding any of <paramref name="marks"/>, from the whole log.</summary>
    public static string LogLines(ChildNode node, string[] marks, int count)
    {
        if (!File.Exists(node.LogPath)) return "(no log)";
        var lines = File.ReadLines(node.LogPath).Where(l => marks.Any(m => l.Contains(m, StringComparison.Ordinal)));
        return string.Join("\n", lines.TakeLast(count));
    }

    public string Tail(ChildNode node)
    {
        var text = File.Exists(node.LogPath) ? File.ReadAllText(node.LogPath) : "(no log)";
        return text.Length > 3000 ? text[^3000..] : text;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (var n in Nodes.Concat(_retired)) n?.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
