using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

public sealed class FencingAndIdempotencyTests
{
    private readonly MachineDriver _d = new();

    [Fact]
    public void Complete_WithStaleTokenAfterTimeoutRequeueAndReclaim_IsRefused_CurrentTokenWins()
    {
        _d.Add("w1", timeout: 60);
        var stale = _d.Claim("w1", "slow").Token!;
        _d.Now += 60;
        Assert.Single(_d.Requeue().Items);
        _d.Term = 2;
        var current = _d.Claim("w1", "fast").Token!;

        var refused = _d.Complete("w1", "slow", stale);

        Assert.Equal(WorkOutcome.FencingMismatch, refused.Outcome);
        Assert.Contains(stale.ToString(), refused.Message);
        Assert.IsType<WorkConflictException>(refused.ToException("w1", "complete"));
        Assert.Equal(WorkStatus.Claimed, _d.Machine.Get("w1")!.Status);
        Assert.True(_d.Complete("w1", "fast", current).IsOk);
    }

    [Fact]
    public void Complete_WithStaleTokenFromSameNodeAfterReclaim_IsRefused()
    {
        _d.Add("w1");
        var first = _d.Claim("w1", "n1").Token!;
        _d.Fail("w1", node: "n1", token: first);
        _d.Claim("w1", "n1");

        Assert.Equal(WorkOutcome.FencingMismatch, _d.Complete("w1", "n1", first).Outcome);
    }

    [Fact]
    public void StartAndFail_WithStaleTokenWhileItemPending_AreRefused_NotInvalidTransition()
    {
        _d.Add("w1");
        var token = _d.Claim("w1", "n1").Token!;
        _d.Fail("w1", token: token);

        Assert.Equal(WorkOutcome.FencingMismatch, _d.Start("w1", "n1", token).Outcome);
        Assert.Equal(WorkOutcome.FencingMismatch, _d.Fail("w1", node: "n1", token: token).Outcome);
    }

    [Fact]
    public void Start_WithCurrentTokenAndNoNode_IsAccepted()
    {
        _d.Add("w1");
        var token = _d.Claim("w1", "n1").Token!;
        Assert.Equal(WorkStatus.Running, _d.Start("w1", null, token).Item!.Status);
    }

    [Fact]
    public void Batch_ClaimFailReclaimInOneEntry_GivesDistinctTokensBySlot()
    {
        _d.Add("w1");
        var index = _d.NextIndex;
        var results = _d.Machine.ApplyBatch(
        [
            new ClaimWork("b1", 5, "w1", "n1"),
            new FailWork("b2", 5, "w1", "x", "n1", null),
            new ClaimWork("b3", 5, "w1", "n2"),
        ], index, 3);

        Assert.Equal(new FencingToken(3, index, 0), results[0].Token);
        Assert.Equal(new FencingToken(3, index, 2), results[2].Token);
        Assert.Equal($"3.{index}.2", results[2].Token!.ToString());
        Assert.Equal(WorkOutcome.FencingMismatch, _d.Machine.Apply(new CompleteWork("b4", 6, "w1", null, null, results[0].Token), index + 1, 3).Outcome);
    }

    [Fact]
    public void RepeatedCommandId_ReturnsFirstResult_WithoutApplyingAgain()
    {
        _d.Add("w1", maxAttempts: 5);
        var claim = new ClaimWork("retry-1", 1_000, "w1", "n1");
        var first = _d.Apply(claim);
        _d.Fail("w1");

        var replay = _d.Apply(claim);

        Assert.Same(first, replay);
        Assert.True(replay.Claimed);
        Assert.Equal(WorkStatus.Pending, _d.Machine.Get("w1")!.Status); // not claimed again
        Assert.Equal(1, _d.Machine.Get("w1")!.Attempts);
    }

    [Fact]
    public void RepeatedAddCommandId_DoesNotReportDuplicate()
    {
        var add = new AddWork("add-1", 1, new NewWork { WorkId = "w1", WorkType = JobType.Sync });
        var first = _d.Apply(add);
        Assert.True(_d.Apply(add).IsOk);
        Assert.Same(first.Item, _d.Apply(add).Item);
    }

    [Fact]
    public void RecentCommandIds_AreBounded_OldestForgottenFirst()
    {
        var d = new MachineDriver(new WorkQueueStateMachine(recentCommandCapacity: 2));
        d.Add("w1", maxAttempts: 10);
        var claim = new ClaimWork("old", 1, "w1", "n1");
        d.Apply(claim);
        d.Fail("w1");
        d.Cancel("nothing"); // third id evicts "old"

        var again = d.Apply(claim);

        Assert.True(again.Claimed); // forgotten, so applied anew
        Assert.Equal(2, d.Machine.Get("w1")!.Attempts);
    }
}
