using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// The queue this node serves right now (Raft or SQLite, see <see cref="IClusterWork.ServingQueue"/>),
/// for leader-side components built once at start-up that take an <see cref="IWorkQueue"/>; every call
/// throws <see cref="NotLeaderException"/> while the node does not serve.
/// </summary>
public sealed class LeaderQueueView(IClusterWork work) : IWorkQueue
{
    private IWorkQueue Queue => work.ServingQueue() ?? throw new NotLeaderException("this node does not serve the work queue right now");

    public Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default) => Queue.AddWorkAsync(work, ct);
    public Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default) => Queue.ClaimWorkAsync(workId, nodeId, ct);
    public Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default) => Queue.ClaimNextAsync(nodeId, capabilities, ct);
    public Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default) => Queue.StartWorkAsync(workId, nodeId, ct);
    public Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default) => Queue.CompleteWorkAsync(workId, result, nodeId, ct);
    public Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default) => Queue.FailWorkAsync(workId, error, nodeId, ct);
    public Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default) => Queue.CancelWorkAsync(workId, ct);
    public Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default) => Queue.GetWorkAsync(workId, ct);
    public Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default) => Queue.ListWorkAsync(status, limit, ct);
    public Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default) => Queue.GetQueueStatsAsync(ct);
    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default) => Queue.RequeueTimedOutAsync(ct);
}
