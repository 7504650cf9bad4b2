using Microsoft.Data.Sqlite;

namespace RingRift.P2P.Node.Tests.Import;

/// <summary>
/// A work_queue.db with the original orchestrator's work_items schema (as its work_queue.py creates it), for
/// import-queue tests. Rows are written as the original writes them: times as Unix seconds, config, result and
/// depends_on as JSON text.
/// </summary>
public sealed class OriginalQueueDatabase : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS work_items (
            work_id TEXT PRIMARY KEY,
            work_type TEXT NOT NULL,
            priority INTEGER NOT NULL DEFAULT 50,
            config TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL,
            claimed_at REAL NOT NULL DEFAULT 0.0,
            started_at REAL NOT NULL DEFAULT 0.0,
            completed_at REAL NOT NULL DEFAULT 0.0,
            status TEXT NOT NULL DEFAULT 'pending',
            claimed_by TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            max_attempts INTEGER NOT NULL DEFAULT 3,
            timeout_seconds REAL NOT NULL DEFAULT 3600.0,
            result TEXT NOT NULL DEFAULT '{}',
            error TEXT NOT NULL DEFAULT '',
            depends_on TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE IF NOT EXISTS work_stats (key TEXT PRIMARY KEY, value INTEGER NOT NULL DEFAULT 0);
        """;

    private readonly string _dir = System.IO.Path.Join(System.IO.Path.GetTempPath(), "ringrift-import-" + Guid.NewGuid().ToString("N"));

    /// <summary>Creates the file; <paramref name="withDependsOn"/> false gives the schema before the original added depends_on.</summary>
    public OriginalQueueDatabase(bool withDependsOn = true)
    {
        Directory.CreateDirectory(_dir);
        Path = System.IO.Path.Join(_dir, "work_queue.db");
        Execute(withDependsOn ? Schema : Schema.Replace(",\n    depends_on TEXT NOT NULL DEFAULT '[]'", "", StringComparison.Ordinal));
    }

    public string Path { get; }

    /// <summary>Inserts a row; columns left out take the schema's defaults (created_at: 1,767,225,600, 2026-01-01).</summary>
    public OriginalQueueDatabase Row(string workId, string workType = "selfplay", string status = "pending", int priority = 50,
        string config = "{}", double createdAt = 1_767_225_600, double claimedAt = 0, string claimedBy = "", int attempts = 0,
        int maxAttempts = 3, double timeoutSeconds = 3600, string? dependsOn = null)
    {
        var columns = "work_id, work_type, status, priority, config, created_at, claimed_at, claimed_by, attempts, max_attempts, timeout_seconds";
        var values = "$id, $type, $status, $priority, $config, $created, $claimed, $by, $attempts, $max, $timeout";
        if (dependsOn is not null) { columns += ", depends_on"; values += ", $depends"; }
        Execute($"INSERT INTO work_items ({columns}) VALUES ({values})", new Dictionary<string, object>
        {
            ["$id"] = workId,
            ["$type"] = workType,
            ["$status"] = status,
            ["$priority"] = priority,
            ["$config"] = config,
            ["$created"] = createdAt,
            ["$claimed"] = claimedAt,
            ["$by"] = claimedBy,
            ["$attempts"] = attempts,
            ["$max"] = maxAttempts,
            ["$timeout"] = timeoutSeconds,
            ["$depends"] = dependsOn ?? "[]",
        });
        return this;
    }

    /// <summary>Runs any SQL against the file (to store values the original's code would not, as a damaged file might hold).</summary>
    public void Execute(string sql, IReadOnlyDictionary<string, object>? parameters = null)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters ?? new Dictionary<string, object>())
            if (sql.Contains(name, StringComparison.Ordinal)) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
