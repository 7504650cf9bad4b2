using RingRift.P2P.Models;

namespace RingRift.P2P.Coordination;

/// <summary>
/// How long the queue keeps finished items (completed, failed for good, cancelled: statuses no change can
/// leave) before the leader prunes them, and which ones it prunes in a round. The leader chooses; every store
/// applies the same choice (a prune command in the Raft log, a pushed deletion on the quorum SQLite queue).
/// </summary>
/// <remarks>
/// <para>An item is pruned once it finished more than <see cref="MaxAge"/> ago, or while more than
/// <see cref="MaxFinished"/> prunable items are finished (oldest first), and in either case only once it
/// finished at least <see cref="MinimumAge"/> ago, at most <see cref="BatchSize"/> a round.</para>
/// <para>Never pruned: training and evaluation items (<see cref="Keeps"/>: the training loop derives the
/// champion model, the last training and the models awaiting evaluation from them, and there are a few an
/// hour), and a finished item that an unfinished item depends on (its dependent would wait for it forever;
/// the stores check this when they delete).</para>
/// </remarks>
public sealed record QueueRetention
{
    /// <summary>At most this many items are pruned in one round, so a large backlog never holds the queue up for long.</summary>
    public const int BatchSize = 500;

    /// <summary>How often the leader runs a round (from its queue maintenance loop).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// No item is pruned sooner than this after it finished, whatever the limits say: a client retrying an
    /// add or a completion whose answer it lost does so within seconds, and a replica push is given up after
    /// at most 2 s, so neither can meet an item that is already gone.
    /// </summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(10);

    /// <summary>Keep finished items this long after they finished (<c>RINGRIFT_QUEUE_RETENTION</c>); zero: no age limit.</summary>
    /// <value>24 hours by default.</value>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Keep at most this many prunable finished items, the oldest pruned first (<c>RINGRIFT_QUEUE_RETAIN_MAX</c>); 0: no count limit.</summary>
    /// <value>10,000 by default.</value>
    public int MaxFinished { get; init; } = 10_000;

    /// <summary>False when both limits are off: nothing is ever pruned.</summary>
    public bool IsEnabled => MaxAge > TimeSpan.Zero || MaxFinished > 0;

    /// <summary>Whether an item of this type is kept whatever its age (training and evaluation).</summary>
    public static bool Keeps(JobType type) => type == JobType.Training || type == JobType.Evaluation;

    /// <summary>Completed, failed (for good) or cancelled: no transition leaves these statuses.</summary>
    public static bool IsFinished(WorkStatus status) => status is WorkStatus.Completed or WorkStatus.Failed or WorkStatus.Cancelled;

    /// <summary>When a finished item finished (its completed_at; created_at for an item that somehow has none).</summary>
    public static double FinishedAt(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.CompletedAt ?? item.CreatedAt;
    }

    /// <summary>The order rounds prune in: finished first, then work id (ordinal).</summary>
    public static int CompareFinished(WorkItem x, WorkItem y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var at = FinishedAt(x).CompareTo(FinishedAt(y));
        return at != 0 ? at : string.CompareOrdinal(x.WorkId, y.WorkId);
    }

    /// <summary>
    /// The items to prune this round, a prefix of <paramref name="finished"/>'s oldest items: each one that
    /// is beyond the count limit or past the age limit, and finished at least <see cref="MinimumAge"/> before
    /// <paramref name="now"/> (Unix seconds), at most <see cref="BatchSize"/>.
    /// </summary>
    public IReadOnlyList<WorkItem> Pick(FinishedItems finished, double now)
    {
        ArgumentNullException.ThrowIfNull(finished);
        if (!IsEnabled || finished.OldestFirst.Count == 0) return [];
        var overCount = MaxFinished > 0 ? Math.Max(0, finished.Count - MaxFinished) : 0;
        var ageCutoff = MaxAge > TimeSpan.Zero ? now - MaxAge.TotalSeconds : double.NegativeInfinity;
        var floor = now - MinimumAge.TotalSeconds;
        var picked = new List<WorkItem>();
        for (var i = 0; i < finished.OldestFirst.Count && picked.Count < BatchSize; i++)
        {
            var item = finished.OldestFirst[i];
            var at = FinishedAt(item);
            if (at > floor) break; // too recent, and so is every item after it
            if (i >= overCount && at > ageCutoff) break; // within both limits, as is every later one
            picked.Add(item);
        }
        return picked;
    }
}

/// <summary>
/// The oldest prunable finished items of a store (finished order, see <see cref="QueueRetention.CompareFinished"/>)
/// and how many prunable finished items it holds in all. Prunable: not of a type <see cref="QueueRetention.Keeps"/>,
/// and not a dependency of an unfinished item.
/// </summary>
public sealed record FinishedItems(IReadOnlyList<WorkItem> OldestFirst, int Count)
{
    public static FinishedItems None { get; } = new([], 0);
}

/// <summary>
/// A deletion the leader pushes to a replica (<see cref="ReplicateRequest.Pruned"/>): the replica drops the
/// item unless it holds a version newer than <paramref name="Version"/> (the item added again since).
/// </summary>
public sealed record PrunedItem(string WorkId, long Version);
