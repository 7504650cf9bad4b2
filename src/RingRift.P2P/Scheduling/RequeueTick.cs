namespace RingRift.P2P.Scheduling;

/// <summary>What one <see cref="DeadNodeRequeuer.TickAsync"/> did.</summary>
public sealed record RequeueTick
{
    /// <summary>When the tick ran (the requeuer's TimeProvider).</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>False when this node was not leader: the tick did nothing.</summary>
    public bool Leading { get; init; }
    /// <summary>True once this node has led for the grace (claimants not seen alive then count as dead).</summary>
    public bool GraceOver { get; init; }
    /// <summary>Items sent back to pending.</summary>
    public int Requeued { get; init; }
    /// <summary>Items that had no attempts left and became failed.</summary>
    public int Failed { get; init; }
    /// <summary>
    /// Items of not-alive claimants left alone: the claimant left on purpose less than the departed grace ago
    /// (it may be restarting), or the grace had not passed and membership had not declared it dead.
    /// </summary>
    public int Deferred { get; init; }
    /// <summary>Items that changed under the tick (completed, cancelled, or reclaimed by another node) and were left as they are.</summary>
    public int Raced { get; init; }
    /// <summary>Items held by ids that are not cluster nodes (external workers), left to their timeout.</summary>
    public int External { get; init; }
    /// <summary>Handler calls of <see cref="DeadNodeRequeuer.NodeDeclaredDead"/> that threw (ignored otherwise).</summary>
    public int NotifyErrors { get; init; }
    /// <summary>The nodes whose work was moved this tick.</summary>
    public IReadOnlyList<NodeDeclaredDead> DeadNodes { get; set; } = [];
}
