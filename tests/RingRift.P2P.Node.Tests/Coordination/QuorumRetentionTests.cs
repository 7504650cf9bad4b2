using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// Retention on the quorum-replicated SQLite queue (three voters with real SQLite files, <see cref="QuorumRig"/>):
/// the leader prunes finished items on every voter; a voter that missed the deletion brings an item back only
/// finished, and it is pruned again; a voter that missed an item's last change holds pruning up, so no hand-over
/// can bring a pruned item back unfinished; nor can a voter's queue restored from a backup taken before the prune.
/// </summary>
public sealed class QuorumRetentionTests : IAsyncLifetime
{
    private static readonly QueueRetention Retention = new() { MaxAge = TimeSpan.FromMinutes(1), MaxFinished = 0 };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private QuorumRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuorumRig.StartAsync(_time);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private double Now => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private static NewWork Work(string id) => new() { WorkId = id, WorkType = JobType.Selfplay };

    private async Task AddAndCompleteAsync(QuorumWorkQueue leader, params string[] ids)
    {
        foreach (var id in ids)
        {
            await leader.AddWorkAsync(Work(id));
            Assert.True(await leader.ClaimWorkAsync(id, "gpu-1"));
            await leader.CompleteWorkAsync(id, null, "gpu-1");
        }
    }

    /// <summary>
    /// Waits until <paramref name="id"/> reads <paramref name="expected"/> on every voter: a change is acknowledged
    /// once a majority holds it, and its push to the last voter may still be on its way.
    /// </summary>
    private Task SettledAsync(string id, string expected) =>
        Eventually.Until(() => EverywhereAsync(id), held => held == expected, $"'{id}' to read {expected} on every voter");

    /// <summary>The status <paramref name="id"/> has on each voter, null where it is gone: "n1=completed n2=- n3=-".</summary>
    private async Task<string> EverywhereAsync(string id)
    {
        var held = new List<string>();
        foreach (var node in QuorumRig.Ids)
            held.Add($"{node}={(await _rig.Stores[node].GetWorkAsync(id))?.Status.ToString().ToLowerInvariant() ?? "-"}");
        return string.Join(' ', held);
    }

    [Fact]
    public async Task FinishedItemsPastTheRetention_AreGoneFromEveryVoter_UnfinishedOnesStay()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await AddAndCompleteAsync(leader, "a", "b");
        await leader.AddWorkAsync(Work("open"));
        await SettledAsync("open", "n1=pending n2=pending n3=pending");
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(PruneRound.Nothing, await leader.PruneFinishedAsync(Retention, Now)); // not yet a minute

        _time.Advance(TimeSpan.FromSeconds(2));
        var round = await leader.PruneFinishedAsync(Retention, Now);

        Assert.Equal(new PruneRound(2), round);
        Assert.Equal("n1=- n2=- n3=-", await EverywhereAsync("a"));
        Assert.Equal("n1=- n2=- n3=-", await EverywhereAsync("b"));
        Assert.Equal("n1=pending n2=pending n3=pending", await EverywhereAsync("open"));
        Assert.Equal(1, (await leader.GetQueueStatsAsync()).Total);
    }

    [Fact]
    public async Task AVoterThatMissedTheDeletion_BringsTheItemBackOnlyFinished_AtTheNextHandOver_WhereItIsPrunedAgain()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await AddAndCompleteAsync(leader, "a");
        _time.Advance(TimeSpan.FromMinutes(2));
        _rig.Network.DropDeletionsTo("n1");

        Assert.Equal(1, (await leader.PruneFinishedAsync(Retention, Now)).Pruned);
        Assert.Equal("n1=completed n2=- n3=-", await EverywhereAsync("a"));

        _rig.Network.HealAll(); // n1 hears deletions again
        _rig.Network.Down("n3"); // the leader dies: n1 and n2 are the next majority
        var next = await _rig.LeadAsync("n2", 2);

        Assert.Equal(WorkStatus.Completed, (await next.GetWorkAsync("a"))?.Status); // back, but only as it was: finished
        Assert.Contains("n3", (await next.PruneFinishedAsync(Retention, Now)).Waiting); // a round waits for every voter

        _rig.Network.Up("n3"); // the old leader is back (as a follower)
        Assert.Equal(1, (await next.PruneFinishedAsync(Retention, Now)).Pruned); // and the next round prunes it again
        Assert.Equal("n1=- n2=- n3=-", await EverywhereAsync("a"));
    }

    [Fact]
    public async Task AVoterThatMissedTheCompletion_HoldsPruningUp_SoTheNextHandOverCannotBringTheItemBackClaimed()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await leader.AddWorkAsync(Work("x"));
        Assert.True(await leader.ClaimWorkAsync("x", "gpu-1"));
        await SettledAsync("x", "n1=claimed n2=claimed n3=claimed");
        _rig.Network.Down("n1"); // n1 holds x claimed and misses its completion
        await leader.CompleteWorkAsync("x", null, "gpu-1");
        _time.Advance(TimeSpan.FromMinutes(2));

        var round = await leader.PruneFinishedAsync(Retention, Now);

        Assert.Equal(0, round.Pruned);
        Assert.Contains("n1", round.Waiting);
        Assert.Equal("n1=claimed n2=completed n3=completed", await EverywhereAsync("x"));

        // Had x been pruned from n2 and n3, n1's claimed copy would now be the only one, and the new leader would hand it out again.
        _rig.Network.Down("n3");
        _rig.Network.Up("n1");
        var next = await _rig.LeadAsync("n2", 2);
        Assert.Equal(WorkStatus.Completed, (await next.GetWorkAsync("x"))?.Status);

        // With every voter answering, the round first gives n1 the finished version, then prunes x everywhere.
        _rig.Network.Up("n3");
        Assert.Equal(1, (await next.PruneFinishedAsync(Retention, Now)).Pruned);
        Assert.Equal("n1=- n2=- n3=-", await EverywhereAsync("x"));
    }

    [Fact]
    public async Task AVoterWhoseQueueIsRestoredFromABackupTakenBeforeThePrune_CannotBringThePrunedItemBack()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await leader.AddWorkAsync(Work("x"));
        await leader.AddWorkAsync(Work("kept"));
        await SettledAsync("x", "n1=pending n2=pending n3=pending");
        await SettledAsync("kept", "n1=pending n2=pending n3=pending");
        var backup = await _rig.BackUpQueueAsync("n1"); // x pending in it
        Assert.True(await leader.ClaimWorkAsync("x", "gpu-1"));
        await leader.CompleteWorkAsync("x", null, "gpu-1");
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await leader.PruneFinishedAsync(Retention, Now)).Pruned);
        await _rig.RestoreQueueAsync("n1", backup);
        Assert.Equal("n1=pending n2=- n3=-", await EverywhereAsync("x"));

        // n2 takes over with every voter answering: n1 is behind, n2 and n3 are a current majority without x.
        var next = await _rig.LeadAsync("n2", 2);
        Assert.Null(await next.GetWorkAsync("x"));
        Assert.False(_rig.Replicas["n1"].IsBehind);
        Assert.Equal("n1=- n2=- n3=-", await EverywhereAsync("x")); // the catch-up left n1 without it too

        // So the next majority, n1 and n2, has nothing to bring back either.
        _rig.Network.Down("n3");
        var last = await _rig.LeadAsync("n1", 3);
        Assert.Null(await last.GetWorkAsync("x"));
        Assert.Equal(WorkStatus.Pending, (await last.GetWorkAsync("kept"))?.Status);
    }

    [Fact]
    public async Task ANewLeaderWhoseOwnQueueIsRestoredFromABackupTakenBeforeThePrune_DoesNotServeThePrunedItem()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await leader.AddWorkAsync(Work("x"));
        await SettledAsync("x", "n1=pending n2=pending n3=pending");
        var backup = await _rig.BackUpQueueAsync("n2");
        Assert.True(await leader.ClaimWorkAsync("x", "gpu-1"));
        await leader.CompleteWorkAsync("x", null, "gpu-1");
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await leader.PruneFinishedAsync(Retention, Now)).Pruned);
        await _rig.RestoreQueueAsync("n2", backup);

        var next = await _rig.LeadAsync("n2", 2); // behind itself; n1 and n3 are the current majority

        Assert.Null(await next.GetWorkAsync("x"));
        Assert.Null(await next.ClaimNextAsync("gpu-2", null));
        Assert.Equal("n1=- n2=- n3=-", await EverywhereAsync("x"));
    }

    [Fact]
    public async Task ARoundWithRetentionOff_OrOnANodeThatDoesNotServe_PrunesNothing()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await AddAndCompleteAsync(leader, "a");
        await SettledAsync("a", "n1=completed n2=completed n3=completed");
        _time.Advance(TimeSpan.FromDays(400));

        Assert.Equal(PruneRound.Nothing, await leader.PruneFinishedAsync(new QueueRetention { MaxAge = TimeSpan.Zero, MaxFinished = 0 }, Now));
        await Assert.ThrowsAsync<NotLeaderException>(() => _rig.Queues["n1"].PruneFinishedAsync(Retention, Now));
        Assert.Equal("n1=completed n2=completed n3=completed", await EverywhereAsync("a"));
    }
}
