namespace RingRift.P2P.Membership;

/// <summary>
/// What a node currently believes about who is alive. Implemented by HTTP heartbeats today and by
/// SWIM later; the election and the scheduler read only this.
/// </summary>
public interface IMembershipView
{
    string SelfId { get; }

    /// <summary>Ids of peers believed alive, never including <see cref="SelfId"/>.</summary>
    IReadOnlyCollection<string> GetAlivePeers();

    bool IsPeerAlive(string nodeId);
}
