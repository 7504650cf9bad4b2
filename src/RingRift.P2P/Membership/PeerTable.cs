using System.Collections.Immutable;
using RingRift.P2P.Models;

namespace RingRift.P2P.Membership;

/// <summary>
/// The HTTP-heartbeat membership view. A peer is alive while
/// <c>now &lt; last_heard + PeerTimeout</c>, measured on this node's monotonic clock from the moment
/// a heartbeat from it (or a reply from it) arrived. There is no jitter and no per-provider timeout:
/// every node applies the same deadline formula, so their views differ only by message delay.
/// </summary>
/// <remarks>
/// Seeds are addresses whose node id is not known until they answer; they stay "unresolved" until
/// then. Writers swap an immutable map under a lock; readers never block.
/// </remarks>
public sealed class PeerTable : IMembershipView
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private ImmutableDictionary<string, PeerRecord> _peers = ImmutableDictionary<string, PeerRecord>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableHashSet<PeerEndpoint> _unresolvedSeeds = [];

    public PeerTable(string selfId, TimeSpan peerTimeout, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(selfId);
        if (peerTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(peerTimeout), peerTimeout, "peer timeout must be positive");
        SelfId = selfId;
        PeerTimeout = peerTimeout;
        _time = time;
    }

    public string SelfId { get; }

    public TimeSpan PeerTimeout { get; }

    /// <summary>Raised (outside the lock) when a peer is first learned.</summary>
    public event Action<PeerRecord>? PeerLearned;

    public IReadOnlyCollection<PeerRecord> Peers => _peers.Values.ToArray();

    public IReadOnlyCollection<PeerEndpoint> UnresolvedSeeds => _unresolvedSeeds;

    /// <summary>Adds a seed address to contact before its id is known.</summary>
    public void AddSeed(PeerEndpoint endpoint)
    {
        lock (_gate)
        {
            if (_peers.Values.Any(p => p.Endpoint == endpoint)) return;
            _unresolvedSeeds = _unresolvedSeeds.Add(endpoint);
        }
    }

    /// <summary>Forgets a seed address that turned out to be this node itself.</summary>
    public void DropSeed(PeerEndpoint endpoint)
    {
        lock (_gate) _unresolvedSeeds = _unresolvedSeeds.Remove(endpoint);
    }

    /// <summary>Registers a peer whose id and address are known (inventory file, persisted state, gossip) without marking it heard.</summary>
    public void AddKnown(string nodeId, PeerEndpoint endpoint)
    {
        if (nodeId == SelfId) return;
        PeerRecord? learned = null;
        lock (_gate)
        {
            _unresolvedSeeds = _unresolvedSeeds.Remove(endpoint);
            if (_peers.TryGetValue(nodeId, out var existing))
            {
                // An address learned second-hand never overrides one the peer gave itself.
                if (existing.EverHeard || existing.Endpoint == endpoint) return;
                _peers = _peers.SetItem(nodeId, existing with { Endpoint = endpoint });
                return;
            }
            learned = new PeerRecord(nodeId, endpoint, null, null);
            _peers = _peers.Add(nodeId, learned);
        }
        PeerLearned?.Invoke(learned);
    }

    /// <summary>
    /// Records first-hand contact: a heartbeat from the peer, or its reply to ours.
    /// <paramref name="contactedAt"/> is the seed address we used, so the seed resolves to this id.
    /// </summary>
    public void Heard(NodeSummary summary, PeerEndpoint endpoint, PeerEndpoint? contactedAt = null)
    {
        if (summary.NodeId == SelfId) return;
        var now = _time.GetTimestamp();
        PeerRecord? learned = null;
        lock (_gate)
        {
            _unresolvedSeeds = _unresolvedSeeds.Remove(endpoint);
            if (contactedAt is not null) _unresolvedSeeds = _unresolvedSeeds.Remove(contactedAt);
            var record = new PeerRecord(summary.NodeId, endpoint, summary, now);
            if (!_peers.ContainsKey(summary.NodeId)) learned = record;
            _peers = _peers.SetItem(summary.NodeId, record);
        }
        if (learned is not null) PeerLearned?.Invoke(learned);
    }

    /// <summary>A peer said it is shutting down: it counts as dead now, until it is heard from again.</summary>
    public void Departed(string nodeId)
    {
        lock (_gate)
        {
            if (_peers.TryGetValue(nodeId, out var p) && p.LastHeardTimestamp is not null)
                _peers = _peers.SetItem(nodeId, p with { LastHeardTimestamp = null, Departed = true });
        }
    }

    public bool TryGet(string nodeId, out PeerRecord record) => _peers.TryGetValue(nodeId, out record!);

    public bool IsPeerAlive(string nodeId) => _peers.TryGetValue(nodeId, out var p) && IsAlive(p, _time.GetTimestamp());

    public IReadOnlyCollection<string> GetAlivePeers()
    {
        var now = _time.GetTimestamp();
        return _peers.Values.Where(p => IsAlive(p, now)).Select(p => p.NodeId).ToArray();
    }

    /// <summary>Time since the peer was last heard, or null if never.</summary>
    public TimeSpan? HeartbeatAge(string nodeId) =>
        _peers.TryGetValue(nodeId, out var p) && p.LastHeardTimestamp is { } t ? _time.GetElapsedTime(t) : null;

    private bool IsAlive(PeerRecord p, long now) =>
        p.LastHeardTimestamp is { } t && _time.GetElapsedTime(t, now) < PeerTimeout;
}
