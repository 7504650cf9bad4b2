using System.Collections.Concurrent;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// HTTP heartbeat membership (the seed's default): every HeartbeatInterval this node POSTs its
/// summary to every peer it knows and every unresolved seed; both the request and the reply count
/// as hearing from the other side. Replies carry the peers the other side knows.
/// </summary>
/// <remarks>
/// When SWIM decides liveness (<see cref="NodeMembership.SwimDecides"/>), heartbeats no longer go to
/// every peer: a follower sends its summary to the leader only (and to HTTP seeds not yet resolved),
/// so the leader keeps every node's resources while the HTTP traffic drops from N·(N−1) to N−1
/// requests per interval. Followers then see other followers' summaries only as of their last
/// direct contact; liveness, in <c>/status</c> too, is SWIM's.
/// </remarks>
public sealed class HeartbeatService(
    NodeOptions options,
    PeerTable peers,
    NodeSelf self,
    BullyElection election,
    PeerClient client,
    PeerStore store,
    NodeMembership membership,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<HeartbeatService> logger) : PeriodicService(time, loops, logger)
{
    private readonly ConcurrentDictionary<PeerEndpoint, byte> _inFlight = new();
    private volatile bool _leaving;

    /// <summary>How long one heartbeat may take: never longer than the interval, at most 2 s.</summary>
    private TimeSpan CallTimeout => TimeSpan.FromTicks(Math.Min(options.Config.HeartbeatInterval.Ticks, TimeSpan.FromSeconds(2).Ticks));

    /// <summary>Handles an incoming heartbeat; <paramref name="remoteAddress"/> is used when the sender does not advertise one.</summary>
    public HeartbeatResponse Receive(HeartbeatRequest request, string? remoteAddress)
    {
        if (!NodeIds.IsValid(request.Sender.NodeId))
            throw new ArgumentException($"sender.node_id: {NodeIds.Allowed}, got '{request.Sender.NodeId}'", "sender.node_id");
        if (request.Leaving)
        {
            peers.Departed(request.Sender.NodeId);
            return new HeartbeatResponse(self.BuildSummary(election.Snapshot), KnownPeers(), _leaving);
        }
        var host = request.Sender.Address ?? remoteAddress;
        if (host is not null && request.Sender.Port is > 0 and <= 65535)
            peers.Heard(request.Sender, new PeerEndpoint(host, request.Sender.Port));
        Learn(request.KnownPeers);
        return new HeartbeatResponse(self.BuildSummary(election.Snapshot), KnownPeers(), _leaving);
    }

    public IReadOnlyList<KnownPeer> KnownPeers() =>
        peers.Peers.Select(p => new KnownPeer(p.NodeId, p.Endpoint.Host, p.Endpoint.Port)).ToArray();

    protected override TimeSpan Period => options.Config.HeartbeatInterval;

    public override string LoopName => "heartbeat";

    /// <summary>
    /// Loads the peers this node knows (saved peers, inventory, seeds) before the service counts as
    /// started, so the election loop, registered after it, never sees an empty table: with nobody known
    /// it would settle at once and win a lease with itself as the only voter.
    /// </summary>
    protected override Task PrepareAsync(CancellationToken ct)
    {
        foreach (var p in store.Load()) peers.AddKnown(p.NodeId, new PeerEndpoint(p.Host, p.Port));
        foreach (var (id, endpoint) in options.KnownPeers) peers.AddKnown(id, endpoint);
        foreach (var seed in options.Seeds) peers.AddSeed(seed);
        peers.PeerLearned += _ => SavePeers();
        SavePeers();
        return Task.CompletedTask;
    }

    protected override Task StepAsync(CancellationToken ct)
    {
        SendRound(ct);
        return Task.CompletedTask;
    }

    /// <summary>On shutdown, after the loop has stopped: tell every peer this node is leaving, so the
    /// others need not wait a PeerTimeout to elect a new leader.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _leaving = true; // from now on replies say so too, so peers do not count this node alive again
        await base.StopAsync(cancellationToken);
        var farewell = new HeartbeatRequest(self.BuildSummary(election.Snapshot), [], Leaving: true);
        await Task.WhenAll(peers.Peers.Where(p => peers.IsPeerAlive(p.NodeId)).Select(p =>
            client.PostAsync<HeartbeatRequest, HeartbeatResponse>(p.Endpoint, "heartbeat", farewell, CallTimeout, cancellationToken)));
    }

    private void SendRound(CancellationToken ct)
    {
        var snapshot = election.Snapshot;
        var request = new HeartbeatRequest(self.BuildSummary(snapshot), KnownPeers());
        foreach (var p in peers.Peers)
        {
            if (membership.SwimDecides && p.NodeId != snapshot.LeaderId) continue; // SWIM tracks liveness; the leader wants the summaries
            _ = SendAsync(p.Endpoint, null, request, ct);
        }
        foreach (var seed in peers.UnresolvedSeeds) _ = SendAsync(seed, seed, request, ct);
    }

    private async Task SendAsync(PeerEndpoint endpoint, PeerEndpoint? seed, HeartbeatRequest request, CancellationToken ct)
    {
        // One heartbeat per peer in flight: a slow peer does not pile up requests.
        if (!_inFlight.TryAdd(endpoint, 0)) return;
        try
        {
            var reply = await client.PostAsync<HeartbeatRequest, HeartbeatResponse>(endpoint, "heartbeat", request, CallTimeout, ct);
            if (reply is null) return;
            if (reply.Node.NodeId == options.NodeId)
            {
                if (seed is not null) peers.DropSeed(seed); // the seed list names this node itself
                return;
            }
            if (reply.Leaving)
            {
                peers.Departed(reply.Node.NodeId);
                return;
            }
            peers.Heard(reply.Node, endpoint, seed);
            Learn(reply.KnownPeers);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception ex)
        {
            logger.HeartbeatFailed(ex, endpoint.ToString());
        }
        finally
        {
            _inFlight.TryRemove(endpoint, out _);
        }
    }

    private void Learn(IReadOnlyList<KnownPeer>? known)
    {
        if (known is null) return;
        foreach (var k in known.Take(4096))
        {
            if (k.NodeId == options.NodeId || !NodeIds.IsValid(k.NodeId) || string.IsNullOrWhiteSpace(k.Host) || k.Port is < 1 or > 65535) continue;
            peers.AddKnown(k.NodeId, new PeerEndpoint(k.Host, k.Port));
        }
    }

    private void SavePeers()
    {
        try { store.Save(peers.Peers); }
        catch (IOException ex) { logger.PeerListNotSaved(ex.Message); }
    }
}
