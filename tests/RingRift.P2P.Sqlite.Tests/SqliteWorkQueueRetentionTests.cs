using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>
/// What the SQLite store does for queue retention: which finished items it offers (oldest finished first,
/// never a training or evaluation item, never one an unfinished item depends on), the leader's deletion
/// (only finished items still at the version it read) and a replica's pushed deletion (versions up to the
/// pushed one; a newer version is the item added again, and stays).
/// </summary>
public sealed class SqliteWorkQueueRetentionTests : IAsyncLifetime
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteWorkQueue _store = null!;

    public async Task InitializeAsync() => _store = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _temp.Dispose();
    }

    private async Task AddAsync(string id, JobType? type = null, int maxAttempts = 3, params string[] dependsOn) =>
        await _store.AddWorkAsync(new NewWork
        {
            WorkId = id,
            WorkType = type ?? JobType.Selfplay,
            MaxAttempts = maxAttempts,
            DependsOn = WorkDependencies.Of(dependsOn),
        });

    /// <summary>Claims and completes <paramref name="id"/> one second after the last change.</summary>
    private async Task<WorkItem> CompleteAsync(string id)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _store.ClaimWorkAsync(id, "gpu-1"));
        return await _store.CompleteWorkAsync(id, null, "gpu-1");
    }

    /// <summary>
    /// c, a completed and e failed for good, in that order; b pending; a training and an evaluation completed;
    /// d completed but needed by w, which still waits for x (pending).
    /// </summary>
    private async Task<Dictionary<string, WorkItem>> FillAsync()
    {
        foreach (var id in new[] { "a", "b", "c", "d", "x" }) await AddAsync(id);
        await AddAsync("e", maxAttempts: 1);
        await AddAsync("train", JobType.Training);
        await AddAsync("eval", JobType.Evaluation);
        await AddAsync("w", null, 3, "d", "x");
        var done = new Dictionary<string, WorkItem>
        {
            ["train"] = await CompleteAsync("train"),
            ["c"] = await CompleteAsync("c"),
            ["eval"] = await CompleteAsync("eval"),
            ["a"] = await CompleteAsync("a"),
            ["d"] = await CompleteAsync("d"),
        };
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _store.ClaimWorkAsync("e", "gpu-1"));
        done["e"] = await _store.FailWorkAsync("e", "out of memory", "gpu-1");
        Assert.Equal(WorkStatus.Failed, done["e"].Status);
        return done;
    }

    [Fact]
    public async Task OldestFinished_AreInFinishedOrder_WithoutUnfinished_KeptTypes_OrDependenciesOfUnfinishedItems()
    {
        await FillAsync();

        var finished = await _store.ReadOldestFinishedAsync(10);

        Assert.Equal(["c", "a", "e"], finished.OldestFirst.Select(i => i.WorkId));
        Assert.Equal(3, finished.Count);
        Assert.Equal(["c"], (await _store.ReadOldestFinishedAsync(1)).OldestFirst.Select(i => i.WorkId));
        Assert.Equal(3, (await _store.ReadOldestFinishedAsync(1)).Count);
    }

    [Fact]
    public async Task Prune_DeletesFinishedItemsStillAtTheVersionRead_AndTheCountsFollow()
    {
        var done = await FillAsync();
        var before = await _store.GetQueueStatsAsync();

        var deleted = await _store.PruneAsync([done["c"], done["a"] with { Version = done["a"].Version - 1 }, done["e"]]);

        Assert.Equal(["c", "e"], deleted.Select(i => i.WorkId)); // a was read at another version: left alone
        Assert.Null(await _store.GetWorkAsync("c"));
        Assert.Null(await _store.GetWorkAsync("e"));
        Assert.NotNull(await _store.GetWorkAsync("a"));
        var after = await _store.GetQueueStatsAsync();
        Assert.Equal((before.Completed - 1, before.Failed - 1, before.Total - 2), (after.Completed, after.Failed, after.Total));
        Assert.Equal(["a"], (await _store.ReadOldestFinishedAsync(10)).OldestFirst.Select(i => i.WorkId));
    }

    [Fact]
    public async Task Prune_NeverDeletesAnUnfinishedItem_OrOneAnUnfinishedItemDependsOn()
    {
        var done = await FillAsync();
        var pending = (await _store.GetWorkAsync("b"))!;

        var deleted = await _store.PruneAsync([pending, done["d"]]);

        Assert.Empty(deleted);
        Assert.NotNull(await _store.GetWorkAsync("b"));
        Assert.NotNull(await _store.GetWorkAsync("d"));

        // Once w has finished (here: cancelled), nothing waits for d any more.
        await _store.CancelWorkAsync("w");
        Assert.Equal(["d"], (await _store.PruneAsync([done["d"]])).Select(i => i.WorkId));
    }

    [Fact]
    public async Task APrunedId_CanBeAddedAgain_AsANewItem_WithAHigherVersion()
    {
        var done = await FillAsync();
        await _store.PruneAsync([done["c"]]);

        var again = await _store.AddWorkAsync(new NewWork { WorkId = "c", WorkType = JobType.Selfplay });

        Assert.Equal(WorkStatus.Pending, again.Status);
        Assert.True(again.Version > done["e"].Version);
    }

    [Fact]
    public async Task ApplyPruned_DropsVersionsUpToThePushedOne_AndKeepsANewerOne()
    {
        var done = await FillAsync();
        await AddAsync("fresh");
        var fresh = (await _store.GetWorkAsync("fresh"))!;

        var dropped = await _store.ApplyPrunedAsync([
            new PrunedItem("c", done["c"].Version),     // the version held
            new PrunedItem("a", done["a"].Version + 1), // a later version than held: held one is older, dropped
            new PrunedItem("fresh", fresh.Version - 1), // held newer than the deletion: the item added again
            new PrunedItem("never-held", 5),
        ]);

        Assert.Equal(2, dropped);
        Assert.Null(await _store.GetWorkAsync("c"));
        Assert.Null(await _store.GetWorkAsync("a"));
        Assert.NotNull(await _store.GetWorkAsync("fresh"));
    }

    [Fact]
    public async Task ApplyPruned_RefusesAnEntryWithoutAnIdOrWithANegativeVersion()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.ApplyPrunedAsync([new PrunedItem("a", 1), new PrunedItem("", 2)]));
        Assert.StartsWith("pruned[1] needs a non-empty work_id", error.Message);
        error = await Assert.ThrowsAsync<ArgumentException>(() => _store.ApplyPrunedAsync([new PrunedItem("a", -1)]));
        Assert.StartsWith("pruned[0].version must be >= 0", error.Message);
    }

    [Fact]
    public async Task DropBelow_DeletesEveryRowBelowTheVersion_AndKeepsTheVersionClock()
    {
        await AddAsync("old");
        _store.SetEpoch(3);
        await AddAsync("new");
        var highest = await _store.GetHighestVersionAsync();

        Assert.Equal(1, await _store.DropBelowAsync(3L << SqliteWorkQueue.EpochShift));

        Assert.Null(await _store.GetWorkAsync("old"));
        Assert.NotNull(await _store.GetWorkAsync("new"));
        Assert.Equal(highest, await _store.GetHighestVersionAsync());
        Assert.Equal(1, (await _store.GetQueueStatsAsync()).Total);
    }
}
