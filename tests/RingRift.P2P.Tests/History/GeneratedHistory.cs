using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.History;

namespace RingRift.P2P.Tests.History;

/// <summary>
/// A history produced by <see cref="QueueHistoryGenerator"/>: the recorder (still usable, so a
/// test can append operations), the final items the model holds, and the options to check with.
/// </summary>
internal sealed class GeneratedHistory
{
    public required WorkHistory History { get; init; }
    public required List<WorkItem> FinalItems { get; init; }
    public required Dictionary<string, string> CurrentTokens { get; init; }
    public required bool RequeuesPossible { get; init; }
    /// <summary>The model's next free fencing-token index, for injecting a fresh claim.</summary>
    public required long NextIndex { get; init; }
    public required long Term { get; init; }

    public HistoryCheckOptions Options => new() { RequeuesPossible = RequeuesPossible, CurrentTokens = CurrentTokens };

    public HistoryReport Check() => HistoryChecker.Check(History, FinalItems, Options);
}
