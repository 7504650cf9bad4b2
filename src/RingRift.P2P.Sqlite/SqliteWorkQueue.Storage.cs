using Microsoft.Data.Sqlite;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>SQLite's result code for "database or disk is full".</summary>
    private const int SqliteFull = 13;

    /// <summary>
    /// The node's storage flag and write gate, or null (then a full disk still surfaces as
    /// <see cref="StorageFullException"/>, but nothing is flagged or refused up front). Set it before
    /// the first write.
    /// </summary>
    public StorageHealth? Storage { get; set; }

    /// <summary>
    /// True when <paramref name="error"/> (or a cause of it) is SQLITE_FULL or an out-of-space I/O error:
    /// the write was rolled back because the filesystem (or <c>max_page_count</c>) left no room.
    /// </summary>
    public static bool IsOutOfSpace(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull }) return true;
        }
        return OutOfSpace.Is(error);
    }

    /// <summary>The exception a write that failed for lack of space answers with, flagged through <see cref="Storage"/>.</summary>
    private StorageFullException OutOfSpaceError(Exception error) =>
        Storage?.Report(DatabasePath, error) ?? StorageFullException.For(DatabasePath, error);
}
