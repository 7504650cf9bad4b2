using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Consensus;
using RingRift.P2P.Testing.Netns;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Netns;

/// <summary>
/// A cluster of node processes, one per host of its own <see cref="NetnsTestBed"/>, every node a voter:
/// Bully with the quorum-replicated SQLite queue (the default mode, HTTP heartbeats) or Raft serving the
/// queue (every node a member). Nodes can be SIGKILLed, stopped with SIGTERM and started again on their
/// data. One node can be given environment variables of its own (a preloaded library faking its clock).
/// Disposing kills every process, removes the test bed and deletes the data.
/// </summary>
public sealed class NetnsCluster : IDisposable
{
    /// <summary>Every Raft member's port (each host has its own network stack).</summary>
    public const int RaftPort = 4321;

    /// <summary>
    /// Bully timings: heartbeat 0.3 s, peer timeout 1.5 s, lease 3 s (renewed every 1 s, node-to-node
    /// calls time out after 0.5 s, 0.3 s safety margin). Between the in-process tests' fast (2 s lease,
    /// 0.33 s calls) and steady (6 s) sets: five node processes and the test on a loaded 2-core machine
    /// miss 0.33 s calls often enough to lose leases with no fault applied, and 6 s leases make each
    /// failover too slow to run 20 schedules within CI's budget.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> BullyTimings { get; } = new Dictionary<string, string?>
    {
        ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.3",
        ["RINGRIFT_P2P_PEER_TIMEOUT"] = "1.5",
        ["RINGRIFT_P2P_LEADER_LEASE"] = "3",
    };

    private readonly string _root = Directory.CreateTempSubdirectory("ringrift-netns-cluster-").FullName;
    private readonly NetnsTestBed _bed;
    private readonly bool _raft;
    private readonly NetnsClusterOptions _options;
    private readonly Dictionary<string, string?> _settings;
    private readonly IReadOnlyDictionary<int, IReadOnlyDictionary<string, string?>> _nodeSettings;
    private readonly List<int> _processIds = [];
    private readonly Lock _gate = new();
    private readonly HashSet<int> _restarting = [];
    private bool _disposed;

    private NetnsCluster(NetnsTestBed bed, bool raft, NetnsClusterOptions options)
    {
        _bed = bed;
        _raft = raft;
        _options = options;
        _nodeSettings = options.NodeSettings;
        Nodes = new NetnsNode[bed.Hosts.Count];
        _settings = new Dictionary<string, string?>(BullyTimings);
        foreach (var (name, value) in options.Settings) _settings[name] = value;
        if (raft)
        {
            _settings["RINGRIFT_RAFT_ENABLED"] = "true";
            _settings["RINGRIFT_CONSENSUS_MODE"] = "raft";
            _settings["RINGRIFT_RAFT_ELECTION_TIMEOUT_MS"] = RaftProcessCluster.ProcessTestElectionTimeoutMs;
        }
    }

    /// <summary>The test bed the nodes run in.</summary>
    public NetnsTestBed Bed => _bed;

    /// <summary>The node of each host, in host order (the last started process of each; null for one not started yet).</summary>
    public NetnsNode[] Nodes { get; }

    /// <summary>Nodes whose process runs.</summary>
    public IReadOnlyList<NetnsNode> Live
    {
        get
        {
            lock (_gate) return Nodes.Where(n => n is { Process.HasExited: false }).ToList();
        }
    }

    /// <summary>Process ids of every node process started so far, restarts included.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_gate) return [.. _processIds];
        }
    }

    /// <summary>Starts <paramref name="count"/> Bully nodes (quorum SQLite queue) in a new test bed.</summary>
    public static NetnsCluster StartBully(int count) => Start(count, raft: false, new NetnsClusterOptions());

    /// <summary>
    /// Starts <paramref name="count"/> Bully nodes (quorum SQLite queue) in a new test bed; the node of index i
    /// (0-based) also gets <paramref name="nodeSettings"/>[i], whenever it starts.
    /// </summary>
    public static NetnsCluster StartBully(int count, IReadOnlyDictionary<int, IReadOnlyDictionary<string, string?>> nodeSettings) =>
        Start(count, raft: false, new NetnsClusterOptions { NodeSettings = nodeSettings });

    /// <summary>Starts <paramref name="count"/> Bully nodes (quorum SQLite queue) with <paramref name="options"/>' settings, arguments and late starts.</summary>
    public static NetnsCluster StartBully(int count, NetnsClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Start(count, raft: false, options);
    }

    /// <summary>Starts <paramref name="count"/> Raft members serving the queue in a new test bed.</summary>
    public static NetnsCluster StartRaft(int count) => Start(count, raft: true, new NetnsClusterOptions());

    private static NetnsCluster Start(int count, bool raft, NetnsClusterOptions options)
    {
        var cluster = new NetnsCluster(NetnsTestBed.Create(count), raft, options);
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (!options.StartLater.Contains(i)) cluster.StartNode(i);
            }
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>The node index (0-based) of a node id <c>node-N</c>.</summary>
    public static int IndexOf(string nodeId) => int.Parse(nodeId["node-".Length..], CultureInfo.InvariantCulture) - 1;

    /// <summary>Starts the node's process (again, on its data); refused while it runs or once disposed.</summary>
    public void StartNode(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Nodes[index] is { Process.HasExited: false }) throw new InvalidOperationException($"node-{index + 1} is running");
            var settings = _settings;
            if (_nodeSettings.TryGetValue(index, out var own))
            {
                settings = new Dictionary<string, string?>(_settings);
                foreach (var (name, value) in own) settings[name] = value;
            }
            Nodes[index] = NetnsNode.Start(_bed, _bed.Hosts[index], Arguments(index), _root, NodeProgram.Current, settings);
            _processIds.Add(Nodes[index].Process.ProcessId);
        }
    }

    /// <summary>
    /// Stops a node (SIGKILL, or SIGTERM with up to 10 s to finish) and starts it again after
    /// <paramref name="down"/>. A second restart of a node already restarting does nothing.
    /// </summary>
    public async Task RestartAsync(int index, TimeSpan down, bool graceful)
    {
        lock (_gate)
        {
            if (!_restarting.Add(index)) return;
        }
        try
        {
            var node = Nodes[index];
            if (node.Process.HasExited) return;
            if (graceful) await node.Process.StopAsync(TimeSpan.FromSeconds(10));
            else node.Process.Kill();
            await Task.Delay(down);
            StartNode(index);
        }
        finally
        {
            lock (_gate) _restarting.Remove(index);
        }
    }

    /// <summary>Waits until every node serves /status (start-up).</summary>
    public Task WaitUntilServingAsync() => Task.WhenAll(Live.Select(n => n.WaitUntilServingAsync()));

    /// <summary>
    /// The leader every live node names, once that leader serves the queue (Bully: its own /status says
    /// its work queue leads; Raft: every member ready under it); with <paramref name="expected"/>, until it
    /// is that node. On timeout the failure gives each node's view and its log's tail.
    /// </summary>
    public async Task<string> WaitForLeaderAsync(string? expected = null, TimeSpan? within = null)
    {
        var what = $"one leader{(expected is null ? "" : " " + expected)} named by every live node and serving the queue";
        try
        {
            var poll = await Eventually.Until(PollAsync, p => p.Leader is { } id && (expected is null || id == expected), what, within ?? NetnsNode.ProcessWait);
            return poll.Leader!;
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\n{LogTails()}");
        }
    }

    /// <summary>
    /// Moves Bully leadership to <paramref name="nodeId"/>, which must be the highest voter running, the way an
    /// operator does (a leader whose lease is in force is not preempted): the current leader is stopped with
    /// SIGTERM (it releases its grants and resigns, so the highest voter running takes over at once) and started
    /// again on its data, as a follower. Returns once every node runs and names <paramref name="nodeId"/>.
    /// </summary>
    public async Task HandLeadershipToAsync(string nodeId)
    {
        for (var moves = 0; await WaitForLeaderAsync() is var leader && leader != nodeId; moves++)
        {
            if (moves == 3) throw new InvalidOperationException($"leadership stayed with {leader} after three graceful restarts, not moving to {nodeId}");
            await RestartAsync(IndexOf(leader), TimeSpan.Zero, graceful: true);
            await WaitUntilServingAsync();
        }
    }

    /// <summary>The base URL of the leader, waiting for one (for the final read of the queue).</summary>
    public async Task<string> LeaderUrlAsync() => Nodes[IndexOf(await WaitForLeaderAsync())].Url;

    /// <summary>The last lines of every node's log, for a failure message.</summary>
    public string LogTails(int lines = 15) =>
        string.Join("\n", Nodes.Where(n => n is not null).Select(n => $"--- {n.Id}:\n{n.Process.LogTail(lines)}"));

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _bed.Dispose(); // kills every process in the namespaces
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private List<string> Arguments(int index)
    {
        var hosts = _bed.Hosts;
        var voters = string.Join(',', hosts.Select(h => $"node-{h.Index}"));
        var peers = string.Join(',', hosts.Where(h => h.Index != index + 1).Select(h => $"{h.Address}:{NetnsNode.HttpPort}"));
        List<string> args = ["--peers", peers, "--voters", voters];
        if (_raft)
        {
            var members = string.Join(',', hosts.Select(h => $"{h.Address}:{RaftPort}"));
            args.AddRange(["--raft-port", RaftPort.ToString(CultureInfo.InvariantCulture), "--raft-peers", members,
                "--raft-advertise", $"{hosts[index].Address}:{RaftPort}"]);
        }
        args.AddRange(_options.Arguments(index));
        return args;
    }

    private async Task<LeaderPoll> PollAsync()
    {
        var live = Live;
        var views = await Task.WhenAll(live.Select(async n =>
        {
            try
            {
                return (Node: n, Json: await n.GetJsonAsync(_raft ? "/raft/status" : "/status"), Error: (string?)null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                return (Node: n, Json: (JsonNode?)null, Error: e.GetType().Name);
            }
        }));
        if (_raft)
        {
            var members = views.Select(v => RaftMemberView.Of(v.Node.Id, v.Json)).ToList();
            return new LeaderPoll(RaftMemberView.AgreedLeader(members), string.Join("; ", members));
        }

        var named = views.Select(v => v.Json?["leader_id"]?.GetValue<string>()).Distinct().ToList();
        string? agreed = null;
        if (named is [{ } leader] && views.All(v => v.Json is not null))
        {
            var own = views.FirstOrDefault(v => v.Node.Id == leader).Json;
            if (own?["work_queue"]?["is_leader"]?.GetValue<bool>() == true) agreed = leader;
        }
        return new LeaderPoll(agreed, string.Join("; ", views.Select(v => v.Json is null
            ? $"{v.Node.Id}: no status ({v.Error})"
            : $"{v.Node.Id}: {v.Json["role"]} leader={v.Json["leader_id"]?.GetValue<string>() ?? "none"} epoch={v.Json["epoch"]} queue leads={v.Json["work_queue"]?["is_leader"]}")));
    }

    /// <summary>One poll of every live node: the leader they agree on (null when none) and what each said.</summary>
    private sealed record LeaderPoll(string? Leader, string Text)
    {
        public override string ToString() => Text;
    }
}
