using RingRift.P2P.Election;

namespace RingRift.P2P.Coordination;

public sealed partial class QuorumWorkQueue
{
    /// <summary>
    /// One retention round on the serving leader: picks the finished items due (<see cref="QueueRetention.Pick"/>,
    /// judged at <paramref name="now"/>, Unix seconds), makes sure every voter holds their finished versions,
    /// deletes them from this node's store and pushes the deletion to the voters.
    /// </summary>
    /// <remarks>
    /// <para>Why no pruned item can come back unfinished. The leader first pushes the picked items, as they are
    /// (finished), to every voter and goes on only when every one of them has accepted the push: from then on
    /// each voter holds each item at its finished version, which nothing can replace (a store keeps only newer
    /// versions, only this leader writes newer ones, and a finished item never changes again), and each voter's
    /// fence is at this leader's epoch, so a deposed leader's late pushes are refused. Only then does the leader
    /// delete the items and push the deletion. A voter that misses the deletion still holds the finished item;
    /// the next leader's merge (<see cref="ActivateAsync"/>) takes the newest version of every item from a
    /// majority, so the item can reappear there only finished, as it was — harmless, and pruned again by the
    /// next round, since it finished long ago. A pruned item never reappears pending or claimed: no voter holds
    /// an unfinished version of it that could win a merge. A voter that is down or unreachable (or a voter
    /// whose address is unknown) holds up every round until it answers again: it may have missed the item's
    /// last change, and pruning without it could let its stale copy win a merge in which it is the only one
    /// holding the item.</para>
    /// <para>Pushes a leader has given up on (after at most its request timeout) are not applied later: a replica
    /// applies a push only while its sender waits for the answer. <see cref="QueueRetention.MinimumAge"/> keeps
    /// an item at least that long after it finished, far longer than any push of an earlier version is waited for.</para>
    /// <para>Items that an unfinished item depends on are never deleted (<see cref="IReplicaWorkStore.PruneAsync"/>).
    /// Voters of an older release ignore the deletion and keep the items (a later merge brings them back
    /// finished, and they are pruned again).</para>
    /// </remarks>
    /// <exception cref="NotLeaderException">This node does not serve the queue, or a voter has seen a newer epoch.</exception>
    public async Task<PruneRound> PruneFinishedAsync(QueueRetention retention, double now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(retention);
        var epoch = RequireActive();
        if (!retention.IsEnabled) return PruneRound.Nothing;
        var picked = retention.Pick(await _local.Store.ReadOldestFinishedAsync(QueueRetention.BatchSize, ct), now);
        if (picked.Count == 0) return PruneRound.Nothing;

        var voters = _voters();
        if (voters.UnresolvedCount > 0)
            return new PruneRound(0, $"{voters.UnresolvedCount} voter(s) not known yet; every voter must hold the finished items before any is pruned");
        var unconfirmed = await ConfirmEverywhereAsync(epoch, voters, picked, ct);
        if (unconfirmed.Count > 0)
            return new PruneRound(0, $"voter(s) {string.Join(", ", unconfirmed)} did not confirm the finished items; every voter must hold them before any is pruned");

        IReadOnlyList<WorkItem> deleted;
        try
        {
            deleted = await _local.RunLocalAsync(epoch, store => store.PruneAsync(picked, ct), ct);
        }
        catch (NotLeaderException)
        {
            DeactivateIf(epoch); // this node's own replica has been fenced above the round's epoch
            throw;
        }
        if (deleted.Count > 0) await PushDeletionAsync(epoch, voters, deleted, ct);
        return new PruneRound(deleted.Count);
    }

    /// <summary>
    /// Stops serving if this node still serves at <paramref name="epoch"/>: a round runs beside the loop, and the node
    /// may have taken the queue over again at a newer epoch meanwhile, which the round's refusal says nothing about.
    /// </summary>
    private void DeactivateIf(long epoch) => Interlocked.CompareExchange(ref _activeEpoch, -1, epoch);

    /// <summary>Pushes <paramref name="items"/> to every other voter; returns the ids of those that did not accept in time.</summary>
    private async Task<List<string>> ConfirmEverywhereAsync(long epoch, VoterSet voters, IReadOnlyList<WorkItem> items, CancellationToken ct)
    {
        var others = voters.Ids.Where(id => id != _selfId).ToArray();
        var request = new ReplicateRequest(_selfId, epoch, items);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_requestTimeout);
        var acks = await Task.WhenAll(others.Select(id => SafeReplicate(id, request, timeout.Token)));
        var missing = new List<string>();
        for (var i = 0; i < others.Length; i++)
        {
            if (acks[i] is not { } ack)
            {
                missing.Add(others[i]);
                continue;
            }
            if (ack.Accepted) continue;
            DeactivateIf(epoch);
            NoteRefusal(ack.NodeId, ack.Fence, epoch);
            throw new NotLeaderException($"replica '{ack.NodeId}' has seen epoch {ack.Fence}, newer than this leader's {epoch}");
        }
        return missing;
    }

    /// <summary>Tells every other voter to drop <paramref name="deleted"/>; a voter that misses it keeps them finished (see <see cref="PruneFinishedAsync"/>).</summary>
    private async Task PushDeletionAsync(long epoch, VoterSet voters, IReadOnlyList<WorkItem> deleted, CancellationToken ct)
    {
        var request = new ReplicateRequest(_selfId, epoch, [], Pruned: deleted.Select(i => new PrunedItem(i.WorkId, i.Version)).ToList());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_requestTimeout);
        var acks = await Task.WhenAll(voters.Ids.Where(id => id != _selfId).Select(id => SafeReplicate(id, request, timeout.Token)));
        foreach (var ack in acks)
        {
            if (ack is { Accepted: false })
            {
                DeactivateIf(epoch);
                NoteRefusal(ack.NodeId, ack.Fence, epoch);
            }
        }
    }
}
