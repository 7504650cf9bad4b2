using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Api;

/// <summary>GET /status.</summary>
public sealed record StatusResponse(
    string NodeId,
    NodeRole Role,
    string? LeaderId,
    long Epoch,
    bool IsLeader,
    double? LeaseRemainingSeconds,
    int AlivePeers,
    VoterStatus Voters,
    IReadOnlyDictionary<string, PeerStatus> Peers,
    SwimRaftStatus SwimRaft,
    QueueStats WorkQueue,
    NodeSummary Self,
    double UptimeSeconds,
    string Version,
    double Timestamp);

/// <summary>A peer in /status: its last summary plus this node's view of it.</summary>
public sealed record PeerStatus(
    string NodeId,
    string Address,
    bool Alive,
    NodeHealth Health,
    double? HeartbeatAgeSeconds,
    NodeSummary? Summary);

public sealed record VoterStatus(IReadOnlyList<string> Ids, int Unresolved, int Size, int Majority, bool SelfIsVoter);

/// <summary>The seed's <c>swim_raft</c> block. SWIM and Raft are not part of this build yet, so they report disabled / unavailable.</summary>
public sealed record SwimRaftStatus(MembershipMode MembershipMode, ConsensusMode ConsensusMode, SwimStatus Swim, RaftStatus Raft);

public sealed record SwimStatus(bool Enabled, bool Available, bool Started, int AliveCount, int SuspectedCount, int FailedCount);

public sealed record RaftStatus(bool Enabled, bool Available, bool Ready);

/// <summary>GET /health.</summary>
public sealed record HealthResponse(bool Healthy, string NodeId, NodeRole Role, NodeHealth Health, ResourceSnapshot Resources, double UptimeSeconds);
