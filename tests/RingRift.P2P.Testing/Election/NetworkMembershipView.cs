using RingRift.P2P.Membership;

namespace RingRift.P2P.Testing.Election;

/// <summary>
/// Membership derived from an <see cref="InMemoryElectionNetwork"/>: a peer is alive exactly when
/// messages get through in both directions right now (an ideal heartbeat detector with no delay).
/// </summary>
public sealed class NetworkMembershipView(InMemoryElectionNetwork network, string selfId) : IMembershipView
{
    public string SelfId { get; } = selfId;

    public IReadOnlyCollection<string> GetAlivePeers()
        => network.NodeIds.Where(IsPeerAlive).ToArray();

    public bool IsPeerAlive(string nodeId) => nodeId != SelfId && network.CanReach(SelfId, nodeId);
}
