using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Node;

/// <summary>
/// The seed's HybridCoordinator for programs that embed a node: one factory, start and stop, who is
/// alive, whether this node leads, claiming work, and the coordinator status — over a complete node
/// (membership, election or Raft, the replicated queue, the HTTP API its peers talk to) configured
/// the way <c>ringrift-p2p run</c> is: flags first, then the <c>RINGRIFT_*</c> environment, then the
/// hosts file, then defaults.
/// </summary>
/// <example>
/// <code>
/// await using var coordinator = await HybridCoordinator.CreateAsync("my-node");
/// await coordinator.StartAsync();
/// var peers = coordinator.GetAlivePeers();
/// if (coordinator.IsLeader()) { /* dispatch work */ }
/// var claimed = await coordinator.ClaimWorkAsync("work-001");
/// var status = coordinator.GetStatus();
/// await coordinator.StopAsync();
/// </code>
/// </example>
public sealed class HybridCoordinator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConsensusSwitch _consensus;
    private readonly QueueStatsCache _stats;

    private HybridCoordinator(WebApplication app, NodeOptions options)
    {
        _app = app;
        NodeId = options.NodeId;
        _consensus = app.Services.GetRequiredService<ConsensusSwitch>();
        _stats = app.Services.GetRequiredService<QueueStatsCache>();
        Work = app.Services.GetRequiredService<IClusterWork>();
    }

    /// <summary>
    /// Builds (does not start) a node named <paramref name="nodeId"/>. <paramref name="flags"/> are the
    /// <c>run</c> command's options; <paramref name="environment"/> replaces the process environment
    /// when given. Bad settings throw <see cref="RingRift.P2P.Config.P2PConfigException"/> naming the setting.
    /// </summary>
    public static async Task<HybridCoordinator> CreateAsync(string nodeId, RunFlags? flags = null,
        IReadOnlyDictionary<string, string?>? environment = null, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var options = NodeOptionsResolver.Resolve((flags ?? new RunFlags()) with { NodeId = nodeId }, environment);
        var app = await NodeHost.BuildAsync(options, logging, ct: ct);
        return new HybridCoordinator(app, options);
    }

    public string NodeId { get; }

    /// <summary>The cluster work queue: every work API operation, served here or forwarded to the leader.</summary>
    public IClusterWork Work { get; }

    /// <summary>Starts membership, consensus, the loops and the HTTP API; returns once the API listens.</summary>
    public Task StartAsync(CancellationToken ct = default) => _app.StartAsync(ct);

    /// <summary>Stops gracefully: SWIM leave, lease release or Raft leadership transfer, running jobs left to reattach.</summary>
    public Task StopAsync(CancellationToken ct = default) => _app.StopAsync(ct);

    /// <summary>Live peers, from SWIM or HTTP heartbeats (whichever <c>RINGRIFT_MEMBERSHIP_MODE</c> picks).</summary>
    public IReadOnlyCollection<string> GetAlivePeers() => _consensus.GetAlivePeers();

    /// <summary>Whether this node leads on the stack that serves now (Raft or Bully).</summary>
    public bool IsLeader() => _consensus.IsLeader;

    /// <summary>The leader's node id on the stack that serves now; null while none is known.</summary>
    public string? LeaderId => _consensus.LeaderId;

    /// <summary>Claims <paramref name="workId"/> for this node (on Raft or SQLite, as the consensus mode decides); false when it was not pending.</summary>
    public async Task<bool> ClaimWorkAsync(string workId, CancellationToken ct = default) =>
        (await Work.ClaimAsync(workId, NodeId, ct: ct)).Claimed;

    /// <summary>The seed's status shape (membership and consensus modes, swim, raft, http, fallback), as <c>GET /coordinator/status</c>.</summary>
    public CoordinatorStatus GetStatus() => _consensus.GetStatus(_stats.Current);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
