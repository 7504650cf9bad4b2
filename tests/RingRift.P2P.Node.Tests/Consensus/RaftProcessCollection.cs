namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// The Raft tests on three node processes each load both cores for tens of seconds; they run one
/// after another, after the parallel tests, so their timing does not disturb the others (or theirs).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RaftProcessCollection
{
    public const string Name = "Raft node processes";
}
