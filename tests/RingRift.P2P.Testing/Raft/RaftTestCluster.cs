using System.Net;
using RingRift.P2P.Raft.Node;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Testing.Raft;

/// <summary>
/// N Raft members in this process on 127.0.0.1 (ports from <see cref="TestPorts"/>, reserved for this
/// process so no other test process can take one between stopping and restarting a member), each with its own data folder under
/// one temporary root that is deleted on dispose. Members can be stopped and restarted on their data.
/// Tests get a steadier election timeout than the production default (see <see cref="TestElectionTimeoutMs"/>);
/// the benchmarks pass <c>electionTimeoutMs: null</c> to measure the defaults.
/// </summary>
public sealed class RaftTestCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rr-raft-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly IPEndPoint[] _endPoints;
    private readonly RaftNode?[] _nodes;
    private readonly Func<RaftNodeOptions, RaftNodeOptions> _tune;

    private RaftTestCluster(int size, TimeProvider time, Func<RaftNodeOptions, RaftNodeOptions>? tune)
    {
        Time = time;
        _tune = tune ?? (o => o);
        _endPoints = TestPorts.Free(size).Select(port => new IPEndPoint(IPAddress.Loopback, port)).ToArray();
        _nodes = new RaftNode?[size];
    }

    public TimeProvider Time { get; }

    public int Size => _nodes.Length;

    public RaftNode? this[int index] => _nodes[index];

    public IEnumerable<RaftNode> Running => _nodes.OfType<RaftNode>();

    /// <summary>The running member leading now, or null while none can commit.</summary>
    public RaftNode? CurrentLeader() => Running.FirstOrDefault(n => n.IsLeader);

    /// <summary>
    /// 400 ms: three members share this process's thread pool with whatever else the test run does,
    /// and on a busy 2-core CI host the production 100 ms lease was lost mid-test. The semantics under
    /// test do not depend on how fast a new leader comes; failover speed is measured by the bench.
    /// </summary>
    public const int TestElectionTimeoutMs = 400;

    public static async Task<RaftTestCluster> StartAsync(int size, TimeProvider? time = null, Func<RaftNodeOptions, RaftNodeOptions>? tune = null,
        int? electionTimeoutMs = TestElectionTimeoutMs)
    {
        var user = tune ?? (o => o);
        Func<RaftNodeOptions, RaftNodeOptions> all = electionTimeoutMs is { } ms ? o => user(o.WithElectionTimeout(ms)) : user;
        var cluster = new RaftTestCluster(size, time ?? TimeProvider.System, all);
        await Task.WhenAll(Enumerable.Range(0, size).Select(cluster.StartNodeAsync));
        return cluster;
    }

    public static string IdOf(int index) => $"n{index + 1}";

    public string DataDirOf(int index) => Path.Combine(_root, IdOf(index));

    public async Task StartNodeAsync(int index)
    {
        if (_nodes[index] is not null) throw new InvalidOperationException($"node {IdOf(index)} is running");
        _nodes[index] = await RaftNode.StartAsync(_tune(new RaftNodeOptions
        {
            NodeId = IdOf(index),
            PublicEndPoint = _endPoints[index],
            Members = _endPoints,
            DataDir = DataDirOf(index),
            HttpAddress = $"127.0.0.1:{9000 + index}",
            Time = Time,
        }));
    }

    public async Task StopNodeAsync(int index)
    {
        if (_nodes[index] is { } node)
        {
            _nodes[index] = null;
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// The member every running member agrees leads and that can commit, within <paramref name="timeout"/>
    /// (<see cref="Eventually.DefaultWithin"/> when null); the failure names what each member said last.
    /// </summary>
    public async Task<RaftNode> WaitForLeaderAsync(TimeSpan? timeout = null) =>
        (await Eventually.Until(ObserveLeadership, view => view.AgreedLeader is not null,
            "one leader that every running member follows and that can commit", timeout)).AgreedLeader!;

    /// <summary>What every running member says about leadership now, and the leader they all agree on (null when they do not).</summary>
    public RaftLeadershipView ObserveLeadership()
    {
        var running = Running.ToList();
        var leaders = running.Where(n => n.IsLeader).ToList();
        var agreed = leaders.Count == 1 && running.All(n => n.LeaderId == leaders[0].NodeId && n.IsReady) ? leaders[0] : null;
        return new RaftLeadershipView(agreed,
            running.Select(n => $"{n.NodeId}: leader={n.IsLeader} sees {n.LeaderId ?? "none"} ready={n.IsReady}").ToList());
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < _nodes.Length; i++) await StopNodeAsync(i);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
