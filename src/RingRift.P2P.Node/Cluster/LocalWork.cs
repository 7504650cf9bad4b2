using System.Diagnostics;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Metrics;
using RingRift.P2P.Notifications;
using RingRift.P2P.Raft;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// The work API's semantics on the queue this node holds: the Raft queue (fenced claims, client
/// command ids) while the coordinator is on Raft, else the quorum-replicated SQLite queue (which
/// issues no tokens: a token sent to it is ignored and the node id, when given, is checked).
/// <see cref="ClusterWork"/> calls it only once <see cref="WorkRouter"/> has decided this node serves.
/// </summary>
public sealed class LocalWork(ConsensusSwitch coordinator, RaftService raft, QuorumWorkQueue quorum,
    LeaderWorkGate gate, TrainingLoop training, ClusterEvents events, NodeOptions options, QueueMetrics metrics)
{
    private const int ListScanLimit = 10_000;

    /// <summary>The Raft queue when it serves now, else null.</summary>
    private ReplicatedWorkQueue? Raft => coordinator.Path == ConsensusPath.Raft ? raft.Queue : null;

    /// <summary>The queue serving reads and the operator paths.</summary>
    private IWorkQueue Queue => Raft ?? (IWorkQueue)quorum;

    public async Task<WorkItem> AddAsync(NewWork work, string? commandId, CancellationToken ct)
    {
        var added = Raft is { } q ? (await q.AddWorkAsync(work, commandId, ct)).Item! : await quorum.AddWorkAsync(work, ct);
        metrics.Added(added);
        return added;
    }

    public async Task<ClaimedWork?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, string? commandId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        ClaimedWork? claimed;
        if (Raft is not { } q)
        {
            claimed = await quorum.ClaimNextAsync(nodeId, capabilities, ct) is { } item ? new ClaimedWork(item, null) : null;
        }
        else
        {
            var result = await q.ClaimNextFencedAsync(nodeId, capabilities, commandId, ct);
            claimed = result.Item is { } item ? new ClaimedWork(item, result.Token?.ToString()) : null;
        }
        metrics.Claim(started, claimed is not null);
        return claimed;
    }

    public async Task<WorkClaim> ClaimAsync(string workId, string nodeId, string? commandId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        WorkClaim claim;
        if (Raft is not { } q)
        {
            claim = new WorkClaim(await quorum.ClaimWorkAsync(workId, nodeId, ct), null);
        }
        else
        {
            var result = await q.ClaimWorkFencedAsync(workId, nodeId, commandId, ct);
            claim = new WorkClaim(result.Claimed, result.Token?.ToString());
        }
        metrics.Claim(started, claim.Claimed);
        return claim;
    }

    /// <summary>
    /// Transitions made without proof of the claim (no fencing token while Raft serves, no node id while
    /// SQLite serves) since this node started serving: allowed unless <c>RINGRIFT_WORK_REQUIRE_FENCING</c>.
    /// </summary>
    public long UnfencedTransitions => Interlocked.Read(ref _unfenced);

    private long _unfenced;

    public Task<WorkItem> StartAsync(string workId, string? nodeId, string? token, string? commandId, CancellationToken ct)
    {
        if (Raft is { } q)
            return FencedAsync(q, workId, nodeId, token, "start", (id, at, fence) => new StartWork(id, at, workId, nodeId, fence), commandId, ct);
        CheckProof(nodeId, "node_id", "start");
        return quorum.StartWorkAsync(workId, nodeId, ct);
    }

    public async Task<WorkItem> CompleteAsync(string workId, JsonObject? result, string? nodeId, string? token, string? commandId, CancellationToken ct)
    {
        WorkItem completed;
        if (Raft is { } q)
        {
            completed = await FencedAsync(q, workId, nodeId, token, "complete", (id, at, fence) => new CompleteWork(id, at, workId, result, nodeId, fence), commandId, ct);
        }
        else
        {
            CheckProof(nodeId, "node_id", "complete");
            completed = await quorum.CompleteWorkAsync(workId, result, nodeId, ct);
        }
        metrics.Completed(completed);
        return completed;
    }

    public async Task<WorkItem> FailAsync(string workId, string error, string? nodeId, string? token, string? commandId, CancellationToken ct)
    {
        WorkItem failed;
        if (Raft is { } q)
        {
            failed = await FencedAsync(q, workId, nodeId, token, "fail", (id, at, fence) => new FailWork(id, at, workId, error, nodeId, fence), commandId, ct);
        }
        else
        {
            CheckProof(nodeId, "node_id", "fail");
            failed = await quorum.FailWorkAsync(workId, error, nodeId, ct);
        }
        metrics.Failed(failed);
        return failed;
    }

    /// <summary>
    /// A transition without <paramref name="proof"/> acts for whoever holds the claim (the original's
    /// workers send no proof): counted, or refused when the operator requires fencing.
    /// </summary>
    private void CheckProof(string? proof, string field, string action)
    {
        if (proof is not null) return;
        if (options.Config.WorkRequireFencing)
            throw ApiException.BadRequest("MISSING_FIELD", $"{field} is required to {action} work (RINGRIFT_WORK_REQUIRE_FENCING=true)");
        Interlocked.Increment(ref _unfenced);
    }

    public Task<WorkItem> CancelAsync(string workId, CancellationToken ct) => Queue.CancelWorkAsync(workId, ct);

    public async Task<ClaimedWork?> GetAsync(string workId, CancellationToken ct)
    {
        if (Raft is not { } q) return await quorum.GetWorkAsync(workId, ct) is { } item ? new ClaimedWork(item, null) : null;
        var (found, token) = await q.GetWorkWithTokenAsync(workId, ct);
        return found is null ? null : new ClaimedWork(found, token?.ToString());
    }

    public async Task<IReadOnlyList<WorkItem>> ListAsync(WorkStatus? status, int limit, string? claimedBy, CancellationToken ct)
    {
        if (claimedBy is null) return await Queue.ListWorkAsync(status, limit, ct);
        // One node's items: filtered from the newest 10,000 of the status, then cut to the limit.
        return (await Queue.ListWorkAsync(status, ListScanLimit, ct)).Where(i => i.ClaimedBy == claimedBy).Take(limit).ToList();
    }

    public Task<QueueStats> GetStatsAsync(CancellationToken ct) => Queue.GetQueueStatsAsync(ct);

    public async Task<TrainingStatusResponse> GetTrainingAsync(CancellationToken ct)
    {
        var snapshot = training.Latest ?? (gate.ServingQueue() is { } queue ? await training.EvaluateAsync(queue, ct) : null);
        return new TrainingStatusResponse(options.NodeId, snapshot, events.Counters, events.Recent.TakeLast(20).ToArray());
    }

    public Task<EventsResponse> GetEventsAsync(int limit, CancellationToken ct) =>
        Task.FromResult(new EventsResponse(options.NodeId, events.Counters, events.Recent.TakeLast(EventsApi.CheckLimit(limit)).ToArray()));

    /// <summary>
    /// Start / complete / fail on the Raft queue: a token that is not the current claim's, or a node id
    /// that is not the claimant, → 409 FENCING_MISMATCH; neither is an unfenced transition (see <see cref="CheckProof"/>).
    /// </summary>
    private async Task<WorkItem> FencedAsync(ReplicatedWorkQueue queue, string workId, string? nodeId, string? tokenText, string action,
        Func<string, double, FencingToken?, WorkCommand> build, string? commandId, CancellationToken ct)
    {
        FencingToken? token = null;
        if (tokenText is not null && !FencingToken.TryParse(tokenText, out token))
            throw ApiException.BadRequest("INVALID_FIELD", $"fencing_token must be 'term.index' or 'term.index.slot' (as returned by the claim), got '{tokenText}'");
        CheckProof(options.Config.WorkRequireFencing ? tokenText : tokenText ?? nodeId, "fencing_token", action);
        var result = await queue.SubmitAsync(build(commandId ?? WorkCommand.NewCommandId(), queue.Log.UnixNow(), token), ct);
        return result.Outcome switch
        {
            WorkOutcome.Ok => result.Item!,
            WorkOutcome.FencingMismatch => throw new ApiException(StatusCodes.Status409Conflict, "FENCING_MISMATCH", result.Message ?? $"the claim of '{workId}' has changed"),
            _ => throw result.ToException(workId, action)!,
        };
    }
}
