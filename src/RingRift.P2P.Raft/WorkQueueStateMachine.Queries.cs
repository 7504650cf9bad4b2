using RingRift.P2P.Coordination;

namespace RingRift.P2P.Raft;

public sealed partial class WorkQueueStateMachine
{
    /// <summary>Largest <see cref="List"/> limit: 10,000 (the SQLite queue's).</summary>
    public const int MaxListLimit = 10_000;

    /// <summary>Number of items, any status.</summary>
    public int Count => _items.Count;

    /// <summary>The item, or null. Returned items are shared with the state: do not mutate their Config/Result.</summary>
    public WorkItem? Get(string workId)
    {
        ArgumentNullException.ThrowIfNull(workId);
        return _items.GetValueOrDefault(workId);
    }

    /// <summary>The current claim's fencing token, or null when the item is not claimed / running.</summary>
    public FencingToken? GetClaimToken(string workId)
    {
        ArgumentNullException.ThrowIfNull(workId);
        return _claims.GetValueOrDefault(workId);
    }

    /// <summary>Items, optionally of one status, newest first (created_at desc, then work_id desc), at most <paramref name="limit"/> (1–10,000).</summary>
    public IReadOnlyList<WorkItem> List(WorkStatus? status = null, int limit = 1000)
    {
        if (limit is < 1 or > MaxListLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {MaxListLimit}");
        if (status is { } wanted && !Enum.IsDefined(wanted))
            throw new ArgumentOutOfRangeException(nameof(status), status, "status must be pending, claimed, running, completed, failed or cancelled");
        var matching = status is null ? _items.Values : _items.Values.Where(item => item.Status == status);
        return matching
            .OrderByDescending(item => item.CreatedAt)
            .ThenByDescending(item => item.WorkId, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    /// <summary>Every pending, claimed or running item, oldest first (created_at, then work_id).</summary>
    public IReadOnlyList<WorkItem> Unfinished() =>
        _items.Values
            .Where(item => item.Status is WorkStatus.Pending or WorkStatus.Claimed or WorkStatus.Running)
            .OrderBy(item => item.CreatedAt)
            .ThenBy(item => item.WorkId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Counts by status. IsLeader / LeaderAddress / IsReady are left for the caller (the Raft node) to fill.</summary>
    /// <summary>Items per status and work type (statuses and types with none are left out); walks every item.</summary>
    public IReadOnlyList<WorkCount> CountByStatusAndType() =>
        _items.Values.GroupBy(i => (i.Status, i.WorkType)).Select(g => new WorkCount(g.Key.Status, g.Key.WorkType, g.Count())).ToList();

    public QueueStats Stats() => new()
    {
        Pending = _counts[(int)WorkStatus.Pending],
        Claimed = _counts[(int)WorkStatus.Claimed],
        Running = _counts[(int)WorkStatus.Running],
        Completed = _counts[(int)WorkStatus.Completed],
        Failed = _counts[(int)WorkStatus.Failed],
        Cancelled = _counts[(int)WorkStatus.Cancelled],
        Total = _items.Count,
    };
}
