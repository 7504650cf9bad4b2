using RingRift.P2P.Coordination;

namespace RingRift.P2P.Node.WorkQueue;

/// <summary>The latest queue counts, refreshed in the background so /status never touches the disk or the network.</summary>
public sealed class QueueStatsCache
{
    private volatile QueueStats _stats = new();

    public QueueStats Current => _stats;

    public void Set(QueueStats stats) => _stats = stats;
}
