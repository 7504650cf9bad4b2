using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// N real nodes (Kestrel on 127.0.0.1, real HTTP between them) in this test process, with fast
/// timings and a <see cref="LinkFilter"/> to cut links. Ports come from <see cref="TestPorts"/>; each
/// cluster has its own data folder. Disposing stops every node and deletes the data.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    /// <summary>Fast timings: heartbeat 0.2 s, peer timeout 1 s, lease 2 s.</summary>
    public static IReadOnlyDictionary<string, string?> FastTimings { get; } = new Dictionary<string, string?>
    {
        ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.2",
        ["RINGRIFT_P2P_PEER_TIMEOUT"] = "1",
        ["RINGRIFT_P2P_LEADER_LEASE"] = "2",
    };

    /// <summary>
    /// Timings for tests about what a cluster does rather than how fast it fails over: heartbeat 0.5 s,
    /// peer timeout 3 s, lease 6 s. A test host starved of CPU (2 loaded cores, other tests' clusters in
    /// the same process) can miss a second of heartbeats or the renewals of a 2 s lease (whose node-to-node
    /// calls time out after 0.33 s), and then a leader lapses and answers 503 in the middle of the test.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> SteadyTimings { get; } = new Dictionary<string, string?>
    {
        ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.5",
        ["RINGRIFT_P2P_PEER_TIMEOUT"] = "3",
        ["RINGRIFT_P2P_LEADER_LEASE"] = "6",
    };

    /// <summary>Bound of a cluster-level wait, sized for a loaded 2-core machine (a wait ends as soon as its condition holds).</summary>
    public static readonly TimeSpan ClusterWait = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-it-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, string?> _env;

    private InProcessCluster(IReadOnlyDictionary<string, string?>? extraEnv)
    {
        _env = new Dictionary<string, string?>(FastTimings);
        if (extraEnv is not null) foreach (var (k, v) in extraEnv) _env[k] = v;
    }

    public LinkFilter Links { get; } = new();
    public List<ClusterNode> Nodes { get; } = [];

    /// <summary>
    /// Starts <paramref name="count"/> nodes with <see cref="FastTimings"/> overridden by
    /// <paramref name="env"/>, seeded with each other's HTTP ports; with
    /// <paramref name="swimPorts"/> (one per node) each also gets its SWIM port and the others' as SWIM seeds;
    /// with <paramref name="raftPorts"/> (one per node) each gets its Raft port and every node is a Raft member.
    /// If a node fails to start, the ones already started are stopped before the error surfaces.
    /// </summary>
    public static async Task<InProcessCluster> StartAsync(int count, IReadOnlyDictionary<string, string?>? env = null, int[]? swimPorts = null,
        int[]? raftPorts = null)
    {
        var cluster = new InProcessCluster(env);
        try
        {
            var ports = count == 0 ? [] : TestPorts.Free(count);
            for (var i = 0; i < count; i++)
            {
                var peers = string.Join(',', ports.Where(p => p != ports[i]).Select(p => $"127.0.0.1:{p}"));
                var swimSeeds = swimPorts is null ? null : string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"));
                var raftPeers = raftPorts is null ? null : string.Join(',', raftPorts.Select(p => $"127.0.0.1:{p}"));
                await cluster.StartNodeAsync($"node-{i + 1}", ports[i], peers, swimPorts?[i], swimSeeds, raftPorts?[i], raftPeers);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one node; <paramref name="swimPort"/> and <paramref name="swimSeeds"/> are its --swim-port / --swim-seeds,
    /// <paramref name="raftPort"/> and <paramref name="raftPeers"/> its --raft-port / --raft-peers, <paramref name="jobsFile"/> its --jobs,
    /// <paramref name="dataDir"/> its --data-dir (the cluster's folder for the node when null; another is not deleted with the cluster),
    /// <paramref name="time"/> its clock (the system's when null).
    /// </summary>
    public async Task<ClusterNode> StartNodeAsync(string id, int port, string peers, int? swimPort = null, string? swimSeeds = null,
        int? raftPort = null, string? raftPeers = null, string? jobsFile = null, string? dataDir = null, TimeProvider? time = null)
    {
        var flags = new RunFlags(NodeId: id, Port: port, Host: "127.0.0.1", Peers: peers.Length > 0 ? peers : null,
            DataDir: dataDir ?? Path.Combine(_root, id), SwimPort: swimPort, SwimSeeds: swimSeeds, RaftPort: raftPort, RaftPeers: raftPeers, Jobs: jobsFile);
        var options = NodeOptionsResolver.Resolve(flags, _env);
        var app = await NodeHost.BuildAsync(options,
            logging: l => l.SetMinimumLevel(LogLevel.Warning).ClearProviders(),
            configureServices: s =>
            {
                s.AddSingleton(new HttpClient(Links.Handler(port)) { Timeout = Timeout.InfiniteTimeSpan });
                if (time is not null) s.AddSingleton(time);
            });
        var node = new ClusterNode(id, port, app);
        Nodes.Add(node); // before starting: disposing the cluster disposes it even if it fails to start
        await app.StartAsync();
        return node;
    }

    /// <summary>
    /// Stops <paramref name="node"/> (gracefully) and starts a new one with its id, port and data folder,
    /// seeded with <paramref name="peers"/>; the new node replaces the old in <see cref="Nodes"/>.
    /// <paramref name="whileStopped"/> runs in between (to change files in the data folder).
    /// </summary>
    public async Task<ClusterNode> RestartNodeAsync(ClusterNode node, string peers, Action<string>? whileStopped = null)
    {
        var dataDir = node.Services.GetRequiredService<NodeOptions>().DataDir;
        await node.DisposeAsync();
        Nodes.Remove(node);
        whileStopped?.Invoke(dataDir);
        return await StartNodeAsync(node.Id, node.Port, peers);
    }

    public ClusterNode this[string id] => Nodes.Single(n => n.Id == id);

    /// <summary>The nodes that act as leader at this instant (read from each node's own clock-exact check).</summary>
    public IReadOnlyList<ClusterNode> ActingLeaders() => Nodes.Where(n => n.Running && n.Election.IsLeader).ToArray();

    /// <summary>
    /// Waits until one running node leads and serves the queue and every other running node (but
    /// <paramref name="excluding"/>, e.g. one cut off) names it; with <paramref name="expected"/>, until
    /// that leader is the node with this id.
    /// </summary>
    public async Task<ClusterNode> WaitForLeaderAsync(string? expected = null, ClusterNode? excluding = null)
    {
        var view = await Eventually.Until(
            () => LeadershipView.Read(Nodes, excluding),
            v => v.Serving is { } leader && (expected is null || leader.Id == expected),
            $"one serving leader{(expected is null ? "" : " " + expected)} named by every running node{(excluding is null ? "" : " but " + excluding.Id)}",
            ClusterWait);
        return view.Serving!;
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var n in Nodes)
        {
            try { await n.DisposeAsync(); }
            catch (Exception e) { failures.Add(e); }
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (failures.Count > 0) throw new AggregateException("stopping the cluster's nodes failed", failures);
    }
}
