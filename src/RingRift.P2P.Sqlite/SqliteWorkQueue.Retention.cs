using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>Where a row is prunable: finished, not of a kept type, not a dependency of an unfinished item.</summary>
    private static readonly string PrunableWhere =
        $"status >= 3 AND work_type NOT IN ({WorkItemRow.Literal(JobType.Training)}, {WorkItemRow.Literal(JobType.Evaluation)}) " +
        $"AND work_id NOT IN ({WriterCommands.DependedOnSql})";

    /// <summary>
    /// The oldest <paramref name="limit"/> prunable finished items (finished order: completed_at, then work id)
    /// and how many there are. Two reads of the table (the order is not indexed: the finished rows are sorted,
    /// which the retention itself keeps few); a retention round calls it every few seconds at most.
    /// </summary>
    public Task<FinishedItems> ReadOldestFinishedAsync(int limit, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxListLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {MaxListLimit}");
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Read(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT {WorkItemRow.Columns} FROM work_items WHERE {PrunableWhere} " +
                "ORDER BY IFNULL(completed_at, created_at), work_id LIMIT $limit";
            select.Parameters.AddWithValue("$limit", limit);
            var oldest = WorkItemRow.ReadAll(select);
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM work_items WHERE {PrunableWhere}";
            return new FinishedItems(oldest, Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        }));
    }

    /// <summary>
    /// Deletes, in one transaction, each of <paramref name="items"/> still stored at its version and finished,
    /// unless an unfinished item depends on it; returns those deleted. The counts per status follow (trigger);
    /// the version clock does not go down.
    /// </summary>
    public Task<IReadOnlyList<WorkItem>> PruneAsync(IReadOnlyList<WorkItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null || string.IsNullOrEmpty(items[i].WorkId))
                throw new ArgumentException($"items[{i}] must be an item with a work_id", nameof(items));
        }
        if (items.Count == 0) return Task.FromResult<IReadOnlyList<WorkItem>>([]);
        return WriteAsync<IReadOnlyList<WorkItem>>(() =>
        {
            var needed = ReadColumn(_commands.DependedOn);
            var delete = _commands.DeleteFinished;
            var deleted = new List<WorkItem>(items.Count);
            foreach (var item in items)
            {
                if (needed.Contains(item.WorkId)) continue; // an unfinished item waits for it
                delete.Parameters["$work_id"].Value = item.WorkId;
                delete.Parameters["$version"].Value = item.Version;
                if (delete.ExecuteNonQuery() == 1) deleted.Add(item);
            }
            return deleted;
        }, ct, multiStatement: true);
    }

    /// <summary>Deletes, in one transaction, each item held at a version at most the pushed one; returns how many.</summary>
    public Task<int> ApplyPrunedAsync(IReadOnlyList<PrunedItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null || string.IsNullOrEmpty(items[i].WorkId))
                throw new ArgumentException($"pruned[{i}] needs a non-empty work_id", "pruned");
            if (items[i].Version < 0)
                throw new ArgumentException($"pruned[{i}].version must be >= 0, got {items[i].Version}", "pruned");
        }
        if (items.Count == 0) return Task.FromResult(0);
        return WriteAsync(() =>
        {
            var delete = _commands.DeleteUpTo;
            var deleted = 0;
            foreach (var item in items)
            {
                delete.Parameters["$work_id"].Value = item.WorkId;
                delete.Parameters["$version"].Value = item.Version;
                deleted += delete.ExecuteNonQuery();
            }
            return deleted;
        }, ct, multiStatement: true);
    }

    /// <summary>Deletes every row whose version is below <paramref name="version"/>; returns how many (a walk over the table).</summary>
    public Task<int> DropBelowAsync(long version, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return WriteAsync(() =>
        {
            using var delete = _writer.CreateCommand();
            delete.CommandText = "DELETE FROM work_items WHERE version < $version";
            delete.Parameters.AddWithValue("$version", version);
            return delete.ExecuteNonQuery();
        }, ct);
    }

    private static HashSet<string> ReadColumn(SqliteCommand command)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0)) values.Add(reader.GetString(0));
        }
        return values;
    }
}
