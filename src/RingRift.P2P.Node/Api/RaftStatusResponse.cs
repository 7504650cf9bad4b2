using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Node.Api;

/// <summary>GET /raft/status: this node's Raft member, whether the queue runs on it, and the member's own status.</summary>
/// <param name="Enabled">RINGRIFT_RAFT_ENABLED.</param>
/// <param name="Available">The member started (false: see <paramref name="FailureReason"/>).</param>
/// <param name="Member">This node is one of <paramref name="Members"/>.</param>
/// <param name="Members">The Raft members' node ids.</param>
/// <param name="MembersSource">Where <paramref name="Members"/> came from.</param>
/// <param name="ActiveConsensus">What the queue runs on now.</param>
/// <param name="FallbackReason">Why the queue runs on Bully + SQLite although Raft is enabled.</param>
/// <param name="FailureReason">Why the member could not start.</param>
/// <param name="Node">The member's status (null when it did not start).</param>
public sealed record RaftStatusResponse(
    bool Enabled,
    bool Available,
    bool Member,
    IReadOnlyList<string> Members,
    string MembersSource,
    ConsensusPath ActiveConsensus,
    string? FallbackReason,
    string? FailureReason,
    RaftStatusInfo? Node);
