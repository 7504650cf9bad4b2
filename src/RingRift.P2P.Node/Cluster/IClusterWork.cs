using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Api;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// Cluster/ holds the one seam to the cluster work queue: this port, the router that decides who serves, the leader gate and the forwarding client.
/// The cluster's work queue as seen from inside one node: every operation of the work API, served
/// here when this node holds the queue (the Bully leader that has taken the SQLite queue over, or the
/// Raft leader) and forwarded to the leader otherwise. The HTTP work routes, the job runner, model
/// sync, the leader's loops, the migrators and embedding programs all go through it, so none of them
/// needs to know who leads.
/// </summary>
/// <remarks>
/// Refusals carry the HTTP API's status and code as an <see cref="ApiException"/> (503 NO_LEADER,
/// 409 FENCING_MISMATCH, ...), or the queue's own exception when this node serves
/// (<see cref="WorkNotFoundException"/>, <see cref="WorkConflictException"/>,
/// <see cref="DuplicateWorkException"/>), which the API maps to the same codes. Calls that could not
/// reach a leader are retried by the <c>cluster-work</c> pipeline (see <see cref="ClusterWorkPolicy"/>).
/// </remarks>
public interface IClusterWork
{
    /// <summary>The queue this node serves right now, or null: for the leader's own loops, which act only while it serves.</summary>
    IWorkQueue? ServingQueue();

    /// <summary>Adds work; with a <paramref name="commandId"/> a retry is applied once while Raft serves.</summary>
    Task<WorkItem> AddAsync(NewWork work, string? commandId = null, CancellationToken ct = default);

    /// <summary>Claims the best pending item for <paramref name="nodeId"/> (of <paramref name="capabilities"/>, when given); null when none.</summary>
    Task<ClaimedWork?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities = null, string? commandId = null, CancellationToken ct = default);

    /// <summary>Claims one item by id for <paramref name="nodeId"/>.</summary>
    Task<WorkClaim> ClaimAsync(string workId, string nodeId, string? commandId = null, CancellationToken ct = default);

    /// <summary>claimed → running. While Raft serves, <paramref name="fencingToken"/> or <paramref name="nodeId"/> is required.</summary>
    Task<WorkItem> StartAsync(string workId, string? nodeId = null, string? fencingToken = null, string? commandId = null, CancellationToken ct = default);

    Task<WorkItem> CompleteAsync(string workId, JsonObject? result, string? nodeId = null, string? fencingToken = null, string? commandId = null, CancellationToken ct = default);

    /// <summary>Fails one attempt: the item goes back to pending while attempts are left, else to failed.</summary>
    Task<WorkItem> FailAsync(string workId, string error, string? nodeId = null, string? fencingToken = null, string? commandId = null, CancellationToken ct = default);

    Task<WorkItem> CancelAsync(string workId, CancellationToken ct = default);

    /// <summary>The item and, while Raft serves and it is claimed or running, its fencing token; null when there is no such item.</summary>
    Task<ClaimedWork?> GetAsync(string workId, CancellationToken ct = default);

    /// <summary>Newest first, at most <paramref name="limit"/> (1–10,000); with <paramref name="claimedBy"/>, one node's items among the newest 10,000.</summary>
    Task<IReadOnlyList<WorkItem>> ListAsync(WorkStatus? status = null, int limit = 1000, string? claimedBy = null, CancellationToken ct = default);

    Task<QueueStats> GetStatsAsync(CancellationToken ct = default);

    /// <summary>The leader's training state (every board config, champions, recent events), as <c>GET /training/status</c> shows it.</summary>
    Task<TrainingStatusResponse> GetTrainingAsync(CancellationToken ct = default);

    /// <summary>The leader's latest cluster events, oldest first, at most <paramref name="limit"/> (1–100), as <c>GET /events</c> shows them.</summary>
    Task<EventsResponse> GetEventsAsync(int limit = EventsApi.DefaultLimit, CancellationToken ct = default);
}

/// <summary>A work item and, while Raft serves and it is claimed or running, its fencing token.</summary>
public sealed record ClaimedWork(WorkItem Item, string? FencingToken);

/// <summary>Whether a claim by id succeeded, and its fencing token while Raft serves.</summary>
public sealed record WorkClaim(bool Claimed, string? FencingToken);
