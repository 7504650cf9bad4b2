using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The job runner's view of the cluster work queue: the items placed on this node and their
/// transitions. The node implements it over the queue (leader) or over HTTP to the leader
/// (followers); tests implement it in memory.
/// </summary>
/// <remarks>
/// Transitions name the node so the queue refuses them once the item is no longer this node's
/// (requeued, re-claimed elsewhere, cancelled): such refusals surface as
/// <see cref="WorkConflictException"/> or <see cref="WorkNotFoundException"/>, and the runner then
/// stops its process. Transport failures surface as any other exception and are retried.
/// </remarks>
public interface IRunnerWorkPort
{
    /// <summary>Items in status claimed or running whose claimed_by is <paramref name="nodeId"/>.</summary>
    Task<IReadOnlyList<WorkItem>> GetAssignedAsync(string nodeId, CancellationToken ct);

    /// <summary>Pull mode: claims the best pending item of one of <paramref name="types"/> for this node; null when none.</summary>
    Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType> types, CancellationToken ct);

    Task StartAsync(string workId, string nodeId, CancellationToken ct);

    Task CompleteAsync(string workId, string nodeId, JsonObject result, CancellationToken ct);

    Task FailAsync(string workId, string nodeId, string error, CancellationToken ct);
}
