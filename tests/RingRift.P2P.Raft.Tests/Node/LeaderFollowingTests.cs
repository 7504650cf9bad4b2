using RingRift.P2P.Raft.Node;
using Xunit;

namespace RingRift.P2P.Raft.Tests.Node;

/// <summary>A member's view of its leader follows the latest leader change, whatever order the changes' tasks finish in.</summary>
public sealed class LeaderFollowingTests
{
    private static readonly LeaderInfo Node4 = new("node-4", "10.213.0.4:7950", "10.213.0.4:7947");

    [Fact]
    public void NoneThenANewLeader_TheStaleNoneFinishingLast_LeavesTheNewLeader()
    {
        var following = new LeaderFollowing();
        var none = following.Change();   // DotNext: the old leader is gone
        var node4 = following.Change();  // and moments later: node-4 leads

        Assert.True(following.TryFollow(node4, Node4)); // node-4's task, after its metadata round trip
        Assert.True(following.TryMarkReady(node4));
        Assert.False(following.TryFollow(none, LeaderInfo.None)); // the "none" task, late on a loaded host

        Assert.Equal("node-4", following.Leader.Id);
        Assert.True(following.IsReady);
    }

    [Fact]
    public void AChangeMakesTheMemberUnready_UntilThatChangesTaskCaughtUp()
    {
        var following = new LeaderFollowing();
        var first = following.Change();
        Assert.True(following.TryFollow(first, Node4));
        Assert.True(following.TryMarkReady(first));
        Assert.True(following.IsReady);

        var second = following.Change();
        Assert.False(following.IsReady);
        Assert.False(following.TryMarkReady(first)); // the earlier change's catch-up says nothing about the new one
        Assert.False(following.IsReady);
        Assert.True(following.IsCurrent(second));
        Assert.False(following.IsCurrent(first));
    }

    [Fact]
    public void NoLeaderKnown_IsNeverReady()
    {
        var following = new LeaderFollowing();
        var change = following.Change();
        Assert.True(following.TryFollow(change, LeaderInfo.None));
        Assert.True(following.TryMarkReady(change));
        Assert.False(following.IsReady);
    }
}
