using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Sqlite;

/// <summary>
/// The work item state machine as pure functions: each takes the stored item and the time and
/// returns the changed item (version untouched), or throws <see cref="WorkConflictException"/>.
/// </summary>
/// <remarks>
/// pending → claimed → running → completed | failed | cancelled. Fail and time-out return the item
/// to pending while <c>attempts &lt; max_attempts</c> (claim fields cleared, error kept) and make
/// it failed after that (<c>completed_at</c> set). Claims themselves run as one SQL statement.
/// </remarks>
internal static class WorkTransitions
{
    /// <summary>claimed → running; <paramref name="nodeId"/>, when given, must hold the claim.</summary>
    public static WorkItem Start(WorkItem item, string? nodeId, double now)
    {
        if (item.Status != WorkStatus.Claimed)
            throw new WorkConflictException(item.WorkId, "start", item.Status, "only claimed items can start");
        EnsureHolder(item, "start", nodeId);
        return item with { Status = WorkStatus.Running, StartedAt = now };
    }

    /// <summary>claimed | running → completed with a copy of <paramref name="result"/>.</summary>
    public static WorkItem Complete(WorkItem item, JsonObject? result, string? nodeId, double now)
    {
        if (!IsActive(item.Status))
            throw new WorkConflictException(item.WorkId, "complete", item.Status, "only claimed or running items can complete");
        EnsureHolder(item, "complete", nodeId);
        return item with { Status = WorkStatus.Completed, Result = (JsonObject?)result?.DeepClone(), CompletedAt = now };
    }

    /// <summary>claimed | running → pending (attempts left) or failed (none left), keeping <paramref name="error"/>.</summary>
    public static WorkItem Fail(WorkItem item, string error, string? nodeId, double now)
    {
        if (!IsActive(item.Status))
            throw new WorkConflictException(item.WorkId, "fail", item.Status, "only claimed or running items can fail");
        EnsureHolder(item, "fail", nodeId);
        return Release(item, error, now);
    }

    /// <summary>pending | claimed | running → cancelled (<c>completed_at</c> set); finished items conflict.</summary>
    public static WorkItem Cancel(WorkItem item, double now)
    {
        if (item.Status is not (WorkStatus.Pending or WorkStatus.Claimed or WorkStatus.Running))
            throw new WorkConflictException(item.WorkId, "cancel", item.Status, "only pending, claimed or running items can be cancelled");
        return item with { Status = WorkStatus.Cancelled, CompletedAt = now };
    }

    /// <summary>A timed-out item goes back like a failure, with error "timed out after {timeout}s".</summary>
    public static WorkItem TimeOut(WorkItem item, double now) =>
        Release(item, TimeoutError(item.TimeoutSeconds), now);

    /// <summary>The error text stored on a timed-out item.</summary>
    public static string TimeoutError(double timeoutSeconds) =>
        $"timed out after {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private static WorkItem Release(WorkItem item, string error, double now) =>
        item.Attempts < item.MaxAttempts
            ? item with { Status = WorkStatus.Pending, ClaimedBy = null, ClaimedAt = null, StartedAt = null, Error = error }
            : item with { Status = WorkStatus.Failed, CompletedAt = now, Error = error };

    private static bool IsActive(WorkStatus status) => status is WorkStatus.Claimed or WorkStatus.Running;

    private static void EnsureHolder(WorkItem item, string action, string? nodeId)
    {
        if (nodeId is null || nodeId == item.ClaimedBy)
            return; // no node named, or the claimant itself
        throw new WorkConflictException(item.WorkId, action, item.Status, $"claimed by '{item.ClaimedBy}', not '{nodeId}'");
    }
}
