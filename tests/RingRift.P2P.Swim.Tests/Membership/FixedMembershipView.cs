using RingRift.P2P.Membership;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>An HTTP-side view for tests: whoever is in <see cref="Alive"/> is alive.</summary>
internal sealed class FixedMembershipView(string selfId, params string[] alive) : IMembershipView
{
    public HashSet<string> Alive { get; } = [.. alive];

    public string SelfId { get; } = selfId;

    public IReadOnlyCollection<string> GetAlivePeers() => Alive.ToList();

    public bool IsPeerAlive(string nodeId) => Alive.Contains(nodeId);
}
