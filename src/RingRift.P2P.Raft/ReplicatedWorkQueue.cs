using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Raft;

/// <summary>
/// The work queue replicated by Raft: every change is a command in the log, decided by log order
/// (of two concurrent claims of one item exactly one wins). Writes must run on the leader (others
/// get <see cref="NotRaftLeaderException"/> naming the leader); reads are linearizable on any member.
/// Beyond <see cref="IWorkQueue"/>, the <c>…FencedAsync</c> methods return and check fencing tokens and
/// take client command ids, so a caller's retry after a lost answer is applied at most once.
/// </summary>
public sealed class ReplicatedWorkQueue(IWorkCommandLog log) : IWorkQueue
{
    /// <summary>The log this queue writes to (a <see cref="RaftNode"/> in production).</summary>
    public IWorkCommandLog Log { get; } = log;

    /// <summary>
    /// The seed's factory: starts a Raft member and returns its queue. <paramref name="onReady"/> runs
    /// once a leader is known and this node has caught up; <paramref name="onLeaderChange"/> with each
    /// new leader's node id (null while none). Dispose the returned node's <see cref="RaftNode"/> to stop.
    /// </summary>
    public static async Task<ReplicatedWorkQueue> CreateAsync(RaftNodeOptions options, Action? onReady = null,
        Action<string?>? onLeaderChange = null, CancellationToken ct = default)
    {
        var node = await RaftNode.StartAsync(options, ct).ConfigureAwait(false);
        if (onReady is not null) node.Ready += onReady;
        if (onLeaderChange is not null) node.LeaderChanged += onLeaderChange;
        return new ReplicatedWorkQueue(node);
    }

    /// <summary>
    /// <see cref="CreateAsync(RaftNodeOptions, Action?, Action{string?}?, CancellationToken)"/> with the seed's
    /// arguments: <paramref name="self"/> is this node's "host:port" and must be in <paramref name="members"/>.
    /// </summary>
    public static Task<ReplicatedWorkQueue> CreateAsync(string nodeId, string self, IReadOnlyList<string> members, string dataDir,
        Action? onReady = null, Action<string?>? onLeaderChange = null, CancellationToken ct = default) =>
        CreateAsync(new RaftNodeOptions
        {
            NodeId = nodeId,
            PublicEndPoint = RaftEndPoints.Parse(self, "raft self address"),
            Members = members.Select(m => RaftEndPoints.Parse(m, "raft member")).ToList(),
            DataDir = dataDir,
        }, onReady, onLeaderChange, ct);

    /// <summary>The Raft node behind this queue, when it is one.</summary>
    public RaftNode? Node => Log as RaftNode;

    private double Now() => Log.UnixNow();


    public async Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default) =>
        (await AddWorkAsync(work, null, ct).ConfigureAwait(false)).Item!;

    /// <summary>Adds work under a client command id (a retry with the same id returns the first outcome).</summary>
    public async Task<WorkCommandResult> AddWorkAsync(NewWork work, string? commandId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        work.Validate();
        var withId = work with { WorkId = work.WorkId ?? "w-" + Guid.NewGuid().ToString("N"), Config = work.Config?.DeepClone().AsObject() };
        var result = await SubmitAsync(new AddWork(commandId ?? WorkCommand.NewCommandId(), Now(), withId), ct).ConfigureAwait(false);
        return ThrowIfRefused(result, withId.WorkId!, "add");
    }

    public async Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default) =>
        (await ClaimWorkFencedAsync(workId, nodeId, null, ct).ConfigureAwait(false)).Claimed;

    /// <summary>Claims one item; the result carries <c>Claimed</c> and, when won, the fencing token.</summary>
    public async Task<WorkCommandResult> ClaimWorkFencedAsync(string workId, string nodeId, string? commandId, CancellationToken ct = default)
    {
        RequireText(workId, "work_id");
        RequireText(nodeId, "node_id");
        var result = await SubmitAsync(new ClaimWork(commandId ?? WorkCommand.NewCommandId(), Now(), workId, nodeId), ct).ConfigureAwait(false);
        return result.Outcome is WorkOutcome.NotFound or WorkOutcome.NotClaimable ? result : ThrowIfRefused(result, workId, "claim");
    }

    public async Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default) =>
        (await ClaimNextFencedAsync(nodeId, capabilities, null, ct).ConfigureAwait(false)).Item;

    /// <summary>Claims the best pending item; Item is null when none; Token is the claim's fencing token.</summary>
    public async Task<WorkCommandResult> ClaimNextFencedAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, string? commandId, CancellationToken ct = default)
    {
        RequireText(nodeId, "node_id");
        var result = await SubmitAsync(new ClaimNext(commandId ?? WorkCommand.NewCommandId(), Now(), nodeId, capabilities?.ToList()), ct).ConfigureAwait(false);
        return ThrowIfRefused(result, "(next)", "claim");
    }

    public Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default) =>
        StartWorkAsync(workId, nodeId, null, null, ct);

    /// <summary>claimed → running; a token, when given, must be the current claim's.</summary>
    public async Task<WorkItem> StartWorkAsync(string workId, string? nodeId, FencingToken? token, string? commandId, CancellationToken ct = default)
    {
        RequireText(workId, "work_id");
        var result = await SubmitAsync(new StartWork(commandId ?? WorkCommand.NewCommandId(), Now(), workId, nodeId, token), ct).ConfigureAwait(false);
        return ThrowIfRefused(result, workId, "start").Item!;
    }

    public Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default) =>
        CompleteWorkAsync(workId, result, nodeId, null, null, ct);

    /// <summary>claimed | running → completed; a token, when given, must be the current claim's.</summary>
    public async Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId, FencingToken? token, string? commandId, CancellationToken ct = default)
    {
        RequireText(workId, "work_id");
        var applied = await SubmitAsync(new CompleteWork(commandId ?? WorkCommand.NewCommandId(), Now(), workId, result?.DeepClone().AsObject(), nodeId, token), ct).ConfigureAwait(false);
        return ThrowIfRefused(applied, workId, "complete").Item!;
    }

    public Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default) =>
        FailWorkAsync(workId, error, nodeId, null, null, ct);

    /// <summary>claimed | running → pending or failed; a token, when given, must be the current claim's.</summary>
    public async Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId, FencingToken? token, string? commandId, CancellationToken ct = default)
    {
        RequireText(workId, "work_id");
        ArgumentNullException.ThrowIfNull(error);
        var result = await SubmitAsync(new FailWork(commandId ?? WorkCommand.NewCommandId(), Now(), workId, error, nodeId, token), ct).ConfigureAwait(false);
        return ThrowIfRefused(result, workId, "fail").Item!;
    }

    public async Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default)
    {
        RequireText(workId, "work_id");
        var result = await SubmitAsync(new CancelWork(WorkCommand.NewCommandId(), Now(), workId), ct).ConfigureAwait(false);
        return ThrowIfRefused(result, workId, "cancel").Item!;
    }

    public Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        return Log.ReadAsync(state => state.Get(workId), ct);
    }

    /// <summary>The item and, while it is claimed or running, its current fencing token.</summary>
    public Task<(WorkItem? Item, FencingToken? Token)> GetWorkWithTokenAsync(string workId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(workId);
        return Log.ReadAsync(state => (state.Get(workId), state.GetClaimToken(workId)), ct);
    }

    public Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default)
    {
        if (limit is < 1 or > WorkQueueStateMachine.MaxListLimit)
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {WorkQueueStateMachine.MaxListLimit}");
        return Log.ReadAsync(state => state.List(status, limit), ct);
    }

    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default)
    {
        var stats = await Log.ReadAsync(state => state.Stats(), ct).ConfigureAwait(false);
        if (Node is not { } node) return stats with { IsLeader = true, IsReady = true };
        return stats with { IsLeader = node.IsLeader, LeaderAddress = node.LeaderHttpAddress ?? node.LeaderAddress, IsReady = node.IsReady };
    }

    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default) => RequeueTimedOutAsync(Now(), ct);

    /// <summary>The timeout sweep as a command stamped <paramref name="asOf"/> (Unix seconds) rather than this node's wall clock.</summary>
    public async Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(double asOf, CancellationToken ct = default)
    {
        var result = await SubmitAsync(new RequeueTimedOut(WorkCommand.NewCommandId(), asOf), ct).ConfigureAwait(false);
        return ThrowIfRefused(result, "(timed out)", "requeue").Items;
    }

    /// <summary>
    /// One retention round (on the leader): reads the oldest prunable finished items (from this member's applied state), picks those due at
    /// <paramref name="now"/> (Unix seconds; <see cref="QueueRetention.Pick"/>) and, when there are any, commits one
    /// <see cref="PruneWork"/> naming them, which every member applies alike (and its next snapshot leaves them out).
    /// </summary>
    public async Task<PruneRound> PruneFinishedAsync(QueueRetention retention, double now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(retention);
        if (!retention.IsEnabled) return PruneRound.Nothing;
        // The member's own applied state, without a read barrier: the command re-checks every id when it is applied.
        var finished = Node is { } node
            ? node.ReadLocal(state => state.OldestFinished(QueueRetention.BatchSize))
            : await Log.ReadAsync(state => state.OldestFinished(QueueRetention.BatchSize), ct).ConfigureAwait(false);
        var picked = retention.Pick(finished, now);
        if (picked.Count == 0) return PruneRound.Nothing;
        var result = await SubmitAsync(new PruneWork(WorkCommand.NewCommandId(), now, picked.Select(i => i.WorkId).ToList()), ct).ConfigureAwait(false);
        return new PruneRound(ThrowIfRefused(result, "(retention)", "prune").Pruned);
    }

    /// <summary>
    /// Submits through <see cref="RaftPolicies.SubmitAsync"/>: the same command (same id) is re-sent when
    /// its outcome was unknown; a refusal is returned, not thrown.
    /// </summary>
    public Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default) =>
        RaftPolicies.SubmitAsync(Log, command, ct);

    private static WorkCommandResult ThrowIfRefused(WorkCommandResult result, string workId, string action) =>
        result.ToException(result.Item?.WorkId ?? workId, action) is { } error ? throw error : result;

    private static void RequireText(string value, string field)
    {
        ArgumentNullException.ThrowIfNull(value, field);
        if (value.Length == 0) throw new ArgumentException($"{field} must be non-empty", field);
    }
}
