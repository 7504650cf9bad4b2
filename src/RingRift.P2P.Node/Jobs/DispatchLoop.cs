using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The leader's placement loop, every second: requeues the work of nodes membership has declared
/// dead (at once, not after the item timeout), then places pending work on the best nodes
/// (<see cref="PlacementPlanner"/>) by claiming it on their behalf. Followers skip both steps.
/// </summary>
public sealed class DispatchLoop(
    LeaderWorkGate gate,
    NodeSelf self,
    PeerTable peers,
    NodeMembership membership,
    Dispatcher dispatcher,
    DeadNodeRequeuer requeuer,
    Func<NodeSummary> ownSummary,
    TimeProvider time,
    ILogger<DispatchLoop> logger) : PeriodicService(time, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override TimeSpan Period => Interval;

    protected override async Task StepAsync(CancellationToken ct)
    {
        var queue = gate.ServingQueue();
        await requeuer.TickAsync(queue is not null, ct);
        if (queue is null) return;
        var round = await dispatcher.RunOnceAsync(queue, Nodes(), IsAlive, ct);
        if (round.Placed > 0 || round.ClaimErrors > 0) logger.Dispatched(round.Placed, round.LostRaces, round.ClaimErrors, round.ElapsedMs);
    }

    /// <summary>This node and every peer with a summary.</summary>
    private List<NodeSummary> Nodes()
    {
        var nodes = new List<NodeSummary> { ownSummary() };
        foreach (var peer in peers.Peers)
            if (peer.LastSummary is { } summary && summary.NodeId != self.NodeId) nodes.Add(summary);
        return nodes;
    }

    private bool IsAlive(string nodeId) => nodeId == self.NodeId || membership.IsPeerAlive(nodeId);

    /// <summary>
    /// Declared dead: SWIM says dead or left while SWIM decides membership; otherwise heard once and
    /// silent for the peer timeout.
    /// </summary>
    public static Func<string, bool> DeclaredDead(NodeMembership membership, PeerTable peers)
    {
        var byHeartbeat = PeerTableDeaths.IsDeclaredDead(peers);
        return nodeId => membership.SwimDecides && membership.Swim!.GetMember(nodeId) is { } member
            ? member.State is SwimMemberState.Dead or SwimMemberState.Left
            : byHeartbeat(nodeId);
    }
}
