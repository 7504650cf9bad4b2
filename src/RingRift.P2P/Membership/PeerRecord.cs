using RingRift.P2P.Models;

namespace RingRift.P2P.Membership;

/// <summary>One peer as this node knows it. Immutable: the table swaps whole records.</summary>
public sealed record PeerRecord(
    string NodeId,
    PeerEndpoint Endpoint,
    NodeSummary? LastSummary,
    long? LastHeardTimestamp)
{
    /// <summary>True when heard from since this process started and since it last said it was leaving.</summary>
    public bool EverHeard => LastHeardTimestamp is not null;

    /// <summary>The peer said it was shutting down, and has not been heard from since.</summary>
    public bool Departed { get; init; }
}
