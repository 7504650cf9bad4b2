namespace RingRift.P2P.Swim.Wire;

/// <summary><paramref name="NodeId"/> leaves on purpose at <paramref name="Incarnation"/>; it rejoins only with a higher one.</summary>
public sealed record Leave(ulong Incarnation, string NodeId) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Leave;

    /// <summary>Leaving node (UTF-8, 1..128 bytes).</summary>
    public string NodeId { get; } = WireFields.NodeId(NodeId, nameof(NodeId));
}
