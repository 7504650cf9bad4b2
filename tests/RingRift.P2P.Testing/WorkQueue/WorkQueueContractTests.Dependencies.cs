using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Testing.WorkQueue;

/// <summary><c>depends_on</c>: an item is claimable only once every dependency has completed; a dependency that fails for good or is cancelled fails it.</summary>
public abstract partial class WorkQueueContractTests
{
    private Task<WorkItem> AddDependentAsync(string id, params string[] dependsOn) =>
        Queue.AddWorkAsync(new NewWork { WorkId = id, WorkType = JobType.Parse("gauntlet"), Priority = 100, DependsOn = WorkDependencies.Of(dependsOn) });

    private async Task CompleteAsync(string id)
    {
        Assert.True(await Queue.ClaimWorkAsync(id, "n1"));
        await Queue.CompleteWorkAsync(id, new JsonObject { ["ok"] = true });
    }

    [Fact]
    public async Task Dependencies_AnItemWaitsUntilEveryDependencyHasCompleted()
    {
        await AddAsync("train", JobType.Training, priority: 10);
        await AddAsync("data", JobType.Sync, priority: 10);
        var added = await AddDependentAsync("gauntlet", "train", "data");

        Assert.Equal(["train", "data"], added.DependsOn);
        Assert.False(await Queue.ClaimWorkAsync("gauntlet", "n9")); // waiting: not claimable by id
        await CompleteAsync("train");
        Assert.False(await Queue.ClaimWorkAsync("gauntlet", "n9"));
        Assert.Equal("data", (await Queue.ClaimNextAsync("n1", null))!.WorkId); // the waiting item outranks it, yet is skipped
        await Queue.CompleteWorkAsync("data", null);

        var claimed = await Queue.ClaimNextAsync("n2", null);
        Assert.Equal("gauntlet", claimed!.WorkId);
        Assert.Equal(["train", "data"], (await Queue.GetWorkAsync("gauntlet"))!.DependsOn);
    }

    [Fact]
    public async Task Dependencies_AnItemWhoseDependenciesAlreadyCompleted_IsClaimableAtOnce()
    {
        await AddAsync("train", JobType.Training);
        await CompleteAsync("train");

        await AddDependentAsync("gauntlet", "train");

        Assert.Equal("gauntlet", (await Queue.ClaimNextAsync("n1", [JobType.Parse("gauntlet")]))!.WorkId);
    }

    [Theory]
    [InlineData(WorkStatus.Failed, "failed")]
    [InlineData(WorkStatus.Cancelled, "was cancelled")]
    public async Task Dependencies_AFailedOrCancelledDependency_FailsTheChainBelowIt(WorkStatus end, string why)
    {
        await AddAsync("train", JobType.Training, maxAttempts: 1);
        await AddDependentAsync("eval", "train");
        await AddDependentAsync("promote", "eval");
        await AddAsync("other");
        await AddDependentAsync("unrelated", "other");

        if (end == WorkStatus.Cancelled)
        {
            await Queue.CancelWorkAsync("train");
        }
        else
        {
            Assert.True(await Queue.ClaimWorkAsync("train", "n1"));
            await Queue.FailWorkAsync("train", "out of memory");
        }

        var eval = (await Queue.GetWorkAsync("eval"))!;
        var promote = (await Queue.GetWorkAsync("promote"))!;
        Assert.Equal((WorkStatus.Failed, $"dependency 'train' {why}"), (eval.Status, eval.Error));
        Assert.Equal((WorkStatus.Failed, "dependency 'eval' failed"), (promote.Status, promote.Error));
        Assert.Equal(WorkStatus.Pending, (await Queue.GetWorkAsync("unrelated"))!.Status);
        Assert.Equal(["other"], await ClaimAllAsync("n2")); // "unrelated" still waits for "other"
    }

    [Fact]
    public async Task Dependencies_ADependencyTimingOutOnItsLastAttempt_FailsTheItem()
    {
        await AddAsync("train", JobType.Training, maxAttempts: 1, timeoutSeconds: 10);
        await AddDependentAsync("eval", "train");
        Assert.True(await Queue.ClaimWorkAsync("train", "n1"));
        Time.Advance(TimeSpan.FromSeconds(11));

        await Queue.RequeueTimedOutAsync();

        Assert.Equal(WorkStatus.Failed, (await Queue.GetWorkAsync("train"))!.Status);
        var eval = (await Queue.GetWorkAsync("eval"))!;
        Assert.Equal((WorkStatus.Failed, "dependency 'train' failed"), (eval.Status, eval.Error));
    }

    [Fact]
    public async Task Dependencies_ARetriedDependency_KeepsTheItemWaiting()
    {
        await AddAsync("train", JobType.Training, maxAttempts: 2);
        await AddDependentAsync("eval", "train");
        Assert.True(await Queue.ClaimWorkAsync("train", "n1"));

        await Queue.FailWorkAsync("train", "flaky"); // back to pending: attempts remain

        Assert.Equal(WorkStatus.Pending, (await Queue.GetWorkAsync("eval"))!.Status);
        Assert.Equal(["train"], await ClaimAllAsync("n2"));
    }

    [Theory]
    [InlineData("missing", null, "not in the queue")]
    [InlineData("dead", WorkStatus.Failed, "failed")]
    [InlineData("gone", WorkStatus.Cancelled, "cancelled")]
    public async Task Dependencies_AnUnknownFailedOrCancelledDependency_IsRefusedAtAdd(string dependency, WorkStatus? status, string problem)
    {
        if (status is { } s) await BringToAsync(dependency, s);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => AddDependentAsync("x", dependency));

        Assert.Contains($"'{dependency}'", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Null(await Queue.GetWorkAsync("x"));
    }

    [Fact]
    public async Task Dependencies_AreKeptAcrossARestart()
    {
        await AddAsync("train", JobType.Training);
        await AddDependentAsync("eval", "train");

        await RestartAsync();

        Assert.Equal(["train"], (await Queue.GetWorkAsync("eval"))!.DependsOn);
        Assert.Equal(["train"], await ClaimAllAsync("n1"));
        await Queue.CompleteWorkAsync("train", null);
        Assert.Equal(["eval"], await ClaimAllAsync("n1"));
    }
}
