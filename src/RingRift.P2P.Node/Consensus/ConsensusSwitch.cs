using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Consensus/ holds leadership: the Bully election loop, the Raft member, this switch between them and the moves of work between their queues.
/// The decision at the heart of the seed's HybridCoordinator (whose embedding API is
/// <see cref="Node.HybridCoordinator"/>): picks who leads and which queue serves from
/// <c>RINGRIFT_RAFT_ENABLED</c> and <c>RINGRIFT_CONSENSUS_MODE</c>, and falls back to Bully + SQLite
/// when Raft cannot serve.
/// </summary>
/// <remarks>
/// bully (or Raft disabled): Bully. hybrid: Raft while this member is ready (a leader is known and
/// it has caught up), else Bully. raft: Raft, except when the member failed to start, or has not
/// once been ready within <see cref="RaftStartupGrace"/> of starting (no quorum at start; a member that
/// has been ready before, even in an earlier run, does not fall back) — then Bully until it is. Once Raft has been ready, raft mode stays on Raft: losing the quorum later makes the
/// queue answer 503 rather than switch stores under running work. A node outside the Raft group
/// takes the Raft path and forwards queue calls to a member.
/// </remarks>
public sealed class ConsensusSwitch(NodeOptions options, RaftService raft, BullyElection election, NodeMembership membership, ILogger<ConsensusSwitch> logger)
{
    /// <summary>How long raft mode waits for a first leader before falling back: 10 s.</summary>
    public static readonly TimeSpan RaftStartupGrace = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private ConsensusPath? _lastPath;

    public ConsensusMode Mode => options.Config.RaftEnabled ? options.Config.ConsensusMode : ConsensusMode.Bully;

    /// <summary>The stack serving now.</summary>
    public ConsensusPath Path => Decide().Path;

    /// <summary>Why the configured mode is not what serves (null when it is).</summary>
    public string? FallbackReason => Decide().Reason;

    /// <summary>Whether this node leads on the serving stack.</summary>
    public bool IsLeader => Path == ConsensusPath.Raft ? raft.Node?.IsLeader ?? false : election.IsLeader;

    /// <summary>The leader's node id on the serving stack.</summary>
    public string? LeaderId => Path == ConsensusPath.Raft ? raft.Node?.LeaderId : election.Snapshot.LeaderId;

    /// <summary>Live peers, from whichever membership view is active (SWIM or HTTP heartbeats).</summary>
    public IReadOnlyCollection<string> GetAlivePeers() => membership.GetAlivePeers();

    /// <summary>The seed's status block (membership and consensus modes, swim, raft, http, fallback).</summary>
    public CoordinatorStatus GetStatus(QueueStats counts)
    {
        var decision = Decide();
        var node = raft.Node;
        var swim = membership.Swim;
        var summary = swim?.GetMembershipSummary();
        return new CoordinatorStatus(
            membership.Mode,
            Mode,
            decision.Path,
            new CoordinatorSwim(swim is not null, swim?.Available ?? false, swim?.Started ?? false,
                summary?.Alive ?? 0, summary?.Suspected ?? 0, summary?.Failed ?? 0),
            RaftBlock(node, decision.Path, counts),
            new CoordinatorHttp(membership.HttpAlivePeers()),
            decision.Reason);
    }

    /// <summary>The /status <c>swim_raft.raft</c> block, with the queue counts shown while <paramref name="path"/> is Raft.</summary>
    public RaftBlock RaftBlock(ConsensusPath path, QueueStats counts) => RaftBlock(raft.Node, path, counts);

    /// <summary>Pending and claimed-or-running counts of <paramref name="counts"/>, shown only while <paramref name="path"/> is Raft.</summary>
    private RaftBlock RaftBlock(Raft.Node.RaftNode? node, ConsensusPath path, QueueStats counts) => new(
        raft.Enabled,
        node is not null,
        node?.IsReady ?? false,
        node?.IsLeader ?? false,
        node?.LeaderHttpAddress ?? node?.LeaderAddress,
        node?.LeaderId,
        raft.Membership.IsMember,
        path == ConsensusPath.Raft ? counts.Pending : null,
        path == ConsensusPath.Raft ? counts.Claimed + counts.Running : null,
        raft.FailureReason);

    private (ConsensusPath Path, string? Reason) Decide()
    {
        var decision = DecideNow();
        lock (_gate)
        {
            if (_lastPath != decision.Path)
            {
                if (_lastPath is not null || decision.Path != ConsensusPath.Bully)
                    logger.ConsensusPathChanged(decision.Path.ToString().ToLowerInvariant(), decision.Reason ?? "as configured");
                _lastPath = decision.Path;
            }
        }
        return decision;
    }

    private (ConsensusPath Path, string? Reason) DecideNow()
    {
        if (Mode == ConsensusMode.Bully) return (ConsensusPath.Bully, null);
        if (!raft.Membership.IsMember) return (ConsensusPath.Raft, null);
        if (raft.Node is not { } node)
            return (ConsensusPath.Bully, raft.FailureReason ?? "raft is starting");
        if (Mode == ConsensusMode.Hybrid)
            return node.IsReady ? (ConsensusPath.Raft, null) : (ConsensusPath.Bully, "raft is not ready (no leader yet, or catching up)");
        if (raft.EverReady || raft.Uptime < RaftStartupGrace) return (ConsensusPath.Raft, null);
        return (ConsensusPath.Bully, $"raft has had no leader in the {RaftStartupGrace.TotalSeconds:0} s since it started (no quorum?)");
    }
}
