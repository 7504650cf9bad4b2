using System.Buffers;
using System.Buffers.Binary;

namespace RingRift.P2P.Swim.Wire;

/// <summary>Big-endian appender used by <see cref="SwimCodec.Encode"/>. Fields are already validated by the message constructors.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    internal WireWriter(int initialCapacity) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    internal void Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    internal void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    internal void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    internal void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>u8 byte length, then the UTF-8 bytes (node ids ≤ 128, addresses ≤ 64 fit a u8).</summary>
    internal void Text(string value)
    {
        var length = WireFields.StrictUtf8.GetByteCount(value);
        Byte((byte)length);
        WireFields.StrictUtf8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>u16 length, then the bytes.</summary>
    internal void Blob(ReadOnlySpan<byte> value)
    {
        U16((ushort)value.Length);
        _buffer.Write(value);
    }

    internal byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
