using RingRift.P2P.Coordination;

namespace RingRift.P2P.Testing.History;

/// <summary>
/// Verifies a recorded work-queue history against the items read from the leader afterwards
/// (Jepsen-style: every client operation with its outcome, then invariants over all of them).
/// Each invariant is its own method; <see cref="Check(IReadOnlyList{HistoryOp}, IReadOnlyList{WorkItem}, HistoryCheckOptions?)"/> runs them all.
/// </summary>
/// <remarks>
/// Outcomes: Ok happened, Fail did not, Unknown (and never answered) may have. Real-time order:
/// op A precedes op B when A's completion tick is before B's invoke tick. Fencing tokens are
/// ordered by (term, index, slot) — see <see cref="HistoryToken"/>.
/// </remarks>
public static partial class HistoryChecker
{
    /// <summary>Checks a recorder's operations; see the list overload.</summary>
    public static HistoryReport Check(WorkHistory history, IReadOnlyList<WorkItem> finalItems, HistoryCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        return Check(history.Operations, finalItems, options);
    }

    /// <summary>Runs every invariant of <see cref="HistoryInvariant.All"/> and counts the history.</summary>
    /// <param name="history">Operations in any order; their ids must be distinct.</param>
    /// <param name="finalItems">The queue's items read from the leader after the run; work ids must be distinct.</param>
    /// <param name="options">Assumptions; <see cref="HistoryCheckOptions"/> defaults when null.</param>
    public static HistoryReport Check(IReadOnlyList<HistoryOp> history, IReadOnlyList<WorkItem> finalItems, HistoryCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(finalItems);
        options ??= new HistoryCheckOptions();
        var duplicate = finalItems.GroupBy(i => i.WorkId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"finalItems must hold each work id once, '{duplicate.Key}' appears {duplicate.Count()} times", nameof(finalItems));

        var violations = new List<HistoryViolation>();
        violations.AddRange(CheckNoLostAdd(history, finalItems, options));
        violations.AddRange(CheckNoPhantom(history, finalItems));
        violations.AddRange(CheckSingleHolder(history, finalItems, options));
        violations.AddRange(CheckCompletionOnce(history, finalItems));
        violations.AddRange(CheckFencing(history));
        violations.AddRange(CheckFinalState(history, finalItems, options));

        return new HistoryReport
        {
            Violations = violations,
            InvariantsChecked = HistoryInvariant.All,
            Operations = history.Count,
            OkOperations = history.Count(o => o.Outcome == HistoryOutcome.Ok),
            FailedOperations = history.Count(o => o.Outcome == HistoryOutcome.Fail),
            UnknownOperations = history.Count(o => o.Outcome is HistoryOutcome.Unknown or HistoryOutcome.Pending),
            FinalItems = finalItems.Count,
            OkClaims = history.Count(o => o.IsOkClaim),
            OkCompletions = history.Count(o => o.IsOk && o.Kind == HistoryOpKind.Complete),
        };
    }

    /// <summary>
    /// (a) Every Add that returned Ok is present in the final items; when <see cref="HistoryCheckOptions.FinishedMayBePruned"/>,
    /// or gone after a complete or fail of it that may have happened (it finished and was pruned).
    /// </summary>
    public static IEnumerable<HistoryViolation> CheckNoLostAdd(IReadOnlyList<HistoryOp> history, IReadOnlyList<WorkItem> finalItems, HistoryCheckOptions? options = null)
    {
        var present = finalItems.Select(i => i.WorkId).ToHashSet(StringComparer.Ordinal);
        var mayHaveFinished = options?.FinishedMayBePruned == true
            ? history.Where(o => o.Kind is HistoryOpKind.Complete or HistoryOpKind.Fail && o.MayHaveHappened).Select(o => o.WorkId!).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var add in history.Where(o => o.Kind == HistoryOpKind.Add && o.IsOk))
        {
            if (present.Contains(add.WorkId!))
                continue; // still there
            if (mayHaveFinished.Contains(add.WorkId!))
                continue; // finished (a complete or fail of it was ok or unknown) and pruned
            yield return new(HistoryInvariant.NoLostAdd, add.WorkId,
                $"acknowledged add of '{add.WorkId}' is lost: {add.Describe()} returned ok but the item is not in the final queue" +
                (options?.FinishedMayBePruned == true ? ", and no complete or fail of it was ok or unknown, so it cannot have been pruned" : ""));
        }
    }

    /// <summary>(b) Every final item was invoked as an Add by some client, whatever the outcome.</summary>
    public static IEnumerable<HistoryViolation> CheckNoPhantom(IReadOnlyList<HistoryOp> history, IReadOnlyList<WorkItem> finalItems)
    {
        var invoked = history.Where(o => o.Kind == HistoryOpKind.Add).Select(o => o.WorkId!).ToHashSet(StringComparer.Ordinal);
        foreach (var item in finalItems)
        {
            if (invoked.Contains(item.WorkId))
                continue; // somebody asked for it
            yield return new(HistoryInvariant.NoPhantom, item.WorkId,
                $"phantom item '{item.WorkId}' (status {item.Status.ToString().ToLowerInvariant()}) is in the final queue but no client ever invoked an add of it");
        }
    }
}
