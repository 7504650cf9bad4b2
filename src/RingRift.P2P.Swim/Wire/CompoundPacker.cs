namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Packs UDP messages into as few sealed packets as fit, in order. A packet holding one message is the
/// bare message; two or more go in a <see cref="Compound"/>. Every packet, tag included, is at most
/// <see cref="MaxPacketBytes"/> bytes.
/// </summary>
/// <remarks>
/// Sizes: a bare message costs its encoded length; a compound of k parts costs
/// <c>3 + Σ (2 + partLength)</c> (<see cref="SwimCodec.CompoundHeaderBytes"/>,
/// <see cref="SwimCodec.CompoundPartOverheadBytes"/>); the authenticator adds
/// <see cref="PacketAuthenticator.OverheadBytes"/>. Packing is greedy: a message starts a new packet
/// when it would not fit in the current one or the current one already holds 255 parts.
/// Push-pull messages go over TCP (encode them with <see cref="SwimCodec.Encode"/>) and are refused here.
/// </remarks>
public sealed class CompoundPacker
{
    /// <summary>Default packet limit: 1,400 bytes — under a 1,500-byte Ethernet MTU after IPv6 (40) and UDP (8) headers, with room for tunnels.</summary>
    public const int DefaultMaxPacketBytes = 1400;

    /// <summary>Smallest allowed limit: 64 bytes.</summary>
    public const int MinMaxPacketBytes = 64;

    /// <summary>Largest allowed limit: 65,507 bytes, the biggest IPv4 UDP payload.</summary>
    public const int MaxMaxPacketBytes = 65_507;

    private readonly PacketAuthenticator _authenticator;

    /// <summary>Packer sealing with <paramref name="authenticator"/> into packets of at most <paramref name="maxPacketBytes"/> (default 1,400).</summary>
    public CompoundPacker(PacketAuthenticator authenticator, int maxPacketBytes = DefaultMaxPacketBytes)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        if (maxPacketBytes is < MinMaxPacketBytes or > MaxMaxPacketBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPacketBytes), maxPacketBytes,
                $"maxPacketBytes is {maxPacketBytes}; allowed {MinMaxPacketBytes}..{MaxMaxPacketBytes}.");
        }

        _authenticator = authenticator;
        MaxPacketBytes = maxPacketBytes;
    }

    /// <summary>Limit on a whole sealed packet.</summary>
    public int MaxPacketBytes { get; }

    /// <summary>Room for the payload: <c>MaxPacketBytes − authenticator overhead</c>.</summary>
    public int MaxPayloadBytes => MaxPacketBytes - _authenticator.OverheadBytes;

    /// <summary>Encodes, packs and seals <paramref name="messages"/>; an empty input gives no packets.</summary>
    /// <exception cref="ArgumentException">A message is a push-pull or compound, or alone does not fit in <see cref="MaxPayloadBytes"/>.</exception>
    public IReadOnlyList<byte[]> Pack(IEnumerable<SwimMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var packets = new List<byte[]>();
        var group = new List<byte[]>();
        var groupCompoundBytes = SwimCodec.CompoundHeaderBytes;
        var index = 0;
        foreach (var message in messages)
        {
            var encoded = EncodeOne(message, index++);
            var cost = SwimCodec.CompoundPartOverheadBytes + encoded.Length;
            if (group.Count > 0 && (group.Count == WireLimits.MaxCompoundParts || groupCompoundBytes + cost > MaxPayloadBytes))
            {
                packets.Add(Seal(group));
                group.Clear();
                groupCompoundBytes = SwimCodec.CompoundHeaderBytes;
            }
            group.Add(encoded);
            groupCompoundBytes += cost;
        }
        if (group.Count > 0) packets.Add(Seal(group));
        return packets;
    }

    private byte[] EncodeOne(SwimMessage message, int index)
    {
        if (message is null)
            throw new ArgumentException($"messages[{index}] is null.", "messages");
        if (!SwimCodec.MayBeCompoundPart(message.Type))
            throw new ArgumentException($"messages[{index}] is a {message.Type}; push-pull goes over TCP and compounds are built here, so only Ping..Leave may be packed.", "messages");
        var encoded = SwimCodec.Encode(message);
        if (encoded.Length > MaxPayloadBytes)
        {
            throw new ArgumentException(
                $"messages[{index}] ({message.Type}) encodes to {encoded.Length} bytes; at most {MaxPayloadBytes} fit in a {MaxPacketBytes}-byte packet with {_authenticator.OverheadBytes} bytes of authentication.",
                "messages");
        }

        return encoded;
    }

    private byte[] Seal(List<byte[]> group) =>
        _authenticator.Seal(group.Count == 1 ? group[0] : SwimCodec.EncodeCompound(group));
}
