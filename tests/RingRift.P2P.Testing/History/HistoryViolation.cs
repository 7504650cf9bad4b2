namespace RingRift.P2P.Testing.History;

/// <summary>One broken invariant: which one, which item (when it concerns one) and a readable account.</summary>
public sealed record HistoryViolation(string Invariant, string? WorkId, string Message)
{
    public override string ToString() => $"[{Invariant}] {Message}";
}
