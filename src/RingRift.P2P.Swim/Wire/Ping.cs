namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Direct probe (SWIM §3.1). <paramref name="TargetId"/> lets the receiver refuse a ping meant for a
/// previous occupant of its address; the source address/port tell it where to send the ack.
/// </summary>
public sealed record Ping(uint SeqNo, string TargetId, string SourceId, string SourceAddress, ushort SourcePort) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Ping;

    /// <summary>Node the sender means to probe (UTF-8, 1..128 bytes).</summary>
    public string TargetId { get; } = WireFields.NodeId(TargetId, nameof(TargetId));

    /// <summary>Sender's node id (UTF-8, 1..128 bytes).</summary>
    public string SourceId { get; } = WireFields.NodeId(SourceId, nameof(SourceId));

    /// <summary>Sender's IPv4/IPv6 address text (≤ 64 bytes).</summary>
    public string SourceAddress { get; } = WireFields.Address(SourceAddress, nameof(SourceAddress));
}
