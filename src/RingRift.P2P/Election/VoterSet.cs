namespace RingRift.P2P.Election;

/// <summary>
/// The fixed set of nodes whose lease grants make a leader. <see cref="UnresolvedCount"/> counts
/// configured voters whose id is not known yet (a seed address not heard from): they count towards
/// the size, so a node cut off at start-up cannot make a majority of one.
/// </summary>
public sealed record VoterSet(IReadOnlyCollection<string> Ids, int UnresolvedCount = 0)
{
    public int Size => Ids.Count + UnresolvedCount;

    /// <summary>Strict majority of <see cref="Size"/>: floor(n/2) + 1.</summary>
    public int Majority => Size / 2 + 1;

    public bool Contains(string nodeId) => Ids.Contains(nodeId);
}
