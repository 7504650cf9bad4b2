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
/// </remarks>
public sealed class WorkReplica(string selfId, IReplicaWorkStore store, ReplicaFence fence, Func<VoterSet> voters, ILogger? logger = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public IReplicaWorkStore Store => store;

    public ReplicaFence Fence => fence;

    public async Task<ReplicateAck> HandleReplicateAsync(ReplicateRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Admit("push", request.LeaderId, request.Epoch);
        if (request.Items is null) throw new ArgumentException("items is required (a list of work items, possibly empty)");
        await _gate.WaitAsync(ct);
        try
        {
            if (!fence.TryAdvance(request.Epoch)) return new ReplicateAck(selfId, false, fence.Epoch, 0);
            var applied = request.Items.Count == 0 ? 0 : await store.ApplyReplicatedAsync(request.Items, ct);
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
            var items = await store.ExportAsync(ct);
            return new ReplicaSyncResponse(selfId, true, fence.Epoch, items);
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
