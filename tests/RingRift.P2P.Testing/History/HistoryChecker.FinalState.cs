using RingRift.P2P.Coordination;

namespace RingRift.P2P.Testing.History;

public static partial class HistoryChecker
{
    /// <summary>
    /// (f) Final state consistency: completed items have completed_at, claimed / running items
    /// have claimed_by, and a current token the test read is the newest Ok claim token of its
    /// item (or came from a claim whose answer was lost).
    /// </summary>
    public static IEnumerable<HistoryViolation> CheckFinalState(IReadOnlyList<HistoryOp> history, IReadOnlyList<WorkItem> finalItems, HistoryCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var item in finalItems)
        {
            var status = item.Status.ToString().ToLowerInvariant();
            if (item.Status == WorkStatus.Completed && item.CompletedAt is null)
                yield return new(HistoryInvariant.FinalState, item.WorkId, $"'{item.WorkId}' is completed but has no completed_at");
            if (item.Status is WorkStatus.Claimed or WorkStatus.Running && string.IsNullOrEmpty(item.ClaimedBy))
                yield return new(HistoryInvariant.FinalState, item.WorkId, $"'{item.WorkId}' is {status} but has no claimed_by");
            if (!options.CurrentTokens.TryGetValue(item.WorkId, out var current))
                continue; // the test did not read a token for it

            var okClaims = history.Where(o => o.IsOkClaim && o.WorkId == item.WorkId).ToList();
            var newest = okClaims.MaxBy(c => c.Token!, Comparer<string>.Create(HistoryToken.Compare));
            if (newest is not null && HistoryToken.Compare(newest.Token!, current) > 0)
            {
                yield return new(HistoryInvariant.FinalState, item.WorkId,
                    $"'{item.WorkId}' current token {current} is older than acknowledged claim {newest.Describe()}");
            }

            var unanswered = history.Any(o => o.Kind is HistoryOpKind.ClaimNext or HistoryOpKind.Claim
                                              && o.Outcome is HistoryOutcome.Unknown or HistoryOutcome.Pending
                                              && (o.WorkId is null || o.WorkId == item.WorkId));
            if (!unanswered && !okClaims.Any(c => c.Token == current))
            {
                yield return new(HistoryInvariant.FinalState, item.WorkId,
                    $"'{item.WorkId}' current token {current} was returned by no claim, and no claim answer was lost");
            }
        }
    }
}
