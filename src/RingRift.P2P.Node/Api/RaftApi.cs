using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Node.Api;

/// <summary>GET /raft/status (this node's Raft member in detail) and GET /coordinator/status (HybridCoordinator.GetStatus()).</summary>
public static class RaftApi
{
    public static IEndpointRouteBuilder MapRaftApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/raft/status", (RaftService raft, ConsensusSwitch coordinator) =>
            TypedResults.Json(new
            {
                enabled = raft.Enabled,
                available = raft.Node is not null,
                member = raft.Membership.IsMember,
                members = raft.Membership.Members,
                members_source = raft.Membership.Source,
                active_consensus = coordinator.Path,
                fallback_reason = coordinator.FallbackReason,
                failure_reason = raft.FailureReason,
                node = raft.Node?.Status(),
            }, NodeJson.Options));
        app.MapGet("/coordinator/status", (ConsensusSwitch coordinator, QueueStatsCache stats) =>
            TypedResults.Json(coordinator.GetStatus(stats.Current), NodeJson.Options));
        return app;
    }
}
