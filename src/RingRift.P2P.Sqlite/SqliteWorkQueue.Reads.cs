using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>Largest <c>limit</c> <see cref="ListWorkAsync"/> accepts.</summary>
    public const int MaxListLimit = 10_000;

    /// <summary>The item with this id, or null.</summary>
    public Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Read(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT {WorkItemRow.Columns} FROM work_items WHERE work_id = $work_id";
            select.Parameters.AddWithValue("$work_id", workId);
            return WorkItemRow.ReadSingle(select);
        }));
    }

    /// <summary>Items newest first (created_at desc, then work_id desc), optionally of one status, at most <paramref name="limit"/> (1–10,000; 1,000 by default).</summary>
    public Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxListLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {MaxListLimit}");
        if (status is { } wanted && !Enum.IsDefined(wanted))
            throw new ArgumentOutOfRangeException(nameof(status), status, "status must be pending, claimed, running, completed, failed or cancelled");
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<WorkItem>>(Read(connection =>
        {
            using var select = connection.CreateCommand();
            var filter = status is null ? "" : "WHERE status = $status";
            select.CommandText = $"SELECT {WorkItemRow.Columns} FROM work_items {filter} ORDER BY created_at DESC, work_id DESC LIMIT $limit";
            if (status is { } s)
                select.Parameters.AddWithValue("$status", (int)s);
            select.Parameters.AddWithValue("$limit", limit);
            return WorkItemRow.ReadAll(select);
        }));
    }

    /// <summary>Counts by status. This local store always reports IsLeader = true, IsReady = true and no LeaderAddress; a node overrides those.</summary>
    /// <summary>Items per status and work type (statuses and types with none are left out); reads the whole table, so call it seldom.</summary>
    public Task<IReadOnlyList<WorkCount>> CountByStatusAndTypeAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Read<IReadOnlyList<WorkCount>>(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT status, work_type, COUNT(*) FROM work_items GROUP BY status, work_type";
            using var reader = select.ExecuteReader();
            var counts = new List<WorkCount>();
            while (reader.Read())
                counts.Add(new WorkCount((WorkStatus)reader.GetInt32(0), WorkItemRow.ReadType(reader, 1), reader.GetInt32(2)));
            return counts;
        }));
    }

    public Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var counts = Read(connection =>
        {
            var byStatus = new int[Enum.GetValues<WorkStatus>().Length];
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT status, count FROM status_counts";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var status = reader.GetInt32(0);
                if (status >= 0 && status < byStatus.Length)
                    byStatus[status] = reader.GetInt32(1);
            }
            return byStatus;
        });
        return Task.FromResult(new QueueStats
        {
            Pending = counts[(int)WorkStatus.Pending],
            Claimed = counts[(int)WorkStatus.Claimed],
            Running = counts[(int)WorkStatus.Running],
            Completed = counts[(int)WorkStatus.Completed],
            Failed = counts[(int)WorkStatus.Failed],
            Cancelled = counts[(int)WorkStatus.Cancelled],
            Total = counts.Sum(),
            IsLeader = true,
            LeaderAddress = null,
            IsReady = true,
        });
    }

    /// <summary>Every item, any status, in version order (oldest change first).</summary>
    public Task<IReadOnlyList<WorkItem>> ExportAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<WorkItem>>(Read(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT {WorkItemRow.Columns} FROM work_items ORDER BY version, work_id";
            return WorkItemRow.ReadAll(select);
        }));
    }

    /// <summary>The highest version this file has ever stored (its version clock), 0 for an empty queue.</summary>
    public Task<long> GetHighestVersionAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Read(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT highest FROM version_clock WHERE id = 1";
            return (long)select.ExecuteScalar()!;
        }));
    }

    /// <summary>Runs <paramref name="query"/> on a pooled read-only connection; WAL readers see the last commit and never block writers.</summary>
    private T Read<T>(Func<SqliteConnection, T> query)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = RentReader();
        try
        {
            return query(connection);
        }
        finally
        {
            ReturnReader(connection);
        }
    }

    private SqliteConnection RentReader()
    {
        lock (_readers)
        {
            if (_readers.TryPop(out var pooled))
                return pooled;
        }
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
            Execute(connection, "PRAGMA query_only = 1");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void ReturnReader(SqliteConnection connection)
    {
        lock (_readers)
        {
            if (!_disposed)
            {
                _readers.Push(connection);
                return;
            }
        }
        connection.Dispose(); // the queue closed while this read ran
    }
}
