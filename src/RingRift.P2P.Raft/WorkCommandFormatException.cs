namespace RingRift.P2P.Raft;

/// <summary>Bytes that are not a command (or batch) this build can decode; names what was wrong and where.</summary>
public sealed class WorkCommandFormatException(string message, int offset)
    : FormatException($"{message} (at byte {offset})")
{
    /// <summary>Byte offset where decoding stopped.</summary>
    public int Offset { get; } = offset;
}
