using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>
/// What makes a refutation (SWIM §4.2) reach every node that suspects a live member, beyond gossip:
/// answering accusations directly, a final probe before declaring death, probing suspects eagerly
/// (Lifeguard §IV-C buddy system, extended), and not trusting this node's own late timers.
/// </summary>
public sealed class SwimNodeRefutationDeliveryTests
{
    private static readonly SwimEndpoint Watcher = new("10.0.0.99", 7947);

    [Fact]
    public void An_accusation_even_a_stale_one_is_answered_directly_to_its_sender_with_the_current_alive()
    {
        var cluster = new SwimCluster(2);
        cluster.StartAndConverge();
        SwimNode accused = cluster[1];
        var answers = new List<Alive>();
        var reader = new SwimPacketReader(cluster.Auth);
        cluster.Net.Sniff = (from, to, packet) =>
        {
            if (from == accused.Endpoint && to == Watcher)
            {
                answers.AddRange(reader.Read(packet).OfType<Alive>().Where(a => a.NodeId == accused.SelfId));
            }
        };
        byte[] accusation = cluster.Auth.Seal(SwimCodec.Encode(new Suspect(0, accused.SelfId, "n0")));

        cluster.Net.Inject(Watcher, accused.Endpoint, accusation);
        cluster.Net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1UL, accused.Self.Incarnation); // refuted: 0 + 1
        Assert.Equal([1UL], answers.Select(a => a.Incarnation));

        // The same accusation again is stale (0 < 1): nothing to refute, but the sender is still behind.
        cluster.Net.Inject(Watcher, accused.Endpoint, accusation);
        cluster.Net.Run(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1UL, accused.Self.Incarnation);
        Assert.Equal([1UL, 1UL], answers.Select(a => a.Incarnation));
        Assert.Equal(2, accused.Stats.AccusationsAnswered);
        Assert.Equal(1, accused.Stats.Refutations);
    }

    [Fact]
    public void A_crashed_member_gets_a_final_probe_at_the_suspicion_minimum_and_is_dead_one_probe_timeout_later()
    {
        var cluster = new SwimCluster(2);
        cluster.StartAndConverge();
        SwimConfig c = cluster.Config;
        TimeSpan min = SwimMath.SuspicionMinTimeout(c.SuspicionMult, 2, c.ProbeInterval, c.SuspicionFloor);
        cluster.Net.Crash(cluster[1].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n1", "suspect").Any(), TimeSpan.FromSeconds(5)));
        DateTimeOffset suspectedAt = cluster.EventsAbout("n1", "suspect").Single().At;
        var accusationsSent = new List<DateTimeOffset>();
        var reader = new SwimPacketReader(cluster.Auth);
        cluster.Net.Sniff = (from, to, packet) =>
        {
            if (from == cluster[0].Endpoint && to == cluster[1].Endpoint && reader.Read(packet).OfType<Suspect>().Any(s => s.NodeId == "n1"))
            {
                accusationsSent.Add(cluster.Time.GetUtcNow());
            }
        };

        cluster.Net.Advance(suspectedAt + min - cluster.Time.GetUtcNow());
        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        Assert.Equal(1, cluster[0].Stats.FinalProbes);
        Assert.Equal(suspectedAt + min, accusationsSent[^1]);

        cluster.Net.Advance(c.ProbeTimeout - TimeSpan.FromTicks(1));
        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        cluster.Net.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(SwimMemberState.Dead, cluster[0].GetMember("n1")!.State);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void The_final_probe_saves_a_live_member_whose_refutations_never_reached_the_suspecting_node(bool finalProbe, bool declaredDead)
    {
        // n1 -> n0 is cut: n0 gets no acks and suspects n1; n1 hears the accusation on n0's pings and
        // refutes, but its answers are lost. The cut heals just before n0's suspicion runs out; n1's
        // refutation broadcast is long spent, so only the final probe can still tell n0 in time.
        var config = SwimConfig.Default with { TcpFallback = false, EagerSuspectProbes = false, FinalProbeBeforeDead = finalProbe };
        var cluster = new SwimCluster(2, config);
        cluster.StartAndConverge();
        TimeSpan min = SwimMath.SuspicionMinTimeout(config.SuspicionMult, 2, config.ProbeInterval, config.SuspicionFloor);
        cluster.Net.BlockDirection(cluster[1].Endpoint, cluster[0].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n1", "suspect").Any(e => e.Observer == "n0"), TimeSpan.FromSeconds(5)));
        DateTimeOffset suspectedAt = cluster.EventsAbout("n1", "suspect").First(e => e.Observer == "n0").At;
        Assert.NotNull(cluster.Net.RunUntil(() => cluster[1].Stats.Refutations > 0, TimeSpan.FromSeconds(2)));
        cluster.Net.Run(suspectedAt + min - TimeSpan.FromMilliseconds(1) - cluster.Time.GetUtcNow());
        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);

        cluster.Net.UnblockDirection(cluster[1].Endpoint, cluster[0].Endpoint);
        cluster.Net.Run(config.ProbeTimeout + TimeSpan.FromMilliseconds(2));

        Assert.Equal(declaredDead, cluster.EventsAbout("n1", "failed").Any(e => e.Observer == "n0"));
        Assert.Equal(declaredDead ? SwimMemberState.Dead : SwimMemberState.Alive, cluster[0].GetMember("n1")!.State);
    }

    [Fact]
    public void While_a_member_is_suspect_every_other_probe_goes_to_it_so_it_hears_the_accusation_often()
    {
        int eager = PingsToCrashedMemberDuringSuspicion(eagerSuspectProbes: true, out int eagerProbes);
        int roundRobin = PingsToCrashedMemberDuringSuspicion(eagerSuspectProbes: false, out int roundRobinProbes);

        // Six members: round-robin reaches the suspect about once in five periods; eager about once in two.
        Assert.True(eager * 2 >= eagerProbes - 1, $"eager: {eager} of {eagerProbes} probes went to the suspect");
        Assert.True(roundRobin * 3 <= roundRobinProbes + 3, $"round-robin: {roundRobin} of {roundRobinProbes} probes went to the suspect");
    }

    [Fact]
    public void A_suspect_acked_only_through_a_helper_is_accused_again_directly()
    {
        // n0's pings to n1 (which carry the accusation) are lost and n1's refutations never reach n0;
        // the helper n2 still relays n1's acks. Each such relayed ack makes n0 re-send the accusation alone.
        var config = SwimConfig.Default with { TcpFallback = false };
        var cluster = new SwimCluster(3, config);
        cluster.StartAndConverge();
        SwimEndpoint n0 = cluster[0].Endpoint, n1 = cluster[1].Endpoint;
        var reader = new SwimPacketReader(cluster.Auth);
        int standaloneAccusations = 0;
        cluster.Net.Drop = (from, to, packet) =>
        {
            var messages = reader.Read(packet).ToList();
            return (from == n0 && to == n1 && messages.OfType<Ping>().Any())
                || (to == n0 && messages.OfType<Alive>().Any(a => a.NodeId == "n1" && a.Incarnation > 0));
        };
        cluster.Net.Sniff = (from, to, packet) =>
        {
            var messages = reader.Read(packet).ToList();
            if (from == n0 && to == n1 && !messages.OfType<Ping>().Any() && messages.OfType<Suspect>().Any(m => m.NodeId == "n1"))
            {
                standaloneAccusations++;
            }
        };

        cluster.Net.Inject(cluster[2].Endpoint, n0, cluster.Auth.Seal(SwimCodec.Encode(new Suspect(0, "n1", "n2"))));
        cluster.Net.Run(TimeSpan.FromSeconds(2));

        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        Assert.True(cluster[0].Stats.AccusationsResent >= 1, $"resent {cluster[0].Stats.AccusationsResent}");
        Assert.True(standaloneAccusations >= cluster[0].Stats.AccusationsResent);
    }

    [Fact]
    public void A_suspect_that_acks_directly_is_not_accused_again_its_ping_already_carried_the_accusation()
    {
        var cluster = new SwimCluster(3, SwimConfig.Default with { TcpFallback = false });
        cluster.StartAndConverge();

        cluster.Net.Inject(cluster[2].Endpoint, cluster[0].Endpoint, cluster.Auth.Seal(SwimCodec.Encode(new Suspect(0, "n1", "n2"))));
        cluster.Net.Run(TimeSpan.FromSeconds(5));

        Assert.True(cluster.AllSeeAllAlive());
        Assert.Equal(0, cluster.Nodes.Sum(n => n.Stats.AccusationsResent));
    }

    [Fact]
    public void A_probe_cut_short_by_this_nodes_own_late_timers_is_inconclusive_not_a_suspicion()
    {
        var cluster = new SwimCluster(2);
        cluster.StartAndConverge();
        long probes = cluster[0].Stats.Probes;
        Assert.NotNull(cluster.Net.RunUntil(() => cluster[0].Stats.Probes > probes, TimeSpan.FromSeconds(1)));
        cluster.Net.Crash(cluster[1].Endpoint); // the ping just sent is lost

        // One 2 s jump: the probe timeout and the period end both fire late, like after a stall.
        cluster.Net.Advance(TimeSpan.FromSeconds(2));

        Assert.True(cluster[0].Stats.InconclusiveProbes >= 1);
        Assert.Empty(cluster.EventsAbout("n1", "suspect"));
        Assert.True(cluster[0].AwarenessScore >= 1); // Lifeguard §IV-A: our own slowness counts against us

        // Control: at normal speed the same crash is suspected.
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n1", "suspect").Any(), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_suspicion_timer_that_fires_late_waits_one_probe_timeout_before_declaring_death()
    {
        var config = SwimConfig.Default with { FinalProbeBeforeDead = false };
        var cluster = new SwimCluster(2, config);
        cluster.StartAndConverge();
        TimeSpan min = SwimMath.SuspicionMinTimeout(config.SuspicionMult, 2, config.ProbeInterval, config.SuspicionFloor);
        cluster.Net.Crash(cluster[1].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n1", "suspect").Any(), TimeSpan.FromSeconds(5)));
        DateTimeOffset suspectedAt = cluster.EventsAbout("n1", "suspect").Single().At;

        // Jump past the deadline in one step: the timer fires a full second late.
        cluster.Net.Advance(suspectedAt + min + TimeSpan.FromSeconds(1) - cluster.Time.GetUtcNow());
        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        Assert.Equal(1, cluster[0].Stats.LateSuspicionTimers);

        cluster.Net.Advance(config.ProbeTimeout);
        Assert.Equal(SwimMemberState.Dead, cluster[0].GetMember("n1")!.State);
    }

    /// <summary>Crashes n1 of six and counts n0's pings to it, and n0's probes in all, over 5 s of n0's
    /// suspicion (a 6 s floor keeps it suspect; no indirect probes or TCP, so each probe is one ping).</summary>
    private static int PingsToCrashedMemberDuringSuspicion(bool eagerSuspectProbes, out int probes)
    {
        var config = SwimConfig.Default with
        {
            EagerSuspectProbes = eagerSuspectProbes,
            TcpFallback = false,
            IndirectChecks = 0,
            SuspicionFloor = TimeSpan.FromSeconds(6),
        };
        var cluster = new SwimCluster(6, config);
        cluster.StartAndConverge();
        SwimEndpoint prober = cluster[0].Endpoint, victim = cluster[1].Endpoint;
        var reader = new SwimPacketReader(cluster.Auth);
        int pings = 0;
        cluster.Net.Sniff = (from, to, packet) =>
        {
            if (from == prober && to == victim && reader.Read(packet).OfType<Ping>().Any())
            {
                pings++;
            }
        };
        cluster.Net.Crash(victim);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n1", "suspect").Any(e => e.Observer == "n0"), TimeSpan.FromSeconds(10)));
        pings = 0;
        long probesBefore = cluster[0].Stats.Probes;

        cluster.Net.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        probes = (int)(cluster[0].Stats.Probes - probesBefore);
        return pings;
    }
}
