namespace RingRift.P2P.Swim.Wire;

/// <summary>Field size limits enforced by message constructors and by the decoder alike.</summary>
public static class WireLimits
{
    /// <summary>Longest node id, in UTF-8 bytes: 128 (fits a u8 length prefix).</summary>
    public const int MaxNodeIdBytes = 128;

    /// <summary>Longest address text, in UTF-8 bytes: 64 (an IPv6 text form with a scope id is at most ~50).</summary>
    public const int MaxAddressBytes = 64;

    /// <summary>Longest member metadata blob: 512 bytes (u16 length prefix).</summary>
    public const int MaxMetaBytes = 512;

    /// <summary>Most parts in one compound packet: 255 (u8 count).</summary>
    public const int MaxCompoundParts = byte.MaxValue;
}
