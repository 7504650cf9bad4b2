using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// Which nodes vote in leader leases. Named voters are fixed. Without names every node votes:
/// this node, every peer it has ever learned (kept across restarts in peers.json), and every seed
/// address not yet resolved to an id (HTTP seeds, and SWIM seeds until SWIM has joined; see
/// <see cref="NodeMembership.UnresolvedSeedCount"/>) — so a node that cannot reach its seeds can
/// never make a majority on its own.
/// </summary>
public sealed class VoterSetProvider(NodeOptions options, PeerTable peers, NodeMembership membership)
{
    public VoterSet Current()
    {
        if (options.NamedVoters.Count > 0) return new VoterSet(options.NamedVoters);
        var ids = new HashSet<string>(StringComparer.Ordinal) { options.NodeId };
        foreach (var p in peers.Peers) ids.Add(p.NodeId);
        return new VoterSet(ids, membership.UnresolvedSeedCount);
    }
}
