using System.Buffers.Binary;
using System.Net;
using System.Text.Unicode;

namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Big-endian cursor used by <see cref="SwimCodec.TryDecode"/>. Every read returns false and sets
/// <see cref="Error"/> instead of throwing. Length checks come before content checks, so a prefix of
/// a valid message always fails with <see cref="DecodeError.Truncated"/>.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    internal WireReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        Error = DecodeError.None;
    }

    internal DecodeError Error { get; private set; }

    internal readonly int Remaining => _data.Length - _position;

    internal bool Fail(DecodeError error)
    {
        Error = error;
        return false;
    }

    internal bool Bytes(int count, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (Remaining < count) return Fail(DecodeError.Truncated);
        value = _data.Slice(_position, count);
        _position += count;
        return true;
    }

    internal bool U8(out byte value)
    {
        value = 0;
        if (!Bytes(1, out var raw)) return false;
        value = raw[0];
        return true;
    }

    internal bool U16(out ushort value)
    {
        value = 0;
        if (!Bytes(2, out var raw)) return false;
        value = BinaryPrimitives.ReadUInt16BigEndian(raw);
        return true;
    }

    internal bool U32(out uint value)
    {
        value = 0;
        if (!Bytes(4, out var raw)) return false;
        value = BinaryPrimitives.ReadUInt32BigEndian(raw);
        return true;
    }

    internal bool U64(out ulong value)
    {
        value = 0;
        if (!Bytes(8, out var raw)) return false;
        value = BinaryPrimitives.ReadUInt64BigEndian(raw);
        return true;
    }

    /// <summary>A flag byte: exactly 0 or 1 (anything else would not re-encode to the same bytes).</summary>
    internal bool Flag(out bool value)
    {
        value = false;
        if (!U8(out var raw)) return false;
        if (raw > 1) return Fail(DecodeError.BadEnumValue);
        value = raw == 1;
        return true;
    }

    internal bool State(out SwimMemberState value)
    {
        value = default;
        if (!U8(out var raw)) return false;
        value = (SwimMemberState)raw;
        return Enum.IsDefined(value) || Fail(DecodeError.BadEnumValue);
    }

    internal bool NodeId(out string value) => Text(WireLimits.MaxNodeIdBytes, out value);

    internal bool Address(out string value)
    {
        if (!Text(WireLimits.MaxAddressBytes, out value)) return false;
        return IPAddress.TryParse(value, out _) || Fail(DecodeError.BadAddress);
    }

    internal bool Meta(out byte[] value)
    {
        value = [];
        if (!U16(out var length)) return false;
        if (length > WireLimits.MaxMetaBytes) return Fail(DecodeError.FieldTooLong);
        if (!Bytes(length, out var raw)) return false;
        value = raw.ToArray();
        return true;
    }

    private bool Text(int maxBytes, out string value)
    {
        value = "";
        if (!U8(out var length)) return false;
        if (length > maxBytes) return Fail(DecodeError.FieldTooLong);
        if (!Bytes(length, out var raw)) return false;
        if (length == 0) return Fail(DecodeError.EmptyField);
        if (!Utf8.IsValid(raw)) return Fail(DecodeError.BadUtf8);
        value = WireFields.StrictUtf8.GetString(raw);
        return true;
    }
}
