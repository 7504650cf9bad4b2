namespace RingRift.P2P.Raft;

/// <summary>
/// The results of the most recent <see cref="Capacity"/> command ids, oldest evicted first, so a
/// retried command returns its first result instead of applying twice. Deterministic: eviction
/// depends only on the order ids were recorded.
/// </summary>
internal sealed class RecentCommands
{
    /// <summary>Default capacity: 10,000 ids (about the commands of a few seconds at full load).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Dictionary<string, WorkCommandResult> _results;
    private readonly Queue<string> _order;

    public RecentCommands(int capacity)
    {
        if (capacity < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "recent command capacity must be at least 1");
        Capacity = capacity;
        _results = new Dictionary<string, WorkCommandResult>(Math.Min(capacity, 1024), StringComparer.Ordinal);
        _order = new Queue<string>(Math.Min(capacity, 1024));
    }

    public int Capacity { get; }

    public int Count => _order.Count;

    public bool TryGet(string commandId, out WorkCommandResult result) =>
        _results.TryGetValue(commandId, out result!);

    /// <summary>Records a new id (callers check <see cref="TryGet"/> first); evicts the oldest when full.</summary>
    public void Record(string commandId, WorkCommandResult result)
    {
        if (!_results.TryAdd(commandId, result))
            throw new InvalidOperationException($"command id '{commandId}' is already recorded");
        _order.Enqueue(commandId);
        while (_order.Count > Capacity)
            _results.Remove(_order.Dequeue());
    }

    /// <summary>Ids with their results, oldest first.</summary>
    public IEnumerable<(string CommandId, WorkCommandResult Result)> InOrder()
    {
        foreach (var id in _order)
            yield return (id, _results[id]);
    }
}
