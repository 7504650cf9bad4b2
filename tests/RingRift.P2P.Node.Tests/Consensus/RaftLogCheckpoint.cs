using System.Buffers.Binary;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// The commit index a member's write-ahead log has checkpointed to disk: what the member still counts
/// as committed if it stops now (what a rollback to SQLite reads). It trails last_applied by a few
/// milliseconds and /raft/status does not show it, so tests read the log's own file:
/// <c>&lt;data-dir&gt;/raft/wal/checkpoint</c>, written by DotNext's WriteAheadLog as a little-endian
/// uint32 version (1), then the commit index and the last index as little-endian int64.
/// </summary>
internal static class RaftLogCheckpoint
{
    private const int Size = sizeof(uint) + 2 * sizeof(long);

    /// <summary>The checkpointed commit index of the member whose --data-dir is <paramref name="nodeDataDir"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a version-1 checkpoint (a DotNext upgrade changed it).</exception>
    public static long CommitIndex(string nodeDataDir)
    {
        var path = Path.Combine(nodeDataDir, "raft", "wal", "checkpoint");
        var bytes = new byte[Size];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = file.ReadAtLeast(bytes, Size, throwOnEndOfStream: false);
        }
        var version = read >= sizeof(uint) ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : uint.MaxValue;
        if (read != Size || version != 1)
            throw new InvalidDataException($"{path}: {read} bytes, version {version}; expected {Size} bytes of version 1");
        return BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(sizeof(uint)));
    }
}
