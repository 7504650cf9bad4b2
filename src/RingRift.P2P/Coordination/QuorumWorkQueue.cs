using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Election;
using RingRift.P2P.Models;

namespace RingRift.P2P.Coordination;

/// <summary>
/// The leader's view of the work queue: every change is applied to the leader's own SQLite store
/// and then pushed to the other voters; the caller gets its answer only once a majority of voters
/// (the leader included) holds the new version. A new leader first fences and reads a majority of
/// replicas and keeps the newest version of every item, so every acknowledged change survives the
/// loss of a minority of voters, the leader among them.
/// </summary>
/// <remarks>
/// A change that fails to reach a majority is reported as <see cref="QuorumUnreachableException"/>
/// but may still be on some replicas and reappear after a failover (as an uncommitted Raft entry
/// can). Claims are decided by the leader's store alone, so of any concurrent claimers exactly one
/// wins; a claim whose acknowledgement was lost leaves the item claimed until its timeout requeues it.
/// </remarks>
public sealed partial class QuorumWorkQueue : IWorkQueue
{
    private readonly string _selfId;
    private readonly WorkReplica _local;
    private readonly IReplicaTransport _transport;
    private readonly Func<VoterSet> _voters;
    private readonly TimeSpan _requestTimeout;
    private readonly ILogger _logger;
    private const int ActivationBatchSize = 500;
    private long _activeEpoch = -1;
    private long _refusedAt; // the highest fence a replica reported when it refused this node

    public QuorumWorkQueue(string selfId, WorkReplica local, IReplicaTransport transport, Func<VoterSet> voters,
        TimeSpan requestTimeout, ILogger? logger = null)
    {
        _selfId = selfId;
        _local = local;
        _transport = transport;
        _voters = voters;
        _requestTimeout = requestTimeout;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The epoch this node serves the queue under, or null while it does not.</summary>
    public long? ActiveEpoch => Interlocked.Read(ref _activeEpoch) is var e && e >= 0 ? e : null;

    /// <summary>
    /// The highest epoch known to fence this node's queue: its own replica's fence, or the fence a
    /// replica reported when it refused this node's sync or push. A leader below it cannot serve, so the
    /// node hands it to the election as its epoch floor: the leader steps down and the next campaign is
    /// above it (see <see cref="BullyElection"/>).
    /// </summary>
    public long HighestFence => Math.Max(_local.Fence.Epoch, Interlocked.Read(ref _refusedAt));

    /// <summary>
    /// Takes over as the queue's leader at <paramref name="epoch"/>: fences a majority of voters,
    /// merges their items (newest version wins) into the local store and starts serving.
    /// Returns false when no majority answered; the caller may try again while it still leads.
    /// </summary>
    public async Task<bool> ActivateAsync(long epoch, CancellationToken ct)
    {
        Deactivate();
        if (!_local.Fence.TryAdvance(epoch)) return false;
        var voters = _voters();
        var request = new ReplicaSyncRequest(_selfId, epoch);
        var responses = new List<ReplicaSyncResponse> { await _local.HandleSyncAsync(request, ct) };
        var others = voters.Ids.Where(id => id != _selfId).ToArray();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_requestTimeout * 2);
        var remote = await Task.WhenAll(others.Select(id => SafeSync(id, request, timeout.Token)));
        foreach (var r in remote)
        {
            if (r is null) continue;
            if (!r.Accepted)
            {
                _logger.SyncRefused(r.NodeId, epoch, r.Fence);
                NoteRefusal(r.NodeId, r.Fence, epoch);
                return false;
            }
            responses.Add(r);
        }
        var counted = responses.Count(r => voters.Contains(r.NodeId));
        if (counted < voters.Majority)
        {
            _logger.SyncShort(epoch, counted, voters.Size, voters.Majority);
            return false;
        }
        if (HasCurrentMajority(epoch, voters, responses) is not { } currentMajority) return false;
        // Newest version of every item wins; then every item is re-stamped under this epoch and
        // pushed to a majority, so a change the old leader never got acknowledged cannot outrank
        // this state later (the same reason a new Raft leader commits an entry of its own term).
        // With a current majority, an item only behind replicas hold is left out: every acknowledged
        // item is on a current replica of that majority, and one that only a restored backup still
        // holds may have been pruned since (see PruneFinishedAsync), which must not bring it back.
        var baseVersion = epoch << 40;
        var onCurrent = currentMajority
            ? responses.Where(r => !r.Behind).SelectMany(r => r.Items).Select(i => i.WorkId).ToHashSet(StringComparer.Ordinal)
            : null;
        var merged = responses.SelectMany(r => r.Items)
            .Where(i => onCurrent is null || onCurrent.Contains(i.WorkId))
            .GroupBy(i => i.WorkId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(i => i.Version)!)
            .OrderBy(i => i.Version)
            .Select((item, index) => item with { Version = baseVersion + 1 + index })
            .ToArray();
        if (merged.Length > 0) await _local.Store.ApplyReplicatedAsync(merged, ct);
        await _local.Store.DropBelowAsync(baseVersion, ct); // what this store held that the merge left out
        _local.Store.SetEpoch(epoch);
        if (_local.Fence.Epoch != epoch) return false;
        _local.Acknowledge(merged);
        await _local.MergedAsync(epoch, ct);
        try
        {
            foreach (var batch in merged.Chunk(ActivationBatchSize)) await ReplicateAsync(epoch, batch, ct);
        }
        catch (Exception ex) when (ex is QuorumUnreachableException or NotLeaderException)
        {
            _logger.HandOverFailed(epoch, ex.Message);
            return false;
        }
        foreach (var behind in responses.Where(r => r.Behind && r.NodeId != _selfId))
            await CatchUpAsync(behind.NodeId, epoch, merged, ct);
        Interlocked.Exchange(ref _activeEpoch, epoch);
        _logger.ServingQueue(epoch, merged.Length, responses.Count);
        return true;
    }

    public void Deactivate() => Interlocked.Exchange(ref _activeEpoch, -1);

    /// <summary>
    /// Whether a majority of voters answered with every item they acknowledged. A replica that is behind
    /// (its work_queue.db restored from a backup older than what it acknowledged) may lack an item that
    /// only it and the dead leader held, so it does not count: the new leader waits for another voter
    /// rather than serve without that item. When every voter has answered there is no one left to wait
    /// for, and the leader serves what exists (logged as an error).
    /// </summary>
    /// <returns>True: a current majority answered; false: every voter answered, too few current (serve what exists); null: wait.</returns>
    private bool? HasCurrentMajority(long epoch, VoterSet voters, List<ReplicaSyncResponse> responses)
    {
        var answered = responses.Where(r => voters.Contains(r.NodeId)).ToList();
        var current = answered.Count(r => !r.Behind);
        if (current >= voters.Majority) return true;
        var behind = string.Join(", ", answered.Where(r => r.Behind).Select(r => r.NodeId));
        if (voters.UnresolvedCount == 0 && answered.Count == voters.Ids.Count)
        {
            _logger.SyncAllAnsweredBehind(epoch, current, voters.Majority, behind);
            return false;
        }
        _logger.SyncBehind(epoch, current, voters.Majority, behind);
        return null;
    }

    /// <summary>
    /// Copies the whole merged queue to a replica that answered the sync behind, one push after another,
    /// the last marked <see cref="ReplicateRequest.CatchUp"/>: from then on it counts again. A failure
    /// leaves it behind (and the queue serving); the next leader change tries again.
    /// </summary>
    private async Task CatchUpAsync(string replica, long epoch, WorkItem[] merged, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_requestTimeout * 2);
        var batches = merged.Length == 0 ? [[]] : merged.Chunk(ActivationBatchSize).ToArray();
        for (var i = 0; i < batches.Length; i++)
        {
            var request = new ReplicateRequest(_selfId, epoch, batches[i], CatchUp: i == batches.Length - 1);
            if (await SafeReplicate(replica, request, timeout.Token) is not { Accepted: true })
            {
                _logger.CatchUpFailed(replica, epoch);
                return;
            }
        }
    }

    public async Task<WorkItem> AddWorkAsync(NewWork work, CancellationToken ct = default)
    {
        var item = await ChangeAsync(s => s.AddWorkAsync(work, ct), i => [i], ct);
        return item;
    }

    public async Task<bool> ClaimWorkAsync(string workId, string nodeId, CancellationToken ct = default)
    {
        var claimed = await ChangeAsync(async s =>
        {
            var ok = await s.ClaimWorkAsync(workId, nodeId, ct);
            return ok ? await s.GetWorkAsync(workId, ct) : null;
        }, i => i is null ? [] : [i], ct);
        return claimed is not null;
    }

    public Task<WorkItem?> ClaimNextAsync(string nodeId, IReadOnlyCollection<JobType>? capabilities, CancellationToken ct = default) =>
        ChangeAsync(s => s.ClaimNextAsync(nodeId, capabilities, ct), i => i is null ? [] : [i], ct);

    public Task<WorkItem> StartWorkAsync(string workId, string? nodeId = null, CancellationToken ct = default) =>
        ChangeAsync(s => s.StartWorkAsync(workId, nodeId, ct), i => [i], ct);

    public Task<WorkItem> CompleteWorkAsync(string workId, JsonObject? result, string? nodeId = null, CancellationToken ct = default) =>
        ChangeAsync(s => s.CompleteWorkAsync(workId, result, nodeId, ct), i => [i], ct);

    public Task<WorkItem> FailWorkAsync(string workId, string error, string? nodeId = null, CancellationToken ct = default) =>
        ChangeAsync(s => s.FailWorkAsync(workId, error, nodeId, ct), i => [i], ct);

    public Task<WorkItem> CancelWorkAsync(string workId, CancellationToken ct = default) =>
        ChangeAsync(s => s.CancelWorkAsync(workId, ct), i => [i], ct);

    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(CancellationToken ct = default) =>
        ChangeAsync(s => s.RequeueTimedOutAsync(ct), i => i, ct);

    /// <summary>The timeout sweep judged at <paramref name="asOf"/> (Unix seconds; see <see cref="IReplicaWorkStore.RequeueTimedOutAsync(double, CancellationToken)"/>).</summary>
    public Task<IReadOnlyList<WorkItem>> RequeueTimedOutAsync(double asOf, CancellationToken ct = default) =>
        ChangeAsync(s => s.RequeueTimedOutAsync(asOf, ct), i => i, ct);

    public Task<WorkItem?> GetWorkAsync(string workId, CancellationToken ct = default)
    {
        RequireActive();
        return _local.Store.GetWorkAsync(workId, ct);
    }

    public Task<IReadOnlyList<WorkItem>> ListWorkAsync(WorkStatus? status = null, int limit = 1000, CancellationToken ct = default)
    {
        RequireActive();
        return _local.Store.ListWorkAsync(status, limit, ct);
    }

    public async Task<QueueStats> GetQueueStatsAsync(CancellationToken ct = default)
    {
        var stats = await _local.Store.GetQueueStatsAsync(ct);
        return stats with { IsLeader = ActiveEpoch is not null, IsReady = ActiveEpoch is not null };
    }

    private long RequireActive() =>
        ActiveEpoch ?? throw new NotLeaderException($"node '{_selfId}' is not serving the work queue");

    private async Task<T> ChangeAsync<T>(Func<IReplicaWorkStore, Task<T>> change, Func<T, IReadOnlyList<WorkItem>> changed, CancellationToken ct)
    {
        var epoch = RequireActive();
        T result;
        try
        {
            result = await _local.RunLocalAsync(epoch, change, ct);
        }
        catch (NotLeaderException)
        {
            Deactivate(); // this node's own replica has been fenced above its epoch
            throw;
        }
        var items = changed(result);
        if (_local.Store.DrainSettled() is { Count: > 0 } settled) items = [.. items, .. settled];
        _local.Acknowledge(items);
        if (items.Count > 0) await ReplicateAsync(epoch, items, ct);
        return result;
    }

    private async Task ReplicateAsync(long epoch, IReadOnlyList<WorkItem> items, CancellationToken ct)
    {
        var voters = _voters();
        var acks = voters.Contains(_selfId) ? 1 : 0;
        if (acks >= voters.Majority) return;
        var request = new ReplicateRequest(_selfId, epoch, items);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_requestTimeout);
        var pending = voters.Ids.Where(id => id != _selfId).Select(id => SafeReplicate(id, request, timeout.Token)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            var ack = await done;
            if (ack is null) continue;
            if (!ack.Accepted)
            {
                Deactivate();
                NoteRefusal(ack.NodeId, ack.Fence, epoch);
                throw new NotLeaderException($"replica '{ack.NodeId}' has seen epoch {ack.Fence}, newer than this leader's {epoch}");
            }
            if (++acks >= voters.Majority) return;
        }
        throw new QuorumUnreachableException($"change reached {acks} of {voters.Size} voters; {voters.Majority} needed");
    }

    /// <summary>Remembers the fence a refusing replica reported, for <see cref="HighestFence"/>.</summary>
    private void NoteRefusal(string replica, long fence, long epoch)
    {
        if (fence <= epoch) return; // a replica refuses only epochs below its fence; anything else is noise
        if (fence > ReplicaFence.MaxEpoch)
        {
            _logger.FenceOutOfRange(replica, fence, ReplicaFence.MaxEpoch);
            return;
        }
        _logger.FencedAbove(replica, fence, epoch);
        long seen;
        while (fence > (seen = Interlocked.Read(ref _refusedAt)) && Interlocked.CompareExchange(ref _refusedAt, fence, seen) != seen) { }
    }

    private async Task<ReplicateAck?> SafeReplicate(string id, ReplicateRequest request, CancellationToken ct)
    {
        try { return await _transport.ReplicateAsync(id, request, ct); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.ReplicateFailed(ex, id);
            return null;
        }
    }

    private async Task<ReplicaSyncResponse?> SafeSync(string id, ReplicaSyncRequest request, CancellationToken ct)
    {
        try { return await _transport.SyncAsync(id, request, ct); }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.SyncFailed(ex, id);
            return null;
        }
    }
}
