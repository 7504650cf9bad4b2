using RingRift.P2P.Membership;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Membership;

/// <summary>
/// The <c>swim</c> mode view: SWIM's verdict for every peer SWIM knows (alive, suspect or dead),
/// HTTP heartbeats only for peers SWIM has never heard of or that left SWIM gracefully — e.g. a node
/// whose SWIM could not start, or a node still on <c>RINGRIFT_SWIM_ENABLED=false</c> during a
/// roll-out. A crash SWIM has detected is never undone by a stale heartbeat, so detection keeps
/// SWIM's speed, while nodes outside SWIM are not ignored (they keep heartbeating everyone).
/// </summary>
public sealed class SwimFirstView(SwimMembershipManager swim, PeerTable http) : IMembershipView
{
    public string SelfId => http.SelfId;

    public bool IsPeerAlive(string nodeId) => nodeId != SelfId && (swim.GetMember(nodeId) is { State: not SwimMemberState.Left } member
        ? member.State == SwimMemberState.Alive
        : http.IsPeerAlive(nodeId));

    public IReadOnlyCollection<string> GetAlivePeers() =>
        swim.GetAlivePeers().Concat(http.GetAlivePeers().Where(id => swim.GetMember(id) is null or { State: SwimMemberState.Left }))
            .Where(id => id != SelfId)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
