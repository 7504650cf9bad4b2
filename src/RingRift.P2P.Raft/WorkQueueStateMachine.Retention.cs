using RingRift.P2P.Coordination;

namespace RingRift.P2P.Raft;

public sealed partial class WorkQueueStateMachine
{
    /// <summary>Finished items in the order retention prunes them (<see cref="QueueRetention.CompareFinished"/>).</summary>
    private readonly SortedSet<WorkItem> _finished = new(Comparer<WorkItem>.Create(QueueRetention.CompareFinished));

    /// <summary>How many of <see cref="_finished"/> are of a type retention keeps (training, evaluation).</summary>
    private int _finishedKept;

    /// <summary>
    /// The oldest <paramref name="limit"/> prunable finished items (not of a kept type, not a dependency of an
    /// unfinished item) and how many there are: what the leader's retention round picks from.
    /// </summary>
    public FinishedItems OldestFinished(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var needed = DependedOnByUnfinished();
        var oldest = new List<WorkItem>(Math.Min(limit, _finished.Count));
        foreach (var item in _finished)
        {
            if (oldest.Count == limit) break;
            if (QueueRetention.Keeps(item.WorkType) || needed.Contains(item.WorkId)) continue;
            oldest.Add(item);
        }
        var neededFinished = needed.Count(id => _items.TryGetValue(id, out var d) && QueueRetention.IsFinished(d.Status) && !QueueRetention.Keeps(d.WorkType));
        return new FinishedItems(oldest, _finished.Count - _finishedKept - neededFinished);
    }

    /// <summary>
    /// Drops each listed item that is finished and that no unfinished item depends on, in the order listed;
    /// any other id (unknown, unfinished, needed) is passed over. Deterministic: the same state and command
    /// leave every member the same state. Item versions are not consumed.
    /// </summary>
    private WorkCommandResult ApplyPrune(PruneWork prune)
    {
        if (prune.WorkIds is not { Count: >= 1 and <= WorkCommandCodec.MaxPruneIds } ids)
            return Invalid($"work_ids must name 1 to {WorkCommandCodec.MaxPruneIds} items, got {prune.WorkIds?.Count ?? 0}");
        if (ids.Any(string.IsNullOrEmpty))
            return Invalid("work_ids must not hold an empty id");
        var needed = DependedOnByUnfinished();
        var pruned = 0;
        foreach (var id in ids)
        {
            if (!_items.TryGetValue(id, out var item) || !QueueRetention.IsFinished(item.Status) || needed.Contains(id)) continue;
            _items.Remove(id);
            _counts[(int)item.Status]--;
            Untrack(item);
            pruned++;
        }
        return new WorkCommandResult { Outcome = WorkOutcome.Ok, Pruned = pruned };
    }

    /// <summary>Ids that pending, claimed or running items depend on: a dependent whose dependency is gone would wait for ever.</summary>
    private HashSet<string> DependedOnByUnfinished()
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        void Add(WorkItem item)
        {
            foreach (var id in item.DependsOn) needed.Add(id);
        }
        foreach (var id in _active) Add(_items[id]);
        foreach (var item in _pendingByType.Values.SelectMany(pending => pending).Where(i => i.DependsOn.Count > 0)) Add(item);
        foreach (var id in _waiting.Values.SelectMany(waiters => waiters))
        {
            if (_items.TryGetValue(id, out var item) && item.Status == WorkStatus.Pending) Add(item);
        }
        return needed;
    }

    /// <summary>Keeps <see cref="_finished"/> in step when an item is stored, replaced or restored.</summary>
    private void Track(WorkItem? old, WorkItem current)
    {
        if (old is not null) Untrack(old);
        if (!QueueRetention.IsFinished(current.Status)) return;
        _finished.Add(current);
        if (QueueRetention.Keeps(current.WorkType)) _finishedKept++;
    }

    private void Untrack(WorkItem item)
    {
        if (!QueueRetention.IsFinished(item.Status) || !_finished.Remove(item)) return;
        if (QueueRetention.Keeps(item.WorkType)) _finishedKept--;
    }
}
