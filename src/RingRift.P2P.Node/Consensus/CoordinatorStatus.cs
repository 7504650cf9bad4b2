using RingRift.P2P.Config;
using RingRift.P2P.Membership;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// <c>HybridCoordinator.GetStatus()</c> (GET /coordinator/status): the seed's shape — swim, raft and
/// http blocks — plus which stack serves and why it differs from the configured mode.
/// </summary>
public sealed record CoordinatorStatus(
    MembershipMode MembershipMode,
    ConsensusMode ConsensusMode,
    ConsensusPath ActiveConsensus,
    CoordinatorSwim Swim,
    RaftBlock Raft,
    CoordinatorHttp Http,
    string? FallbackReason);

public sealed record CoordinatorSwim(bool Enabled, bool Available, bool Started, int AliveCount, int SuspectedCount, int FailedCount);

public sealed record CoordinatorHttp(int AlivePeers);

/// <summary>
/// The seed's raft block: enabled, available (the member runs), ready (a leader is known and this
/// member caught up), is_leader, leader_address (the leader's HTTP address), pending / claimed work
/// (of the Raft queue; null while it does not serve) — plus leader_id, member (this node is in the
/// Raft group) and failure_reason (why an enabled member is not running).
/// </summary>
public sealed record RaftBlock(
    bool Enabled,
    bool Available,
    bool Ready,
    bool IsLeader,
    string? LeaderAddress,
    string? LeaderId,
    bool Member,
    int? PendingWork,
    int? ClaimedWork,
    string? FailureReason);
