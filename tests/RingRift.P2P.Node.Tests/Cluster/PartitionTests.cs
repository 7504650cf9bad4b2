using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>Leases under partitions: a minority can never hold one, and two leaders never act at once.</summary>
public sealed class PartitionTests
{
    [Fact]
    public async Task LeaderCutOffFromTheMajority_StepsDown_WhileTheMajorityElectsAnother_NeverTwoAtOnce()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        var first = await cluster.WaitForLeaderAsync(); // node-3 when the nodes settled together, else the lower node that led first
        var others = cluster.Nodes.Where(n => n != first).ToArray();
        var expected = others.MaxBy(n => n.Id, StringComparer.Ordinal)!; // Bully: the highest voter of the majority
        var epochBefore = first.Election.Snapshot.Epoch;
        var knownBefore = first.Election.Snapshot.KnownEpoch;

        cluster.Links.Partition([first.Port], others.Select(n => n.Port));

        // Sample every node's own clock-exact leadership check at one instant, many times, across the
        // whole hand-over: never two acting leaders. The hand-over is over once the majority's highest leads and
        // the cut-off node has stepped down and failed two pre-votes of its own for want of a majority (it
        // then no longer says it will lead), so it had two chances to lead again on its own.
        using var sampler = LeaderSampler.Start(cluster, first);
        var last = await Eventually.Until(() => sampler.Observed, o => o.NewLeader is not null && o.FirstStillLeads is false && o.FirstWillLead is false,
            $"the majority electing a new leader while the cut-off {first.Id} steps down and fails two pre-votes", InProcessCluster.ClusterWait);
        var observed = await sampler.StopAsync();

        Assert.Equal(1, observed.MostAtOnce);
        Assert.Equal(expected.Id, last.NewLeader);
        Assert.False(first.Election.IsLeader); // the cut-off minority holds no lease
        Assert.True(expected.Election.Snapshot.Epoch > epochBefore);
        Assert.Equal(knownBefore, first.Election.Snapshot.KnownEpoch); // its failed pre-votes burnt no epoch

        // The minority cannot serve work: it has no leader to relay to and cannot reach a quorum itself.
        var refused = await Http.PostAsync(first.Url, "work/add", """{"work_type":"selfplay"}""");
        Assert.Equal(503, refused.Status);
    }

    [Fact]
    public async Task AfterTheMinorityHeals_TheMajoritysLeaderKeepsLeadingAtItsEpoch_AndTheOldLeaderFollowsIt()
    {
        // Sticky leadership: the old leader, back from the minority, does not take over from a leader whose lease
        // is in force. 6 s leases (SteadyTimings), so that a loaded machine does not let the lease lapse on its own.
        await using var cluster = await InProcessCluster.StartAsync(3, InProcessCluster.SteadyTimings);
        var first = await cluster.WaitForLeaderAsync();
        cluster.Links.Partition([first.Port], cluster.Nodes.Where(n => n != first).Select(n => n.Port));
        var second = await cluster.WaitForLeaderAsync(excluding: first);
        var epoch = second.Election.Snapshot.Epoch;
        var lease = second.Election.Options.LeaseDuration;

        using var sampler = LeaderSampler.Start(cluster, second);
        cluster.Links.HealAll();
        var healedAt = DateTimeOffset.UtcNow;

        // Until the leader has renewed for two leases past the heal with the old leader following it, or lost its
        // leadership (the old rule handed it to the higher node as soon as that one was alive again).
        var end = await Eventually.Until(() => StickyView.Of(first, second, epoch),
            v => !v.Leads || (v.FollowedByFirst && v.ActsUntil >= healedAt + 2 * lease),
            $"{second.Id} to renew for two leases after the heal at epoch {epoch}, with {first.Id} following it", InProcessCluster.ClusterWait);
        var observed = await sampler.StopAsync();

        Assert.True(end.Leads, $"{second.Id} stopped leading epoch {epoch} after the heal: {end}");
        Assert.Null(observed.NewLeader); // nobody else was seen acting
        Assert.Equal(1, observed.MostAtOnce);
        Assert.Equal((second.Id, epoch), (first.Election.Snapshot.LeaderId, first.Election.Snapshot.Epoch));
    }

    /// <summary>Whether <c>second</c> leads at <c>epoch</c> and until when, and whether <c>first</c> names it as leader.</summary>
    private sealed record StickyView(bool Leads, DateTimeOffset? ActsUntil, bool FollowedByFirst)
    {
        public static StickyView Of(ClusterNode first, ClusterNode second, long epoch)
        {
            var leader = second.Election.Snapshot;
            var follower = first.Election.Snapshot;
            return new StickyView(second.Election.IsLeader && leader.Epoch == epoch, leader.LeaseValidUntil,
                follower.LeaderId == second.Id && follower.Epoch == epoch);
        }
    }
}
