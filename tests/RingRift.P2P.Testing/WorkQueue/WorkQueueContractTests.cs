using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Testing.WorkQueue;

/// <summary>
/// The <see cref="IWorkQueue"/> contract, written once and run against every implementation
/// (embedded SQLite now, Raft-replicated later). A derived class supplies a fresh queue per test
/// and a way to restart it on the same storage. Rules cited as "seed" are the original Python module's
/// work queue rules; the rest come from the doc comments on <see cref="IWorkQueue"/>.
/// </summary>
public abstract partial class WorkQueueContractTests : IAsyncLifetime
{
    /// <summary>A whole-second start so timeout boundaries are exact in double seconds.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly double StartSeconds = Start.ToUnixTimeSeconds();

    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>The queue under test; replaced by <see cref="RestartAsync"/>.</summary>
    protected IWorkQueue Queue { get; private set; } = null!;

    /// <summary>A new, empty queue reading <paramref name="time"/>.</summary>
    protected abstract Task<IWorkQueue> CreateQueueAsync(FakeTimeProvider time);

    /// <summary>Disposes <paramref name="old"/> and opens a queue on the same storage.</summary>
    protected abstract Task<IWorkQueue> RestartQueueAsync(IWorkQueue old, FakeTimeProvider time);

    public virtual async Task InitializeAsync() => Queue = await CreateQueueAsync(Time);

    public virtual async Task DisposeAsync()
    {
        switch (Queue)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    protected async Task RestartAsync() => Queue = await RestartQueueAsync(Queue, Time);

    protected Task<WorkItem> AddAsync(string id, JobType type = default, int priority = WorkDefaults.Priority,
        int maxAttempts = WorkDefaults.MaxAttempts, double timeoutSeconds = WorkDefaults.TimeoutSeconds) =>
        Queue.AddWorkAsync(new NewWork
        {
            WorkId = id,
            WorkType = type,
            Priority = priority,
            MaxAttempts = maxAttempts,
            TimeoutSeconds = timeoutSeconds,
        });

    // ---------------------------------------------------------------- add / get

    [Fact]
    public async Task AddWork_WithOnlyAType_StoresSeedDefaults()
    {
        var added = await Queue.AddWorkAsync(new NewWork { WorkId = "w1", WorkType = JobType.Training });
        var stored = await Queue.GetWorkAsync("w1");

        Assert.NotNull(stored);
        foreach (var item in new[] { added, stored })
        {
            Assert.Equal("w1", item.WorkId);
            Assert.Equal(JobType.Training, item.WorkType);
            Assert.Equal(50, item.Priority);
            Assert.Equal(3, item.MaxAttempts);
            Assert.Equal(3600, item.TimeoutSeconds);
            Assert.Equal(0, item.Attempts);
            Assert.Equal(WorkStatus.Pending, item.Status);
            Assert.Empty(item.Config);
            Assert.Equal(StartSeconds, item.CreatedAt);
            Assert.Null(item.ClaimedBy);
            Assert.Null(item.ClaimedAt);
            Assert.Null(item.StartedAt);
            Assert.Null(item.CompletedAt);
            Assert.Null(item.Result);
            Assert.Null(item.Error);
        }
        AssertSameItem(added, stored);
    }

    [Fact]
    public async Task AddWork_WithEveryField_RoundTripsThem()
    {
        var config = new JsonObject { ["board_type"] = "hex8", ["num_players"] = 2, ["games"] = 500, ["nested"] = new JsonObject { ["a"] = new JsonArray(1, 2) } };
        var added = await Queue.AddWorkAsync(new NewWork
        {
            WorkId = "custom",
            WorkType = JobType.Evaluation,
            Priority = 80,
            Config = config,
            MaxAttempts = 7,
            TimeoutSeconds = 90.5,
        });

        var stored = await Queue.GetWorkAsync("custom");

        Assert.NotNull(stored);
        Assert.Equal(80, stored.Priority);
        Assert.Equal(7, stored.MaxAttempts);
        Assert.Equal(90.5, stored.TimeoutSeconds);
        Assert.True(JsonNode.DeepEquals(config, stored.Config), stored.Config.ToJsonString());
        AssertSameItem(added, stored);
    }

    [Fact]
    public async Task AddWork_CallerChangingConfigLater_DoesNotChangeStoredItem()
    {
        var config = new JsonObject { ["games"] = 1 };
        await Queue.AddWorkAsync(new NewWork { WorkId = "w", WorkType = JobType.Selfplay, Config = config });

        config["games"] = 2;

        var stored = await Queue.GetWorkAsync("w");
        Assert.Equal(1, (int)stored!.Config["games"]!);
    }

    [Fact]
    public async Task AddWork_WithoutId_GeneratesDistinctHexIds()
    {
        var first = await Queue.AddWorkAsync(new NewWork { WorkType = JobType.Selfplay });
        var second = await Queue.AddWorkAsync(new NewWork { WorkType = JobType.Selfplay });

        Assert.Matches("^w-[0-9a-f]{32}$", first.WorkId);
        Assert.Matches("^w-[0-9a-f]{32}$", second.WorkId);
        Assert.NotEqual(first.WorkId, second.WorkId);
        Assert.NotNull(await Queue.GetWorkAsync(first.WorkId));
    }

    [Fact]
    public async Task AddWork_ExistingId_ThrowsDuplicate_AndKeepsOriginal()
    {
        await AddAsync("dup", priority: 10);

        var error = await Assert.ThrowsAsync<DuplicateWorkException>(() => AddAsync("dup", priority: 90));

        Assert.Equal("dup", error.WorkId);
        Assert.Equal(10, (await Queue.GetWorkAsync("dup"))!.Priority);
    }

    [Fact]
    public async Task AddWork_ExistingIdOfFinishedItem_StillThrowsDuplicate()
    {
        await AddAsync("done");
        await Queue.CancelWorkAsync("done");

        await Assert.ThrowsAsync<DuplicateWorkException>(() => AddAsync("done"));
    }

    [Theory]
    [InlineData(101, 3, 3600.0, "priority")]
    [InlineData(-1, 3, 3600.0, "priority")]
    [InlineData(50, 0, 3600.0, "max_attempts")]
    [InlineData(50, 101, 3600.0, "max_attempts")]
    [InlineData(50, 3, 0.0, "timeout_seconds")]
    [InlineData(50, 3, -5.0, "timeout_seconds")]
    public async Task AddWork_OutOfRangeField_ThrowsNamingIt_AndStoresNothing(int priority, int maxAttempts, double timeout, string field)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => AddAsync("bad", priority: priority, maxAttempts: maxAttempts, timeoutSeconds: timeout));

        Assert.Equal(field, error.ParamName);
        Assert.Contains(field, error.Message);
        Assert.Null(await Queue.GetWorkAsync("bad"));
    }

    [Fact]
    public async Task AddWork_WithAttemptsUsedElsewhere_KeepsThem_AndFailsForGoodAfterTheRest()
    {
        var added = await Queue.AddWorkAsync(new NewWork { WorkId = "moved", WorkType = JobType.Training, MaxAttempts = 3, Attempts = 2 });

        Assert.Equal(2, added.Attempts);
        Assert.Equal(2, (await Queue.GetWorkAsync("moved"))!.Attempts);
        Assert.True(await Queue.ClaimWorkAsync("moved", "n1"));
        var failed = await Queue.FailWorkAsync("moved", "boom", "n1");
        Assert.Equal((WorkStatus.Failed, 3), (failed.Status, failed.Attempts));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public async Task AddWork_AttemptsNotBelowMaxAttempts_ThrowsNamingThem(int attempts)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Queue.AddWorkAsync(new NewWork { WorkId = "bad", WorkType = JobType.Training, MaxAttempts = 3, Attempts = attempts }));

        Assert.Equal("attempts", error.ParamName);
        Assert.Null(await Queue.GetWorkAsync("bad"));
    }

    [Fact]
    public async Task AddWork_EmptyId_ThrowsNamingWorkId()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => AddAsync(""));
        Assert.Equal("work_id", error.ParamName);
    }

    [Fact]
    public async Task GetWork_UnknownId_ReturnsNull() =>
        Assert.Null(await Queue.GetWorkAsync("nope"));

    // ---------------------------------------------------------------- claim order

    [Fact]
    public async Task ClaimNext_PicksHighestPriorityFirst()
    {
        await AddAsync("low", priority: 10);
        await AddAsync("high", priority: 90);
        await AddAsync("mid", priority: 50);

        var order = await ClaimAllAsync("n1");

        Assert.Equal(["high", "mid", "low"], order);
    }

    [Fact]
    public async Task ClaimNext_WithinOnePriority_PicksOldestFirst()
    {
        // Ids in reverse alphabetical order, so id order would give the opposite answer.
        foreach (var id in new[] { "c", "b", "a" })
        {
            await AddAsync(id, priority: 50);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        var order = await ClaimAllAsync("n1");

        Assert.Equal(["c", "b", "a"], order);
    }

    [Fact]
    public async Task ClaimNext_SamePriorityAndTime_PicksLowestIdFirst()
    {
        foreach (var id in new[] { "b", "c", "a" })
            await AddAsync(id);

        var order = await ClaimAllAsync("n1");

        Assert.Equal(["a", "b", "c"], order);
    }

    [Fact]
    public async Task ClaimNext_WithCapabilities_SkipsOtherWorkTypes()
    {
        await AddAsync("train", JobType.Training, priority: 100);
        await AddAsync("eval", JobType.Evaluation, priority: 90);
        await AddAsync("self", JobType.Selfplay, priority: 10);
        await AddAsync("sync", JobType.Sync, priority: 95);

        var first = await Queue.ClaimNextAsync("n1", [JobType.Selfplay, JobType.Evaluation]);
        var second = await Queue.ClaimNextAsync("n1", [JobType.Selfplay, JobType.Evaluation]);
        var third = await Queue.ClaimNextAsync("n1", [JobType.Selfplay, JobType.Evaluation]);
        var syncOnly = await Queue.ClaimNextAsync("n1", [JobType.Sync]);

        Assert.Equal("eval", first?.WorkId);
        Assert.Equal("self", second?.WorkId);
        Assert.Null(third);
        Assert.Equal("sync", syncOnly?.WorkId);
        Assert.Equal(WorkStatus.Pending, (await Queue.GetWorkAsync("train"))!.Status);
    }

    [Fact]
    public async Task ClaimNext_NullOrEmptyCapabilities_MeanAnyType()
    {
        await AddAsync("train", JobType.Training, priority: 70);
        await AddAsync("sync", JobType.Sync, priority: 60);

        Assert.Equal("train", (await Queue.ClaimNextAsync("n1", null))?.WorkId);
        Assert.Equal("sync", (await Queue.ClaimNextAsync("n1", []))?.WorkId);
    }

    [Fact]
    public async Task ClaimNext_NothingPending_ReturnsNull()
    {
        await AddAsync("taken");
        await Queue.ClaimWorkAsync("taken", "n1");

        Assert.Null(await Queue.ClaimNextAsync("n2", null));
    }

    [Fact]
    public async Task ClaimNext_SetsClaimant_ClaimTime_AndCountsAnAttempt()
    {
        await AddAsync("w");
        Time.Advance(TimeSpan.FromSeconds(5));

        var claimed = await Queue.ClaimNextAsync("node-a", null);
        var stored = await Queue.GetWorkAsync("w");

        Assert.NotNull(claimed);
        Assert.Equal(WorkStatus.Claimed, claimed.Status);
        Assert.Equal("node-a", claimed.ClaimedBy);
        Assert.Equal(StartSeconds + 5, claimed.ClaimedAt);
        Assert.Equal(1, claimed.Attempts);
        Assert.Null(claimed.StartedAt);
        AssertSameItem(claimed, stored);
    }

    // ---------------------------------------------------------------- claim by id, atomicity

    [Fact]
    public async Task ClaimWork_PendingItem_SucceedsOnce()
    {
        await AddAsync("w");

        Assert.True(await Queue.ClaimWorkAsync("w", "n1"));
        Assert.False(await Queue.ClaimWorkAsync("w", "n2"));

        var stored = await Queue.GetWorkAsync("w");
        Assert.Equal("n1", stored!.ClaimedBy);
        Assert.Equal(1, stored.Attempts);
    }

    [Fact]
    public async Task ClaimWork_MissingItem_ReturnsFalse() =>
        Assert.False(await Queue.ClaimWorkAsync("missing", "n1"));

    [Fact]
    public async Task ClaimWork_RunningOrFinishedItem_ReturnsFalse()
    {
        await AddAsync("running");
        await Queue.ClaimWorkAsync("running", "n1");
        await Queue.StartWorkAsync("running", "n1");
        await AddAsync("cancelled");
        await Queue.CancelWorkAsync("cancelled");

        Assert.False(await Queue.ClaimWorkAsync("running", "n2"));
        Assert.False(await Queue.ClaimWorkAsync("cancelled", "n2"));
    }

    [Fact]
    public async Task ClaimWork_EightConcurrentClaimersOfOneItem_ExactlyOneWins()
    {
        const int rounds = 50, claimers = 8;
        for (var round = 0; round < rounds; round++)
        {
            var id = $"race-{round}";
            await AddAsync(id);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = Enumerable.Range(0, claimers).Select(c => Task.Run(async () =>
            {
                await gate.Task;
                return (Node: $"n{c}", Won: await Queue.ClaimWorkAsync(id, $"n{c}"));
            })).ToArray();
            gate.SetResult();
            var results = await Task.WhenAll(tasks);

            var winners = results.Where(r => r.Won).ToList();
            Assert.Single(winners);
            var stored = await Queue.GetWorkAsync(id);
            Assert.Equal(winners[0].Node, stored!.ClaimedBy);
            Assert.Equal(1, stored.Attempts);
        }
    }

    [Fact]
    public async Task ClaimNext_EightConcurrentClaimers_ClaimEveryItemExactlyOnce()
    {
        const int items = 200, claimers = 8;
        for (var i = 0; i < items; i++)
            await AddAsync($"item-{i:D3}", priority: i % 7 * 10);

        var claims = new ConcurrentBag<(string Node, string WorkId)>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, claimers).Select(c => Task.Run(async () =>
        {
            await gate.Task;
            while (await Queue.ClaimNextAsync($"n{c}", null) is { } item)
                claims.Add(($"n{c}", item.WorkId));
        })).ToArray();
        gate.SetResult();
        await Task.WhenAll(tasks);

        Assert.Equal(items, claims.Count);
        Assert.Equal(items, claims.Select(c => c.WorkId).Distinct().Count());
        foreach (var (node, workId) in claims)
        {
            var stored = await Queue.GetWorkAsync(workId);
            Assert.Equal(node, stored!.ClaimedBy);
            Assert.Equal(1, stored.Attempts);
        }
        var stats = await Queue.GetQueueStatsAsync();
        Assert.Equal(0, stats.Pending);
        Assert.Equal(items, stats.Claimed);
    }

    // ---------------------------------------------------------------- fail / retry

    [Fact]
    public async Task FailWork_WithThreeMaxAttempts_GoesPendingPendingThenFailed()
    {
        await AddAsync("w", maxAttempts: 3);
        var statuses = new List<WorkStatus>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.True(await Queue.ClaimWorkAsync("w", "n1"));
            Time.Advance(TimeSpan.FromSeconds(1));
            var failed = await Queue.FailWorkAsync("w", $"boom {attempt}", "n1");
            statuses.Add(failed.Status);
            Assert.Equal(attempt, failed.Attempts);
            Assert.Equal($"boom {attempt}", failed.Error);
        }

        Assert.Equal([WorkStatus.Pending, WorkStatus.Pending, WorkStatus.Failed], statuses);
        Assert.False(await Queue.ClaimWorkAsync("w", "n1"));
        var final = await Queue.GetWorkAsync("w");
        Assert.Equal(WorkStatus.Failed, final!.Status);
        Assert.Equal(StartSeconds + 3, final.CompletedAt);
    }

    [Fact]
    public async Task FailWork_WithAttemptsLeft_ClearsClaim_KeepsError()
    {
        await AddAsync("w");
        await Queue.ClaimWorkAsync("w", "n1");
        await Queue.StartWorkAsync("w", "n1");

        var failed = await Queue.FailWorkAsync("w", "gpu fell off the bus");

        Assert.Equal(WorkStatus.Pending, failed.Status);
        Assert.Null(failed.ClaimedBy);
        Assert.Null(failed.ClaimedAt);
        Assert.Null(failed.StartedAt);
        Assert.Null(failed.CompletedAt);
        Assert.Equal("gpu fell off the bus", failed.Error);
        Assert.Equal(1, failed.Attempts);
        AssertSameItem(failed, await Queue.GetWorkAsync("w"));

        var retried = await Queue.ClaimNextAsync("n2", null);
        Assert.Equal("w", retried?.WorkId);
        Assert.Equal(2, retried!.Attempts);
    }

    // ---------------------------------------------------------------- start / complete

    [Fact]
    public async Task StartWork_ClaimedItem_BecomesRunningAtNow()
    {
        await AddAsync("w");
        await Queue.ClaimWorkAsync("w", "n1");
        Time.Advance(TimeSpan.FromSeconds(2));

        var running = await Queue.StartWorkAsync("w", "n1");

        Assert.Equal(WorkStatus.Running, running.Status);
        Assert.Equal(StartSeconds + 2, running.StartedAt);
        Assert.Equal("n1", running.ClaimedBy);
        AssertSameItem(running, await Queue.GetWorkAsync("w"));
    }

    [Fact]
    public async Task StartWork_NotClaimed_Conflicts()
    {
        await AddAsync("pending");
        await AddAsync("running");
        await Queue.ClaimWorkAsync("running", "n1");
        await Queue.StartWorkAsync("running");

        var fromPending = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.StartWorkAsync("pending"));
        var fromRunning = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.StartWorkAsync("running"));

        Assert.Equal(WorkStatus.Pending, fromPending.Status);
        Assert.Equal("start", fromPending.Action);
        Assert.Equal(WorkStatus.Running, fromRunning.Status);
        Assert.Equal(WorkStatus.Pending, (await Queue.GetWorkAsync("pending"))!.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteWork_FromClaimedOrRunning_StoresResultAndTime(bool started)
    {
        await AddAsync("w");
        await Queue.ClaimWorkAsync("w", "n1");
        if (started)
            await Queue.StartWorkAsync("w", "n1");
        Time.Advance(TimeSpan.FromSeconds(30));
        var result = new JsonObject { ["games_played"] = 500, ["model"] = "m-7" };

        var completed = await Queue.CompleteWorkAsync("w", result, "n1");

        Assert.Equal(WorkStatus.Completed, completed.Status);
        Assert.Equal(StartSeconds + 30, completed.CompletedAt);
        Assert.True(JsonNode.DeepEquals(result, completed.Result));
        var stored = await Queue.GetWorkAsync("w");
        Assert.True(JsonNode.DeepEquals(result, stored!.Result));
        AssertSameItem(completed, stored);
    }

    [Fact]
    public async Task CompleteWork_WithNullResult_StoresNoResult()
    {
        await AddAsync("w");
        await Queue.ClaimWorkAsync("w", "n1");

        var completed = await Queue.CompleteWorkAsync("w", null);

        Assert.Equal(WorkStatus.Completed, completed.Status);
        Assert.Null((await Queue.GetWorkAsync("w"))!.Result);
    }

    [Fact]
    public async Task CompleteAndFail_OfPendingOrFinishedItem_Conflict()
    {
        await AddAsync("pending");
        await AddAsync("completed");
        await Queue.ClaimWorkAsync("completed", "n1");
        await Queue.CompleteWorkAsync("completed", null);
        await AddAsync("cancelled");
        await Queue.CancelWorkAsync("cancelled");

        foreach (var id in new[] { "pending", "completed", "cancelled" })
        {
            var complete = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.CompleteWorkAsync(id, null));
            var fail = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.FailWorkAsync(id, "x"));
            Assert.Equal("complete", complete.Action);
            Assert.Equal("fail", fail.Action);
        }
        Assert.Equal(WorkStatus.Completed, (await Queue.GetWorkAsync("completed"))!.Status);
    }

    [Fact]
    public async Task StartCompleteFail_ByNodeThatDoesNotHoldTheClaim_ConflictNamingHolder()
    {
        await AddAsync("w");
        await Queue.ClaimWorkAsync("w", "holder");

        var start = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.StartWorkAsync("w", "intruder"));
        await Queue.StartWorkAsync("w", "holder");
        var complete = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.CompleteWorkAsync("w", null, "intruder"));
        var fail = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.FailWorkAsync("w", "x", "intruder"));

        foreach (var error in new[] { start, complete, fail })
            Assert.Contains("holder", error.Message);
        var stored = await Queue.GetWorkAsync("w");
        Assert.Equal(WorkStatus.Running, stored!.Status);
        Assert.Equal("holder", stored.ClaimedBy);
    }

    [Fact]
    public async Task Transitions_OnMissingItem_ThrowNotFound()
    {
        Assert.Equal("ghost", (await Assert.ThrowsAsync<WorkNotFoundException>(() => Queue.StartWorkAsync("ghost"))).WorkId);
        await Assert.ThrowsAsync<WorkNotFoundException>(() => Queue.CompleteWorkAsync("ghost", null));
        await Assert.ThrowsAsync<WorkNotFoundException>(() => Queue.FailWorkAsync("ghost", "x"));
        await Assert.ThrowsAsync<WorkNotFoundException>(() => Queue.CancelWorkAsync("ghost"));
    }

    // ---------------------------------------------------------------- cancel

    [Theory]
    [InlineData(WorkStatus.Pending)]
    [InlineData(WorkStatus.Claimed)]
    [InlineData(WorkStatus.Running)]
    public async Task CancelWork_FromPendingClaimedOrRunning_Cancels(WorkStatus from)
    {
        await BringToAsync("w", from);

        var cancelled = await Queue.CancelWorkAsync("w");

        Assert.Equal(WorkStatus.Cancelled, cancelled.Status);
        Assert.Equal(WorkStatus.Cancelled, (await Queue.GetWorkAsync("w"))!.Status);
        Assert.Null(await Queue.ClaimNextAsync("n9", null));
    }

    [Theory]
    [InlineData(WorkStatus.Completed)]
    [InlineData(WorkStatus.Failed)]
    [InlineData(WorkStatus.Cancelled)]
    public async Task CancelWork_OfFinishedItem_Conflicts(WorkStatus from)
    {
        await BringToAsync("w", from);

        var error = await Assert.ThrowsAsync<WorkConflictException>(() => Queue.CancelWorkAsync("w"));

        Assert.Equal(from, error.Status);
        Assert.Equal("cancel", error.Action);
        Assert.Equal(from, (await Queue.GetWorkAsync("w"))!.Status);
    }

    // ---------------------------------------------------------------- timeouts

    [Fact]
    public async Task RequeueTimedOut_ClaimedItem_RequeuedExactlyAtClaimPlusTimeout()
    {
        await AddAsync("w", timeoutSeconds: 60);
        await Queue.ClaimWorkAsync("w", "n1");

        Time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await Queue.RequeueTimedOutAsync());
        Assert.Equal(WorkStatus.Claimed, (await Queue.GetWorkAsync("w"))!.Status);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var changed = await Queue.RequeueTimedOutAsync();

        var item = Assert.Single(changed);
        Assert.Equal("w", item.WorkId);
        Assert.Equal(WorkStatus.Pending, item.Status);
        Assert.Equal("timed out after 60s", item.Error);
        Assert.Null(item.ClaimedBy);
        Assert.Null(item.ClaimedAt);
        AssertSameItem(item, await Queue.GetWorkAsync("w"));
        Assert.Empty(await Queue.RequeueTimedOutAsync());
    }

    [Fact]
    public async Task RequeueTimedOut_RunningItem_CountsFromStartNotClaim()
    {
        await AddAsync("w", timeoutSeconds: 100);
        await Queue.ClaimWorkAsync("w", "n1");
        Time.Advance(TimeSpan.FromSeconds(40));
        await Queue.StartWorkAsync("w", "n1");

        Time.Advance(TimeSpan.FromSeconds(100) - TimeSpan.FromMilliseconds(1)); // 139.999 s after the claim
        Assert.Empty(await Queue.RequeueTimedOutAsync());

        Time.Advance(TimeSpan.FromMilliseconds(1));
        var item = Assert.Single(await Queue.RequeueTimedOutAsync());
        Assert.Equal(WorkStatus.Pending, item.Status);
        Assert.Null(item.StartedAt);
    }

    [Fact]
    public async Task RequeueTimedOut_AtLastAttempt_MarksFailed()
    {
        await AddAsync("w", maxAttempts: 1, timeoutSeconds: 10);
        await Queue.ClaimWorkAsync("w", "n1");

        Time.Advance(TimeSpan.FromSeconds(10));
        var item = Assert.Single(await Queue.RequeueTimedOutAsync());

        Assert.Equal(WorkStatus.Failed, item.Status);
        Assert.Equal("timed out after 10s", item.Error);
        Assert.Equal(StartSeconds + 10, item.CompletedAt);
        Assert.False(await Queue.ClaimWorkAsync("w", "n2"));
    }

    [Fact]
    public async Task RequeueTimedOut_LeavesPendingAndFinishedItemsAlone()
    {
        await AddAsync("pending", timeoutSeconds: 1);
        await BringToAsync("completed", WorkStatus.Completed);

        Time.Advance(TimeSpan.FromDays(30));

        Assert.Empty(await Queue.RequeueTimedOutAsync());
    }

    // ---------------------------------------------------------------- restart, stats, list, versions

    [Fact]
    public async Task Restart_KeepsEveryItemWithEveryField()
    {
        foreach (var status in Enum.GetValues<WorkStatus>())
            await BringToAsync($"item-{status}", status);
        await Queue.AddWorkAsync(new NewWork
        {
            WorkId = "rich",
            WorkType = JobType.Training,
            Priority = 99,
            MaxAttempts = 9,
            TimeoutSeconds = 12.25,
            Config = new JsonObject { ["board_type"] = "square19", ["num_players"] = 4, ["ratio"] = 0.125 },
        });
        var before = (await Queue.ListWorkAsync(limit: 100)).OrderBy(i => i.WorkId, StringComparer.Ordinal).ToList();

        await RestartAsync();

        var after = (await Queue.ListWorkAsync(limit: 100)).OrderBy(i => i.WorkId, StringComparer.Ordinal).ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(7, after.Count);
        for (var i = 0; i < before.Count; i++)
            AssertSameItem(before[i], after[i]);
    }

    [Fact]
    public async Task GetQueueStats_CountsEachStatus()
    {
        await AddAsync("p1");
        await AddAsync("p2");
        await BringToAsync("c1", WorkStatus.Claimed);
        await BringToAsync("r1", WorkStatus.Running);
        await BringToAsync("r2", WorkStatus.Running);
        await BringToAsync("d1", WorkStatus.Completed);
        await BringToAsync("f1", WorkStatus.Failed);
        await BringToAsync("x1", WorkStatus.Cancelled);

        var stats = await Queue.GetQueueStatsAsync();

        Assert.Equal(2, stats.Pending);
        Assert.Equal(1, stats.Claimed);
        Assert.Equal(2, stats.Running);
        Assert.Equal(1, stats.Completed);
        Assert.Equal(1, stats.Failed);
        Assert.Equal(1, stats.Cancelled);
        Assert.Equal(8, stats.Total);
    }

    [Fact]
    public async Task ListWork_NewestFirst_WithStatusFilterAndLimit()
    {
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await AddAsync(id);
            Time.Advance(TimeSpan.FromSeconds(1));
        }
        await Queue.ClaimWorkAsync("b", "n1");
        await Queue.ClaimWorkAsync("d", "n1");

        Assert.Equal(["d", "c", "b", "a"], (await Queue.ListWorkAsync()).Select(i => i.WorkId));
        Assert.Equal(["c", "a"], (await Queue.ListWorkAsync(WorkStatus.Pending)).Select(i => i.WorkId));
        Assert.Equal(["d"], (await Queue.ListWorkAsync(WorkStatus.Claimed, limit: 1)).Select(i => i.WorkId));
        Assert.Empty(await Queue.ListWorkAsync(WorkStatus.Failed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task ListWork_LimitOutsideOneToTenThousand_Throws(int limit)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queue.ListWorkAsync(limit: limit));
        Assert.Equal("limit", error.ParamName);
    }

    [Fact]
    public async Task EveryChange_GivesTheItemAHigherVersion()
    {
        var versions = new List<long> { (await AddAsync("w")).Version };
        await Queue.ClaimWorkAsync("w", "n1");
        versions.Add((await Queue.GetWorkAsync("w"))!.Version);
        versions.Add((await Queue.StartWorkAsync("w")).Version);
        versions.Add((await Queue.FailWorkAsync("w", "x")).Version);
        versions.Add((await Queue.ClaimNextAsync("n1", null))!.Version);
        versions.Add((await Queue.CompleteWorkAsync("w", null)).Version);

        for (var i = 1; i < versions.Count; i++)
            Assert.True(versions[i] > versions[i - 1], $"version {i} ({versions[i]}) is not above {versions[i - 1]}");
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Adds <paramref name="id"/> and drives it to <paramref name="status"/> through the public API.</summary>
    protected async Task BringToAsync(string id, WorkStatus status)
    {
        await AddAsync(id, maxAttempts: 1);
        if (status == WorkStatus.Pending)
            return;
        if (status == WorkStatus.Cancelled)
        {
            await Queue.CancelWorkAsync(id);
            return;
        }
        Assert.True(await Queue.ClaimWorkAsync(id, "n-" + id));
        switch (status)
        {
            case WorkStatus.Running:
                await Queue.StartWorkAsync(id);
                break;
            case WorkStatus.Completed:
                await Queue.StartWorkAsync(id);
                await Queue.CompleteWorkAsync(id, new JsonObject { ["ok"] = true });
                break;
            case WorkStatus.Failed:
                await Queue.FailWorkAsync(id, "broken");
                break;
        }
        Assert.Equal(status, (await Queue.GetWorkAsync(id))!.Status);
    }

    /// <summary>Claims with ClaimNext until the queue is empty; the ids in claim order.</summary>
    protected async Task<List<string>> ClaimAllAsync(string nodeId)
    {
        var ids = new List<string>();
        while (await Queue.ClaimNextAsync(nodeId, null) is { } item)
            ids.Add(item.WorkId);
        return ids;
    }

    /// <summary>Field-by-field equality, JSON compared by value.</summary>
    protected static void AssertSameItem(WorkItem expected, WorkItem? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.WorkId, actual.WorkId);
        Assert.Equal(expected.WorkType, actual.WorkType);
        Assert.Equal(expected.Priority, actual.Priority);
        Assert.True(JsonNode.DeepEquals(expected.Config, actual.Config), $"config {actual.Config.ToJsonString()} != {expected.Config.ToJsonString()}");
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ClaimedBy, actual.ClaimedBy);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected.MaxAttempts, actual.MaxAttempts);
        Assert.Equal(expected.TimeoutSeconds, actual.TimeoutSeconds);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.ClaimedAt, actual.ClaimedAt);
        Assert.Equal(expected.StartedAt, actual.StartedAt);
        Assert.Equal(expected.CompletedAt, actual.CompletedAt);
        Assert.True(JsonNode.DeepEquals(expected.Result, actual.Result), $"result {actual.Result?.ToJsonString()} != {expected.Result?.ToJsonString()}");
        Assert.Equal(expected.Error, actual.Error);
        // A replicated queue may re-stamp items when a new leader takes over; a version never goes back.
        Assert.True(actual.Version >= expected.Version, $"version went back from {expected.Version} to {actual.Version}");
    }
}
