namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// ping-req (SWIM §3.1): the receiver pings the target and relays the ack to the source.
/// <paramref name="WantNack"/> asks for a <see cref="Nack"/> if the target does not answer in time
/// (Lifeguard: Local Health Aware Probe), so the source can tell "target silent" from "my own links are bad".
/// </summary>
public sealed record IndirectPing(
    uint SeqNo,
    string TargetId,
    string TargetAddress,
    ushort TargetPort,
    string SourceId,
    string SourceAddress,
    ushort SourcePort,
    bool WantNack) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.IndirectPing;

    /// <summary>Node to probe (UTF-8, 1..128 bytes).</summary>
    public string TargetId { get; } = WireFields.NodeId(TargetId, nameof(TargetId));

    /// <summary>Target's IPv4/IPv6 address text (≤ 64 bytes).</summary>
    public string TargetAddress { get; } = WireFields.Address(TargetAddress, nameof(TargetAddress));

    /// <summary>Requester's node id (UTF-8, 1..128 bytes).</summary>
    public string SourceId { get; } = WireFields.NodeId(SourceId, nameof(SourceId));

    /// <summary>Requester's IPv4/IPv6 address text (≤ 64 bytes): where the relayed ack/nack goes.</summary>
    public string SourceAddress { get; } = WireFields.Address(SourceAddress, nameof(SourceAddress));
}
