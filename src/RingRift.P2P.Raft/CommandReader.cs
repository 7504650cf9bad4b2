using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RingRift.P2P.Raft;

/// <summary>Bounds-checked reader matching <see cref="CommandWriter"/>; every problem is a <see cref="WorkCommandFormatException"/>.</summary>
internal ref struct CommandReader(ReadOnlySpan<byte> bytes)
{
    /// <summary>Largest string or nested command: 16 MiB.</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Offset { get; private set; }

    public readonly bool AtEnd => Offset == _bytes.Length;

    public readonly WorkCommandFormatException Error(string message) => new(message, Offset);

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > _bytes.Length - Offset)
            throw Error($"{field} needs {count} bytes but only {_bytes.Length - Offset} remain (truncated)");
        var slice = _bytes.Slice(Offset, count);
        Offset += count;
        return slice;
    }

    public byte Byte(string field) => Take(1, field)[0];

    public bool Bool(string field) => Byte(field) switch
    {
        0 => false,
        1 => true,
        var other => throw new WorkCommandFormatException($"{field} presence byte must be 0 or 1, got {other}", Offset - 1),
    };

    public uint VarUInt(string field)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var next = Byte(field);
            if (shift == 28 && next > 0x0F)
                throw Error($"{field} length overflows 32 bits");
            value |= (uint)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
                return value;
        }
        throw Error($"{field} length overflows 32 bits");
    }

    public int Length(string field)
    {
        var length = VarUInt(field);
        if (length > MaxLength)
            throw Error($"{field} length {length} exceeds the {MaxLength}-byte limit");
        return (int)length;
    }

    public int Int32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    public long Int64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public double Double(string field) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, field));

    public string String(string field)
    {
        var start = Offset;
        var raw = Take(Length(field), field);
        try
        {
            return StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            throw new WorkCommandFormatException($"{field} is not valid UTF-8", start);
        }
    }

    public string? NullableString(string field) => Bool(field) ? String(field) : null;

    public JsonObject? NullableJson(string field)
    {
        if (!Bool(field))
            return null;
        var start = Offset;
        var text = String(field);
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new WorkCommandFormatException($"{field} must be a JSON object", start);
        }
        catch (JsonException bad)
        {
            throw new WorkCommandFormatException($"{field} is not valid JSON: {bad.Message}", start);
        }
    }

    public ReadOnlySpan<byte> Bytes(string field) => Take(Length(field), field);
}
