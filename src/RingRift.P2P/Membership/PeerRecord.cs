using RingRift.P2P.Models;

namespace RingRift.P2P.Membership;

/// <summary>One peer as this node knows it. Immutable: the table swaps whole records.</summary>
public sealed record PeerRecord(
    string NodeId,
    PeerEndpoint Endpoint,
    NodeSummary? LastSummary,
    long? LastHeardTimestamp)
{
    /// <summary>True when heard from at all since this process started.</summary>
    public bool EverHeard => LastHeardTimestamp is not null;
}
