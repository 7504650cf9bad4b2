using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft;

public sealed partial class WorkQueueStateMachine
{
    private WorkCommandResult ApplyAdd(AddWork add)
    {
        if (add.Work is null)
            return Invalid("work must be given");
        if (add.Work.WorkId is null)
            return Invalid("work_id must be chosen by the client before replication, got null");
        try
        {
            add.Work.Validate();
        }
        catch (ArgumentException invalid)
        {
            return Invalid(invalid.Message);
        }
        if (_items.TryGetValue(add.Work.WorkId, out var existing))
            return WorkCommandResult.Refused(WorkOutcome.Duplicate, existing, $"work item '{existing.WorkId}' already exists");
        if (NewWork.RefuseDependencies(add.Work.DependsOn, id => _items.TryGetValue(id, out var d) ? d.Status : null) is { } refusal)
            return Invalid(refusal);

        var item = new WorkItem
        {
            WorkId = add.Work.WorkId,
            WorkType = add.Work.WorkType,
            Priority = add.Work.Priority,
            Config = (JsonObject?)add.Work.Config?.DeepClone() ?? new JsonObject(),
            MaxAttempts = add.Work.MaxAttempts,
            Attempts = add.Work.Attempts,
            TimeoutSeconds = add.Work.TimeoutSeconds,
            DependsOn = add.Work.DependsOn,
            CreatedAt = add.At,
        };
        return WorkCommandResult.Ok(Store(null, item));
    }

    private WorkCommandResult ApplyClaim(ClaimWork claim, FencingToken token)
    {
        if (string.IsNullOrEmpty(claim.WorkId) || string.IsNullOrEmpty(claim.NodeId))
            return Invalid($"work_id and node_id must be non-empty, got '{claim.WorkId}' and '{claim.NodeId}'");
        if (!_items.TryGetValue(claim.WorkId, out var item))
            return WorkCommandResult.Refused(WorkOutcome.NotFound, null, $"work item '{claim.WorkId}' does not exist");
        if (item.Status != WorkStatus.Pending)
            return WorkCommandResult.Refused(WorkOutcome.NotClaimable, item, $"work item '{item.WorkId}' is {Name(item.Status)}, only pending items can be claimed");
        if (Waits(item))
            return WorkCommandResult.Refused(WorkOutcome.NotClaimable, item, $"work item '{item.WorkId}' waits for its dependencies {item.DependsOn} to complete");
        return Claimed(item, claim.NodeId, claim.At, token);
    }

    private WorkCommandResult ApplyClaimNext(ClaimNext next, FencingToken token)
    {
        if (string.IsNullOrEmpty(next.NodeId))
            return Invalid($"node_id must be non-empty, got '{next.NodeId}'");
        var any = next.Capabilities is null || next.Capabilities.Count == 0;
        WorkItem? best = null;
        // Each pending type's best item, then the best of those: the order decides, so the result does not depend on the dictionary's order.
        foreach (var (type, pending) in _pendingByType)
        {
            if (!any && !next.Capabilities!.Contains(type))
                continue;
            var head = pending.Min;
            if (head is not null && (best is null || PendingOrder.Instance.Compare(head, best) < 0))
                best = head;
        }
        return best is null
            ? new WorkCommandResult { Outcome = WorkOutcome.Ok, Claimed = false }
            : Claimed(best, next.NodeId, next.At, token);
    }

    private WorkCommandResult Claimed(WorkItem item, string nodeId, double at, FencingToken token)
    {
        var claimed = Store(item, item with
        {
            Status = WorkStatus.Claimed,
            ClaimedBy = nodeId,
            ClaimedAt = at,
            Attempts = item.Attempts + 1,
        });
        _claims[claimed.WorkId] = token;
        return new WorkCommandResult { Outcome = WorkOutcome.Ok, Item = claimed, Claimed = true, Token = token };
    }

    private WorkCommandResult ApplyStart(StartWork start)
    {
        if (CheckHolder(start.WorkId, "start", start.NodeId, start.Token, onlyClaimed: true, out var item) is { } refused)
            return refused;
        return WorkCommandResult.Ok(Store(item, item with { Status = WorkStatus.Running, StartedAt = start.At }));
    }

    private WorkCommandResult ApplyComplete(CompleteWork complete)
    {
        if (CheckHolder(complete.WorkId, "complete", complete.NodeId, complete.Token, onlyClaimed: false, out var item) is { } refused)
            return refused;
        return WorkCommandResult.Ok(Store(item, item with
        {
            Status = WorkStatus.Completed,
            Result = (JsonObject?)complete.Result?.DeepClone(),
            CompletedAt = complete.At,
        }));
    }

    private WorkCommandResult ApplyFail(FailWork fail)
    {
        if (fail.Error is null)
            return Invalid("error must be given");
        if (CheckHolder(fail.WorkId, "fail", fail.NodeId, fail.Token, onlyClaimed: false, out var item) is { } refused)
            return refused;
        return WorkCommandResult.Ok(Store(item, Release(item, fail.Error, fail.At)));
    }

    private WorkCommandResult ApplyCancel(CancelWork cancel)
    {
        if (string.IsNullOrEmpty(cancel.WorkId))
            return Invalid($"work_id must be non-empty, got '{cancel.WorkId}'");
        if (!_items.TryGetValue(cancel.WorkId, out var item))
            return WorkCommandResult.Refused(WorkOutcome.NotFound, null, $"work item '{cancel.WorkId}' does not exist");
        if (item.Status is not (WorkStatus.Pending or WorkStatus.Claimed or WorkStatus.Running))
            return WorkCommandResult.Refused(WorkOutcome.InvalidTransition, item, "only pending, claimed or running items can be cancelled");
        return WorkCommandResult.Ok(Store(item, item with { Status = WorkStatus.Cancelled, CompletedAt = cancel.At }));
    }

    private WorkCommandResult ApplyRequeue(RequeueTimedOut requeue)
    {
        var due = new List<WorkItem>();
        foreach (var workId in _active)
        {
            var item = _items[workId];
            var since = item.StartedAt ?? item.ClaimedAt ?? item.CreatedAt;
            if (since + item.TimeoutSeconds <= requeue.At)
                due.Add(item);
        }
        due.Sort((x, y) => string.CompareOrdinal(x.WorkId, y.WorkId)); // ordinal work_id order, like the SQLite sweep
        var changed = new List<WorkItem>(due.Count);
        foreach (var item in due)
            changed.Add(Store(item, Release(item, TimeoutError(item.TimeoutSeconds), requeue.At)));
        return new WorkCommandResult { Outcome = WorkOutcome.Ok, Items = changed };
    }

    /// <summary>The error text stored on a timed-out item (the same as the SQLite queue's).</summary>
    public static string TimeoutError(double timeoutSeconds) =>
        $"timed out after {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private static WorkItem Release(WorkItem item, string error, double at) =>
        item.Attempts < item.MaxAttempts
            ? item with { Status = WorkStatus.Pending, ClaimedBy = null, ClaimedAt = null, StartedAt = null, Error = error }
            : item with { Status = WorkStatus.Failed, CompletedAt = at, Error = error };

    /// <summary>
    /// The refusal for start / complete / fail, or null when allowed. Order: not found; a token that
    /// is not the current claim's (fencing, 409); a status that does not allow the action; a node
    /// that is not the claimant.
    /// </summary>
    private WorkCommandResult? CheckHolder(string workId, string action, string? nodeId, FencingToken? token, bool onlyClaimed, out WorkItem item)
    {
        item = null!;
        if (string.IsNullOrEmpty(workId))
            return Invalid($"work_id must be non-empty, got '{workId}'");
        if (!_items.TryGetValue(workId, out var found))
            return WorkCommandResult.Refused(WorkOutcome.NotFound, null, $"work item '{workId}' does not exist");
        item = found;
        if (token is not null)
        {
            var current = _claims.GetValueOrDefault(workId);
            if (token != current)
            {
                return WorkCommandResult.Refused(WorkOutcome.FencingMismatch, found,
                    $"fencing token {token} is not the current claim's ({current?.ToString() ?? "none"})");
            }
        }
        var allowed = onlyClaimed ? found.Status == WorkStatus.Claimed : IsActive(found.Status);
        if (!allowed)
        {
            return WorkCommandResult.Refused(WorkOutcome.InvalidTransition, found,
                onlyClaimed ? "only claimed items can start" : $"only claimed or running items can {action}");
        }

        if (nodeId is not null && nodeId != found.ClaimedBy)
            return WorkCommandResult.Refused(WorkOutcome.FencingMismatch, found, $"claimed by '{found.ClaimedBy}', not '{nodeId}'");
        return null;
    }

    private static string Name(WorkStatus status) => status.ToString().ToLowerInvariant();
}
