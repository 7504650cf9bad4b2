namespace RingRift.P2P.Coordination;

/// <summary>
/// The replica side of the leader's queue, run by every voter: accepts pushes and sync reads from
/// the current leader, refuses anything from an older epoch.
/// </summary>
/// <remarks>
/// The fence check and the store access happen under one lock, so a push from epoch e−1 can never
/// be applied after a sync from epoch e has read this replica: either the sync sees the item, or the
/// push is refused and the old leader does not count this replica towards its majority.
/// </remarks>
public sealed class WorkReplica(string selfId, IReplicaWorkStore store, ReplicaFence fence)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReplicaWorkStore Store => store;

    public ReplicaFence Fence => fence;

    public async Task<ReplicateAck> HandleReplicateAsync(ReplicateRequest request, CancellationToken ct)
    {
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
}
