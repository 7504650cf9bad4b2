using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>Failure detection and suspicion: SWIM §3 (probe, ping-req), §4.2 (suspect, confirm), Lifeguard §IV-B (dynamic suspicion).</summary>
public sealed class SwimNodeFailureTests
{
    [Fact]
    public void A_crashed_member_is_suspected_then_declared_dead_by_all_others_within_the_computed_bound()
    {
        const int count = 5;
        var cluster = new SwimCluster(count);
        cluster.StartAndConverge();
        SwimConfig c = cluster.Config;
        SwimNode victim = cluster[3];
        DateTimeOffset crashedAt = cluster.Time.GetUtcNow();

        cluster.Net.Crash(victim.Endpoint);

        // Bound: each observer probes the victim within one round-robin span of 2(N−1) periods (SWIM §4.3),
        // the probe fails by the end of its period (+T), the suspicion runs at most max (Lifeguard §IV-B),
        // plus one second for the Dead to spread. Awareness stays 0 because the helpers' nacks arrive.
        TimeSpan min = SwimMath.SuspicionMinTimeout(c.SuspicionMult, count, c.ProbeInterval, c.SuspicionFloor);
        TimeSpan max = SwimMath.SuspicionMaxTimeout(c.SuspicionMaxTimeoutMult, min);
        TimeSpan bound = c.ProbeInterval * (2 * (count - 1) + 1) + max + TimeSpan.FromSeconds(1);
        TimeSpan? took = cluster.Net.RunUntil(() => cluster.OthersSee(victim, SwimMemberState.Dead), bound);

        Assert.NotNull(took);
        foreach (SwimNode observer in cluster.Nodes.Where(n => n != victim))
        {
            var about = cluster.Events.Where(e => e.Observer == observer.SelfId && e.Member == victim.SelfId && e.At > crashedAt).ToList();
            Assert.Equal(["suspect", "failed"], about.Select(e => e.Kind));
            Assert.Equal(new SwimMembershipSummary(count - 2, 0, 1, count - 1), observer.GetMembershipSummary());
            Assert.DoesNotContain(victim.SelfId, observer.GetAlivePeers());
        }

        Assert.DoesNotContain(cluster.Events, e => e.Kind is "suspect" or "failed" && e.Member != victim.SelfId && e.Observer != victim.SelfId);
        DateTimeOffset firstSuspected = cluster.EventsAbout(victim.SelfId, "suspect").Min(e => e.At);
        DateTimeOffset firstFailed = cluster.EventsAbout(victim.SelfId, "failed").Min(e => e.At);
        Assert.True(firstFailed - firstSuspected >= min, $"dead {firstFailed - firstSuspected} after the first suspicion; the minimum is {min}");
    }

    [Fact]
    public void With_two_members_a_suspicion_expires_exactly_at_the_minimum_timeout()
    {
        // n = 2: k = ExpectedConfirmations(4, 2) = 0, so Lifeguard's timeout is min from the start.
        var cluster = new SwimCluster(2, SwimConfig.Default with { FinalProbeBeforeDead = false });
        cluster.StartAndConverge();
        SwimConfig c = cluster.Config;
        TimeSpan min = SwimMath.SuspicionMinTimeout(c.SuspicionMult, 2, c.ProbeInterval, c.SuspicionFloor);
        Assert.Equal(0, SwimMath.ExpectedConfirmations(c.SuspicionMult, 2));

        cluster.Net.Crash(cluster[1].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n1", "suspect").Any(), TimeSpan.FromSeconds(5)));
        DateTimeOffset suspectedAt = cluster.EventsAbout("n1", "suspect").Single().At;

        cluster.Net.Advance(suspectedAt + min - TimeSpan.FromTicks(1) - cluster.Time.GetUtcNow());
        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        cluster.Net.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(SwimMemberState.Dead, cluster[0].GetMember("n1")!.State);
        Assert.Single(cluster.EventsAbout("n1", "failed"));
        Assert.Equal(1, cluster[0].Stats.Suspicions);
    }

    [Fact]
    public void A_failed_probe_without_helpers_raises_local_health_awareness_and_stretches_the_period()
    {
        // Lifeguard §IV-A: with no helper to nack, a failed probe counts against this node (+1), and the
        // next probe period is ProbeInterval × (score + 1).
        var cluster = new SwimCluster(2);
        cluster.StartAndConverge();
        Assert.Equal(0, cluster[0].AwarenessScore);

        cluster.Net.Crash(cluster[1].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster[0].Stats.FailedProbes == 1, TimeSpan.FromSeconds(2)));

        Assert.Equal(1, cluster[0].AwarenessScore);
    }

    [Fact]
    public void A_failed_probe_whose_helpers_all_nacked_leaves_local_health_unchanged()
    {
        // Lifeguard §IV-A nacks: n1 could not reach the target either and said so in time, so the failure
        // is the target's, not ours: awareness rises only by the missing nacks (none here).
        var cluster = new SwimCluster(3);
        cluster.StartAndConverge();
        Assert.Equal(0, cluster[0].AwarenessScore);

        cluster.Net.Crash(cluster[2].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster[0].Stats.FailedProbes == 1, TimeSpan.FromSeconds(3)));

        Assert.Equal(1, cluster[0].Stats.IndirectProbes);
        Assert.Equal(0, cluster[0].AwarenessScore);
    }

    [Fact]
    public void A_false_suspicion_about_a_live_member_is_refuted_and_it_stays_alive()
    {
        var cluster = new SwimCluster(4);
        cluster.StartAndConverge();
        SwimNode accused = cluster[2];
        ulong before = accused.Self.Incarnation;
        var lie = new Suspect(before, accused.SelfId, "n1");

        // SWIM §4.2: the accused hears the suspicion (gossip or buddy ping, Lifeguard §IV-C) and refutes
        // with a higher incarnation, which overrides the suspicion everywhere.
        cluster.Net.Inject(cluster[1].Endpoint, cluster[0].Endpoint, cluster.Auth.Seal(SwimCodec.Encode(lie)));
        cluster.Net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember(accused.SelfId)!.State); // the lie took hold

        cluster.Net.Run(TimeSpan.FromSeconds(20)); // longer than the longest suspicion (6 × 2.5 s)

        Assert.True(cluster.OthersSee(accused, SwimMemberState.Alive));
        Assert.True(accused.Self.Incarnation > before);
        Assert.True(accused.Stats.Refutations >= 1);
        Assert.DoesNotContain(cluster.Events, e => e.Kind == "failed");
        Assert.Contains(cluster.Events, e => e.Observer == "n0" && e.Member == accused.SelfId && e.Kind == "alive" && e.At > cluster.EventsAbout(accused.SelfId, "suspect").First().At);
    }

    [Fact]
    public void An_indirect_probe_saves_a_member_whose_direct_link_from_the_prober_drops()
    {
        // SWIM §3.1 ping-req: n0 cannot reach n1 at all, but n2 and n3 can and relay the ack.
        var config = SwimConfig.Default with { TcpFallback = false };
        var cluster = new SwimCluster(4, config);
        cluster.StartAndConverge();

        cluster.Net.BlockLink(cluster[0].Endpoint, cluster[1].Endpoint);
        cluster.Net.Run(TimeSpan.FromSeconds(20));

        Assert.True(cluster[0].Stats.IndirectProbes > 0);
        Assert.DoesNotContain(cluster.Events, e => e.Kind is "suspect" or "failed");
        Assert.True(cluster.AllSeeAllAlive());
    }

    [Fact]
    public void Without_indirect_probes_or_fallback_the_same_dropped_link_leads_to_suspicion()
    {
        // Control for the test above: the same fault is visible when ping-req is off.
        var config = SwimConfig.Default with { TcpFallback = false, IndirectChecks = 0 };
        var cluster = new SwimCluster(4, config);
        cluster.StartAndConverge();

        cluster.Net.BlockLink(cluster[0].Endpoint, cluster[1].Endpoint);
        cluster.Net.Run(TimeSpan.FromSeconds(5));

        Assert.Contains(cluster.Events, e => e.Kind == "suspect" && e.Observer == "n0" && e.Member == "n1");
    }

    [Fact]
    public void The_tcp_fallback_keeps_a_member_alive_when_all_its_udp_is_blocked()
    {
        var cluster = new SwimCluster(4);
        cluster.StartAndConverge();

        cluster.Net.BlockUdp(cluster[3].Endpoint);
        cluster.Net.Run(TimeSpan.FromSeconds(10)); // under PushPullInterval: no full sync meanwhile

        Assert.True(cluster.Nodes.Take(3).Sum(n => n.Stats.TcpFallbackAcks) > 0);
        Assert.DoesNotContain(cluster.Events, e => e.Kind is "suspect" or "failed");
        Assert.True(cluster.OthersSee(cluster[3], SwimMemberState.Alive));
    }

    [Fact]
    public void Without_the_tcp_fallback_a_member_whose_udp_is_blocked_is_suspected()
    {
        var cluster = new SwimCluster(4, SwimConfig.Default with { TcpFallback = false });
        cluster.StartAndConverge();

        cluster.Net.BlockUdp(cluster[3].Endpoint);
        cluster.Net.Run(TimeSpan.FromSeconds(5));

        Assert.Contains(cluster.Events, e => e.Kind == "suspect" && e.Member == "n3");
    }
}
