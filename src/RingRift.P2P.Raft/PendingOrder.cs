using RingRift.P2P.Coordination;

namespace RingRift.P2P.Raft;

/// <summary>
/// Claim order, the same as the SQLite queue: highest priority first, then oldest created_at,
/// then lowest work_id (ordinal).
/// </summary>
internal sealed class PendingOrder : IComparer<WorkItem>
{
    public static readonly PendingOrder Instance = new();

    public int Compare(WorkItem? x, WorkItem? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
            return byPriority;
        var byAge = x.CreatedAt.CompareTo(y.CreatedAt);
        return byAge != 0 ? byAge : string.CompareOrdinal(x.WorkId, y.WorkId);
    }
}
