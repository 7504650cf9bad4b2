namespace RingRift.P2P.Testing.History;

/// <summary>What to assume about the system under test.</summary>
public sealed record HistoryCheckOptions
{
    /// <summary>
    /// True when the leader may requeue a timed-out claim, so a second claim with a new token is
    /// legal without the first holder ever failing the item. False by default.
    /// </summary>
    public bool RequeuesPossible { get; init; }

    /// <summary>
    /// The current fencing token of claimed / running final items, by work id, when the test could
    /// read it from the leader. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> CurrentTokens { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// True when the queue may prune finished items during the run (<c>RINGRIFT_QUEUE_RETENTION</c>,
    /// <c>RINGRIFT_QUEUE_RETAIN_MAX</c>): an acknowledged add missing from the final items is then no loss when a
    /// complete or fail of it may have happened (ok or unknown), since the item may have finished and been pruned.
    /// A missing item that no client may have finished is still lost work. False by default: every acknowledged
    /// add must be in the final queue.
    /// </summary>
    public bool FinishedMayBePruned { get; init; }
}
