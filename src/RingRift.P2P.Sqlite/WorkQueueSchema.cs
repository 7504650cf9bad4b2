using Microsoft.Data.Sqlite;

namespace RingRift.P2P.Sqlite;

/// <summary>
/// The work queue's tables and indexes, versioned through <c>PRAGMA user_version</c>.
/// Migration <c>i</c> (0-based) takes the file from version <c>i</c> to <c>i + 1</c>; only append.
/// </summary>
internal static class WorkQueueSchema
{
    /// <summary>Schema version this build writes and understands.</summary>
    public static int CurrentVersion => Migrations.Length;

    private static readonly string[] Migrations =
    [
        // v1: the work_items table. Enums are stored as their (append-only) numbers, times as
        // Unix seconds (REAL), config/result as JSON text.
        """
        CREATE TABLE IF NOT EXISTS work_items (
            work_id         TEXT    NOT NULL PRIMARY KEY,
            work_type       INTEGER NOT NULL,
            priority        INTEGER NOT NULL,
            config          TEXT    NOT NULL,
            status          INTEGER NOT NULL,
            claimed_by      TEXT,
            attempts        INTEGER NOT NULL,
            max_attempts    INTEGER NOT NULL,
            timeout_seconds REAL    NOT NULL,
            created_at      REAL    NOT NULL,
            claimed_at      REAL,
            started_at      REAL,
            completed_at    REAL,
            result          TEXT,
            error           TEXT,
            version         INTEGER NOT NULL
        );
        -- Claim order over pending items only: the next claim is the first entry (O(log n)).
        CREATE INDEX IF NOT EXISTS ix_work_items_pending
            ON work_items (priority DESC, created_at, work_id) WHERE status = 0;
        -- The same order per work type, for claimers with a capability filter.
        CREATE INDEX IF NOT EXISTS ix_work_items_pending_type
            ON work_items (work_type, priority DESC, created_at, work_id) WHERE status = 0;
        -- Listing by status (newest first), counting by status, and the timeout sweep.
        CREATE INDEX IF NOT EXISTS ix_work_items_status_created
            ON work_items (status, created_at DESC);
        -- Listing everything newest first.
        CREATE INDEX IF NOT EXISTS ix_work_items_created
            ON work_items (created_at DESC);
        -- MAX(version), read on every change to assign the next version.
        CREATE INDEX IF NOT EXISTS ix_work_items_version
            ON work_items (version);
        """,
    ];

    /// <summary>
    /// Brings the file up to <see cref="CurrentVersion"/> inside one write transaction, so
    /// concurrent openers of a new file serialise and only one of them creates the tables.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer build.</exception>
    public static void Migrate(SqliteConnection connection, string databasePath)
    {
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        begin.ExecuteNonQuery();
        try
        {
            var version = ReadUserVersion(connection);
            if (version > CurrentVersion)
                throw new InvalidOperationException(
                    $"database '{databasePath}' has schema version {version}; this build supports up to {CurrentVersion}");
            for (var next = version; next < CurrentVersion; next++)
            {
                using var migrate = connection.CreateCommand();
                migrate.CommandText = Migrations[next] + $"\nPRAGMA user_version = {next + 1};";
                migrate.ExecuteNonQuery();
            }
            using var commit = connection.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }
        catch
        {
            using var rollback = connection.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
            throw;
        }
    }

    public static int ReadUserVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
