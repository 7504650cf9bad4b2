namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// An indirect prober reports that the target did not ack in time (Lifeguard: Local Health Aware Probe). The requester
/// counts missing nacks against its own health score.
/// </summary>
public sealed record Nack(uint SeqNo) : SwimMessage
{
    /// <inheritdoc />
    public override SwimMessageType Type => SwimMessageType.Nack;
}
