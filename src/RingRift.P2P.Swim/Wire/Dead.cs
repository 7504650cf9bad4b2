namespace RingRift.P2P.Swim.Wire;

/// <summary><paramref name="FromId"/> declares <paramref name="NodeId"/> failed at <paramref name="Incarnation"/> (SWIM §4.2 confirm).</summary>
public sealed record Dead(ulong Incarnation, string NodeId, string FromId) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Dead;

    /// <summary>Failed node (UTF-8, 1..128 bytes).</summary>
    public string NodeId { get; } = WireFields.NodeId(NodeId, nameof(NodeId));

    /// <summary>Node that declared it (UTF-8, 1..128 bytes).</summary>
    public string FromId { get; } = WireFields.NodeId(FromId, nameof(FromId));
}
