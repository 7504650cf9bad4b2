using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class WorkQueueStateMachineTransitionTests
{
    private readonly MachineDriver _d = new();

    [Fact]
    public void AddWork_StoresItemPendingAtLeaderTime_WithConfigCopied()
    {
        var item = _d.Add("w1", JobType.Training, priority: 70, maxAttempts: 5, timeout: 120);

        Assert.Equal(WorkStatus.Pending, item.Status);
        Assert.Equal(1_000, item.CreatedAt);
        Assert.Equal((70, 5, 120.0, JobType.Training), (item.Priority, item.MaxAttempts, item.TimeoutSeconds, item.WorkType));
        Assert.Equal(10, (int)item.Config["games"]!);
        Assert.Same(item, _d.Machine.Get("w1"));
        Assert.Equal(1, _d.Machine.Stats().Pending);
    }

    [Fact]
    public void AddWork_ExistingId_IsDuplicate_AndKeepsOriginal()
    {
        _d.Add("w1", priority: 10);
        var again = _d.Apply(new AddWork(_d.NewId(), 2_000, new NewWork { WorkId = "w1", WorkType = JobType.Sync, Priority = 90 }));

        Assert.Equal(WorkOutcome.Duplicate, again.Outcome);
        Assert.IsType<DuplicateWorkException>(again.ToException("w1", "add"));
        Assert.Equal(10, _d.Machine.Get("w1")!.Priority);
    }

    [Theory]
    [InlineData(null, 50, "work_id")]
    [InlineData("w", 101, "priority")]
    public void AddWork_InvalidFields_AreRefusedNamingTheField_AndStoreNothing(string? workId, int priority, string field)
    {
        var result = _d.Apply(new AddWork(_d.NewId(), 1, new NewWork { WorkId = workId, WorkType = JobType.Selfplay, Priority = priority }));

        Assert.Equal(WorkOutcome.InvalidCommand, result.Outcome);
        Assert.Contains(field, result.Message);
        Assert.Equal(0, _d.Machine.Count);
    }

    [Fact]
    public void ClaimWork_Pending_SetsClaimantTimeAttempt_AndReturnsTermIndexToken()
    {
        _d.Add("w1");
        _d.Term = 7;
        _d.Now = 1_005;
        var index = _d.NextIndex;

        var claim = _d.Claim("w1", "n1");

        Assert.True(claim.Claimed);
        Assert.Equal(new FencingToken(7, index), claim.Token);
        Assert.Equal($"7.{index}", claim.Token!.ToString());
        Assert.Equal((WorkStatus.Claimed, "n1", 1_005.0, 1), (claim.Item!.Status, claim.Item.ClaimedBy, claim.Item.ClaimedAt!.Value, claim.Item.Attempts));
        Assert.Equal(claim.Token, _d.Machine.GetClaimToken("w1"));
    }

    [Fact]
    public void ClaimWork_TwoClaimersOfOneItem_ExactlyOneWins()
    {
        _d.Add("w1");

        var first = _d.Claim("w1", "n1");
        var second = _d.Claim("w1", "n2");

        Assert.True(first.Claimed);
        Assert.False(second.Claimed);
        Assert.Equal(WorkOutcome.NotClaimable, second.Outcome);
        Assert.Equal("n1", _d.Machine.Get("w1")!.ClaimedBy);
        Assert.Equal(1, _d.Machine.Get("w1")!.Attempts);
    }

    [Fact]
    public void ClaimWork_MissingItem_IsNotFound()
    {
        var result = _d.Claim("ghost", "n1");
        Assert.Equal(WorkOutcome.NotFound, result.Outcome);
        Assert.False(result.Claimed);
    }

    [Fact]
    public void ClaimNext_PicksPriorityThenOldestThenLowestId_WithinCapabilities()
    {
        _d.Now = 10; _d.Add("old-low", priority: 10);
        _d.Now = 20; _d.Add("b-high", priority: 90);
        _d.Now = 20; _d.Add("a-high", priority: 90);
        _d.Now = 5; _d.Add("train", JobType.Training, priority: 100);
        _d.Now = 30;

        Assert.Equal("a-high", _d.ClaimNext("n1", JobType.Selfplay).Item!.WorkId);
        Assert.Equal("train", _d.ClaimNext("n1").Item!.WorkId);
        Assert.Equal("b-high", _d.ClaimNext("n1").Item!.WorkId);
        Assert.Equal("old-low", _d.ClaimNext("n1", JobType.Selfplay, JobType.Sync).Item!.WorkId);
        var none = _d.ClaimNext("n1");
        Assert.True(none.IsOk);
        Assert.False(none.Claimed);
        Assert.Null(none.Item);
    }

    [Fact]
    public void ClaimNext_OnlyOtherTypesPending_ClaimsNothing()
    {
        _d.Add("t", JobType.Training);
        Assert.False(_d.ClaimNext("n1", JobType.Evaluation).Claimed);
        Assert.Equal(WorkStatus.Pending, _d.Machine.Get("t")!.Status);
    }

    [Fact]
    public void StartThenComplete_ByClaimant_StoresTimesAndResult()
    {
        _d.Add("w1");
        var token = _d.Claim("w1", "n1").Token;
        _d.Now = 1_010;
        var started = _d.Start("w1", "n1", token);
        _d.Now = 1_020;
        var completed = _d.Complete("w1", "n1", token);

        Assert.Equal((WorkStatus.Running, 1_010.0), (started.Item!.Status, started.Item.StartedAt!.Value));
        Assert.Equal((WorkStatus.Completed, 1_020.0), (completed.Item!.Status, completed.Item.CompletedAt!.Value));
        Assert.True((bool)completed.Item.Result!["ok"]!);
        Assert.Null(_d.Machine.GetClaimToken("w1"));
        Assert.Equal(1, _d.Machine.Stats().Completed);
    }

    [Fact]
    public void Start_OfPendingOrRunningItem_IsInvalidTransition()
    {
        _d.Add("w1");
        Assert.Equal(WorkOutcome.InvalidTransition, _d.Start("w1").Outcome);
        _d.Claim("w1", "n1");
        _d.Start("w1");
        var again = _d.Start("w1");
        Assert.Equal(WorkOutcome.InvalidTransition, again.Outcome);
        Assert.IsType<WorkConflictException>(again.ToException("w1", "start"));
    }

    [Fact]
    public void CompleteOrFail_OfPendingOrFinishedItem_IsInvalidTransition()
    {
        _d.Add("p");
        _d.Add("done");
        _d.Claim("done", "n1");
        _d.Complete("done");

        Assert.Equal(WorkOutcome.InvalidTransition, _d.Complete("p").Outcome);
        Assert.Equal(WorkOutcome.InvalidTransition, _d.Fail("p").Outcome);
        Assert.Equal(WorkOutcome.InvalidTransition, _d.Complete("done").Outcome);
        Assert.Equal(WorkOutcome.InvalidTransition, _d.Fail("done").Outcome);
    }

    [Fact]
    public void StartCompleteFail_ByOtherNodeWithoutToken_AreRefusedNamingHolder()
    {
        _d.Add("w1");
        _d.Claim("w1", "holder");

        foreach (var refused in new[] { _d.Start("w1", "intruder"), _d.Complete("w1", "intruder"), _d.Fail("w1", node: "intruder") })
        {
            Assert.Equal(WorkOutcome.FencingMismatch, refused.Outcome);
            Assert.Contains("holder", refused.Message);
        }
        Assert.Equal(WorkStatus.Claimed, _d.Machine.Get("w1")!.Status);
    }

    [Fact]
    public void Transitions_OnMissingItem_AreNotFound()
    {
        Assert.Equal(WorkOutcome.NotFound, _d.Start("ghost").Outcome);
        Assert.Equal(WorkOutcome.NotFound, _d.Complete("ghost").Outcome);
        Assert.Equal(WorkOutcome.NotFound, _d.Fail("ghost").Outcome);
        var cancel = _d.Cancel("ghost");
        Assert.Equal(WorkOutcome.NotFound, cancel.Outcome);
        Assert.IsType<WorkNotFoundException>(cancel.ToException("ghost", "cancel"));
    }

    [Fact]
    public void FailWork_WithThreeMaxAttempts_GoesPendingPendingThenFailed()
    {
        _d.Add("w1", maxAttempts: 3);
        var statuses = new List<WorkStatus>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.True(_d.Claim("w1", "n1").Claimed);
            var failed = _d.Fail("w1", $"boom {attempt}", "n1");
            statuses.Add(failed.Item!.Status);
            Assert.Equal(attempt, failed.Item.Attempts);
            Assert.Equal($"boom {attempt}", failed.Item.Error);
        }

        Assert.Equal([WorkStatus.Pending, WorkStatus.Pending, WorkStatus.Failed], statuses);
        Assert.NotNull(_d.Machine.Get("w1")!.CompletedAt);
        Assert.False(_d.Claim("w1", "n1").Claimed);
    }

    [Fact]
    public void FailWork_WithAttemptsLeft_ClearsClaimFields_KeepsError()
    {
        _d.Add("w1");
        _d.Claim("w1", "n1");
        _d.Start("w1", "n1");
        var failed = _d.Fail("w1", "gpu fell off the bus").Item!;

        Assert.Equal((WorkStatus.Pending, null, null, null), (failed.Status, failed.ClaimedBy, failed.ClaimedAt, failed.StartedAt));
        Assert.Equal("gpu fell off the bus", failed.Error);
        Assert.Null(_d.Machine.GetClaimToken("w1"));
    }

    [Theory]
    [InlineData(WorkStatus.Pending)]
    [InlineData(WorkStatus.Claimed)]
    [InlineData(WorkStatus.Running)]
    public void CancelWork_FromPendingClaimedOrRunning_Cancels(WorkStatus from)
    {
        _d.Add("w1");
        if (from != WorkStatus.Pending)
            _d.Claim("w1", "n1");
        if (from == WorkStatus.Running)
            _d.Start("w1");

        var cancelled = _d.Cancel("w1");

        Assert.Equal(WorkStatus.Cancelled, cancelled.Item!.Status);
        Assert.Equal(1_000, cancelled.Item.CompletedAt);
        Assert.False(_d.ClaimNext("n2").Claimed);
        Assert.Equal(1, _d.Machine.Stats().Cancelled);
    }

    [Fact]
    public void CancelWork_OfFinishedItem_IsInvalidTransition()
    {
        _d.Add("w1");
        _d.Cancel("w1");
        Assert.Equal(WorkOutcome.InvalidTransition, _d.Cancel("w1").Outcome);
    }

    [Fact]
    public void RequeueTimedOut_AtExactDeadline_RequeuesOnce_OneSecondBeforeNothing()
    {
        _d.Add("claimed", timeout: 60);
        _d.Add("running", timeout: 60, maxAttempts: 1);
        _d.Now = 1_000; _d.Claim("claimed", "n1"); _d.Claim("running", "n1");
        _d.Now = 1_030; _d.Start("running");

        _d.Now = 1_059.999;
        Assert.Empty(_d.Requeue().Items);

        _d.Now = 1_060;
        var first = _d.Requeue().Items;
        Assert.Equal(["claimed"], first.Select(i => i.WorkId));
        Assert.Equal(WorkStatus.Pending, first[0].Status);
        Assert.Equal("timed out after 60s", first[0].Error);

        _d.Now = 1_090;
        var second = _d.Requeue().Items;
        Assert.Equal(["running"], second.Select(i => i.WorkId));
        Assert.Equal(WorkStatus.Failed, second[0].Status); // max_attempts 1 used up
        Assert.Empty(_d.Requeue().Items);
    }

    [Fact]
    public void RequeueTimedOut_ReturnsTheDueItemsInOrdinalWorkIdOrder_WhateverOrderTheyWereClaimedIn()
    {
        string[] ids = ["w-b", "W-c", "w-a", "w-10", "w-9"];
        foreach (var id in ids) _d.Add(id, timeout: 10);
        _d.Now = 100;
        foreach (var id in ids) _d.Claim(id, "n1");

        _d.Now = 110;
        Assert.Equal(["W-c", "w-10", "w-9", "w-a", "w-b"], _d.Requeue().Items.Select(i => i.WorkId));
    }

    [Fact]
    public void ListAndStats_FollowStatuses_NewestFirst()
    {
        _d.Now = 1; _d.Add("a");
        _d.Now = 2; _d.Add("b");
        _d.Now = 2; _d.Add("c");
        _d.Claim("a", "n1");

        Assert.Equal(["c", "b", "a"], _d.Machine.List().Select(i => i.WorkId));
        Assert.Equal(["c"], _d.Machine.List(WorkStatus.Pending, limit: 1).Select(i => i.WorkId));
        var stats = _d.Machine.Stats();
        Assert.Equal((2, 1, 3), (stats.Pending, stats.Claimed, stats.Total));
        Assert.Throws<ArgumentOutOfRangeException>(() => _d.Machine.List(limit: 0));
    }

    [Fact]
    public void Apply_IndexNotAfterLastApplied_Throws()
    {
        _d.Machine.Apply(new CancelWork("x1", 1, "ghost"), 5, 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _d.Machine.Apply(new CancelWork("x2", 1, "ghost"), 5, 1));
        Assert.Contains("last applied entry 5", error.Message);
    }

    [Fact]
    public void SkipEntry_AdvancesLastApplied_AndRefusesCommandsAtThatIndex()
    {
        _d.Machine.SkipEntry(3);

        Assert.Equal(3, _d.Machine.LastAppliedIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => _d.Machine.Apply(new CancelWork("x", 1, "w"), 3, 1));
        Assert.Equal(WorkOutcome.NotFound, _d.Machine.Apply(new CancelWork("x", 1, "w"), 4, 1).Outcome);
    }
}
