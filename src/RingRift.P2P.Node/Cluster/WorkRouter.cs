using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Cluster;

/// <summary>Where one work call goes: served here, or forwarded to <paramref name="TargetId"/> at <paramref name="BaseUri"/>.</summary>
public sealed record WorkRoute(string? TargetId, Uri? BaseUri)
{
    public static readonly WorkRoute Local = new(null, null);

    public bool IsLocal => TargetId is null;
}

/// <summary>
/// Decides where a work call is served. On Bully the leader serves once it has taken the queue over
/// at its current epoch; on Raft the Raft leader serves. Any other node forwards the call to the
/// leader (a node outside the Raft group first to a live Raft member, so at most two hops). A call
/// that cannot be routed is refused with the HTTP API's 503 codes: NOT_READY (leading, still taking
/// the queue over), NO_LEADER, NOT_LEADER (forwarded here, but this node does not serve).
/// </summary>
public sealed class WorkRouter(NodeOptions options, ConsensusSwitch coordinator, RaftService raft, BullyElection election,
    QuorumWorkQueue queue, PeerTable peers)
{
    /// <summary>The route for a call that has already been forwarded <paramref name="hops"/> times.</summary>
    /// <exception cref="ApiException">503 when the call can be neither served here nor forwarded.</exception>
    public WorkRoute Route(int hops) => coordinator.Path == ConsensusPath.Raft ? RouteRaft(hops) : RouteBully(hops);

    private WorkRoute RouteBully(int hops)
    {
        var snapshot = election.Snapshot;
        if (election.IsLeader)
        {
            if (queue.ActiveEpoch == snapshot.Epoch) return WorkRoute.Local;
            throw Unavailable("NOT_READY", $"this node leads (epoch {snapshot.Epoch}) but is still taking the work queue over; retry shortly");
        }
        if (hops > 0) throw Unavailable("NOT_LEADER", "this node is not the leader (the request was forwarded here)");
        if (snapshot.LeaderId is not { } leaderId || leaderId == options.NodeId)
            throw Unavailable("NO_LEADER", "no leader is elected right now; retry shortly");
        if (!peers.TryGet(leaderId, out var leader))
            throw Unavailable("NO_LEADER", $"leader '{leaderId}' has no known address yet; retry shortly");
        return new WorkRoute(leaderId, leader.Endpoint.BaseUri);
    }

    private WorkRoute RouteRaft(int hops)
    {
        if (raft.Node is { } node)
        {
            if (node.IsLeader) return WorkRoute.Local;
            if (hops >= 2) throw Unavailable("NOT_LEADER", "this node is not the Raft leader (the request was forwarded here)");
            if (node.LeaderId is not { } leaderId || node.LeaderHttpAddress is not { } address)
            {
                throw Unavailable("NO_LEADER", node.LeaderId == options.NodeId
                    ? "this node was just elected Raft leader and cannot commit yet; retry shortly"
                    : "the Raft group has no leader right now; retry shortly");
            }
            return new WorkRoute(leaderId, new Uri($"http://{address}/"));
        }
        if (hops >= 1) throw Unavailable("NOT_LEADER", "this node is not in the Raft group");
        var alive = coordinator.GetAlivePeers();
        foreach (var memberId in raft.Membership.MemberIds)
        {
            if (memberId != options.NodeId && alive.Contains(memberId) && peers.TryGet(memberId, out var member))
                return new WorkRoute(memberId, member.Endpoint.BaseUri);
        }
        throw Unavailable("NO_LEADER", "no Raft member is reachable from this node; retry shortly");
    }

    private static ApiException Unavailable(string code, string message) =>
        new(StatusCodes.Status503ServiceUnavailable, code, message) { RetryAfterSeconds = 1 };
}
