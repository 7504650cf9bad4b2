using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Raft;

/// <summary>Little-endian primitives for <see cref="WorkCommandCodec"/>: varint lengths, UTF-8 strings, presence bytes.</summary>
internal sealed class CommandWriter(ArrayBufferWriter<byte> buffer)
{
    public void WriteByte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    public void Bool(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void VarUInt(uint value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void Double(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        VarUInt((uint)length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    public void NullableString(string? value)
    {
        Bool(value is not null);
        if (value is not null)
            String(value);
    }

    public void NullableJson(JsonObject? value)
    {
        Bool(value is not null);
        if (value is not null)
            String(value.ToJsonString());
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        VarUInt((uint)value.Length);
        value.CopyTo(buffer.GetSpan(value.Length));
        buffer.Advance(value.Length);
    }
}
