namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// Binary encoding of SWIM messages. Layout: <c>[version = 1][type][fields…]</c>, integers big-endian,
/// node ids and addresses as <c>[u8 length][UTF-8]</c>, metadata as <c>[u16 length][bytes]</c>, flags as
/// one byte 0/1. Fields per type (after version and type):
/// <list type="bullet">
/// <item>Ping: u32 seq, id target, id source, addr source, u16 port</item>
/// <item>IndirectPing: u32 seq, id target, addr target, u16 port, id source, addr source, u16 port, flag wantNack</item>
/// <item>Ack, Nack: u32 seq</item>
/// <item>Suspect, Dead: u64 incarnation, id node, id from</item>
/// <item>Alive: u64 incarnation, id node, addr, u16 port, meta</item>
/// <item>Leave: u64 incarnation, id node</item>
/// <item>Compound: u8 count (1..255), then count × ([u16 length][a whole encoded message])</item>
/// <item>PushPullRequest/Response: u32 count, then count × (id, addr, u16 port, u64 incarnation, u8 state, meta)</item>
/// </list>
/// The encoding is canonical: <see cref="TryDecode"/> accepts a buffer only if re-encoding the result
/// gives the same bytes (no trailing bytes, flags 0/1, valid UTF-8, defined states).
/// </summary>
public static class SwimCodec
{
    /// <summary>The only wire version this build speaks: 1.</summary>
    public const byte Version = 1;

    /// <summary>Bytes before the fields: version and type.</summary>
    public const int HeaderBytes = 2;

    /// <summary>Compound header: version, type, part count.</summary>
    public const int CompoundHeaderBytes = 3;

    /// <summary>Per-part cost in a compound on top of the part itself: its u16 length.</summary>
    public const int CompoundPartOverheadBytes = 2;

    // Smallest push-pull row: 1-byte id, 1-byte address, port, incarnation, state, empty meta.
    private const int MinPushPullEntryBytes = (1 + 1) + (1 + 1) + 2 + 8 + 1 + 2;

    /// <summary>Encodes <paramref name="message"/>. Never fails for a constructed message.</summary>
    public static byte[] Encode(SwimMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new WireWriter(64);
        writer.Byte(Version);
        writer.Byte((byte)message.Type);
        switch (message)
        {
            case Ping m:
                writer.U32(m.SeqNo);
                writer.Text(m.TargetId);
                writer.Text(m.SourceId);
                writer.Text(m.SourceAddress);
                writer.U16(m.SourcePort);
                break;
            case IndirectPing m:
                writer.U32(m.SeqNo);
                writer.Text(m.TargetId);
                writer.Text(m.TargetAddress);
                writer.U16(m.TargetPort);
                writer.Text(m.SourceId);
                writer.Text(m.SourceAddress);
                writer.U16(m.SourcePort);
                writer.Byte(m.WantNack ? (byte)1 : (byte)0);
                break;
            case Ack m:
                writer.U32(m.SeqNo);
                break;
            case Nack m:
                writer.U32(m.SeqNo);
                break;
            case Suspect m:
                writer.U64(m.Incarnation);
                writer.Text(m.NodeId);
                writer.Text(m.FromId);
                break;
            case Alive m:
                writer.U64(m.Incarnation);
                writer.Text(m.NodeId);
                writer.Text(m.Address);
                writer.U16(m.Port);
                writer.Blob(m.Meta.Span);
                break;
            case Dead m:
                writer.U64(m.Incarnation);
                writer.Text(m.NodeId);
                writer.Text(m.FromId);
                break;
            case Leave m:
                writer.U64(m.Incarnation);
                writer.Text(m.NodeId);
                break;
            case Compound m:
                return EncodeCompound(m.Parts.Select(Encode).ToList());
            case PushPullRequest m:
                WriteMembers(writer, m.Members);
                break;
            case PushPullResponse m:
                WriteMembers(writer, m.Members);
                break;
            default:
                throw new ArgumentException($"message type {message.GetType().Name} has no wire encoding.", nameof(message));
        }
        return writer.ToArray();
    }

    /// <summary>
    /// Decodes one message (a compound comes back as a <see cref="Compound"/> with its parts decoded).
    /// Never throws: on failure returns false, <paramref name="message"/> null and the reason in <paramref name="error"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> buffer, out SwimMessage? message, out DecodeError error) =>
        TryDecode(buffer, insideCompound: false, out message, out error);

    /// <summary>Whether a message of <paramref name="type"/> may be a part of a <see cref="Compound"/>.</summary>
    public static bool MayBeCompoundPart(SwimMessageType type) =>
        type is >= SwimMessageType.Ping and <= SwimMessageType.Leave;

    internal static byte[] EncodeCompound(IReadOnlyList<byte[]> parts)
    {
        var size = CompoundHeaderBytes + parts.Sum(p => CompoundPartOverheadBytes + p.Length);
        var writer = new WireWriter(size);
        writer.Byte(Version);
        writer.Byte((byte)SwimMessageType.Compound);
        writer.Byte((byte)parts.Count);
        foreach (var part in parts)
            writer.Blob(part);
        return writer.ToArray();
    }

    private static void WriteMembers(WireWriter writer, IReadOnlyList<PushPullEntry> members)
    {
        writer.U32((uint)members.Count);
        foreach (var e in members)
        {
            writer.Text(e.NodeId);
            writer.Text(e.Address);
            writer.U16(e.Port);
            writer.U64(e.Incarnation);
            writer.Byte((byte)e.State);
            writer.Blob(e.Meta.Span);
        }
    }

    private static bool TryDecode(ReadOnlySpan<byte> buffer, bool insideCompound, out SwimMessage? message, out DecodeError error)
    {
        message = null;
        var reader = new WireReader(buffer);
        if (!reader.U8(out var version)) return Failed(reader.Error, out error);
        if (version != Version) return Failed(DecodeError.UnknownVersion, out error);
        if (!reader.U8(out var typeByte)) return Failed(reader.Error, out error);
        var type = (SwimMessageType)typeByte;
        if (!Enum.IsDefined(type)) return Failed(DecodeError.UnknownType, out error);
        if (insideCompound && !MayBeCompoundPart(type)) return Failed(DecodeError.NotAllowedInCompound, out error);

        SwimMessage? body = type switch
        {
            SwimMessageType.Ping => ReadPing(ref reader),
            SwimMessageType.IndirectPing => ReadIndirectPing(ref reader),
            SwimMessageType.Ack => reader.U32(out var seq) ? new Ack(seq) : null,
            SwimMessageType.Nack => reader.U32(out var seq) ? new Nack(seq) : null,
            SwimMessageType.Suspect => ReadSuspect(ref reader),
            SwimMessageType.Alive => ReadAlive(ref reader),
            SwimMessageType.Dead => ReadDead(ref reader),
            SwimMessageType.Leave => ReadLeave(ref reader),
            SwimMessageType.Compound => ReadCompound(ref reader),
            SwimMessageType.PushPullRequest => ReadMembers(ref reader) is { } rows ? new PushPullRequest(rows) : null,
            SwimMessageType.PushPullResponse => ReadMembers(ref reader) is { } rows ? new PushPullResponse(rows) : null,
            _ => null,
        };
        if (body is null) return Failed(reader.Error, out error);
        if (reader.Remaining > 0) return Failed(DecodeError.TrailingBytes, out error);
        message = body;
        error = DecodeError.None;
        return true;
    }

    private static bool Failed(DecodeError reason, out DecodeError error)
    {
        error = reason;
        return false;
    }

    private static Ping? ReadPing(ref WireReader r) =>
        r.U32(out var seq) && r.NodeId(out var target) && r.NodeId(out var source)
        && r.Address(out var address) && r.U16(out var port)
            ? new Ping(seq, target, source, address, port)
            : null;

    private static IndirectPing? ReadIndirectPing(ref WireReader r) =>
        r.U32(out var seq)
        && r.NodeId(out var target) && r.Address(out var targetAddress) && r.U16(out var targetPort)
        && r.NodeId(out var source) && r.Address(out var sourceAddress) && r.U16(out var sourcePort)
        && r.Flag(out var wantNack)
            ? new IndirectPing(seq, target, targetAddress, targetPort, source, sourceAddress, sourcePort, wantNack)
            : null;

    private static Suspect? ReadSuspect(ref WireReader r) =>
        r.U64(out var incarnation) && r.NodeId(out var node) && r.NodeId(out var from)
            ? new Suspect(incarnation, node, from)
            : null;

    private static Alive? ReadAlive(ref WireReader r) =>
        r.U64(out var incarnation) && r.NodeId(out var node) && r.Address(out var address)
        && r.U16(out var port) && r.Meta(out var meta)
            ? new Alive(incarnation, node, address, port, meta)
            : null;

    private static Dead? ReadDead(ref WireReader r) =>
        r.U64(out var incarnation) && r.NodeId(out var node) && r.NodeId(out var from)
            ? new Dead(incarnation, node, from)
            : null;

    private static Leave? ReadLeave(ref WireReader r) =>
        r.U64(out var incarnation) && r.NodeId(out var node)
            ? new Leave(incarnation, node)
            : null;

    private static Compound? ReadCompound(ref WireReader r)
    {
        if (!r.U8(out var count)) return null;
        var parts = new List<SwimMessage>(count);
        for (var i = 0; i < count; i++)
        {
            if (!r.U16(out var length) || !r.Bytes(length, out var raw)) return null;
            if (!TryDecode(raw, insideCompound: true, out var part, out var partError))
            {
                r.Fail(partError);
                return null;
            }
            parts.Add(part!);
        }
        if (count == 0)
        {
            r.Fail(DecodeError.EmptyCompound);
            return null;
        }
        return new Compound(parts);
    }

    private static List<PushPullEntry>? ReadMembers(ref WireReader r)
    {
        if (!r.U32(out var count)) return null;
        // Refuse a count the remaining bytes cannot hold before allocating anything for it.
        if (count > (uint)(r.Remaining / MinPushPullEntryBytes))
        {
            r.Fail(DecodeError.Truncated);
            return null;
        }
        var rows = new List<PushPullEntry>((int)count);
        for (var i = 0; i < count; i++)
        {
            if (!(r.NodeId(out var node) && r.Address(out var address) && r.U16(out var port)
                  && r.U64(out var incarnation) && r.State(out var state) && r.Meta(out var meta)))
            {
                return null;
            }

            rows.Add(new PushPullEntry(node, address, port, incarnation, state, meta));
        }
        return rows;
    }
}
