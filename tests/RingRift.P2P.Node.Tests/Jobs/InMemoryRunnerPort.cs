using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>
/// A work queue for one runner, in memory, with the transition rules the real queue applies to a
/// node (a transition on an item that is not this node's is refused). Records every call.
/// </summary>
internal sealed class InMemoryRunnerPort : IRunnerWorkPort
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkItem> _items = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];
    private int _reportFailuresLeft;
    private int _reportFailures;

    /// <summary>The next <paramref name="count"/> complete / fail calls fail as a lost connection would, before touching the item.</summary>
    public void FailNextReports(int count)
    {
        lock (_gate) _reportFailuresLeft = count;
    }

    /// <summary>Complete / fail calls that failed that way so far.</summary>
    public int ReportFailures { get { lock (_gate) return _reportFailures; } }

    private void MaybeFailReport()
    {
        lock (_gate)
        {
            if (_reportFailuresLeft == 0) return;
            _reportFailuresLeft--;
            _reportFailures++;
        }
        throw new HttpRequestException("connection reset (injected)");
    }

    /// <summary>"start id", "complete id", "fail id", in order.</summary>
    public IReadOnlyList<string> Calls { get { lock (_gate) return _calls.ToArray(); } }

    public WorkItem Add(WorkItem item)
    {
        lock (_gate) _items[item.WorkId] = item;
        return item;
    }

    public WorkItem Get(string workId)
    {
        lock (_gate) return _items[workId];
    }

    /// <summary>The leader requeued or cancelled it: the runner no longer sees it as its own.</summary>
    public void Revoke(string workId)
    {
        lock (_gate) _items[workId] = _items[workId] with { Status = WorkStatus.Cancelled };
    }

    public Task<IReadOnlyList<WorkItem>> GetAssignedAsync(string nodeId, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<WorkItem> mine = _items.Values
                .Where(i => i.ClaimedBy == nodeId && i.Status is WorkStatus.Claimed or WorkStatus.Running).ToArray();
            return Task.FromResult(mine);
        }
    }

    public Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType> types, CancellationToken ct)
    {
        lock (_gate)
        {
            var next = _items.Values.Where(i => i.Status == WorkStatus.Pending && types.Contains(i.WorkType))
                .OrderByDescending(i => i.Priority).ThenBy(i => i.WorkId, StringComparer.Ordinal).FirstOrDefault();
            if (next is null) return Task.FromResult<WorkItem?>(null);
            var claimed = next with { Status = WorkStatus.Claimed, ClaimedBy = nodeId, Attempts = next.Attempts + 1 };
            _items[next.WorkId] = claimed;
            _calls.Add($"claim {next.WorkId}");
            return Task.FromResult<WorkItem?>(claimed);
        }
    }

    public Task StartAsync(string workId, string nodeId, CancellationToken ct)
    {
        lock (_gate)
        {
            var item = Mine(workId, nodeId, "start", WorkStatus.Claimed);
            _items[workId] = item with { Status = WorkStatus.Running };
            _calls.Add($"start {workId}");
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string workId, string nodeId, JsonObject result, CancellationToken ct)
    {
        MaybeFailReport();
        lock (_gate)
        {
            var item = Mine(workId, nodeId, "complete", WorkStatus.Claimed, WorkStatus.Running);
            _items[workId] = item with { Status = WorkStatus.Completed, Result = result };
            _calls.Add($"complete {workId}");
        }
        return Task.CompletedTask;
    }

    public Task FailAsync(string workId, string nodeId, string error, CancellationToken ct)
    {
        MaybeFailReport();
        lock (_gate)
        {
            var item = Mine(workId, nodeId, "fail", WorkStatus.Claimed, WorkStatus.Running);
            _items[workId] = item with { Status = WorkStatus.Failed, Error = error };
            _calls.Add($"fail {workId}");
        }
        return Task.CompletedTask;
    }

    private WorkItem Mine(string workId, string nodeId, string action, params WorkStatus[] allowed)
    {
        if (!_items.TryGetValue(workId, out var item)) throw new WorkNotFoundException(workId);
        if (item.ClaimedBy != nodeId || !allowed.Contains(item.Status)) throw new WorkConflictException(workId, action, item.Status);
        return item;
    }
}
