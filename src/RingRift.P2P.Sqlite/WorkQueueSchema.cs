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

    /// <summary>Releases the items waiting on NEW.work_id whose last dependency has now completed (trigger body).</summary>
    private const string ReleaseWaiting =
        "UPDATE work_items SET waiting = 0 WHERE waiting = 1 " +
        "AND EXISTS (SELECT 1 FROM json_each(work_items.depends_on) WHERE value = NEW.work_id) " +
        "AND NOT EXISTS (SELECT 1 FROM json_each(work_items.depends_on) d LEFT JOIN work_items w ON w.work_id = d.value WHERE w.status IS NOT 3);";

    private static readonly string[] Migrations =
    [
        // v1: the work_items table. Enums are stored as their (append-only) numbers, times as
        // Unix seconds (REAL), config/result as JSON text. The indexes are chosen so a claim
        // rewrites few pages: it leaves the head of the pending indexes and joins the end of the
        // deadline index; no index on status or version churns on every change. The highest
        // version and the counts per status live in one-row-per-key tables kept by triggers, so
        // every write path (local or replicated) keeps them right and reading them is O(1).
        """
        CREATE TABLE work_items (
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
        CREATE INDEX ix_work_items_pending
            ON work_items (priority DESC, created_at, work_id) WHERE status = 0;
        -- The same order per work type, for claimers with a capability filter.
        CREATE INDEX ix_work_items_pending_type
            ON work_items (work_type, priority DESC, created_at, work_id) WHERE status = 0;
        -- Claimed / running items by deadline, for the timeout sweep (O(log n + due)).
        CREATE INDEX ix_work_items_deadline
            ON work_items (IFNULL(started_at, IFNULL(claimed_at, created_at)) + timeout_seconds) WHERE status IN (1, 2);
        -- Finished items by status, newest first, for listing them.
        CREATE INDEX ix_work_items_finished
            ON work_items (status, created_at DESC) WHERE status >= 3;
        -- Everything newest first, for listing.
        CREATE INDEX ix_work_items_created
            ON work_items (created_at DESC);

        -- The highest version ever stored; new versions are built on it.
        CREATE TABLE version_clock (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            highest INTEGER NOT NULL
        );
        INSERT INTO version_clock (id, highest) VALUES (1, 0);
        CREATE TRIGGER work_items_version_after_insert AFTER INSERT ON work_items BEGIN
            UPDATE version_clock SET highest = MAX(highest, NEW.version) WHERE id = 1;
        END;
        CREATE TRIGGER work_items_version_after_update AFTER UPDATE OF version ON work_items BEGIN
            UPDATE version_clock SET highest = MAX(highest, NEW.version) WHERE id = 1;
        END;

        -- Items per status.
        CREATE TABLE status_counts (
            status INTEGER PRIMARY KEY,
            count  INTEGER NOT NULL
        );
        CREATE TRIGGER work_items_count_after_insert AFTER INSERT ON work_items BEGIN
            INSERT INTO status_counts (status, count) VALUES (NEW.status, 1)
                ON CONFLICT (status) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER work_items_count_after_update AFTER UPDATE OF status ON work_items
            WHEN OLD.status <> NEW.status BEGIN
            UPDATE status_counts SET count = count - 1 WHERE status = OLD.status;
            INSERT INTO status_counts (status, count) VALUES (NEW.status, 1)
                ON CONFLICT (status) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER work_items_count_after_delete AFTER DELETE ON work_items BEGIN
            UPDATE status_counts SET count = count - 1 WHERE status = OLD.status;
        END;
        """,

        // v2: dependencies. depends_on holds the ids (JSON array, NULL when none); waiting is 1 while
        // one of them has not completed, and waiting items stay out of the claim indexes. Triggers keep
        // waiting right on every write path (local or replicated, in any order): an item is added
        // waiting when a dependency is missing or unfinished, and released when its last one completes.
        $"""
        ALTER TABLE work_items ADD COLUMN depends_on TEXT;
        ALTER TABLE work_items ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;
        DROP INDEX ix_work_items_pending;
        CREATE INDEX ix_work_items_pending
            ON work_items (priority DESC, created_at, work_id) WHERE status = 0 AND waiting = 0;
        DROP INDEX ix_work_items_pending_type;
        CREATE INDEX ix_work_items_pending_type
            ON work_items (work_type, priority DESC, created_at, work_id) WHERE status = 0 AND waiting = 0;
        CREATE INDEX ix_work_items_waiting ON work_items (work_id) WHERE waiting = 1;
        CREATE TRIGGER work_items_wait_after_insert AFTER INSERT ON work_items
            WHEN NEW.depends_on IS NOT NULL BEGIN
            UPDATE work_items SET waiting = EXISTS (
                SELECT 1 FROM json_each(NEW.depends_on) d LEFT JOIN work_items w ON w.work_id = d.value
                WHERE w.status IS NOT 3)
            WHERE work_id = NEW.work_id;
        END;
        CREATE TRIGGER work_items_release_after_update AFTER UPDATE OF status ON work_items
            WHEN NEW.status = 3 AND OLD.status <> 3 BEGIN
            {ReleaseWaiting}
        END;
        CREATE TRIGGER work_items_release_after_insert AFTER INSERT ON work_items
            WHEN NEW.status = 3 BEGIN
            {ReleaseWaiting}
        END;
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
            {
                throw new InvalidOperationException(
                    $"database '{databasePath}' has schema version {version}; this build supports up to {CurrentVersion}");
            }

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
