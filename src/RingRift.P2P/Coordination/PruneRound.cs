namespace RingRift.P2P.Coordination;

/// <summary>
/// What one retention round did: how many finished items it pruned, and why it pruned none when something
/// was due but could not be pruned yet (<paramref name="Waiting"/>, null otherwise).
/// </summary>
public sealed record PruneRound(int Pruned, string? Waiting = null)
{
    /// <summary>Nothing was due.</summary>
    public static PruneRound Nothing { get; } = new(0);
}
