using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Raft;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// The work routes' semantics on whichever queue serves: the Raft queue (fenced claims, client
/// command ids) while the coordinator is on Raft, else the quorum-replicated SQLite queue (which
/// issues no tokens: a token sent to it is ignored and the node id, when given, is checked).
/// </summary>
public sealed class ClusterWorkService(HybridCoordinator coordinator, RaftService raft, QuorumWorkQueue quorum)
{
    /// <summary>The Raft queue when it serves now, else null.</summary>
    public ReplicatedWorkQueue? Raft => coordinator.Path == ConsensusPath.Raft ? raft.Queue : null;

    /// <summary>The queue serving reads and the operator paths.</summary>
    public IWorkQueue Queue => Raft ?? (IWorkQueue)quorum;

    public async Task<WorkItem> AddAsync(NewWork work, string? commandId, CancellationToken ct)
    {
        if (Raft is { } q) return (await q.AddWorkAsync(work, commandId, ct)).Item!;
        return await quorum.AddWorkAsync(work, ct);
    }

    public async Task<(WorkItem? Item, string? Token)> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, string? commandId, CancellationToken ct)
    {
        if (Raft is not { } q) return (await quorum.ClaimNextAsync(nodeId, capabilities, ct), null);
        var result = await q.ClaimNextFencedAsync(nodeId, capabilities, commandId, ct);
        return (result.Item, result.Token?.ToString());
    }

    public async Task<(bool Claimed, string? Token)> ClaimAsync(string workId, string nodeId, string? commandId, CancellationToken ct)
    {
        if (Raft is not { } q) return (await quorum.ClaimWorkAsync(workId, nodeId, ct), null);
        var result = await q.ClaimWorkFencedAsync(workId, nodeId, commandId, ct);
        return (result.Claimed, result.Token?.ToString());
    }

    public Task<WorkItem> StartAsync(string workId, string? nodeId, string? token, string? commandId, CancellationToken ct) =>
        Raft is { } q
            ? FencedAsync(q, workId, nodeId, token, "start", (id, at, fence) => new StartWork(id, at, workId, nodeId, fence), commandId, ct)
            : quorum.StartWorkAsync(workId, nodeId, ct);

    public Task<WorkItem> CompleteAsync(string workId, JsonObject? result, string? nodeId, string? token, string? commandId, CancellationToken ct) =>
        Raft is { } q
            ? FencedAsync(q, workId, nodeId, token, "complete", (id, at, fence) => new CompleteWork(id, at, workId, result, nodeId, fence), commandId, ct)
            : quorum.CompleteWorkAsync(workId, result, nodeId, ct);

    public Task<WorkItem> FailAsync(string workId, string error, string? nodeId, string? token, string? commandId, CancellationToken ct) =>
        Raft is { } q
            ? FencedAsync(q, workId, nodeId, token, "fail", (id, at, fence) => new FailWork(id, at, workId, error, nodeId, fence), commandId, ct)
            : quorum.FailWorkAsync(workId, error, nodeId, ct);

    /// <summary>The item and, while Raft serves and it is claimed or running, its fencing token.</summary>
    public async Task<(WorkItem? Item, string? Token)> GetAsync(string workId, CancellationToken ct)
    {
        if (Raft is not { } q) return (await quorum.GetWorkAsync(workId, ct), null);
        var (item, token) = await q.GetWorkWithTokenAsync(workId, ct);
        return (item, token?.ToString());
    }

    /// <summary>
    /// Start / complete / fail on the Raft queue: a fencing token or a node id is required (a
    /// token that is not the current claim's → 409 FENCING_MISMATCH).
    /// </summary>
    private static async Task<WorkItem> FencedAsync(ReplicatedWorkQueue queue, string workId, string? nodeId, string? tokenText, string action,
        Func<string, double, FencingToken?, WorkCommand> build, string? commandId, CancellationToken ct)
    {
        FencingToken? token = null;
        if (tokenText is not null && !FencingToken.TryParse(tokenText, out token))
            throw ApiException.BadRequest("INVALID_FIELD", $"fencing_token must be 'term.index' or 'term.index.slot' (as returned by the claim), got '{tokenText}'");
        if (token is null && nodeId is null)
            throw ApiException.BadRequest("MISSING_FIELD", $"fencing_token (or node_id) is required to {action} work while Raft serves the queue");
        var result = await queue.SubmitAsync(build(commandId ?? WorkCommand.NewCommandId(), queue.Log.UnixNow(), token), ct);
        return result.Outcome switch
        {
            WorkOutcome.Ok => result.Item!,
            WorkOutcome.FencingMismatch => throw new ApiException(StatusCodes.Status409Conflict, "FENCING_MISMATCH", result.Message ?? $"the claim of '{workId}' has changed"),
            _ => throw result.ToException(workId, action)!,
        };
    }
}
