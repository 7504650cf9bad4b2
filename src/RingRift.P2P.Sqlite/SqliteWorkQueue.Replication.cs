using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>Bits below the epoch in a version: version floor = epoch &lt;&lt; 40.</summary>
    public const int EpochShift = 40;

    /// <summary>Largest epoch whose floor (epoch &lt;&lt; 40) still fits a positive 64-bit version.</summary>
    public const long MaxEpoch = (1L << (63 - EpochShift)) - 1;

    /// <summary>
    /// Sets the leader epoch: every later change gets version = max(highest stored + 1, epoch &lt;&lt; 40).
    /// 0 until called.
    /// </summary>
    public void SetEpoch(long epoch)
    {
        if (epoch is < 0 or > MaxEpoch)
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, $"epoch must be between 0 and {MaxEpoch}");
        Interlocked.Exchange(ref _epoch, epoch);
    }

    /// <summary>
    /// Stores, in one transaction, each item that is new or whose version is greater than the
    /// stored one, exactly as given (version included). The highest stored version is what later
    /// local changes build on, so they always get larger versions. Returns how many were stored.
    /// </summary>
    public async Task<int> ApplyReplicatedAsync(IReadOnlyList<WorkItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = 0; i < items.Count; i++)
            ValidateReplicated(items[i], i);
        if (items.Count == 0)
            return 0;

        return await WriteAsync(() =>
        {
            var stored = 0;
            foreach (var item in items)
            {
                WorkItemRow.Bind(_commands.UpsertNewer, item);
                stored += _commands.UpsertNewer.ExecuteNonQuery();
            }
            return stored;
        }, ct, multiStatement: true).ConfigureAwait(false);
    }

    private static void ValidateReplicated(WorkItem? item, int index)
    {
        if (item is null)
            throw new ArgumentException($"items[{index}] is null", "items");
        if (string.IsNullOrEmpty(item.WorkId))
            throw new ArgumentException($"items[{index}].work_id must be non-empty", "items");
        if (!Enum.IsDefined(item.Status))
            throw new ArgumentException($"items[{index}].status {(int)item.Status} is not a work status", "items");
        if (item.Version < 0)
            throw new ArgumentException($"items[{index}].version must be >= 0, got {item.Version}", "items");
    }
}
