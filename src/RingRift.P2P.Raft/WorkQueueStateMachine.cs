using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

/// <summary>
/// The replicated work queue's state: a pure, deterministic function of the commands applied in
/// log order. No clock, no randomness, no I/O: times come from <see cref="WorkCommand.At"/>, claim
/// tokens from the (term, log index, slot) the caller passes. Not thread-safe: the Raft log
/// applies one entry at a time; readers on other threads must synchronise with the applier.
/// </summary>
/// <remarks>
/// Semantics match the SQLite queue: pending → claimed → running → completed | failed | cancelled;
/// a claim counts as an attempt; fail and time-out return the item to pending while
/// attempts &lt; max_attempts and fail it after that. Fencing: a successful claim gets the token
/// (term, index, slot). Start / complete / fail presenting a token must present the current
/// claim's token, else <see cref="WorkOutcome.FencingMismatch"/>. Without a token the node id,
/// when given, must be the claimant; with neither (the operator path of <see cref="IWorkQueue"/>)
/// the change is allowed. A command id seen among the last <see cref="RecentCommandCapacity"/>
/// returns its first result and changes nothing. The same log also carries job assignments
/// (<see cref="AssignJob"/> … <see cref="FailJob"/>), held in a <see cref="JobAssignmentTable"/>
/// and written into the same snapshot.
/// </remarks>
public sealed partial class WorkQueueStateMachine
{
    private static readonly int StatusCount = Enum.GetValues<WorkStatus>().Length;

    private readonly Dictionary<string, WorkItem> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FencingToken> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<JobType, SortedSet<WorkItem>> _pendingByType = [];
    private readonly Dictionary<string, SortedSet<string>> _waiting = new(StringComparer.Ordinal); // dependency id → pending items waiting on it
    private readonly HashSet<string> _active = new(StringComparer.Ordinal); // claimed or running; the timeout sweep sorts what it requeues
    private readonly int[] _counts = new int[StatusCount];
    private readonly RecentCommands _recent;
    private long _version;
    private int _lastAppliedSlot = -1;

    /// <summary>An empty queue remembering the last <paramref name="recentCommandCapacity"/> command ids (default 10,000).</summary>
    public WorkQueueStateMachine(int recentCommandCapacity = RecentCommands.DefaultCapacity)
    {
        _recent = new RecentCommands(recentCommandCapacity);
    }

    /// <summary>Log index of the last applied entry; 0 before any.</summary>
    public long LastAppliedIndex { get; private set; }

    /// <summary>How many command ids are remembered for idempotent retries.</summary>
    public int RecentCommandCapacity => _recent.Capacity;

    /// <summary>
    /// Applies one command held alone in log entry <paramref name="logIndex"/> of <paramref name="term"/>.
    /// Throws <see cref="ArgumentOutOfRangeException"/> when the index is not after the last applied one.
    /// </summary>
    public WorkCommandResult Apply(WorkCommand command, long logIndex, long term) =>
        ApplyAt(command, logIndex, term, 0);

    /// <summary>Applies a batch held in one log entry; command i gets slot i in its fencing token.</summary>
    public IReadOnlyList<WorkCommandResult> ApplyBatch(IReadOnlyList<WorkCommand> commands, long logIndex, long term)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var results = new WorkCommandResult[commands.Count];
        for (var i = 0; i < commands.Count; i++)
            results[i] = ApplyAt(commands[i], logIndex, term, i);
        return results;
    }

    /// <summary>
    /// Records that log entry <paramref name="logIndex"/> held no work command (a Raft no-op or
    /// configuration entry), so <see cref="LastAppliedIndex"/> and snapshots follow the log.
    /// </summary>
    public void SkipEntry(long logIndex)
    {
        if (logIndex < 1)
            throw new ArgumentOutOfRangeException(nameof(logIndex), logIndex, "log index must be >= 1");
        if (logIndex <= LastAppliedIndex)
            throw new ArgumentOutOfRangeException(nameof(logIndex), logIndex, $"entry {logIndex} is not after the last applied entry {LastAppliedIndex}");
        LastAppliedIndex = logIndex;
        _lastAppliedSlot = int.MaxValue; // nothing more may be applied at this index
    }

    private WorkCommandResult ApplyAt(WorkCommand command, long logIndex, long term, int slot)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(command.CommandId))
            throw new ArgumentException($"command_id must be non-empty, got '{command.CommandId}'", nameof(command));
        if (logIndex < 1)
            throw new ArgumentOutOfRangeException(nameof(logIndex), logIndex, "log index must be >= 1");
        if (term < 0)
            throw new ArgumentOutOfRangeException(nameof(term), term, "term must be >= 0");
        if (logIndex < LastAppliedIndex || (logIndex == LastAppliedIndex && slot <= _lastAppliedSlot))
        {
            throw new ArgumentOutOfRangeException(nameof(logIndex), logIndex,
                $"entry {logIndex} slot {slot} is not after the last applied entry {LastAppliedIndex} slot {_lastAppliedSlot}");
        }

        LastAppliedIndex = logIndex;
        _lastAppliedSlot = slot;
        if (_recent.TryGet(command.CommandId, out var first))
            return first; // a retry: the first result, nothing applied again
        var result = Execute(command, new FencingToken(term, logIndex, slot));
        _recent.Record(command.CommandId, result);
        return result;
    }

    private WorkCommandResult Execute(WorkCommand command, FencingToken token)
    {
        if (!double.IsFinite(command.At) || command.At < 0)
            return Invalid($"at must be a finite, non-negative Unix time, got {command.At}");
        return command switch
        {
            AddWork add => ApplyAdd(add),
            ClaimWork claim => ApplyClaim(claim, token),
            ClaimNext next => ApplyClaimNext(next, token),
            StartWork start => ApplyStart(start),
            CompleteWork complete => ApplyComplete(complete),
            FailWork fail => ApplyFail(fail),
            CancelWork cancel => ApplyCancel(cancel),
            RequeueTimedOut requeue => ApplyRequeue(requeue),
            PruneWork prune => ApplyPrune(prune),
            AssignJob assign => _jobs.Assign(assign),
            StartJob start => _jobs.Start(start),
            CompleteJob complete => _jobs.Complete(complete),
            FailJob fail => _jobs.Fail(fail),
            _ => Invalid($"command type {command.GetType().Name} is not a work-queue or job command"),
        };
    }

    private static WorkCommandResult Invalid(string message) =>
        WorkCommandResult.Refused(WorkOutcome.InvalidCommand, null, message);

    private void AddPending(WorkItem item)
    {
        if (!_pendingByType.TryGetValue(item.WorkType, out var set))
            _pendingByType[item.WorkType] = set = new SortedSet<WorkItem>(PendingOrder.Instance);
        set.Add(item);
    }

    /// <summary>Removes a pending item; a type with nothing pending is dropped, so the index stays as small as the pending types.</summary>
    private void RemovePending(WorkItem item)
    {
        if (!_pendingByType.TryGetValue(item.WorkType, out var set)) return;
        set.Remove(item);
        if (set.Count == 0) _pendingByType.Remove(item.WorkType);
    }

    /// <summary>Replaces (or inserts) an item, keeping counts, the pending indexes and the active set in step.</summary>
    private WorkItem Store(WorkItem? old, WorkItem updated)
    {
        if (old is not null)
        {
            _counts[(int)old.Status]--;
            if (old.Status == WorkStatus.Pending)
                RemovePending(old);
            if (IsActive(old.Status))
                _active.Remove(old.WorkId);
        }
        var versioned = updated with { Version = ++_version };
        Track(old, versioned);
        _counts[(int)versioned.Status]++;
        if (IsActive(versioned.Status))
            _active.Add(versioned.WorkId);
        else
            _claims.Remove(versioned.WorkId);
        _items[versioned.WorkId] = versioned;
        if (versioned.Status == WorkStatus.Pending)
            Queue(versioned);
        if (old?.Status != versioned.Status && versioned.Status is WorkStatus.Completed or WorkStatus.Failed or WorkStatus.Cancelled)
            Settle(versioned);
        return versioned;
    }

    /// <summary>A pending item joins its type's index once every dependency has completed; until then it waits on the ones that have not.</summary>
    private void Queue(WorkItem item)
    {
        var blocked = false;
        foreach (var id in item.DependsOn)
        {
            if (_items.TryGetValue(id, out var dependency) && dependency.Status == WorkStatus.Completed) continue;
            blocked = true;
            if (!_waiting.TryGetValue(id, out var waiters)) _waiting[id] = waiters = new SortedSet<string>(StringComparer.Ordinal);
            waiters.Add(item.WorkId);
        }
        if (!blocked) AddPending(item);
    }

    /// <summary>
    /// <paramref name="finished"/> ended: items waiting on it are queued once their last dependency has
    /// completed, or fail (and so on down the chain) when it failed for good or was cancelled. Waiting
    /// items are visited in work id order, so every member assigns the same versions.
    /// </summary>
    private void Settle(WorkItem finished)
    {
        if (!_waiting.Remove(finished.WorkId, out var waiters)) return;
        foreach (var id in waiters)
        {
            if (!_items.TryGetValue(id, out var waiting) || waiting.Status != WorkStatus.Pending) continue;
            if (finished.Status == WorkStatus.Completed)
            {
                if (!Waits(waiting)) AddPending(waiting);
                continue;
            }
            var why = finished.Status == WorkStatus.Failed ? "failed" : "was cancelled";
            Store(waiting, waiting with { Status = WorkStatus.Failed, CompletedAt = finished.CompletedAt, Error = $"dependency '{finished.WorkId}' {why}" });
        }
    }

    /// <summary>Whether <paramref name="item"/> still waits for a dependency that has not completed.</summary>
    private bool Waits(WorkItem item) =>
        item.DependsOn.Any(d => !_items.TryGetValue(d, out var dep) || dep.Status != WorkStatus.Completed);

    private static bool IsActive(WorkStatus status) => status is WorkStatus.Claimed or WorkStatus.Running;
}
