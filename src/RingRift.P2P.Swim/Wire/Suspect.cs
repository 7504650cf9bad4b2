namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// <paramref name="FromId"/> suspects <paramref name="NodeId"/> at <paramref name="Incarnation"/> (SWIM §4.2).
/// <paramref name="FromId"/> lets receivers count independent confirmations (Lifeguard: Local Health Aware Suspicion).
/// </summary>
public sealed record Suspect(ulong Incarnation, string NodeId, string FromId) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Suspect;

    /// <summary>Suspected node (UTF-8, 1..128 bytes).</summary>
    public string NodeId { get; } = WireFields.NodeId(NodeId, nameof(NodeId));

    /// <summary>Node that raised or confirms the suspicion (UTF-8, 1..128 bytes).</summary>
    public string FromId { get; } = WireFields.NodeId(FromId, nameof(FromId));
}
