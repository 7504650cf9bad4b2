using RingRift.P2P.Election;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>
/// Sticky leadership (issue 16 §4): a leader whose lease is in force is not preempted by a higher voter that
/// starts, restarts or rejoins; that voter follows it. The highest alive voter takes over only once no lease
/// is in force: the leader died and its grants ran out, or it stepped down. Five nodes on virtual time, the
/// leadership invariant checked after every delivery and every round.
/// </summary>
public sealed class BullyElectionStickinessTests
{
    private static readonly string[] Ids = ["n1", "n2", "n3", "n4", "n5"];

    /// <summary>
    /// n5 is down and n4 leads the other four. With <paramref name="n5LedBefore"/>, n5 led epoch 1 before it
    /// crashed (its voter saved that grant, which it honours for one lease after restarting) and n4 leads
    /// epoch 2 from when n5's grants ran out; otherwise n5 never ran and n4 leads epoch 1.
    /// </summary>
    private static (ElectionCluster Cluster, LeadershipInvariant Invariant) LowerLeaderWhileN5IsDown(bool n5LedBefore)
    {
        var cluster = new ElectionCluster(Ids);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        if (n5LedBefore)
        {
            cluster.Run(1);
            Assert.Equal(["n5"], cluster.Leaders);
        }
        cluster.Crash("n5");
        for (var rounds = 0; !cluster["n4"].IsLeader; rounds++)
        {
            Assert.True(rounds < 60, $"n4 does not lead after {rounds} rounds");
            cluster.Run(1, () => invariant.Check());
        }
        Assert.Equal(n5LedBefore ? 2 : 1, cluster["n4"].Snapshot.Epoch);
        return (cluster, invariant);
    }

    [Theory]
    [InlineData(true)]  // n5 returns: it restarts on the voter state it saved while it led
    [InlineData(false)] // n5 starts for the first time
    public void HigherVoterStartingOrReturning_FollowsTheLeaderWhoseLeaseIsInForce(bool n5LedBefore)
    {
        var (cluster, invariant) = LowerLeaderWhileN5IsDown(n5LedBefore);
        var epoch = cluster["n4"].Snapshot.Epoch;

        var n5 = cluster.Restart("n5");
        // Three leases of rounds; n5 ticks from its first instant, before n4's next announcement can reach it.
        cluster.Run(90, () =>
        {
            invariant.Check();
            Assert.Equal(["n4"], cluster.Leaders);
        });

        Assert.Equal(epoch, cluster["n4"].Snapshot.Epoch);
        var s = n5.Snapshot;
        Assert.Equal((NodeRole.Follower, "n4", epoch, epoch), (s.Role, s.LeaderId, s.Epoch, s.KnownEpoch)); // no epoch burnt
        foreach (var id in Ids)
        {
            var grant = cluster.VoterOf(id).Snapshot;
            Assert.Equal(("n4", epoch, epoch), (grant.Holder, grant.HolderEpoch, grant.HighestEpoch));
        }
        Assert.Equal(n5LedBefore ? 2 : 1, invariant.LeaderOfEpoch.Count);

        // Had n5 asked for the next epoch, a voter bound to n4 would refuse it and keep its highest epoch.
        var refused = cluster["n1"].HandleLeaseRequest(new LeaseRequest("n5", epoch + 1));
        Assert.Equal((false, "n4", epoch), (refused.Granted, refused.HolderId, refused.HighestEpoch));
    }

    [Fact]
    public void ReturningHigherVoter_TickingBeforeItHearsTheLeader_RaisesNoEpochAnywhere()
    {
        // A campaign would be refused (the voters hold n4's grants) yet leave epoch 3 at n5 and at n5's own voter,
        // which would refuse n4's next renewal and announcement as stale: n4 would step down. The pre-vote asks first.
        var (cluster, invariant) = LowerLeaderWhileN5IsDown(n5LedBefore: true);

        var n5 = cluster.Restart("n5");
        cluster.Tick("n5");

        Assert.Null(n5.Snapshot.LeaderId); // it has heard no announcement yet
        Assert.Equal(2, n5.Snapshot.KnownEpoch); // learnt from the voters' answers, nothing above
        Assert.All(Ids, id => Assert.Equal(id == "n5" ? 1 : 2, cluster.VoterOf(id).Snapshot.HighestEpoch)); // n5's voter was down during epoch 2
        cluster.Run(15, () =>
        {
            invariant.Check();
            Assert.Equal(["n4"], cluster.Leaders);
        });
        Assert.Equal(("n4", 2L), (n5.Snapshot.LeaderId, n5.Snapshot.Epoch));
    }

    [Fact]
    public void HigherVoterFollowingAValidLease_SendsNothingOnItsTicks()
    {
        // Not even the pre-vote's inquiries: while it believes the announced leader, it does not campaign at all.
        var (cluster, _) = LowerLeaderWhileN5IsDown(n5LedBefore: false);
        var n5 = cluster.Restart("n5");
        cluster.Run(12); // n4 renews every 10 s and announces to everyone alive, n5 included
        Assert.Equal("n4", n5.Snapshot.LeaderId);

        var delivered = cluster.Network.Delivered;
        for (var i = 0; i < 4; i++) // longer than any back-off (at most three ticks)
        {
            cluster.Clock.Advance(cluster.Options.TickInterval);
            cluster.Tick("n5");
        }

        Assert.Equal(delivered, cluster.Network.Delivered);
    }

    [Fact]
    public void AfterTheStickyLeaderDies_TheHighestAliveVoterTakesOver_OnceItsGrantsHaveRunOut()
    {
        var (cluster, invariant) = LowerLeaderWhileN5IsDown(n5LedBefore: true);
        cluster.Restart("n5");
        cluster.Run(60, () => invariant.Check()); // past the lease n5's voter honours its own saved grant: it grants n4 too
        var epoch = cluster["n4"].Snapshot.Epoch;
        var survivors = Ids.Where(id => id != "n4").ToArray();
        Assert.All(survivors, id => Assert.Equal("n4", cluster.VoterOf(id).Snapshot.Holder));

        cluster.Crash("n4");
        var grantsEnd = survivors.Min(id => cluster.VoterOf(id).Snapshot.ExpiresAt!.Value);
        Assert.True(grantsEnd <= cluster.Clock.GetUtcNow() + cluster.Options.LeaseDuration);
        while (cluster.Clock.GetUtcNow() + cluster.Options.TickInterval < grantsEnd)
        {
            cluster.Run(1, () =>
            {
                invariant.Check();
                Assert.DoesNotContain(cluster.Leaders, id => id != "n4"); // n4 itself, paused, acts until its own lease ends
            });
        }

        for (var rounds = 0; !cluster["n5"].IsLeader; rounds++)
        {
            Assert.True(rounds < 4, $"n5 does not lead {rounds} rounds after n4's grants ran out");
            cluster.Run(1, () => invariant.Check());
        }
        Assert.Equal(["n5"], cluster.Leaders);
        Assert.Equal(epoch + 1, cluster["n5"].Snapshot.Epoch);
        cluster.Run(3, () => invariant.Check());
        Assert.All(survivors, id => Assert.Equal(("n5", epoch + 1), (cluster[id].Snapshot.LeaderId, cluster[id].Snapshot.Epoch)));
    }

    [Fact]
    public async Task StickyLeaderSteppingDown_HandsOverToTheHighestAliveVoter_AtOnce()
    {
        // The operator's way back to a preferred (higher) node: a graceful step-down (a graceful stop calls it).
        var (cluster, invariant) = LowerLeaderWhileN5IsDown(n5LedBefore: true);
        cluster.Restart("n5");
        cluster.Run(12, () => invariant.Check());
        var epoch = cluster["n4"].Snapshot.Epoch;
        Assert.Equal(["n4"], cluster.Leaders);

        await cluster["n4"].StepDownAsync(CancellationToken.None);
        cluster.Run(1, () => invariant.Check());

        Assert.Equal(["n5"], cluster.Leaders);
        Assert.Equal(epoch + 1, cluster["n5"].Snapshot.Epoch);
        cluster.Run(40, () =>
        {
            invariant.Check();
            Assert.Equal(["n5"], cluster.Leaders);
        });
    }
}
