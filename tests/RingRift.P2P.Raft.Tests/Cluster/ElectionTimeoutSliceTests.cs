using System.Net;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Raft.Tests.Cluster;

/// <summary>
/// <see cref="RaftNodeOptions.EffectiveElectionTimeout"/>: each member its own slice of the election
/// timeout range, so two survivors of a dead leader never time out together and split the vote.
/// </summary>
public sealed class ElectionTimeoutSliceTests
{
    private static readonly IPEndPoint[] Three =
    [
        new(IPAddress.Loopback, 4323),
        new(IPAddress.Loopback, 4321),
        new(IPAddress.Loopback, 4322),
    ];

    private static RaftNodeOptions For(IPEndPoint self, IReadOnlyList<EndPoint> members) => new()
    {
        NodeId = "n",
        PublicEndPoint = self,
        Members = members,
        DataDir = "unused",
    };

    [Fact]
    public void ThreeMembers_AtTheDefault100To200Ms_GetDisjointSlicesInAddressOrder()
    {
        var slices = Three.Select(m => For(m, Three).EffectiveElectionTimeout()).ToArray();

        Assert.Equal((167, 184), (slices[0].LowerMs, slices[0].UpperMs)); // :4323 sorts third
        Assert.Equal((100, 117), (slices[1].LowerMs, slices[1].UpperMs)); // :4321 first
        Assert.Equal((133, 150), (slices[2].LowerMs, slices[2].UpperMs)); // :4322 second
    }

    [Fact]
    public void Slices_DependOnTheMemberSet_NotOnTheOrderEachNodeListsIt()
    {
        var reversed = Three.Reverse().Cast<EndPoint>().ToList();

        foreach (var member in Three)
            Assert.Equal(For(member, Three).EffectiveElectionTimeout(), For(member, reversed).EffectiveElectionTimeout());
    }

    [Theory]
    [InlineData(2, 100)]
    [InlineData(3, 100)]
    [InlineData(5, 100)]
    [InlineData(7, 250)]
    [InlineData(3, 20)]
    public void EverySlice_LiesInTheRange_KeepsAGapToItsNeighbours_AndEndsBeforeAnyMembersSecondExpiry(int size, int lowerMs)
    {
        var members = Enumerable.Range(0, size).Select(i => new IPEndPoint(IPAddress.Loopback, 5000 + i)).ToList();
        var options = members.Select(m => For(m, members).WithElectionTimeout(lowerMs)).ToList();
        var slices = options.Select(o => o.EffectiveElectionTimeout()).OrderBy(s => s.LowerMs).ToList();

        Assert.All(slices, s => Assert.InRange(s.LowerMs, lowerMs, 2 * lowerMs));
        Assert.All(slices, s => Assert.InRange(s.UpperMs, s.LowerMs + 1, 2 * lowerMs));
        for (var i = 1; i < slices.Count; i++)
        {
            Assert.True(slices[i].LowerMs - slices[i - 1].UpperMs >= lowerMs / (2 * size) - 1,
                $"slice {i - 1} ({slices[i - 1]}) and slice {i} ({slices[i]}) are closer than half a slot");
        }

        Assert.True(2 * slices[0].LowerMs >= slices[^1].UpperMs, "the earliest member's second expiry lands inside the last slice");
    }

    [Fact]
    public void TheHeartbeat_StaysAtTheConfiguredFractionOfTheLowerBound_InEverySlice()
    {
        foreach (var member in Three)
        {
            var options = For(member, Three);
            var (lower, _, threshold) = options.EffectiveElectionTimeout();

            Assert.Equal(options.HeartbeatThreshold * options.LowerElectionTimeoutMs, threshold * lower, precision: 6);
        }
    }

    [Theory]
    [InlineData(100, null, 20.0)]
    [InlineData(100, 0.35, 35.0)]
    [InlineData(250, 0.1, 25.0)]
    public void WithElectionTimeout_SetsTheHeartbeatRatio_OrKeepsTheDefault(int lowerMs, double? ratio, double heartbeatMs)
    {
        foreach (var member in Three)
        {
            var (lower, _, threshold) = For(member, Three).WithElectionTimeout(lowerMs, ratio).EffectiveElectionTimeout();

            Assert.Equal(heartbeatMs, threshold * lower, precision: 6);
        }
    }

    [Fact]
    public void NotStaggered_OrASingleMember_UsesTheWholeRange()
    {
        var off = For(Three[0], Three) with { StaggerElectionTimeouts = false };
        var alone = For(Three[0], [Three[0]]);

        Assert.Equal((100, 200, 0.2), off.EffectiveElectionTimeout());
        Assert.Equal((100, 200, 0.2), alone.EffectiveElectionTimeout());
    }
}
