using RingRift.P2P.Node.Cli;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// N real nodes (Kestrel on 127.0.0.1, real HTTP between them) in this test process, with fast
/// timings and a <see cref="LinkFilter"/> to cut links. Disposing stops every node and deletes data.
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
    /// Starts <paramref name="count"/> nodes seeded with each other's HTTP ports; with
    /// <paramref name="swimPorts"/> (one per node) each also gets its SWIM port and the others' as SWIM seeds.
    /// </summary>
    public static async Task<InProcessCluster> StartAsync(int count, IReadOnlyDictionary<string, string?>? env = null, int[]? swimPorts = null)
    {
        var cluster = new InProcessCluster(env);
        var ports = LoopbackPorts.Free(count);
        for (var i = 0; i < count; i++)
        {
            var peers = string.Join(',', ports.Where(p => p != ports[i]).Select(p => $"127.0.0.1:{p}"));
            var swimSeeds = swimPorts is null ? null : string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"));
            await cluster.StartNodeAsync($"node-{i + 1}", ports[i], peers, swimPorts?[i], swimSeeds);
        }
        return cluster;
    }

    /// <summary>Starts one node; <paramref name="swimPort"/> and <paramref name="swimSeeds"/> are its --swim-port / --swim-seeds.</summary>
    public async Task<ClusterNode> StartNodeAsync(string id, int port, string peers, int? swimPort = null, string? swimSeeds = null)
    {
        var flags = new RunFlags(NodeId: id, Port: port, Host: "127.0.0.1", Peers: peers.Length > 0 ? peers : null,
            DataDir: Path.Combine(_root, id), SwimPort: swimPort, SwimSeeds: swimSeeds);
        var options = NodeOptionsResolver.Resolve(flags, _env);
        var app = await NodeHost.BuildAsync(options,
            logging: l => l.SetMinimumLevel(LogLevel.Warning).ClearProviders(),
            configureServices: s => s.AddSingleton(new HttpClient(Links.Handler(port)) { Timeout = Timeout.InfiniteTimeSpan }));
        await app.StartAsync();
        var node = new ClusterNode(id, port, app);
        Nodes.Add(node);
        return node;
    }

    public ClusterNode this[string id] => Nodes.Single(n => n.Id == id);

    /// <summary>The nodes that act as leader at this instant (read from each node's own clock-exact check).</summary>
    public IReadOnlyList<ClusterNode> ActingLeaders() => Nodes.Where(n => n.Running && n.Election.IsLeader).ToArray();

    public async Task<ClusterNode> WaitForSingleLeaderAsync(TimeSpan within, Func<ClusterNode, bool>? among = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var candidates = Nodes.Where(n => n.Running && (among?.Invoke(n) ?? true)).ToArray();
            var leaders = candidates.Where(n => n.Election.IsLeader && n.Queue.ActiveEpoch == n.Election.Snapshot.Epoch).ToArray();
            if (leaders.Length == 1 && candidates.All(n => n.Election.Snapshot.LeaderId == leaders[0].Id)) return leaders[0];
            await Task.Delay(50);
        }
        throw new TimeoutException($"no single serving leader within {within}: " +
            string.Join(", ", Nodes.Select(n => $"{n.Id}: running={n.Running} leader={n.Election.Snapshot.LeaderId} isLeader={n.Election.IsLeader}")));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes) await n.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class ClusterNode(string id, int port, WebApplication app) : IAsyncDisposable
{
    public string Id { get; } = id;
    public int Port { get; } = port;
    public bool Running { get; private set; } = true;
    public string Url => $"http://127.0.0.1:{Port}/";
    public IServiceProvider Services => app.Services;
    public BullyElection Election => app.Services.GetRequiredService<BullyElection>();
    public QuorumWorkQueue Queue => app.Services.GetRequiredService<QuorumWorkQueue>();

    public async Task StopAsync()
    {
        if (!Running) return;
        Running = false;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }
}
