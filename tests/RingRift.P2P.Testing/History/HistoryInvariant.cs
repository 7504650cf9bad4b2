namespace RingRift.P2P.Testing.History;

/// <summary>Names of the invariants <see cref="HistoryChecker"/> verifies, as they appear in a <see cref="HistoryReport"/>.</summary>
public static class HistoryInvariant
{
    /// <summary>Every Add that returned Ok is present in the final items.</summary>
    public const string NoLostAdd = "no-lost-add";
    /// <summary>Every final item was invoked as an Add by some client.</summary>
    public const string NoPhantom = "no-phantom";
    /// <summary>No item is held by two claims at once; distinct claim tokens ≤ final attempts.</summary>
    public const string SingleHolder = "single-holder";
    /// <summary>At most one completion per item, and the final result is that completion's.</summary>
    public const string CompletionOnce = "completion-once";
    /// <summary>Acknowledged Start / Complete / Fail carried a claim's token that was still current.</summary>
    public const string Fencing = "fencing";
    /// <summary>Final item fields agree with their status.</summary>
    public const string FinalState = "final-state";

    /// <summary>All of them, in the order they are checked.</summary>
    public static IReadOnlyList<string> All { get; } = [NoLostAdd, NoPhantom, SingleHolder, CompletionOnce, Fencing, FinalState];
}

/// <summary>One broken invariant: which one, which item (when it concerns one) and a readable account.</summary>
public sealed record HistoryViolation(string Invariant, string? WorkId, string Message)
{
    public override string ToString() => $"[{Invariant}] {Message}";
}

/// <summary>What to assume about the system under test.</summary>
public sealed record HistoryCheckOptions
{
    /// <summary>
    /// True when the leader may requeue a timed-out claim, so a second claim with a new token is
    /// legal without the first holder ever failing the item. False by default.
    /// </summary>
    public bool RequeuesPossible { get; init; }

    /// <summary>
    /// The current fencing token of claimed / running final items, by work id, when the test could
    /// read it from the leader. Empty by default.
    /// </summary>
    public IReadOnlyDictionary<string, string> CurrentTokens { get; init; } = new Dictionary<string, string>();
}

/// <summary>The result of <see cref="HistoryChecker.Check"/>: violations, what was checked, and counts.</summary>
public sealed record HistoryReport
{
    public required IReadOnlyList<HistoryViolation> Violations { get; init; }
    /// <summary>The invariants verified (<see cref="HistoryInvariant.All"/>).</summary>
    public required IReadOnlyList<string> InvariantsChecked { get; init; }
    public required int Operations { get; init; }
    public required int OkOperations { get; init; }
    public required int FailedOperations { get; init; }
    /// <summary>Unknown or never answered.</summary>
    public required int UnknownOperations { get; init; }
    public required int FinalItems { get; init; }
    public required int OkClaims { get; init; }
    public required int OkCompletions { get; init; }

    public bool IsValid => Violations.Count == 0;

    /// <summary>Violations of one invariant.</summary>
    public IEnumerable<HistoryViolation> Of(string invariant) => Violations.Where(v => v.Invariant == invariant);

    /// <summary>A multi-line summary: counts, then one line per violation.</summary>
    public override string ToString()
    {
        var head = $"{Operations} ops ({OkOperations} ok, {FailedOperations} failed, {UnknownOperations} unknown), " +
                   $"{FinalItems} final items, {OkClaims} ok claims, {OkCompletions} ok completions; " +
                   $"checked {string.Join(", ", InvariantsChecked)}: {Violations.Count} violation(s)";
        return Violations.Count == 0 ? head : head + Environment.NewLine + string.Join(Environment.NewLine, Violations);
    }
}
