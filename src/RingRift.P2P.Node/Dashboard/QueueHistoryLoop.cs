using RingRift.P2P.Coordination;
using RingRift.P2P.Loops;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// Every <see cref="Interval"/> adds one <see cref="QueueSample"/> to the node's <see cref="QueueHistory"/>.
/// While this node serves the queue, the sample is read from it: the counts by status and the pending,
/// claimed and running items counted by work type (three local reads of at most <see cref="ReadLimit"/>
/// items each, as the dispatch loop does every second). Any other node takes the counts by status from its
/// cached queue stats (in memory), and none while no leader is known.
/// </summary>
public sealed class QueueHistoryLoop(
    QueueStatsCache stats,
    Func<IWorkQueue?> servingQueue,
    QueueHistory history,
    TimeProvider time,
    LoopRegistry loops,
    ILogger<QueueHistoryLoop> logger) : PeriodicService(time, loops, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>How far back the history reaches: 60 minutes.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(60);

    /// <summary>Samples kept: <see cref="Window"/> / <see cref="Interval"/>.</summary>
    public static int Capacity => (int)(Window / Interval);

    /// <summary>Most items read per status for the type counts.</summary>
    public const int ReadLimit = 10_000;

    /// <summary>Most work types one sample names; the rest are added up under <see cref="OtherTypes"/>.</summary>
    public const int MaxTypes = 32;

    /// <summary>The key of the types past <see cref="MaxTypes"/> (no work type name can contain parentheses).</summary>
    public const string OtherTypes = "(other)";

    protected override TimeSpan Period => Interval;

    public override string LoopName => "queue_history";

    protected override async Task StepAsync(CancellationToken ct)
    {
        if (await SampleAsync(ct) is { } sample) history.Add(sample);
    }

    /// <summary>The sample for now, or null when this node does not serve the queue and knows no leader.</summary>
    public async Task<QueueSample?> SampleAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        if (servingQueue() is not { } queue)
        {
            var cached = stats.Current;
            return cached.IsReady ? Sample(now, cached, null, false) : null;
        }
        var counts = await queue.GetQueueStatsAsync(ct);
        var (byType, truncated) = await CountByTypeAsync(queue, ct);
        return Sample(now, counts, byType, truncated);
    }

    private static QueueSample Sample(double now, QueueStats c, IReadOnlyDictionary<string, TypeCounts>? byType, bool truncated) =>
        new(now, c.Pending, c.Claimed, c.Running, c.Completed, c.Failed, c.Cancelled, byType, truncated);

    private static async Task<(IReadOnlyDictionary<string, TypeCounts>, bool)> CountByTypeAsync(IWorkQueue queue, CancellationToken ct)
    {
        var pending = await queue.ListWorkAsync(WorkStatus.Pending, ReadLimit, ct);
        var claimed = await queue.ListWorkAsync(WorkStatus.Claimed, ReadLimit, ct);
        var running = await queue.ListWorkAsync(WorkStatus.Running, ReadLimit, ct);
        var truncated = pending.Count >= ReadLimit || claimed.Count >= ReadLimit || running.Count >= ReadLimit;
        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        Tally(counts, pending, 0);
        Tally(counts, claimed, 1);
        Tally(counts, running, 2);
        var ordered = counts.OrderByDescending(c => c.Value.Sum()).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var byType = new SortedDictionary<string, TypeCounts>(StringComparer.Ordinal);
        foreach (var (type, c) in ordered.Take(MaxTypes)) byType[type] = new TypeCounts(c[0], c[1], c[2]);
        if (ordered.Count > MaxTypes)
        {
            var rest = ordered.Skip(MaxTypes).Select(c => c.Value).ToList();
            byType[OtherTypes] = new TypeCounts(rest.Sum(c => c[0]), rest.Sum(c => c[1]), rest.Sum(c => c[2]));
        }
        return (byType, truncated);
    }

    private static void Tally(Dictionary<string, int[]> counts, IReadOnlyList<WorkItem> items, int column)
    {
        foreach (var item in items)
        {
            if (!counts.TryGetValue(item.WorkType.Name, out var row)) counts[item.WorkType.Name] = row = new int[3];
            row[column]++;
        }
    }
}
