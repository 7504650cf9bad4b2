using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;

namespace RingRift.P2P.Sqlite;

public sealed partial class SqliteWorkQueue
{
    /// <summary>claimed → running, started_at = now. <paramref name="nodeId"/>, when given, must be the claimant.</summary>
    /// <exception cref="WorkNotFoundException">No item has this id.</exception>
    /// <exception cref="WorkConflictException">Not claimed, or claimed by another node.</exception>
    public Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default) =>
        ChangeAsync(workId, (item, now) => WorkTransitions.Start(item, nodeId, now), ct);

    /// <summary>claimed | running → completed, storing <paramref name="result"/> and completed_at = now.</summary>
    /// <exception cref="WorkNotFoundException">No item has this id.</exception>
    /// <exception cref="WorkConflictException">Not claimed or running, or claimed by another node.</exception>
    public Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default) =>
        ChangeAsync(workId, (item, now) => WorkTransitions.Complete(item, result, nodeId, now), ct);

    /// <summary>
    /// claimed | running → pending when attempts &lt; max_attempts (claimed_by, claimed_at and
    /// started_at cleared), else failed with completed_at = now; the error is kept either way.
    /// </summary>
    /// <exception cref="WorkNotFoundException">No item has this id.</exception>
    /// <exception cref="WorkConflictException">Not claimed or running, or claimed by another node.</exception>
    public Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return ChangeAsync(workId, (item, now) => WorkTransitions.Fail(item, error, nodeId, now), ct, mayFailDependents: true);
    }

    /// <summary>pending | claimed | running → cancelled with completed_at = now.</summary>
    /// <exception cref="WorkNotFoundException">No item has this id.</exception>
    /// <exception cref="WorkConflictException">Already completed, failed or cancelled.</exception>
    public Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default) =>
        ChangeAsync(workId, WorkTransitions.Cancel, ct, mayFailDependents: true);

    /// <summary>
    /// Puts claimed / running items with (started_at ?? claimed_at) + timeout_seconds &lt;= now back
    /// to pending, or to failed when attempts are used up, with error "timed out after {timeout}s".
    /// </summary>
    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default) => RequeueTimedOutAsync(null, ct);

    /// <summary>As <see cref="RequeueTimedOutAsync(CancellationToken)"/>, with <paramref name="asOf"/> (Unix seconds) as now.</summary>
    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(double asOf, CancellationToken ct = default) => RequeueTimedOutAsync((double?)asOf, ct);

    private Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(double? asOf, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<WorkItem>>(() =>
        {
            var now = asOf ?? Now();
            var due = _commands.DueForTimeout;
            due.Parameters["$now"].Value = now;
            var changed = new List<WorkItem>();
            foreach (var item in WorkItemRow.ReadAll(due))
                changed.Add(WriteChanged(WorkTransitions.TimeOut(item, now)));
            return changed;
        }, ct, multiStatement: true);

    /// <summary>Reads the item, applies <paramref name="change"/> (which may throw a conflict) and stores the result, in one write command.</summary>
    /// <remarks>
    /// A failure or cancel may fail the items waiting on it too, several statements that must stand or
    /// fall together: those run under a savepoint (<paramref name="mayFailDependents"/>); start and
    /// complete are one UPDATE (its triggers included), which SQLite undoes by itself.
    /// </remarks>
    private Task<WorkItem> ChangeAsync(string workId, Func<WorkItem, double, WorkItem> change, CancellationToken ct, bool mayFailDependents = false)
    {
        ArgumentNullException.ThrowIfNull(workId);
        return WriteAsync(() =>
        {
            var select = _commands.SelectById;
            select.Parameters["$work_id"].Value = workId;
            var current = WorkItemRow.ReadSingle(select) ?? throw new WorkNotFoundException(workId);
            return WriteChanged(change(current, Now()));
        }, ct, multiStatement: mayFailDependents);
    }

    /// <summary>
    /// Stamps the next version on <paramref name="item"/> and overwrites its row; when it has just failed
    /// for good or been cancelled, every pending item waiting on it fails too (and so on down the chain,
    /// in work id order), each remembered for <see cref="DrainSettled"/>. Call from a write command.
    /// </summary>
    private WorkItem WriteChanged(WorkItem item)
    {
        var versioned = item with { Version = NextVersion() };
        WorkItemRow.Bind(_commands.Update, versioned);
        _commands.Update.ExecuteNonQuery();
        if (versioned.Status is WorkStatus.Failed or WorkStatus.Cancelled)
        {
            var waiting = _commands.WaitingOn;
            waiting.Parameters["$work_id"].Value = versioned.WorkId;
            var why = versioned.Status == WorkStatus.Failed ? "failed" : "was cancelled";
            foreach (var dependent in WorkItemRow.ReadAll(waiting))
            {
                _settling.Add(WriteChanged(dependent with { Status = WorkStatus.Failed, CompletedAt = versioned.CompletedAt, Error = $"dependency '{versioned.WorkId}' {why}" }));
            }
        }
        return versioned;
    }

    /// <summary>
    /// Items failed because a dependency failed or was cancelled, since the last call: the quorum
    /// queue replicates them with the change that caused them.
    /// </summary>
    public IReadOnlyList<WorkItem> DrainSettled()
    {
        if (_settled.IsEmpty) return [];
        var items = new List<WorkItem>();
        while (_settled.TryDequeue(out var item)) items.Add(item);
        return items;
    }
}
