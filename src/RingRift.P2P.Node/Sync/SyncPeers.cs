using RingRift.P2P.Membership;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Sync;

/// <summary>The peers data sync may pull from: every peer membership believes alive, at its HTTP address.</summary>
public sealed class SyncPeers(PeerTable peers, NodeMembership membership)
{
    public IReadOnlyList<SyncPeer> Alive()
    {
        var alive = membership.GetAlivePeers().ToHashSet(StringComparer.Ordinal);
        return peers.Peers
            .Where(p => alive.Contains(p.NodeId))
            .OrderBy(p => p.NodeId, StringComparer.Ordinal)
            .Select(p => new SyncPeer(p.NodeId, p.Endpoint.BaseUri))
            .ToList();
    }
}
