using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Sqlite.Tests.Scheduling;

/// <summary>
/// A real queue with hooks that run just before a claim or a fail reaches it, so a test can make
/// another actor win a race (or the call throw) at an exact point.
/// </summary>
internal sealed class InterceptingWorkQueue(IWorkQueue inner) : IWorkQueue
{
    public Func<string, string, Task>? BeforeClaim { get; set; }
    public Func<string, string?, Task>? BeforeFail { get; set; }

    public async Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default)
    {
        if (BeforeClaim is { } hook) await hook(workId, nodeId);
        return await inner.ClaimWorkAsync(workId, nodeId, ct);
    }

    public async Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default)
    {
        if (BeforeFail is { } hook) await hook(workId, nodeId);
        return await inner.FailWorkAsync(workId, error, nodeId, ct);
    }

    public Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default) => inner.AddWorkAsync(work, ct);
    public Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default) => inner.ClaimNextAsync(nodeId, capabilities, ct);
    public Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default) => inner.StartWorkAsync(workId, nodeId, ct);
    public Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default) => inner.CompleteWorkAsync(workId, result, nodeId, ct);
    public Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default) => inner.CancelWorkAsync(workId, ct);
    public Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default) => inner.GetWorkAsync(workId, ct);
    public Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default) => inner.ListWorkAsync(status, limit, ct);
    public Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default) => inner.GetQueueStatsAsync(ct);
    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default) => inner.RequeueTimedOutAsync(ct);
}
