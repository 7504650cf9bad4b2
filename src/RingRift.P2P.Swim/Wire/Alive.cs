namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// <paramref name="NodeId"/> is alive at <paramref name="Incarnation"/>, reachable at
/// <paramref name="Address"/>:<paramref name="Port"/> (SWIM §4.2; a join, or a refutation with a raised
/// incarnation). <paramref name="Meta"/> is opaque application metadata, 0..512 bytes, copied on construction.
/// Equality compares the metadata bytes.
/// </summary>
public sealed record Alive(ulong Incarnation, string NodeId, string Address, ushort Port, ReadOnlyMemory<byte> Meta) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Alive;

    /// <summary>Live node (UTF-8, 1..128 bytes).</summary>
    public string NodeId { get; } = WireFields.NodeId(NodeId, nameof(NodeId));

    /// <summary>Its IPv4/IPv6 address text (≤ 64 bytes).</summary>
    public string Address { get; } = WireFields.Address(Address, nameof(Address));

    /// <summary>Metadata (a private copy; ≤ 512 bytes).</summary>
    public ReadOnlyMemory<byte> Meta { get; } = WireFields.Meta(Meta, nameof(Meta));

    /// <summary>Value equality including the metadata bytes.</summary>
    public bool Equals(Alive? other) =>
        other is not null
        && Incarnation == other.Incarnation
        && NodeId == other.NodeId
        && Address == other.Address
        && Port == other.Port
        && Meta.Span.SequenceEqual(other.Meta.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Incarnation, NodeId, Address, Port, Meta.Length);
}
