namespace RingRift.P2P.Testing.History;

public static partial class HistoryChecker
{
    /// <summary>
    /// (e) Fencing. An Ok Start / Complete / Fail carried a token some claim of the same item
    /// returned (Ok, or Unknown when the recorder learnt the token), and never a token older than
    /// an Ok claim of that item which had returned before it was invoked. "Invoked" is the first
    /// attempt of its command id: a retry returns the outcome of an earlier attempt, which may have
    /// been applied before that claim.
    /// </summary>
    public static IEnumerable<HistoryViolation> CheckFencing(IReadOnlyList<HistoryOp> history)
    {
        var claimsById = history.Where(o => o.Kind is HistoryOpKind.ClaimNext or HistoryOpKind.Claim && o.MayHaveHappened && o.WorkId is not null && o.Token is not null)
            .ToLookup(o => o.WorkId!, StringComparer.Ordinal);
        var firstInvoke = history.GroupBy(o => o.CommandId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(o => o.InvokeTicks), StringComparer.Ordinal);
        foreach (var op in history.Where(o => o.IsOk && o.Kind is HistoryOpKind.Start or HistoryOpKind.Complete or HistoryOpKind.Fail))
        {
            var claims = claimsById[op.WorkId!].ToList();
            if (!claims.Any(c => c.Token == op.Token))
            {
                yield return new(HistoryInvariant.Fencing, op.WorkId,
                    $"{op.Describe()} was accepted with token {op.Token}, which no claim of '{op.WorkId}' returned");
                continue;
            }

            var newer = claims.Where(c => c.IsOk && c.EndTicks < firstInvoke[op.CommandId] && HistoryToken.Compare(c.Token!, op.Token!) > 0)
                .MinBy(c => c.EndTicks);
            if (newer is null)
                continue; // no newer claim had returned yet
            yield return new(HistoryInvariant.Fencing, op.WorkId,
                $"{op.Describe()} was accepted with stale token {op.Token}: {newer.Describe()} had already returned newer token {newer.Token}");
        }
    }
}
