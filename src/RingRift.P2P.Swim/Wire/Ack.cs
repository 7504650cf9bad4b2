namespace RingRift.P2P.Swim.Wire;

/// <summary>Answer to a <see cref="Ping"/> (or relayed for an <see cref="IndirectPing"/>) with the same sequence number.</summary>
public sealed record Ack(uint SeqNo) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Ack;
}
