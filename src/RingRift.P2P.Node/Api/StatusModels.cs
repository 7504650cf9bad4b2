using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Loops;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Consensus;

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
    double Timestamp,
    JobsStatus? Jobs = null,
    WorkApiStatus? WorkApi = null,
    IReadOnlyDictionary<string, LoopStatus>? Loops = null,
    StorageStatus? Storage = null,
    WorkRetentionStatus? WorkRetention = null);

/// <summary>
/// The data dir's storage in <c>/status</c> and <c>/health</c>. <paramref name="Full"/> is true from the first
/// write that failed for lack of space (writes then answer 507 <c>INSUFFICIENT_STORAGE</c>; reads and
/// heartbeats go on) until space returns; <paramref name="Path"/> is what that write was for,
/// <paramref name="Since"/> when (Unix seconds) and <paramref name="Error"/> its message naming the
/// filesystem; all three are null while not full. <paramref name="RefusedWrites"/> counts writes refused
/// for lack of space since start; <paramref name="ReserveBytes"/> is the reserve file's size
/// (<c>RINGRIFT_P2P_STORAGE_RESERVE_MB</c>) and <paramref name="RecoverFreeBytes"/> the free space after
/// which writes resume.
/// </summary>
public sealed record StorageStatus(bool Full, string DataDir, string? Path, double? Since, string? Error, long RefusedWrites,
    long ReserveBytes, long RecoverFreeBytes)
{
    public static StorageStatus From(RingRift.P2P.Storage.StorageHealth storage)
    {
        var state = storage.Current;
        return new StorageStatus(state.Full, storage.Directory, state.Path,
            state.Since is { } since ? since.ToUnixTimeMilliseconds() / 1000.0 : null, state.Error, state.RefusedWrites,
            storage.ReserveBytes, storage.RecoverFreeBytes);
    }
}

/// <summary>
/// How this node serves the work API: whether start/complete/fail need proof of the claim, and how many
/// it has served without any (<see cref="Cluster.LocalWork.UnfencedTransitions"/>) since it started.
/// </summary>
public sealed record WorkApiStatus(bool RequireFencing, long UnfencedTransitions);

/// <summary>
/// The queue's retention in <c>/status</c> (<c>work_retention</c>): <paramref name="RetentionSeconds"/>
/// (<c>RINGRIFT_QUEUE_RETENTION</c>, 0: no age limit) and <paramref name="RetainMax"/> (<c>RINGRIFT_QUEUE_RETAIN_MAX</c>,
/// 0: no count limit); <paramref name="Pruned"/> finished items this node removed as leader since it started, the last
/// time it removed any (<paramref name="LastPrunedAt"/>, Unix seconds), and why its last round removed nothing although
/// items were due (<paramref name="Waiting"/>: a voter that did not confirm, a lost leadership), null otherwise.
/// </summary>
public sealed record WorkRetentionStatus(double RetentionSeconds, int RetainMax, long Pruned, double? LastPrunedAt, string? Waiting);

/// <summary>A peer in /status: its last summary plus this node's view of it.</summary>
public sealed record PeerStatus(
    string NodeId,
    string Address,
    bool Alive,
    NodeHealth Health,
    double? HeartbeatAgeSeconds,
    NodeSummary? Summary);

public sealed record VoterStatus(IReadOnlyList<string> Ids, int Unresolved, int Size, int Majority, bool SelfIsVoter);

/// <summary>
/// The seed's <c>swim_raft</c> block. <paramref name="MembershipMode"/> is the mode in force (http when
/// SWIM is disabled), <paramref name="ConsensusMode"/> the configured one (bully when Raft is
/// disabled); <paramref name="ActiveConsensus"/> says which stack serves now and
/// <paramref name="ConsensusFallbackReason"/> why it is not the configured one.
/// </summary>
public sealed record SwimRaftStatus(MembershipMode MembershipMode, ConsensusMode ConsensusMode, SwimStatus Swim, RaftBlock Raft,
    ConsensusPath ActiveConsensus, string? ConsensusFallbackReason);

/// <summary>
/// SWIM in <c>/status</c>: the seed's fields plus <paramref name="FallbackReason"/> (why liveness rests on
/// HTTP heartbeats although the mode asks for SWIM; null when it does not). Counts are about peers,
/// never this node. <paramref name="Available"/> is false when SWIM is disabled or failed to start.
/// </summary>
public sealed record SwimStatus(bool Enabled, bool Available, bool Started, int AliveCount, int SuspectedCount, int FailedCount,
    string? FallbackReason = null);


/// <summary>
/// GET /health. After this node's health and resources come the original orchestrator's top-level fields:
/// resource percentages (<paramref name="GpuPercent"/> is GPU utilization), running self-play and training
/// jobs, the leader this node knows, alive and known peers, and <paramref name="Timestamp"/> as ISO 8601 UTC.
/// <paramref name="Version"/> is this build's version with its commit, as in <c>/status</c> and <c>--version</c>.
/// <paramref name="Healthy"/> is false while <paramref name="Storage"/> is full.
/// </summary>
public sealed record HealthResponse(bool Healthy, string NodeId, NodeRole Role, NodeHealth Health, ResourceSnapshot Resources, double UptimeSeconds,
    double DiskPercent, double MemoryPercent, double CpuPercent, double GpuPercent, double GpuMemoryPercent,
    int SelfplayJobs, int TrainingJobs, string? LeaderId, int ActivePeers, int TotalPeers, string Timestamp,
    StorageStatus? Storage = null, bool LoopsHealthy = true, IReadOnlyList<string>? UnhealthyLoops = null, string Version = "");

/// <summary>
/// <c>GET /loops/health</c>, in the original orchestrator's shape: every background loop by name, how
/// many there are, and the names of those that are stalled or failing.
/// </summary>
public sealed record LoopsHealthResponse(IReadOnlyDictionary<string, LoopStatus> Loops, int TotalCount, int UnhealthyCount,
    IReadOnlyList<string> UnhealthyLoops);
