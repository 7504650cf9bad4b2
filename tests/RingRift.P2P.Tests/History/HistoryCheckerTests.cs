using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.History;
using Xunit;
using static RingRift.P2P.Tests.History.HistoryScript;

namespace RingRift.P2P.Tests.History;

/// <summary>Each invariant of <see cref="HistoryChecker"/> on a hand-written history that keeps it and one that breaks it.</summary>
public sealed class HistoryCheckerTests
{
    private readonly HistoryScript _s = new();

    private static HistoryViolation Single(HistoryReport report, string invariant, string messagePart)
    {
        var violation = Assert.Single(report.Violations);
        Assert.Equal(invariant, violation.Invariant);
        Assert.Contains(messagePart, violation.Message);
        return violation;
    }

    // (a) no acknowledged add lost

    [Fact]
    public void NoLostAdd_AcknowledgedAddPresent_Passes()
    {
        _s.Add("c1", "w1");
        _s.Add("c2", "w2", HistoryOutcome.Unknown); // may be missing: its answer was lost
        var report = _s.Check([Item("w1")]);
        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(HistoryInvariant.All, report.InvariantsChecked);
        Assert.Equal((2, 1, 1), (report.Operations, report.OkOperations, report.UnknownOperations));
    }

    [Fact]
    public void NoLostAdd_AcknowledgedAddMissing_IsReported()
    {
        _s.Add("c1", "w1");
        _s.Add("c1", "w2");
        var violation = Single(_s.Check([Item("w2")]), HistoryInvariant.NoLostAdd, "acknowledged add of 'w1' is lost");
        Assert.Equal("w1", violation.WorkId);
    }

    [Fact]
    public void NoLostAdd_WithPruning_AnItemGoneAfterAnOkOrUnknownCompleteOrFail_Passes()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        _s.Add("c1", "w2");
        _s.ClaimNext("c1", "w2", "1.2");
        _s.Complete("c1", "w2", "1.2", "done-2", HistoryOutcome.Unknown);
        _s.Add("c1", "w3");
        _s.ClaimNext("c1", "w3", "1.3");
        _s.Fail("c1", "w3", "1.3", HistoryOutcome.Unknown);

        var report = HistoryChecker.Check(_s.History, [], new HistoryCheckOptions { FinishedMayBePruned = true });

        Assert.True(report.IsValid, report.ToString());
    }

    [Fact]
    public void NoLostAdd_WithPruning_AnItemGoneThatNobodyMayHaveFinished_IsStillLost()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1", HistoryOutcome.Fail); // refused: it did not finish
        _s.Add("c1", "w2"); // never claimed

        var report = HistoryChecker.Check(_s.History, [], new HistoryCheckOptions { FinishedMayBePruned = true });

        Assert.Equal(["w1", "w2"], report.Violations.Select(v => v.WorkId));
        Assert.All(report.Violations, v => Assert.Equal(HistoryInvariant.NoLostAdd, v.Invariant));
        Assert.Contains("cannot have been pruned", report.Violations[0].Message);
    }

    [Fact]
    public void NoLostAdd_WithoutPruning_AFinishedItemGone_IsLost()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        Single(_s.Check([]), HistoryInvariant.NoLostAdd, "acknowledged add of 'w1' is lost");
    }

    [Fact]
    public void CompletionOnce_TwoOkCompletionsOfAnItemNoLongerInTheQueue_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        _s.Complete("c2", "w1", "1.1", "done-2");

        var report = HistoryChecker.Check(_s.History, [], new HistoryCheckOptions { FinishedMayBePruned = true });

        var violation = Assert.Single(report.Violations);
        Assert.Equal(HistoryInvariant.CompletionOnce, violation.Invariant);
        Assert.Contains("'w1' (not in the final queue) completed 2 times", violation.Message);
    }

    // (b) no phantom

    [Fact]
    public void NoPhantom_ItemsAddedWithAnyOutcome_Pass()
    {
        _s.Add("c1", "w1", HistoryOutcome.Unknown);
        _s.Add("c1", "w2", HistoryOutcome.Fail); // refused by timeout at the proxy, yet it landed
        _s.Add("c1", "w3", HistoryOutcome.Pending);
        Assert.True(_s.Check([Item("w1"), Item("w2"), Item("w3")]).IsValid);
    }

    [Fact]
    public void NoPhantom_ItemNobodyAdded_IsReported()
    {
        _s.Add("c1", "w1");
        Single(_s.Check([Item("w1"), Item("w9")]), HistoryInvariant.NoPhantom, "phantom item 'w9'");
    }

    // (c) no item held by two holders

    [Fact]
    public void SingleHolder_ReclaimAfterFail_Passes()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Fail("c1", "w1", "1.1");
        _s.Claim("c2", "w1", "1.2");
        Assert.True(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2, claimedBy: "c2")]).IsValid);
    }

    [Fact]
    public void SingleHolder_TwoClaimsWithoutRelease_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Claim("c2", "w1", "2.5.1");
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2)]), HistoryInvariant.SingleHolder, "'w1' held by two holders");
    }

    [Fact]
    public void SingleHolder_TwoClaimsWithoutRelease_PassWhenRequeuesArePossible()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Claim("c2", "w1", "1.2");
        Assert.True(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2)], requeues: true).IsValid);
    }

    [Fact]
    public void SingleHolder_ReleaseInvokedOnlyAfterTheSecondClaimReturned_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        var second = _s.Begin("c2", HistoryOpKind.Claim, "w1", null);
        _s.History.Ok(second, token: "1.2");
        _s.Fail("c1", "w1", "1.1", HistoryOutcome.Unknown); // too late: both held it meanwhile
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2)]), HistoryInvariant.SingleHolder, "held by two holders");
    }

    [Fact]
    public void SingleHolder_MoreTokensThanAttempts_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Fail("c1", "w1", "1.1");
        _s.Claim("c2", "w1", "1.2");
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 1)]), HistoryInvariant.SingleHolder, "2 distinct ok claim tokens (1.1, 1.2) but only 1 attempt(s)");
    }

    [Fact]
    public void SingleHolder_OneTokenForTwoClaimCommands_IsReported()
    {
        _s.Add("c1", "w1");
        _s.Claim("c1", "w1", "1.1", commandId: "a");
        _s.Claim("c1", "w1", "1.1", commandId: "a"); // a retry: same command, same claim
        _s.Claim("c2", "w1", "1.1", commandId: "b");
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 1)]), HistoryInvariant.SingleHolder, "token 1.1 was returned to 2 different claims");
    }

    // (d) every completion applied once

    [Fact]
    public void CompletionOnce_RetriedCommand_IsOneCompletion()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        var report = _s.Check([Item("w1", WorkStatus.Completed, attempts: 1, resultOp: "op-done-1")]);
        Assert.True(report.IsValid, report.ToString());
        Assert.Equal(2, report.OkCompletions);
    }

    [Fact]
    public void CompletionOnce_UnknownCompletionThatLanded_Passes()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1", HistoryOutcome.Unknown);
        Assert.True(_s.Check([Item("w1", WorkStatus.Completed, attempts: 1, resultOp: "op-done-1")]).IsValid);
    }

    [Fact]
    public void CompletionOnce_TwoDistinctCompletions_AreReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        _s.Complete("c2", "w1", "1.1", "done-2");
        Single(_s.Check([Item("w1", WorkStatus.Completed, attempts: 1, resultOp: "op-done-1")]), HistoryInvariant.CompletionOnce, "'w1' completed 2 times");
    }

    [Fact]
    public void CompletionOnce_CompletedWithoutAnyComplete_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1", HistoryOutcome.Fail);
        Single(_s.Check([Item("w1", WorkStatus.Completed, attempts: 1, resultOp: "op-done-1")]), HistoryInvariant.CompletionOnce, "no complete of it was ok or unknown");
    }

    [Fact]
    public void CompletionOnce_AcknowledgedCompletionLost_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 1)], currentTokens: new() { ["w1"] = "1.1" }),
            HistoryInvariant.CompletionOnce, "acknowledged completion of 'w1' is lost");
    }

    [Fact]
    public void CompletionOnce_ResultOfAnotherCompletion_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c2", "w1", "1.1", "done-0", HistoryOutcome.Unknown);
        _s.Complete("c1", "w1", "1.1", "done-1");
        Single(_s.Check([Item("w1", WorkStatus.Completed, attempts: 1, resultOp: "op-done-0")]), HistoryInvariant.CompletionOnce, "result op is 'op-done-0' but the acknowledged completion");
    }

    // (e) fencing

    [Fact]
    public void Fencing_CurrentToken_Passes()
    {
        _s.Add("c1", "w1");
        _s.Claim("c1", "w1", "3.7");
        _s.Start("c1", "w1", "3.7");
        _s.Fail("c1", "w1", "3.7");
        Assert.True(_s.Check([Item("w1", attempts: 1)]).IsValid);
    }

    [Fact]
    public void Fencing_TokenNoClaimReturned_IsReported()
    {
        _s.Add("c1", "w1");
        _s.Claim("c1", "w1", "3.7");
        _s.Start("c1", "w1", "3.8");
        Single(_s.Check([Item("w1", WorkStatus.Running, attempts: 1)]), HistoryInvariant.Fencing, "accepted with token 3.8, which no claim of 'w1' returned");
    }

    [Fact]
    public void Fencing_StaleTokenAfterNewerClaim_IsReported()
    {
        _s.Add("c1", "w1");
        _s.Claim("c1", "w1", "1.9");
        _s.Fail("c1", "w1", "1.9");
        _s.Claim("c2", "w1", "1.10"); // 1.10 > 1.9: tokens compare numerically
        _s.Start("c1", "w1", "1.9");
        Single(_s.Check([Item("w1", WorkStatus.Running, attempts: 2, claimedBy: "c2")]), HistoryInvariant.Fencing, "stale token 1.9");
    }

    [Fact]
    public void Fencing_RetryOfAFailFirstSentBeforeTheNewerClaim_Passes()
    {
        _s.Add("c1", "w1");
        _s.Claim("c1", "w1", "1.9");
        _s.Fail("c1", "w1", "1.9", HistoryOutcome.Unknown, commandId: "fail-x"); // applied, answer lost
        _s.Claim("c2", "w1", "1.10");                                             // so the item could be claimed again
        _s.Fail("c1", "w1", "1.9", commandId: "fail-x");                         // the retry returns the first outcome
        Assert.True(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2, claimedBy: "c2")]).IsValid);

        _s.Fail("c1", "w1", "1.9", commandId: "fail-y");                         // a new command with the stale token
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2, claimedBy: "c2")]), HistoryInvariant.Fencing, "stale token 1.9");
    }

    [Fact]
    public void Fencing_RefusedStaleToken_Passes()
    {
        _s.Add("c1", "w1");
        _s.Claim("c1", "w1", "1.9");
        _s.Fail("c1", "w1", "1.9");
        _s.Claim("c2", "w1", "1.10");
        _s.Start("c1", "w1", "1.9", HistoryOutcome.Fail);
        Assert.True(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2, claimedBy: "c2")]).IsValid);
    }

    // (f) final state consistency

    [Fact]
    public void FinalState_CompletedWithoutCompletedAt_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Complete("c1", "w1", "1.1", "done-1");
        var item = Item("w1", WorkStatus.Completed, attempts: 1, resultOp: "op-done-1") with { CompletedAt = null };
        Single(_s.Check([item]), HistoryInvariant.FinalState, "'w1' is completed but has no completed_at");
    }

    [Fact]
    public void FinalState_RunningWithoutClaimedBy_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Start("c1", "w1", "1.1");
        var item = Item("w1", WorkStatus.Running, attempts: 1) with { ClaimedBy = null };
        Single(_s.Check([item]), HistoryInvariant.FinalState, "'w1' is running but has no claimed_by");
    }

    [Fact]
    public void FinalState_CurrentTokenOlderThanAcknowledgedClaim_IsReported()
    {
        _s.Add("c1", "w1");
        _s.ClaimNext("c1", "w1", "1.1");
        _s.Fail("c1", "w1", "1.1");
        _s.Claim("c2", "w1", "2.3");
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 2)], currentTokens: new() { ["w1"] = "1.1" }),
            HistoryInvariant.FinalState, "current token 1.1 is older than acknowledged claim");
    }

    [Fact]
    public void FinalState_CurrentTokenFromNowhere_IsReportedUnlessAClaimAnswerWasLost()
    {
        _s.Add("c1", "w1");
        var tokens = new Dictionary<string, string> { ["w1"] = "4.4" };
        Single(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 1)], currentTokens: tokens), HistoryInvariant.FinalState, "current token 4.4 was returned by no claim");

        _s.History.Unknown(_s.Begin("c2", HistoryOpKind.ClaimNext, null, null), "timeout");
        Assert.True(_s.Check([Item("w1", WorkStatus.Claimed, attempts: 1)], currentTokens: tokens).IsValid);
    }

    [Fact]
    public void Check_DuplicateFinalItem_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => _s.Check([Item("w1"), Item("w1")]));
        Assert.Contains("'w1' appears 2 times", error.Message);
    }
}
