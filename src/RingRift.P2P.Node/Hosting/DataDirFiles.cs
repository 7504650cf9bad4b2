using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;
using RingRift.P2P.Election;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// The state files of a data dir and the check each gets before the node starts. A damaged file the node
/// cannot safely do without stops the start with <see cref="DataDirFormatException"/> (exit code 2 from
/// <c>run</c>) naming the file, what is wrong and what to do; the others are repaired where they are read:
/// <c>peers.json</c> (<see cref="Membership.PeerStore"/>: ignored and rewritten, the seeds still find the
/// cluster), <c>replica_position</c> (<see cref="ReplicaPosition"/>: counted as 0 and rewritten) and the
/// SQLite write-ahead log, whose torn tail SQLite itself drops (frames after the last whole commit).
/// </summary>
public static class DataDirFiles
{
    public const string Queue = "work_queue.db";
    public const string VoterState = "voter_state.json";
    public const string Fence = "replica_fence";
    public const string Position = "replica_position";
    public const string Peers = "peers.json";

    /// <summary>Reads <c>voter_state.json</c>, <c>replica_fence</c> and <c>work_queue.db</c> (when present).</summary>
    /// <exception cref="DataDirFormatException">One of them is damaged.</exception>
    public static void Check(string dataDir, TimeSpan lease)
    {
        CheckVoterState(Path.Combine(dataDir, VoterState), lease);
        CheckFence(Path.Combine(dataDir, Fence));
        CheckQueue(Path.Combine(dataDir, Queue));
    }

    /// <summary>
    /// The voter's promises cannot be rebuilt from anywhere: without them it could grant an epoch it already
    /// gave another candidate. So the start stops, and the way out says what deleting the file costs.
    /// </summary>
    private static void CheckVoterState(string path, TimeSpan lease)
    {
        try
        {
            new FileLeaseStateStore(path).Load();
        }
        catch (InvalidDataException ex)
        {
            throw new DataDirFormatException(
                $"{ex.Message} Restore it from a backup, or delete it and start the node again: the voter then forgets the lease it " +
                $"granted and the highest epoch it saw, and takes the epoch back from {Fence} at its first tick. Keep the node stopped " +
                $"for one lease ({lease.TotalSeconds:0.###} s, RINGRIFT_P2P_LEADER_LEASE) before that, so a grant it gave has run out.");
        }
    }

    /// <summary>The replica's fence keeps a deposed leader's late writes out; guessing it low would let them in.</summary>
    private static void CheckFence(string path)
    {
        try
        {
            _ = new ReplicaFence(path);
        }
        catch (InvalidDataException ex)
        {
            throw new DataDirFormatException(
                $"{ex.Message}. Write the cluster's current epoch into it (the \"epoch\" of GET /status on the leader), or delete it and " +
                "start the node again: until the next leader's sync fences it, the replica then also accepts a deposed leader's late writes.");
        }
    }

    /// <summary>
    /// Opens the queue file and runs SQLite's <c>PRAGMA quick_check</c> (every page read once; the write-ahead
    /// log's torn tail, if any, is dropped by SQLite when it opens the file, which is not damage).
    /// </summary>
    private static void CheckQueue(string path)
    {
        if (!File.Exists(path))
            return;
        string verdict;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check(1)";
            verdict = check.ExecuteScalar() as string ?? "no answer";
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26) // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            verdict = ex.Message;
        }
        if (verdict == "ok")
            return;
        throw new DataDirFormatException(
            $"work queue file '{path}' is damaged (SQLite: {verdict}). Its items also live on the other voters: move it aside " +
            $"(mv {path} {path}.damaged, and its -wal and -shm files) and start the node again; it starts with an empty queue, " +
            $"finds it holds less than it acknowledged ({Position}) and is not counted until a leader has copied the queue back. " +
            $"On a single node, recover what SQLite can read first: sqlite3 {path} .recover | sqlite3 {path}.recovered, then move " +
            "the recovered file into its place.");
    }
}
