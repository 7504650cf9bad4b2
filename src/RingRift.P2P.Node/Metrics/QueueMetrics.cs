using System.Diagnostics;
using System.Diagnostics.Metrics;
using RingRift.P2P.Coordination;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// Meter <c>RingRift.P2P.Queue</c>: the queue's items by status and work type (exported by the node that serves
/// the queue, from counts it refreshes every 15 s), and what that node did with work: adds, claims, completions,
/// failures for good, requeues and retention's removals as counters, claim latency as a histogram. Only the serving node records
/// these, so summing over the cluster gives the queue's figures.
/// </summary>
public sealed class QueueMetrics
{
    public const string MeterName = "RingRift.P2P.Queue";

    private readonly Counter<long> _added;
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _requeued;
    private readonly Counter<long> _pruned;
    private readonly Histogram<double> _claimTime;

    public QueueMetrics(IMeterFactory meters, QueueStatsCache stats)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ringrift_p2p_work_items", () => Items(stats),
            description: "Work items by status and type, on the node serving the queue (refreshed every 15 s)");
        _added = meter.CreateCounter<long>("ringrift_p2p_work_added", description: "Work items added");
        _claimed = meter.CreateCounter<long>("ringrift_p2p_work_claims", description: "Work items claimed");
        _completed = meter.CreateCounter<long>("ringrift_p2p_work_completed", description: "Work items completed");
        _failed = meter.CreateCounter<long>("ringrift_p2p_work_failed", description: "Work items failed for good (no attempts left, or a dependency failed)");
        _requeued = meter.CreateCounter<long>("ringrift_p2p_work_requeued", description: "Work items put back to pending after a failed attempt or a timeout");
        _pruned = meter.CreateCounter<long>("ringrift_p2p_work_pruned", description: "Finished work items the queue retention removed (RINGRIFT_QUEUE_RETENTION, RINGRIFT_QUEUE_RETAIN_MAX)");
        _claimTime = meter.CreateHistogram("ringrift_p2p_claim_duration", unit: "s",
            description: "Time the serving node took to answer a claim (found = whether it handed out an item)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    public void Added(WorkItem item) => _added.Add(1, Type(item));

    /// <summary>A claim answered: how long it took (from <paramref name="startedAt"/>, a <see cref="Stopwatch"/> timestamp) and whether it handed out an item.</summary>
    public void Claim(long startedAt, bool found)
    {
        _claimTime.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("found", found ? "true" : "false"));
        if (found) _claimed.Add(1);
    }

    public void Completed(WorkItem item) => _completed.Add(1, Type(item));

    /// <summary>An item a fail changed: requeued while attempts remain, else failed for good.</summary>
    public void Failed(WorkItem item) => Ended(item, "failed_attempt");

    /// <summary>Items a timeout sweep changed: each requeued while attempts remain, else failed for good.</summary>
    public void TimedOut(IReadOnlyList<WorkItem> items)
    {
        foreach (var item in items) Ended(item, "timeout");
    }

    /// <summary>Finished items a retention round removed from the queue.</summary>
    public void Pruned(int count) => _pruned.Add(count);

    private void Ended(WorkItem item, string reason)
    {
        if (item.Status == WorkStatus.Pending) _requeued.Add(1, new KeyValuePair<string, object?>("reason", reason));
        else if (item.Status == WorkStatus.Failed) _failed.Add(1, Type(item));
    }

    private static KeyValuePair<string, object?> Type(WorkItem item) => new("work_type", item.WorkType.Name);

    private static IEnumerable<Measurement<int>> Items(QueueStatsCache stats)
    {
        if (stats.ByType is not { } counts) yield break;
        foreach (var count in counts)
            yield return new Measurement<int>(count.Count, new("status", count.Status.ToString().ToLowerInvariant()), new("work_type", count.WorkType.Name));
    }
}
