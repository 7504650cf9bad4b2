using System.Net;
using System.Text;

namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Constructor-side checks for message fields. They mirror the decoder's checks exactly, so any
/// message that can be built can be encoded, and anything the decoder accepts can be built.
/// </summary>
internal static class WireFields
{
    /// <summary>UTF-8 that refuses lone surrogates instead of silently writing U+FFFD.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    internal static string NodeId(string? value, string field) => Text(value, field, WireLimits.MaxNodeIdBytes);

    internal static string Address(string? value, string field)
    {
        var text = Text(value, field, WireLimits.MaxAddressBytes);
        if (!IPAddress.TryParse(text, out _))
            throw new ArgumentException($"{field} '{text}' is not an IPv4 or IPv6 address.", field);
        return text;
    }

    internal static byte[] Meta(ReadOnlyMemory<byte> value, string field)
    {
        if (value.Length > WireLimits.MaxMetaBytes)
            throw new ArgumentException($"{field} is {value.Length} bytes; at most {WireLimits.MaxMetaBytes} allowed.", field);
        return value.ToArray();
    }

    internal static SwimMemberState State(SwimMemberState value, string field)
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(field, value, $"{field} {(byte)value} is not a SwimMemberState (0..3).");
        return value;
    }

    private static string Text(string? value, string field, int maxBytes)
    {
        if (string.IsNullOrEmpty(value))
            throw new ArgumentException($"{field} must be a non-empty string (got {(value is null ? "null" : "\"\"")}).", field);
        int bytes;
        try { bytes = StrictUtf8.GetByteCount(value); }
        catch (EncoderFallbackException) { throw new ArgumentException($"{field} contains an unpaired UTF-16 surrogate; it cannot be sent as UTF-8.", field); }
        if (bytes > maxBytes)
            throw new ArgumentException($"{field} '{value}' is {bytes} UTF-8 bytes; at most {maxBytes} allowed.", field);
        return value;
    }
}
