using RingRift.P2P.Election;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>Who leads when no lease is in force: the Bully rule, voters, epochs, and the probe that keeps a lone higher node from blocking.</summary>
public sealed class BullyElectionTests
{
    private static string[] Ids(int n) => Enumerable.Range(1, n).Select(i => $"n{i}").ToArray();

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void HighestAliveVoter_Wins_AndEveryoneFollowsIt(int size)
    {
        // Issue rule: the highest node id among alive voters wins.
        var cluster = new ElectionCluster(Ids(size));
        var invariant = new LeadershipInvariant(cluster);

        cluster.Run(3, () => invariant.Check());

        var highest = $"n{size}";
        Assert.Equal([highest], cluster.Leaders);
        var epoch = cluster[highest].Snapshot.Epoch;
        Assert.Equal(1, epoch);
        foreach (var id in cluster.NodeIds)
        {
            var s = cluster[id].Snapshot;
            Assert.Equal(highest, s.LeaderId);
            Assert.Equal(epoch, s.Epoch);
            Assert.Equal(id == highest ? NodeRole.Leader : NodeRole.Follower, s.Role);
        }
    }

    [Fact]
    public void HighestAliveVoter_Wins_WhenHigherNodesAreDown()
    {
        var cluster = new ElectionCluster(Ids(5));
        cluster.Crash("n5");

        cluster.Run(3);

        Assert.Equal(["n4"], cluster.Leaders);
    }

    [Fact]
    public void Leader_RenewsAndKeepsTheSameEpoch_WhileNothingFails()
    {
        var cluster = new ElectionCluster(Ids(3));
        cluster.Run(1);
        var firstExpiry = cluster.VoterOf("n1").Snapshot.ExpiresAt;

        cluster.Run(120, () => Assert.Equal(["n3"], cluster.Leaders));

        Assert.Equal(1, cluster["n3"].Snapshot.Epoch);
        Assert.True(cluster.VoterOf("n1").Snapshot.ExpiresAt > firstExpiry + TimeSpan.FromSeconds(100));
    }

    [Fact]
    public void NonVoters_NeverLead_EvenWithHigherIds()
    {
        var cluster = new ElectionCluster(Ids(5), voterIds: ["n1", "n2", "n3"]);

        cluster.Run(40, () => Assert.Equal(["n3"], cluster.Leaders));

        Assert.Equal("n3", cluster["n5"].Snapshot.LeaderId); // non-voters still follow
        Assert.False(cluster["n5"].HandleProbe(new ElectionProbe("n1", 0)).WillLead);
    }

    [Fact]
    public void NonVoters_NeverLead_WhenNoVoterIsAlive()
    {
        var cluster = new ElectionCluster(Ids(5), voterIds: ["n1", "n2", "n3"]);
        cluster.Crash("n1");
        cluster.Crash("n2");
        cluster.Crash("n3");

        cluster.Run(40, () => Assert.Empty(cluster.Leaders));
    }

    [Fact]
    public void Epochs_StrictlyIncrease_AcrossLeaders()
    {
        var cluster = new ElectionCluster(Ids(3));
        var epochs = new List<(string Leader, long Epoch)>();
        cluster["n1"].LeaderChanged += s =>
        {
            if (s.LeaderId is not null)
                epochs.Add((s.LeaderId, s.Epoch));
        };

        // Each leader is crashed in turn and the other restarted: a returning node follows the sitting leader
        // (BullyElectionStickinessTests) and leads only after that one crashed too.
        cluster.Run(1);
        cluster.Crash("n3");
        cluster.Run(40);
        cluster.Restart("n3");
        cluster.Run(5);
        cluster.Crash("n2");
        cluster.Run(40);
        cluster.Restart("n2");
        cluster.Run(5);
        cluster.Crash("n3");
        cluster.Run(40);

        Assert.Equal(["n3", "n2", "n3", "n2"], epochs.Select(e => e.Leader));
        for (var i = 1; i < epochs.Count; i++)
            Assert.True(epochs[i].Epoch > epochs[i - 1].Epoch, $"epoch {epochs[i].Epoch} after {epochs[i - 1].Epoch}");
    }

    [Fact]
    public void UnresolvedVoters_BlockALoneNode_FromLeading()
    {
        // VoterSet: unresolved voters count in Size/Majority but cannot be asked: 1 grant of 3 is no majority.
        var cluster = new ElectionCluster(["n1"], unresolvedVoters: 2);

        cluster.Run(60, () => Assert.Empty(cluster.Leaders));

        Assert.Equal(0, cluster["n1"].Snapshot.KnownEpoch); // its pre-votes found 1 free voter of the 2 needed: no campaign burnt an epoch
    }

    [Fact]
    public void LoneVoter_WithNoUnresolvedVoters_Leads()
    {
        var cluster = new ElectionCluster(["n1"]);

        cluster.Run(1);

        Assert.Equal(["n1"], cluster.Leaders);
    }

    [Fact]
    public void HigherNodeCutOffFromTheMajority_StopsBlockingALowerNode_AfterTwoUnreachableCampaigns()
    {
        // WillLead rule: a higher voter says it will lead only while it leads, or while it is the highest
        // alive voter in its own view and fewer than 2 campaigns in a row failed to hear from a majority.
        // n4's membership believes n5 dead, yet n4's probes reach n5; n5 reaches nobody but n4.
        var cluster = new ElectionCluster(Ids(5), membershipFactory: (id, net) =>
            id == "n4" ? new StaticMembershipView("n4", "n1", "n2", "n3") : new NetworkMembershipView(net, id));
        foreach (var other in new[] { "n1", "n2", "n3" })
        {
            cluster.Network.Cut("n5", other);
            cluster.Network.Cut(other, "n5");
        }

        cluster.Run(1);
        Assert.Empty(cluster.Leaders); // n4 deferred: n5 had not failed yet and answered WillLead
        Assert.True(cluster["n5"].HandleProbe(new ElectionProbe("n4", 0)).WillLead); // one failed campaign so far

        var rounds = 1;
        while (!cluster["n4"].IsLeader && rounds++ < 15)
            cluster.Run(1, () => Assert.DoesNotContain("n5", cluster.Leaders));

        Assert.Equal(["n4"], cluster.Leaders);
        Assert.False(cluster["n5"].HandleProbe(new ElectionProbe("n4", 0)).WillLead);
        var epoch = cluster["n4"].Snapshot.Epoch;

        cluster.Run(60, () => Assert.Equal(["n4"], cluster.Leaders)); // n5's retries do not disturb it
        Assert.Equal(epoch, cluster["n4"].Snapshot.Epoch);
    }

    [Fact]
    public void HigherNode_ThatCanStillWin_KeepsALowerNodeWaiting()
    {
        // Same views as above, but n5 reaches everyone: it wins, and n4 never campaigns against it.
        var cluster = new ElectionCluster(Ids(5), membershipFactory: (id, net) =>
            id == "n4" ? new StaticMembershipView("n4", "n1", "n2", "n3") : new NetworkMembershipView(net, id));

        cluster.Run(30, () => Assert.DoesNotContain("n4", cluster.Leaders));

        Assert.Equal(["n5"], cluster.Leaders);
        Assert.Equal(1, cluster["n5"].Snapshot.Epoch);
    }
}
