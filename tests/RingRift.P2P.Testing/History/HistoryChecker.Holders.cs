using RingRift.P2P.Coordination;

namespace RingRift.P2P.Testing.History;

public static partial class HistoryChecker
{
    /// <summary>
    /// (c) No item held by two holders. Ok claims of one item are ordered by token; a claim with a
    /// new token is legal only when the previous token's holder had invoked a Complete or Fail
    /// (Ok or Unknown) before the new claim returned, or when requeues are possible. One token
    /// must not be handed to two different claim commands. Distinct Ok tokens of a final item
    /// must not exceed its attempts.
    /// </summary>
    public static IEnumerable<HistoryViolation> CheckSingleHolder(IReadOnlyList<HistoryOp> history, IReadOnlyList<WorkItem> finalItems, HistoryCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var finalById = finalItems.ToDictionary(i => i.WorkId, StringComparer.Ordinal);
        // Indexed once: scanning the whole history per reclaimed item made a soak's check quadratic.
        var releases = history.Where(o => o.Kind is HistoryOpKind.Complete or HistoryOpKind.Fail && o.MayHaveHappened)
            .ToLookup(o => o.WorkId!, StringComparer.Ordinal);
        foreach (var claims in history.Where(o => o.IsOkClaim).GroupBy(o => o.WorkId!, StringComparer.Ordinal))
        {
            var workId = claims.Key;
            var byToken = claims.GroupBy(c => c.Token!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, Comparer<string>.Create(HistoryToken.Compare))
                .ToList();

            foreach (var sameToken in byToken)
            {
                var commands = sameToken.DistinctBy(c => c.CommandId).ToList();
                if (commands.Count < 2)
                    continue; // one claim, perhaps retried
                yield return new(HistoryInvariant.SingleHolder, workId,
                    $"'{workId}' token {sameToken.Key} was returned to {commands.Count} different claims: {string.Join("; ", commands.Select(c => c.Describe()))}");
            }

            for (var i = 1; i < byToken.Count; i++)
            {
                var earlier = byToken[i - 1].MinBy(c => c.EndTicks)!;
                var later = byToken[i].MinBy(c => c.EndTicks)!;
                if (options.RequeuesPossible)
                    continue; // a timeout may have ended the earlier claim
                if (ReleasedBefore(releases[workId], earlier.Token!, later.EndTicks))
                    continue; // the earlier holder let go first
                yield return new(HistoryInvariant.SingleHolder, workId,
                    $"'{workId}' held by two holders: {earlier.Describe()} then {later.Describe()}, and no complete/fail of token {earlier.Token} was invoked before the second claim returned (requeues not possible)");
            }

            if (!finalById.TryGetValue(workId, out var item) || byToken.Count <= item.Attempts)
                continue; // attempts account for every claim
            yield return new(HistoryInvariant.SingleHolder, workId,
                $"'{workId}' has {byToken.Count} distinct ok claim tokens ({string.Join(", ", byToken.Select(g => g.Key))}) but only {item.Attempts} attempt(s) in the final queue");
        }
    }

    /// <summary>True when one of the item's completes / fails that may have happened presented <paramref name="token"/> and was invoked before the deadline.</summary>
    private static bool ReleasedBefore(IEnumerable<HistoryOp> releases, string token, long deadlineTicks) =>
        releases.Any(o => o.Token == token && o.InvokeTicks < deadlineTicks);
}
