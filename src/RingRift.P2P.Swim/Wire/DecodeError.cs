namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Why <see cref="SwimCodec.TryDecode"/> refused a buffer. Numbers are stable (they key the
/// <see cref="PacketStats"/> counters): only append.
/// </summary>
public enum DecodeError : byte
{
    /// <summary>Decoded fine.</summary>
    None = 0,
    /// <summary>The buffer ends before the message does (includes an empty buffer).</summary>
    Truncated = 1,
    /// <summary>The version byte is not <see cref="SwimCodec.Version"/>.</summary>
    UnknownVersion = 2,
    /// <summary>The type byte is not a <see cref="SwimMessageType"/>.</summary>
    UnknownType = 3,
    /// <summary>A length prefix exceeds the field's limit (<see cref="WireLimits"/>).</summary>
    FieldTooLong = 4,
    /// <summary>A node id or address has length zero.</summary>
    EmptyField = 5,
    /// <summary>A string field is not valid UTF-8.</summary>
    BadUtf8 = 6,
    /// <summary>An address field does not parse as an IPv4 or IPv6 address.</summary>
    BadAddress = 7,
    /// <summary>A flag byte is not 0 or 1, or a member state is not a <see cref="SwimMemberState"/>.</summary>
    BadEnumValue = 8,
    /// <summary>Bytes remain after the message ends.</summary>
    TrailingBytes = 9,
    /// <summary>A compound packet holds another compound or a push-pull message.</summary>
    NotAllowedInCompound = 10,
    /// <summary>A compound packet declares zero parts.</summary>
    EmptyCompound = 11,
}
