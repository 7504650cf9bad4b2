namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Base of every SWIM wire message. Messages are immutable and validated on construction
/// (lengths in <see cref="WireLimits"/>, addresses must parse as IPv4/IPv6), so every instance
/// can be encoded by <see cref="SwimCodec.Encode"/>.
/// </summary>
public abstract record SwimMessage
{
    private protected SwimMessage() { }

    /// <summary>The type byte this message is written with.</summary>
    public abstract SwimMessageType Type { get; }
}
