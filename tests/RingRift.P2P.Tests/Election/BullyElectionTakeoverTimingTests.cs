using RingRift.P2P.Election;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>
/// When a leader dies, the next node asks for the leadership as the dead leader's grants end, not up to three
/// ticks later: a pre-vote (or campaign) refused because a majority of voters still hold another candidate's
/// grant backs off only until those grants end (<see cref="LeaseResponse.LeaseSeconds"/>), and the host ticks
/// again then (<see cref="BullyElection.NextCampaignIn"/>, which the node's election loop follows).
/// </summary>
public sealed class BullyElectionTakeoverTimingTests
{
    private static readonly string[] Ids = ["n1", "n2", "n3"];
    private static readonly BullyOptions ThreeSecondLease = new() { LeaseDuration = TimeSpan.FromSeconds(3) };

    /// <summary>
    /// One period of the election loop on every live node: a tick, then another at the end of each back-off that
    /// ends within the period, as the node's election loop does (the nodes share one clock, so one node's extra
    /// ticks move everyone's time on; the next round starts a whole tick after that).
    /// </summary>
    private static void LoopRound(ElectionCluster cluster)
    {
        var tick = cluster.Options.TickInterval;
        cluster.Clock.Advance(tick);
        foreach (var id in cluster.NodeIds.Where(id => !cluster.Network.IsCrashed(id)))
        {
            cluster.Tick(id);
            var spent = TimeSpan.Zero;
            while (cluster[id].NextCampaignIn is { } wait && spent + wait < tick)
            {
                cluster.Clock.Advance(wait);
                spent += wait;
                cluster.Tick(id);
            }
        }
    }

    /// <summary>
    /// The crash comes 0–400 ms after a round, so the survivors' ticks fall 0–400 ms before the grants end (which
    /// a renewal at a round set): on the old rules n2 led at its first tick after the end, up to 400 ms late.
    /// </summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 100)]
    [InlineData(3, 250)]
    [InlineData(4, 400)]
    public void LeaderCrashes_TheNextLeaderIsElectedWithinAFewMillisecondsOfItsGrantsEnding(int seed, int crashAfterRenewalMs)
    {
        var cluster = new ElectionCluster(Ids, options: ThreeSecondLease, seed: seed);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Run(4, () => invariant.Check());
        Assert.Equal(["n3"], cluster.Leaders);
        cluster.Run(2); // n3 renewed on one of these rounds (renewal every second, a tick every 500 ms)

        cluster.Clock.Advance(TimeSpan.FromMilliseconds(crashAfterRenewalMs));
        cluster.Crash("n3");
        // n2 takes over once n1's and n2's voters (the majority left) no longer hold n3's grant.
        var grantsEnd = new[] { "n1", "n2" }.Max(id => cluster.VoterOf(id).Snapshot.ExpiresAt!.Value);

        for (var rounds = 0; !cluster["n2"].IsLeader; rounds++)
        {
            Assert.True(rounds < 20, "n2 does not lead after 20 rounds");
            LoopRound(cluster);
            invariant.Check();
        }
        var late = cluster.Clock.GetUtcNow() - grantsEnd;
        Assert.InRange(late, TimeSpan.Zero, BullyElection.GrantEndMargin + TimeSpan.FromMilliseconds(1));
    }

    private static BullyElection.VoterAnswer Free(string voter) =>
        new(voter, new LeaseResponse(voter, false, null, 0, 4, 0, "not the holder"));

    private static BullyElection.VoterAnswer Held(string voter, string holder, double seconds) =>
        new(voter, new LeaseResponse(voter, false, holder, 4, 4, seconds, $"held by {holder}"));

    private static BullyElection.VoterAnswer Silent(string voter) => new(voter, null);

    [Fact]
    public void MajorityFreeIn_IsWhenTheMajorityThGrantInTheWayEnds()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5),
            BullyElection.MajorityFreeIn([Held("a", "x", 2.5), Free("b"), Held("c", "x", 1.5)], majority: 2, "b"));
        Assert.Equal(TimeSpan.FromSeconds(2.5),
            BullyElection.MajorityFreeIn([Held("a", "x", 2.5), Silent("b"), Held("c", "x", 1.5)], majority: 2, "b"));
    }

    [Fact]
    public void MajorityFreeIn_CountsTheCandidatesOwnGrantAsFree()
    {
        Assert.Equal(TimeSpan.Zero,
            BullyElection.MajorityFreeIn([Held("a", "me", 2.9), Held("b", "x", 2.0), Free("c")], majority: 2, "me"));
    }

    [Fact]
    public void MajorityFreeIn_IsUnknownWhenFewerThanAMajorityAnswered()
    {
        Assert.Null(BullyElection.MajorityFreeIn([Held("a", "x", 1.0), Silent("b"), Silent("c")], majority: 2, "me"));
        Assert.Null(BullyElection.MajorityFreeIn([], majority: 1, "me"));
    }
}
