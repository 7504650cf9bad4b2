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
            NodeJson.Result(new RaftStatusResponse(
                Enabled: raft.Enabled,
                Available: raft.Node is not null,
                Member: raft.Membership.IsMember,
                Members: raft.Membership.Members,
                MembersSource: raft.Membership.Source,
                ActiveConsensus: coordinator.Path,
                FallbackReason: coordinator.FallbackReason,
                FailureReason: raft.FailureReason,
                Node: raft.Node?.Status())));
        app.MapGet("/coordinator/status", (ConsensusSwitch coordinator, QueueStatsCache stats) =>
            NodeJson.Result(coordinator.GetStatus(stats.Current)));
        return app;
    }
}
