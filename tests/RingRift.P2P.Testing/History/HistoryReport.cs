namespace RingRift.P2P.Testing.History;

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
