namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// The Raft tests on three node processes (kill-leader, rollback, hybrid fallback, non-member): one
/// after another, so no two of them load the cores at once, but beside the other test collections
/// (see <see cref="LongCollectionsFirst"/>). Their waits are bounded for a loaded machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RaftProcessCollection
{
    public const string Name = "Raft node processes";
}

/// <summary>
/// The Jepsen-style fault schedules (the suite's longest test, minutes): a collection of its own that
/// starts first, so the rest of the suite runs beside it rather than after it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultScheduleCollection
{
    public const string Name = "Raft fault schedules";
}
