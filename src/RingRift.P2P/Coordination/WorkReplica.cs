using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Election;

namespace RingRift.P2P.Coordination;

/// <summary>
/// The replica side of the leader's queue, run by every voter: accepts pushes and sync reads from
/// the current leader, refuses anything from an older epoch.
/// </summary>
/// <remarks>
/// The fence check and the store access happen under one lock, so a push from epoch e−1 can never
/// be applied after a sync from epoch e has read this replica: either the sync sees the item, or the
/// push is refused and the old leader does not count this replica towards its majority.
/// Only a leader can push or sync, and only a voter can lead: a request naming a <c>leader_id</c>
/// that is not in <paramref name="voters"/> is refused with <see cref="UnknownLeaderException"/>
/// before the fence is looked at, so no stranger can raise it; an epoch outside
/// 0..<see cref="ReplicaFence.MaxEpoch"/> is refused with <see cref="ArgumentException"/>.
/// <para>Quorum replication holds only while every replica keeps what it acknowledged. With a
/// <paramref name="position"/>, the replica records the highest version it acknowledged and, on its first
/// request after a start, compares it with its store's version clock: a store below it (a work_queue.db
/// restored from an old backup, or replaced) has lost acknowledged items, so the replica is behind. It
/// says so in every sync answer, and a new leader does not count it towards the majority it reads
/// (<see cref="QuorumWorkQueue.ActivateAsync"/>) until a leader has copied the whole queue back to it
/// (a push with <see cref="ReplicateRequest.CatchUp"/>). Its acknowledgements of new pushes stay real.</para>
/// </remarks>
public sealed class WorkReplica(string selfId, IReplicaWorkStore store, ReplicaFence fence, Func<VoterSet> voters,
    ILogger? logger = null, ReplicaPosition? position = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private volatile bool _checked; // the store has been compared with the position since the start

    public IReplicaWorkStore Store => store;

    public ReplicaFence Fence => fence;

    /// <summary>True while the store is known to hold less than this replica acknowledged (checked on the first request).</summary>
    public bool IsBehind => position?.Behind ?? false;

    public async Task<ReplicateAck> HandleReplicateAsync(ReplicateRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Admit("push", request.LeaderId, request.Epoch);
        if (request.Items is null) throw new ArgumentException("items is required (a list of work items, possibly empty)");
        CheckPruned(request.Pruned);
        await _gate.WaitAsync(ct);
        try
        {
            if (!fence.TryAdvance(request.Epoch)) return new ReplicateAck(selfId, false, fence.Epoch, 0);
            await CheckPositionAsync(ct); // before applying: the push raises the store's clock
            var applied = request.Items.Count == 0 ? 0 : await store.ApplyReplicatedAsync(request.Items, ct);
            position?.Record(request.Items);
            if (request.Pruned is { Count: > 0 } pruned) applied += await store.ApplyPrunedAsync(pruned, ct);
            if (request.CatchUp && IsBehind)
            {
                // The whole merged queue is here, re-stamped at or above this epoch's base: anything below is what a
                // restored backup held and the merge left out (it may have been pruned since; it must not come back).
                await store.DropBelowAsync(request.Epoch << 40, ct);
                await CaughtUpAsync(request.LeaderId, request.Epoch, ct);
            }
            return new ReplicateAck(selfId, true, fence.Epoch, applied);
        }
        finally { _gate.Release(); }
    }

    public async Task<ReplicaSyncResponse> HandleSyncAsync(ReplicaSyncRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Admit("sync", request.LeaderId, request.Epoch);
        await _gate.WaitAsync(ct);
        try
        {
            if (!fence.TryAdvance(request.Epoch)) return new ReplicaSyncResponse(selfId, false, fence.Epoch, []);
            await CheckPositionAsync(ct);
            var items = await store.ExportAsync(ct);
            return new ReplicaSyncResponse(selfId, true, fence.Epoch, items, IsBehind);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Runs a leader's local change under the same lock and fence as remote pushes, so the leader's
    /// own replica obeys the same rule as everyone else's.
    /// </summary>
    public async Task<T> RunLocalAsync<T>(long epoch, Func<IReplicaWorkStore, Task<T>> change, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (fence.Epoch != epoch)
                throw new NotLeaderException($"epoch {epoch} has been superseded by epoch {fence.Epoch}");
            return await change(store);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Records versions this node acknowledges as the leader (its own change, after the local commit and
    /// before the answer), as <see cref="HandleReplicateAsync"/> does for pushes.
    /// </summary>
    public void Acknowledge(IReadOnlyList<WorkItem> items) => position?.Record(items);

    /// <summary>
    /// The leader has merged a majority's queue into this store (<see cref="QuorumWorkQueue.ActivateAsync"/>):
    /// if the store was behind, it holds every acknowledged item again.
    /// </summary>
    public async Task MergedAsync(long epoch, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (IsBehind) await CaughtUpAsync(selfId, epoch, ct);
        }
        finally { _gate.Release(); }
    }

    /// <summary>Once per start, under the gate: is the store's version clock below what this replica acknowledged?</summary>
    private async Task CheckPositionAsync(CancellationToken ct)
    {
        if (_checked || position is null) return;
        if (position.Unreadable is { } why) _logger.PositionUnreadable(why);
        var held = await store.GetHighestVersionAsync(ct);
        var acknowledged = position.Acknowledged;
        if (held < acknowledged) position.MarkBehind();
        if (position.Behind) _logger.StoreBehind(selfId, held, acknowledged);
        _checked = true;
    }

    private async Task CaughtUpAsync(string leaderId, long epoch, CancellationToken ct)
    {
        var held = await store.GetHighestVersionAsync(ct);
        position!.CaughtUp(held);
        _logger.StoreCaughtUp(selfId, leaderId, epoch, held);
    }

    /// <summary>A pushed deletion names an item and a version (checked before anything is applied).</summary>
    private static void CheckPruned(IReadOnlyList<PrunedItem>? pruned)
    {
        if (pruned is null) return;
        for (var i = 0; i < pruned.Count; i++)
        {
            if (pruned[i] is not { WorkId.Length: > 0, Version: >= 0 })
                throw new ArgumentException($"pruned[{i}] needs a non-empty work_id and a version >= 0");
        }
    }

    /// <summary>Refuses a request that may not touch the fence: an unknown sender or an epoch out of range.</summary>
    private void Admit(string kind, string leaderId, long epoch)
    {
        var known = voters();
        if (VoterAdmission.IsKnownVoter(known, "leader_id", leaderId, epoch)) return;
        _logger.UnknownLeaderRefused(kind, leaderId, epoch, fence.Epoch);
        throw VoterAdmission.Refusal(known, selfId, "leader_id", leaderId,
            $"the {kind} at epoch {epoch} is refused and the replica fence stays at epoch {fence.Epoch}");
    }
}
