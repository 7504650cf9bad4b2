using System.Text.Json.Nodes;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Notifications;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Placement;

/// <summary>
/// Placement/ holds the leader's placement of pending work on the best nodes.
/// The leader's placement loop, every second: announces a leader change it won
/// (<c>leader_changed</c>), requeues the work of nodes membership has declared dead (at once, not
/// after the item timeout) and announces them (<c>node_offline</c>), then places pending work on the
/// best nodes (<see cref="PlacementPlanner"/>) by claiming it on their behalf. Followers only watch.
/// </summary>
public sealed class DispatchLoop : PeriodicService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly IClusterWork _work;
    private readonly NodeSelf _self;
    private readonly PeerTable _peers;
    private readonly NodeMembership _membership;
    private readonly ConsensusSwitch _coordinator;
    private readonly Dispatcher _dispatcher;
    private readonly DeadNodeRequeuer _requeuer;
    private readonly ClusterEvents _events;
    private readonly BullyElection _election;
    private readonly ILogger _logger;
    private readonly LoopTracker _requeueLoop;
    private readonly Dictionary<string, NodeDeclaredDead> _deathsThisTick = new(StringComparer.Ordinal);
    private HashSet<string>? _offline;
    private string? _lastLeader;

    public DispatchLoop(IClusterWork work, NodeSelf self, PeerTable peers, NodeMembership membership, ConsensusSwitch coordinator,
        Dispatcher dispatcher, DeadNodeRequeuer requeuer, ClusterEvents events, BullyElection election, TimeProvider time,
        LoopRegistry loops, ILogger<DispatchLoop> logger) : base(time, loops, logger)
    {
        (_work, _self, _peers, _membership, _coordinator, _dispatcher, _requeuer, _events, _election, _logger) =
            (work, self, peers, membership, coordinator, dispatcher, requeuer, events, election, logger);
        _requeueLoop = loops.Register("dead_node_requeue", Interval);
        _requeuer.NodeDeclaredDead += death =>
        {
            _deathsThisTick[death.NodeId] = death;
            logger.NodeWorkRequeued(death.NodeId, death.Cause.ToString(), death.RequeuedWorkIds.Count, death.FailedWorkIds.Count);
        };
    }

    protected override TimeSpan Period => Interval;

    public override string LoopName => "dispatch";

    public DispatchRound? LastRound => _dispatcher.LastRound;

    public RequeueTick? LastRequeue => _requeuer.LastTick;

    protected override async Task StepAsync(CancellationToken ct)
    {
        var queue = _work.ServingQueue();
        AnnounceLeaderChange(queue is not null);
        _deathsThisTick.Clear();
        await _requeueLoop.RunAsync(c => _requeuer.TickAsync(queue is not null, c), ct);
        AnnounceOffline(queue is not null);
        if (queue is null) return;
        var round = await _dispatcher.RunOnceAsync(queue, Nodes(), IsAlive, ct);
        if (round.Placed > 0 || round.ClaimErrors > 0) _logger.Dispatched(round.Placed, round.LostRaces, round.ClaimErrors, round.ElapsedMs);
    }

    /// <summary>The new leader, once it serves, says so (only it does, so the event comes once).</summary>
    private void AnnounceLeaderChange(bool serving)
    {
        var leader = _coordinator.LeaderId;
        if (leader is null || leader == _lastLeader) return;
        if (leader == _self.NodeId && !serving) return; // announce once it can act
        var previous = _lastLeader;
        _lastLeader = leader;
        if (leader != _self.NodeId) return;
        _events.Publish(ClusterEventNames.LeaderChanged, new JsonObject
        {
            ["leader_id"] = leader,
            ["previous_leader_id"] = previous,
            ["consensus"] = _coordinator.Path.ToString().ToLowerInvariant(),
        });
    }

    /// <summary>
    /// While leading: each peer that stops being alive is announced once, with the work requeued from
    /// it. Peers already down when this node took over are remembered, not announced.
    /// </summary>
    private void AnnounceOffline(bool serving)
    {
        if (!serving)
        {
            _offline = null;
            return;
        }
        var down = _peers.Peers.Where(p => p.EverHeard && p.NodeId != _self.NodeId && !_membership.IsPeerAlive(p.NodeId))
            .Select(p => p.NodeId).ToHashSet(StringComparer.Ordinal);
        if (_offline is null)
        {
            _offline = down;
            return;
        }
        foreach (var nodeId in down.Where(id => !_offline.Contains(id)))
        {
            _deathsThisTick.TryGetValue(nodeId, out var death);
            _events.Publish(ClusterEventNames.NodeOffline, new JsonObject
            {
                ["offline_node_id"] = nodeId,
                ["heartbeat_age_seconds"] = _peers.HeartbeatAge(nodeId)?.TotalSeconds is { } age ? Math.Round(age, 1) : null,
                ["membership"] = _membership.Mode.ToString().ToLowerInvariant(),
                ["requeued_work_ids"] = new JsonArray((death?.RequeuedWorkIds ?? []).Select(id => (JsonNode?)id).ToArray()),
                ["failed_work_ids"] = new JsonArray((death?.FailedWorkIds ?? []).Select(id => (JsonNode?)id).ToArray()),
            });
        }
        _offline = down;
    }

    /// <summary>This node and every peer with a summary.</summary>
    private List<NodeSummary> Nodes()
    {
        var nodes = new List<NodeSummary> { _self.BuildSummary(_election.Snapshot) };
        foreach (var peer in _peers.Peers)
            if (peer.LastSummary is { } summary && summary.NodeId != _self.NodeId) nodes.Add(summary);
        return nodes;
    }

    private bool IsAlive(string nodeId) => nodeId == _self.NodeId || _membership.IsPeerAlive(nodeId);

    /// <summary>
    /// A cluster node: one the peer table knows (heard from, named in the inventory or the saved peer
    /// list) or SWIM has seen. Other claimants are external workers pulling with their own ids.
    /// </summary>
    public static Func<string, bool> IsClusterNode(NodeMembership membership, PeerTable peers) =>
        nodeId => peers.TryGet(nodeId, out _) || membership.Swim?.GetMember(nodeId) is not null;

    /// <summary>
    /// Declared dead: SWIM says dead while SWIM decides membership; otherwise heard once and silent for
    /// the peer timeout. A node that left on purpose is not dead but <see cref="HasLeft"/>.
    /// </summary>
    public static Func<string, bool> DeclaredDead(NodeMembership membership, PeerTable peers)
    {
        var byHeartbeat = PeerTableDeaths.IsDeclaredDead(peers);
        return nodeId => membership.SwimDecides && membership.Swim!.GetMember(nodeId) is { } member
            ? member.State is SwimMemberState.Dead
            : byHeartbeat(nodeId);
    }

    /// <summary>
    /// Left on purpose (stopped or restarting): SWIM says left while SWIM decides membership; otherwise
    /// its goodbye heartbeat came and nothing since (<see cref="PeerRecord.Departed"/>).
    /// </summary>
    public static Func<string, bool> HasLeft(NodeMembership membership, PeerTable peers) =>
        nodeId => membership.SwimDecides && membership.Swim!.GetMember(nodeId) is { } member
            ? member.State is SwimMemberState.Left
            : peers.TryGet(nodeId, out var record) && record.Departed;
}
