using RingRift.P2P.Node.Tests.Consensus;
using RingRift.P2P.Node.Tests.Netns;
using RingRift.P2P.Node.Tests.Orchestration;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer("RingRift.P2P.Node.Tests.LongCollectionsFirst", "RingRift.P2P.Node.Tests")]

namespace RingRift.P2P.Node.Tests;

/// <summary>
/// Starts the long real-process collections first (longest first), then the rest by name: xunit runs
/// two collections at a time here (one per core), so the minutes-long fault schedules occupy one lane
/// from the start while everything else goes through the other, instead of running alone at the end.
/// </summary>
public sealed class LongCollectionsFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest = [FaultScheduleCollection.Name, NetnsCollection.Name, RaftProcessCollection.Name, JobProcessCollection.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => Array.IndexOf(Longest, c.DisplayName) is var rank and >= 0 ? rank : Longest.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
