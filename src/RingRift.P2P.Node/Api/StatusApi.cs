using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Node.WorkQueue;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Node.Api;

/// <summary>GET /status and GET /health, built from in-memory state only: no disk, no network.</summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", (StatusBuilder status) => NodeJson.Result(status.Build()));
        app.MapGet("/health", (StatusBuilder status) => NodeJson.Result(status.BuildHealth()));
        app.MapGet("/loops/health", (LoopRegistry loops) => NodeJson.Result(LoopsHealth(loops.Snapshot())));
        return app;
    }

    public static LoopsHealthResponse LoopsHealth(IReadOnlyDictionary<string, LoopStatus> loops)
    {
        var unhealthy = UnhealthyLoops(loops);
        return new LoopsHealthResponse(loops, loops.Count, unhealthy.Count, unhealthy);
    }

    public static IReadOnlyList<string> UnhealthyLoops(IReadOnlyDictionary<string, LoopStatus> loops) =>
        loops.Values.Where(l => !l.Healthy).Select(l => l.Name).ToArray();
}

/// <summary>
/// Assembles <see cref="StatusResponse"/> from the peer table (addresses, summaries), the active
/// membership view (who is alive), the election snapshot and cached queue counts.
/// </summary>
public sealed class StatusBuilder(
    NodeOptions options,
    NodeSelf self,
    PeerTable peers,
    NodeMembership membership,
    BullyElection election,
    VoterSetProvider voters,
    QueueStatsCache queueStats,
    ConsensusSwitch coordinator,
    RaftService raft,
    JobsStatusBuilder jobs,
    LocalWork work,
    LoopRegistry loops,
    StorageHealth storage,
    QueuePruner pruner,
    TimeProvider time)
{
    /// <summary>
    /// <c>GET /health</c>: this node's health and resources, with the original orchestrator's top-level
    /// fields (its role, leader, peer counts, job counts by type, resource percentages, an ISO time).
    /// </summary>
    public HealthResponse BuildHealth()
    {
        var (role, leaderId, _, _) = Leadership(election.Snapshot);
        var health = self.Health;
        var metrics = self.Metrics;
        var running = self.Runner?.Snapshot().Running ?? [];
        var unhealthyLoops = StatusApi.UnhealthyLoops(loops.Snapshot());
        var disk = StorageStatus.From(storage);
        return new HealthResponse(
            (health is NodeHealth.Healthy or NodeHealth.Degraded) && unhealthyLoops.Count == 0 && !disk.Full, options.NodeId, role, health,
            ResourceSnapshot.From(metrics), Math.Round(self.UptimeSeconds, 3),
            metrics.DiskPercent, metrics.MemoryPercent, metrics.CpuPercent, self.LatestReading?.GpuUtilizationPercent ?? 0, metrics.GpuMemoryPercent,
            running.Count(j => j.WorkType == JobType.Selfplay), running.Count(j => j.WorkType == JobType.Training),
            leaderId, peers.Peers.Count(p => membership.IsPeerAlive(p.NodeId)), peers.Peers.Count,
            time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
            disk, unhealthyLoops.Count == 0, unhealthyLoops, NodeSelf.Version);
    }

    /// <summary>This node's role, the leader it knows, whether it leads, and the term or epoch: Raft's while Raft serves, else the election's.</summary>
    private (NodeRole Role, string? LeaderId, bool IsLeader, long Epoch) Leadership(ElectionSnapshot snapshot)
    {
        var path = coordinator.Path;
        var raftNode = path == ConsensusPath.Raft ? raft.Node : null;
        var isLeader = raftNode?.IsLeader ?? (path == ConsensusPath.Bully && election.IsLeader);
        var role = raftNode is null ? snapshot.Role : isLeader ? NodeRole.Leader : NodeRole.Follower;
        var leaderId = path == ConsensusPath.Raft ? raftNode?.LeaderId : snapshot.LeaderId;
        return (role, leaderId, isLeader, raftNode?.Status().Term ?? snapshot.Epoch);
    }

    public StatusResponse Build()
    {
        var snapshot = election.Snapshot;
        var path = coordinator.Path;
        var (role, leaderId, isLeader, epoch) = Leadership(snapshot);
        var queue = queueStats.Current;
        var now = time.GetUtcNow();
        var voterSet = voters.Current();
        var config = options.Config;
        var peerStatuses = new SortedDictionary<string, PeerStatus>(StringComparer.Ordinal);
        foreach (var p in peers.Peers)
        {
            var age = peers.HeartbeatAge(p.NodeId);
            var alive = membership.IsPeerAlive(p.NodeId);
            var metrics = p.LastSummary?.Resources is { } r ? SafeMetrics(r) : ResourceMetrics.Idle;
            // When SWIM decides, a peer SWIM sees alive is judged on its last metrics, not on heartbeat age.
            var healthAge = membership.SwimDecides ? (alive ? TimeSpan.Zero : null) : age;
            var health = healthAge is null ? NodeHealth.Offline : NodeHealthRules.Evaluate(metrics, healthAge.Value, config.HeartbeatInterval, config.PeerTimeout);
            peerStatuses[p.NodeId] = new PeerStatus(p.NodeId, p.Endpoint.ToString(), alive, health,
                age is null ? null : Math.Round(age.Value.TotalSeconds, 3), p.LastSummary);
        }
        return new StatusResponse(
            options.NodeId,
            role,
            leaderId,
            epoch,
            isLeader,
            path == ConsensusPath.Bully && isLeader && snapshot.LeaseValidUntil is { } until ? Math.Round((until - now).TotalSeconds, 3) : null,
            peerStatuses.Values.Count(p => p.Alive),
            new VoterStatus(voterSet.Ids.OrderBy(i => i, StringComparer.Ordinal).ToArray(), voterSet.UnresolvedCount, voterSet.Size, voterSet.Majority, options.IsVoter),
            peerStatuses,
            new SwimRaftStatus(membership.Mode, coordinator.Mode, Swim(), coordinator.RaftBlock(path, queue),
                path, coordinator.FallbackReason),
            queue,
            self.BuildSummary(snapshot),
            Math.Round(self.UptimeSeconds, 3),
            NodeSelf.Version,
            now.ToUnixTimeMilliseconds() / 1000.0,
            jobs.Build(),
            new WorkApiStatus(config.WorkRequireFencing, work.UnfencedTransitions),
            loops.Snapshot(),
            StorageStatus.From(storage),
            pruner.Status);
    }

    /// <summary>The seed's swim block; SWIM disabled reports enabled, available and started all false, as Raft's block does.</summary>
    private SwimStatus Swim()
    {
        if (membership.Swim is not { } swim) return new SwimStatus(false, false, false, 0, 0, 0);
        var summary = swim.GetMembershipSummary();
        return new SwimStatus(true, swim.Available, swim.Started, summary.Alive, summary.Suspected, summary.Failed, membership.FallbackReason);
    }

    /// <summary>A peer's reported numbers are untrusted input: out-of-range values are clamped, not thrown.</summary>
    private static ResourceMetrics SafeMetrics(ResourceSnapshot r) =>
        new(Clamp(r.CpuPercent), Clamp(r.MemoryPercent), Clamp(r.GpuMemoryPercent), Clamp(r.DiskPercent));

    private static double Clamp(double v) => double.IsNaN(v) ? 0 : Math.Clamp(v, 0, 100);
}
