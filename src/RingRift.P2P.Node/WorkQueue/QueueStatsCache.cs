using RingRift.P2P.Coordination;

namespace RingRift.P2P.Node.WorkQueue;

/// <summary>
/// The latest queue counts, refreshed in the background so /status and /metrics never touch the disk or the
/// network: counts per status every second, and on the node that serves the queue, counts per status and work
/// type every <see cref="QueueMaintenanceLoop.CountByTypeInterval"/> (they read every item).
/// </summary>
public sealed class QueueStatsCache
{
    private volatile QueueStats _stats = new();
    private volatile IReadOnlyList<WorkCount>? _byType;

    public QueueStats Current => _stats;

    /// <summary>Items per status and type on the node that serves the queue; null on any other node (the leader's metrics hold them).</summary>
    public IReadOnlyList<WorkCount>? ByType => _byType;

    public void Set(QueueStats stats) => _stats = stats;

    public void SetByType(IReadOnlyList<WorkCount>? counts) => _byType = counts;
}
