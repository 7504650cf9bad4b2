namespace RingRift.P2P.Raft;

/// <summary>
/// Counts of job assignments by status, and the active (assigned + running) count of every node
/// that has at least one active job, keyed by node id in ordinal order.
/// </summary>
public sealed record JobAssignmentStats
{
    public int Assigned { get; init; }
    public int Running { get; init; }
    public int Completed { get; init; }
    public int Failed { get; init; }
    /// <summary>node_id → assigned + running jobs of that node; nodes with none are left out.</summary>
    public IReadOnlyDictionary<string, int> ByNode { get; set; } = new Dictionary<string, int>();
}
