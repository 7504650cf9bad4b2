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
