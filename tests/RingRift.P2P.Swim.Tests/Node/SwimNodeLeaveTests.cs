namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>
/// Graceful leave delivery: the Leave handed directly over the stream channel (acknowledged), on top of
/// gossip, so peers see a leaver as Left, never failed, even when its datagrams do not arrive or its own
/// view is still empty.
/// </summary>
public sealed class SwimNodeLeaveTests
{
    [Fact]
    public void A_leave_gets_through_when_every_datagram_from_the_leaver_is_lost()
    {
        var cluster = new SwimCluster(5);
        cluster.StartAndConverge();
        SwimNode leaver = cluster[2];
        cluster.Net.Drop = (from, _, _) => from == leaver.Endpoint;

        Task leaving = leaver.LeaveAsync();
        TimeSpan? took = cluster.Net.RunUntil(() => leaving.IsCompleted, TimeSpan.FromSeconds(5));
        cluster.Net.Run(TimeSpan.FromSeconds(20)); // long after any suspicion could have expired

        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.True(took < TimeSpan.FromMilliseconds(50), $"the leave took {took}: the {cluster.Config.GossipNodes} peers told directly acknowledge within a few round trips");
        Assert.Equal(cluster.Config.GossipNodes, leaver.Stats.LeavesAcknowledged);
        Assert.True(cluster.OthersSee(leaver, SwimMemberState.Left));
        Assert.DoesNotContain(cluster.EventsAbout(leaver.SelfId, "failed"), _ => true);
    }

    [Fact]
    public void Control_with_datagrams_and_streams_from_the_leaver_lost_peers_declare_it_failed()
    {
        // The same loss as above plus the stream channel: nothing of the leave arrives, so the peers'
        // failure detector decides. Shows the test above depends on the direct hand-over.
        var cluster = new SwimCluster(5);
        cluster.StartAndConverge();
        SwimNode leaver = cluster[2];
        cluster.Net.Drop = (from, _, _) => from == leaver.Endpoint;
        foreach (SwimNode other in cluster.Nodes.Where(n => n != leaver))
        {
            cluster.Net.BlockDirection(leaver.Endpoint, other.Endpoint);
        }

        Task leaving = leaver.LeaveAsync();
        cluster.Net.Run(TimeSpan.FromSeconds(20));

        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.Equal(0, leaver.Stats.LeavesAcknowledged);
        Assert.True(cluster.OthersSee(leaver, SwimMemberState.Dead));
    }

    [Fact]
    public void A_node_that_leaves_before_its_join_is_answered_tells_its_seed()
    {
        // n2 leaves at the instant it starts: its own view is empty, but its join reaches n0, which then
        // knows it. With its datagrams lost, only the seed hand-over carries the leave. (n1 may never hear
        // of n2 at all: n0's news about it is the Leave, which replaces the Alive in its broadcast queue.)
        var cluster = new SwimCluster(3);
        cluster[0].Start([]);
        cluster[1].Start([cluster[0].Endpoint]);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster[0].GetMembershipSummary().Alive == 1 && cluster[1].GetMembershipSummary().Alive == 1, TimeSpan.FromSeconds(5)));
        SwimNode leaver = cluster[2];
        cluster.Net.Drop = (from, _, _) => from == leaver.Endpoint;

        leaver.Start([cluster[0].Endpoint]);
        Task leaving = leaver.LeaveAsync();
        cluster.Net.Run(TimeSpan.FromSeconds(20));

        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.Equal(1, leaver.Stats.LeavesAcknowledged);
        Assert.Equal(SwimMemberState.Left, cluster[0].GetMember(leaver.SelfId)?.State);
        Assert.True(cluster[1].GetMember(leaver.SelfId)?.State is null or SwimMemberState.Left);
        Assert.DoesNotContain(cluster.EventsAbout(leaver.SelfId, "failed"), _ => true);
    }

    [Fact]
    public void A_peer_that_never_answers_holds_the_leave_until_the_drain_and_no_longer()
    {
        var cluster = new SwimCluster(4);
        cluster.StartAndConverge();
        SwimNode leaver = cluster[0];
        cluster.Net.Crash(cluster[3].Endpoint); // still alive in everyone's view: it is one of the three told directly
        var drain = TimeSpan.FromSeconds(1);

        Task leaving = leaver.LeaveAsync(drain);
        cluster.Net.Run(drain - TimeSpan.FromMilliseconds(1));
        Assert.False(leaving.IsCompleted);
        cluster.Net.Run(TimeSpan.FromMilliseconds(2));

        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.Equal(2, leaver.Stats.LeavesAcknowledged);
        Assert.Equal(SwimMemberState.Left, cluster[1].GetMember(leaver.SelfId)?.State);
        Assert.Equal(SwimMemberState.Left, cluster[2].GetMember(leaver.SelfId)?.State);
    }

    [Fact]
    public void A_node_alone_stops_at_once_and_a_second_leave_does_nothing()
    {
        var cluster = new SwimCluster(1);
        cluster[0].Start([]);

        Task first = cluster[0].LeaveAsync(TimeSpan.FromSeconds(5));
        Task second = cluster[0].LeaveAsync(TimeSpan.FromSeconds(5));

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(SwimMemberState.Left, cluster[0].Self.State);
    }

    [Fact]
    public void A_member_that_missed_the_leave_is_told_when_it_accuses_the_leaver()
    {
        // n1 hears nothing while n3 leaves and the others gossip the Leave out; when it then suspects n3,
        // the members it tells answer with n3's Leave, before its suspicion can expire.
        var cluster = new SwimCluster(4);
        cluster.StartAndConverge();
        SwimNode leaver = cluster[3], missed = cluster[1];
        foreach (SwimNode other in cluster.Nodes.Where(n => n != missed))
        {
            cluster.Net.BlockDirection(other.Endpoint, missed.Endpoint);
        }

        Task leaving = leaver.LeaveAsync();
        cluster.Net.Run(TimeSpan.FromSeconds(1.5)); // past the drain and every retransmission of the Leave
        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.NotEqual(SwimMemberState.Left, missed.GetMember(leaver.SelfId)?.State);
        foreach (SwimNode other in cluster.Nodes.Where(n => n != missed))
        {
            cluster.Net.UnblockDirection(other.Endpoint, missed.Endpoint);
        }

        cluster.Net.Run(TimeSpan.FromSeconds(20));

        Assert.Equal(SwimMemberState.Left, missed.GetMember(leaver.SelfId)?.State);
        Assert.DoesNotContain(cluster.Events, e => e.Member == leaver.SelfId && e.Kind == "failed");
        Assert.True(cluster.Nodes.Sum(n => n.Stats.LeavesAnswered) >= 1);
    }
}
