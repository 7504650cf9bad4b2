using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging.Abstractions;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// Reads a stopped member's committed state from its data folder (latest snapshot plus the
/// committed entries of its write-ahead log) without joining the group: how a node rolled back to
/// Bully hands the work it still holds in Raft to the SQLite queue.
/// </summary>
public static class RaftStateReader
{
    /// <summary>True when <paramref name="dataDir"/> holds a Raft log or snapshot.</summary>
    public static bool HasState(string dataDir) =>
        Directory.Exists(Path.Combine(dataDir, "wal")) || Directory.Exists(Path.Combine(dataDir, "snapshots"));

    /// <summary>
    /// The state as of the last entry this member knew to be committed, or null when the folder holds
    /// no Raft state. Must not run while a member uses the folder. <paramref name="walChunkBytes"/> must
    /// be the chunk size the log was written with (<see cref="RaftNodeOptions.WalChunkBytes"/>).
    /// </summary>
    public static async Task<WorkQueueStateMachine?> ReadCommittedAsync(string dataDir, int walChunkBytes = RaftNodeOptions.DefaultWalChunkBytes,
        CancellationToken ct = default)
    {
        if (!HasState(dataDir)) return null;
        var snapshots = new DirectoryInfo(Path.Combine(dataDir, "snapshots"));
        snapshots.Create();
        await using var state = new ReplicatedState(snapshots, RecentCommands.DefaultCapacity, int.MaxValue, NullLogger.Instance);
        await state.RestoreAsync(ct).ConfigureAwait(false);
        await using var wal = new WriteAheadLog(new WriteAheadLog.Options { Location = Path.Combine(dataDir, "wal"), ChunkSize = walChunkBytes }, state);
        await wal.InitializeAsync(ct).ConfigureAwait(false);
        return state.Read(machine => machine);
    }
}
