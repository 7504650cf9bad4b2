namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Inbound path for one packet: authenticate, decode, flatten a compound, count. Never throws for
/// any packet content: anything that fails is dropped (an empty list) and counted in <see cref="Stats"/>.
/// </summary>
public sealed class SwimPacketReader
{
    private readonly PacketAuthenticator _authenticator;

    /// <summary>Reader that opens packets with <paramref name="authenticator"/> and counts into <paramref name="stats"/> (a new one if null).</summary>
    public SwimPacketReader(PacketAuthenticator authenticator, PacketStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        _authenticator = authenticator;
        Stats = stats ?? new PacketStats();
    }

    /// <summary>The counters this reader updates.</summary>
    public PacketStats Stats { get; }

    /// <summary>The messages in <paramref name="packet"/>, in order (a compound's parts); empty if dropped.</summary>
    public IReadOnlyList<SwimMessage> Read(ReadOnlySpan<byte> packet)
    {
        Stats.RecordReceived();
        if (!_authenticator.TryOpen(packet, out var payload))
        {
            Stats.RecordDroppedAuth();
            return [];
        }
        if (!SwimCodec.TryDecode(payload, out var message, out var error))
        {
            Stats.RecordDroppedDecode(error);
            return [];
        }
        Stats.RecordAccepted();
        return message is Compound compound ? compound.Parts : [message!];
    }
}
