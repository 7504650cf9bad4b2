namespace RingRift.P2P.Loops;

/// <summary>The node's background loops, by name: each registers once and reports its runs to its <see cref="LoopTracker"/>.</summary>
public sealed class LoopRegistry(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, LoopTracker> _loops = new(StringComparer.Ordinal);

    /// <summary>
    /// The tracker of the loop called <paramref name="name"/>, created on first use; a second
    /// registration (a service started again) gets the same tracker with <paramref name="interval"/> applied.
    /// </summary>
    /// <param name="interval">Time between runs; null for a loop driven by events.</param>
    public LoopTracker Register(string name, TimeSpan? interval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (interval is { } i) ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(i, TimeSpan.Zero, nameof(interval));
        lock (_gate)
        {
            if (_loops.TryGetValue(name, out var existing))
            {
                existing.Interval = interval;
                return existing;
            }
            var tracker = new LoopTracker(name, interval, time);
            _loops.Add(name, tracker);
            return tracker;
        }
    }

    /// <summary>Every registered loop, by name.</summary>
    public IReadOnlyDictionary<string, LoopStatus> Snapshot()
    {
        LoopTracker[] loops;
        lock (_gate) loops = [.. _loops.Values];
        var result = new SortedDictionary<string, LoopStatus>(StringComparer.Ordinal);
        foreach (var loop in loops) result[loop.Name] = loop.Snapshot();
        return result;
    }
}
