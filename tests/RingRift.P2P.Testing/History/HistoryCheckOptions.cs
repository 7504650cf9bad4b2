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
}
