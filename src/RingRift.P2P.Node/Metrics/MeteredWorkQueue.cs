using System.Diagnostics;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// The serving queue as the leader's own loops use it (training adds, dispatch claims, dead-node requeues, through
/// <see cref="Cluster.LeaderWorkGate"/>), counting what they do in <see cref="QueueMetrics"/>; calls from the HTTP
/// routes are counted where they are served (<see cref="Cluster.LocalWork"/>), so nothing is counted twice.
/// </summary>
public sealed class MeteredWorkQueue(IWorkQueue inner, QueueMetrics metrics) : IWorkQueue
{
    /// <summary>The queue measured.</summary>
    public IWorkQueue Inner => inner;

    public async Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default)
    {
        var added = await inner.AddWorkAsync(work, ct).ConfigureAwait(false);
        metrics.Added(added);
        return added;
    }

    public async Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var claimed = await inner.ClaimWorkAsync(workId, nodeId, ct).ConfigureAwait(false);
        metrics.Claim(started, claimed);
        return claimed;
    }

    public async Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        var claimed = await inner.ClaimNextAsync(nodeId, capabilities, ct).ConfigureAwait(false);
        metrics.Claim(started, claimed is not null);
        return claimed;
    }

    public Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default) => inner.StartWorkAsync(workId, nodeId, ct);

    public async Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default)
    {
        var completed = await inner.CompleteWorkAsync(workId, result, nodeId, ct).ConfigureAwait(false);
        metrics.Completed(completed);
        return completed;
    }

    public async Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default)
    {
        var failed = await inner.FailWorkAsync(workId, error, nodeId, ct).ConfigureAwait(false);
        metrics.Failed(failed);
        return failed;
    }

    public Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default) => inner.CancelWorkAsync(workId, ct);
    public Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default) => inner.GetWorkAsync(workId, ct);
    public Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default) => inner.ListWorkAsync(status, limit, ct);
    public Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default) => inner.GetQueueStatsAsync(ct);

    public async Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default)
    {
        var timedOut = await inner.RequeueTimedOutAsync(ct).ConfigureAwait(false);
        metrics.TimedOut(timedOut);
        return timedOut;
    }
}
