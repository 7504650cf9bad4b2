namespace RingRift.P2P.Scheduling;

/// <summary>
/// A node's standing in one work type's candidate heap: the rule's value (higher first), then load
/// score (lower first), then node id (ordinal). <see cref="Version"/> is the version of the node's
/// slot pool when the entry was pushed; an entry whose version is behind the pool's is stale.
/// </summary>
internal readonly record struct CandidateKey(double Primary, double Load, string NodeId, int Version);

/// <summary>Orders <see cref="CandidateKey"/> so the best candidate is the minimum (the top of a .NET min-heap).</summary>
internal sealed class CandidateKeyComparer : IComparer<CandidateKey>
{
    public static CandidateKeyComparer Instance { get; } = new();

    public int Compare(CandidateKey x, CandidateKey y)
    {
        var byPrimary = y.Primary.CompareTo(x.Primary);
        if (byPrimary != 0) return byPrimary;
        var byLoad = x.Load.CompareTo(y.Load);
        return byLoad != 0 ? byLoad : string.CompareOrdinal(x.NodeId, y.NodeId);
    }
}
