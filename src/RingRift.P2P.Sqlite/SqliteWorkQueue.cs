using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Sqlite;

/// <summary>
/// The embedded work queue: one SQLite file in WAL mode, safe to share between threads and
/// between several <see cref="SqliteWorkQueue"/> instances (or processes) on the same file.
/// </summary>
/// <remarks>
/// <para>Writes are commands for a single writer loop that owns the writer connection; it runs
/// whatever has queued up (up to <see cref="MaxBatch"/>) in one <c>BEGIN IMMEDIATE</c>
/// transaction and answers the callers after the commit (group commit: eight concurrent claimers
/// share one commit instead of paying for eight). Across instances SQLite's write lock serialises the batches, and a busy timeout
/// of <see cref="BusyTimeoutMilliseconds"/> (30 s) makes contention wait instead of fail. Claims
/// are single <c>UPDATE … WHERE status = pending</c> statements, so exactly one claimer of an item wins.</para>
/// <para>Reads use a small pool of separate read-only connections and never wait for writers.</para>
/// <para>Times come from the <see cref="TimeProvider"/> as Unix seconds. Every change to a row
/// stamps <c>version = max(highest stored version + 1, epoch &lt;&lt; 40)</c>.</para>
/// <para>Cancellation is honoured only while a write waits in the queue: once the writer has taken
/// it, it runs to its end, so a cancelled caller never loses a claim that was in fact made.</para>
/// </remarks>
public sealed partial class SqliteWorkQueue : IReplicaWorkStore, IAsyncDisposable
{
    /// <summary>How long a writer waits for another connection's write lock before SQLite reports busy.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SqliteConnection _writer;
    private readonly WriterCommands _commands;
    private readonly Stack<SqliteConnection> _readers = new();
    private long _epoch;
    private volatile bool _disposed;
    private int _disposing;

    private SqliteWorkQueue(string databasePath, string connectionString, SqliteConnection writer, TimeProvider time)
    {
        DatabasePath = databasePath;
        _connectionString = connectionString;
        _writer = writer;
        _time = time;
        _commands = new WriterCommands(writer);
        _writerLoop = Task.Run(RunWriterAsync);
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens (creating when missing) the queue database at <paramref name="databasePath"/>, its
    /// directory included, switches it to WAL and migrates the schema to the current version.
    /// </summary>
    /// <param name="databasePath">File path; relative paths resolve against the current directory.</param>
    /// <param name="time">Clock for every timestamp; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="ct">Checked before opening.</param>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this build knows.</exception>
    public static Task<SqliteWorkQueue> OpenAsync(string databasePath, TimeProvider? time = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Open(databasePath, time));
    }

    /// <summary>
    /// <see cref="OpenAsync"/> without the task: opening is synchronous work (a file, a few pragmas, the
    /// schema migration), so a dependency-injection container can create the queue in a factory.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file has a newer schema than this build knows.</exception>
    public static SqliteWorkQueue Open(string databasePath, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
            throw new ArgumentException($"databasePath must be a file path, got '{databasePath}'", nameof(databasePath));

        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false, // this class keeps its own connections and closes them on dispose
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            ConfigureWriter(writer, fullPath);
            WorkQueueSchema.Migrate(writer, fullPath);
            return new SqliteWorkQueue(fullPath, connectionString, writer, time ?? TimeProvider.System);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// WAL lets readers run beside the writer. Durability: with WAL, <c>synchronous = NORMAL</c>
    /// writes each commit's frames to the -wal file (into the OS page cache) before the call
    /// returns, so every acknowledged change survives the process being killed (kill -9, crash,
    /// OOM); the WAL is fsynced only at checkpoints, so an OS crash or power cut can roll back the
    /// last few commits, but never corrupts the file. FULL would add an fsync to every commit and
    /// cap claims per second at the disk's fsync rate; the leader replicates the queue to its
    /// followers, which covers a lost machine better than an fsync would.
    /// </summary>
    private static void ConfigureWriter(SqliteConnection connection, string fullPath)
    {
        Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
        var mode = Scalar(connection, "PRAGMA journal_mode = WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"database '{fullPath}' refused WAL journal mode (got '{mode}')");
        Execute(connection, "PRAGMA synchronous = NORMAL");
        Execute(connection, "PRAGMA temp_store = MEMORY");
    }

    /// <summary>The version the next change gets: max(highest stored + 1, epoch &lt;&lt; 40). Call from a write command.</summary>
    private long NextVersion()
    {
        var highest = (long)_commands.HighestVersion.ExecuteScalar()!;
        return Math.Max(highest + 1, VersionFloor);
    }

    private long VersionFloor => Interlocked.Read(ref _epoch) << EpochShift;

    private double Now() => UnixTime.Now(_time);

    /// <summary>
    /// Stops taking writes, lets the writer finish (and commit) every write already queued, then
    /// closes every connection. Later calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 1)
        {
            await _writerLoop.ConfigureAwait(false);
            return;
        }
        _disposed = true;
        _writes.Writer.TryComplete();
        await _writerLoop.ConfigureAwait(false);
        _commands.Dispose();
        _writer.Dispose();
        lock (_readers)
        {
            while (_readers.TryPop(out var reader))
                reader.Dispose();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
