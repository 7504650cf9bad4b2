using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>
/// The detection tail: one node marking a crashed member dead seconds after everyone else, because it
/// missed every copy of the Dead gossip (SWIM §4.1 sends each update a bounded number of times), or
/// because it knows the member at a newer incarnation than the one the others declared dead at (it heard
/// a refutation, SWIM §4.2, that they missed), so their Dead is stale to it. Either way nobody is left to
/// confirm its suspicion (Lifeguard §IV-B), and it waits out the longest suspicion timeout. And the
/// safety side: stale accusations never kill a member that really refuted.
/// </summary>
public sealed class SwimNodeDetectionTailTests
{
    /// <summary>README: a crashed node is marked dead by every live node within 5 s (p99).</summary>
    private static readonly TimeSpan DetectionGoal = TimeSpan.FromSeconds(5);

    private static readonly SwimEndpoint Watcher = new("10.0.0.99", 7947);

    /// <summary>Default timings; push-pull pushed out of these short runs, so only gossip and direct answers carry news.</summary>
    private static readonly SwimConfig NoPushPull = SwimConfig.Default with { PushPullInterval = TimeSpan.FromMinutes(10) };

    [Theory]
    [InlineData(4, true, true, true)]
    [InlineData(5, true, true, true)]
    [InlineData(4, false, false, false)] // memberlist's rules: the tail of the CI run, a full unconfirmed suspicion
    [InlineData(4, true, false, false)] // the laggards answer n4 with their Deads, but stale ones count for nothing
    [InlineData(4, false, true, false)] // n4 probes and suspects at once, but only the gossiped Dead confirms: once
    public void A_member_crashing_right_after_a_refutation_only_one_node_heard_is_marked_dead_by_that_node_within_the_goal(
        int seed, bool deathAnswers, bool staleEvidence, bool withinGoal)
    {
        // n3 refutes a suspicion at incarnation 0; its Alive at 1 reaches n4 only, and nothing about n3 at 1
        // ever reaches n0–n2 (not n4's accusations either). Then n3 crashes. n0–n2 suspect and declare it
        // dead at 0, which n4 (holding 1) rightly ignores as stale (SWIM §4.2).
        var config = NoPushPull with { AnswerDeathToLaggards = deathAnswers, StaleAccusationsAsEvidence = staleEvidence };
        var cluster = new SwimCluster(5, config, seed);
        cluster.StartAndConverge();
        SwimNode victim = cluster[3], knower = cluster[4];
        SwimNode[] laggards = [cluster[0], cluster[1], cluster[2]];
        foreach (SwimNode laggard in laggards)
        {
            cluster.Net.BlockDirection(victim.Endpoint, laggard.Endpoint);
        }

        cluster.LoseMessages((_, to, m) => laggards.Any(l => l.Endpoint == to)
            && m is Alive { NodeId: "n3", Incarnation: > 0 } or Suspect { NodeId: "n3", Incarnation: > 0 } or Dead { NodeId: "n3", Incarnation: > 0 });
        cluster.Net.Inject(cluster[0].Endpoint, victim.Endpoint, cluster.Packet(new Suspect(0, "n3", "n0")));
        Assert.NotNull(cluster.Net.RunUntil(() => knower.GetMember("n3")!.Incarnation == 1, TimeSpan.FromSeconds(2)));
        cluster.Net.Crash(victim.Endpoint);
        DateTimeOffset crashedAt = cluster.Time.GetUtcNow();
        Assert.All(laggards, l => Assert.Equal(0UL, l.GetMember("n3")!.Incarnation));

        cluster.Net.RunUntil(() => cluster.EventsAbout("n3", "failed").Any(e => e.Observer == "n4"), TimeSpan.FromSeconds(30));

        Assert.All(laggards, l => Assert.Equal((SwimMemberState.Dead, 0UL), (l.GetMember("n3")!.State, l.GetMember("n3")!.Incarnation)));
        Assert.Equal((SwimMemberState.Dead, 1UL), (knower.GetMember("n3")!.State, knower.GetMember("n3")!.Incarnation));
        TimeSpan lastLaggard = laggards.Max(l => cluster.EventsAbout("n3", "failed").Single(e => e.Observer == l.SelfId).At) - crashedAt;
        TimeSpan knowerTook = cluster.EventsAbout("n3", "failed").Single(e => e.Observer == "n4").At - crashedAt;
        Assert.True(lastLaggard <= DetectionGoal, $"the laggards took {lastLaggard.TotalSeconds:0.000} s");
        Assert.True(withinGoal == knowerTook <= DetectionGoal,
            $"n4 marked n3 dead {knowerTook.TotalSeconds:0.000} s after the crash, the laggards by {lastLaggard.TotalSeconds:0.000} s");

        // However fast, n4's own suspicion (at incarnation 1) ran for its full minimum: a live n3 could have refuted.
        DateTimeOffset suspected = cluster.EventsAbout("n3", "suspect").Last(e => e.Observer == "n4").At;
        Assert.True(crashedAt + knowerTook - suspected >= cluster.SuspicionMin(5));
    }

    [Theory]
    [InlineData("refuted", "deaths", true, true, true, 0)] // Lifeguard §IV-B: three stale deaths, k = 2: exactly the minimum, no less
    [InlineData("refuted", "suspects", true, true, false, 0)] // a stale Suspect may predate the refutation: no confirmation
    [InlineData("refuted", "deaths", true, false, false, 0)] // deaths within the minimum of the refutation may be what caused it
    [InlineData("refuted", "deaths", true, false, false, 1)] // ... however far n0's wall clock is stepped: the age is monotonic
    [InlineData("came back", "deaths", true, true, false, 0)] // n0 held n1 dead before: deaths of its previous life
    [InlineData("refuted", "deaths", false, true, false, 0)] // control: stale news ignored (memberlist)
    public void Stale_deaths_from_other_nodes_confirm_a_suspicion_down_to_its_minimum_and_no_further(
        string history, string stale, bool staleEvidence, bool afterMinimum, bool deadAtMinimum, int n0WallStepHours)
    {
        // n1 moves to incarnation 1: it refutes a suspicion, or (as n0 sees it) comes back after n0 declared it
        // dead. From then on n1 hears no accusation, so it never refutes again, and n0 hears about n1 only what
        // this test injects. n0's own probes of n1 are acked: no self-confirmation.
        var config = NoPushPull with { StaleAccusationsAsEvidence = staleEvidence };
        var cluster = new SwimCluster(6, config, ownClocks: n0WallStepHours != 0);
        cluster.StartAndConverge();
        SwimEndpoint n0 = cluster[0].Endpoint, n1 = cluster[1].Endpoint;
        if (history == "came back")
        {
            cluster.Net.Inject(Watcher, n0, cluster.Packet(new Dead(0, "n1", "n2")));
        }

        cluster.Net.Inject(Watcher, n1, cluster.Packet(history == "refuted" ? new Suspect(0, "n1", "n2") : new Dead(0, "n1", "n2")));
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.Nodes.All(n => n.GetMember("n1") is { State: SwimMemberState.Alive, Incarnation: 1 }),
            TimeSpan.FromSeconds(5)));
        Assert.Equal(history == "came back", cluster.EventsAbout("n1", "failed").Any(e => e.Observer == "n0"));
        if (n0WallStepHours != 0)
        {
            cluster.ClockOf(0).StepWallClock(TimeSpan.FromHours(n0WallStepHours));
        }

        TimeSpan min = cluster.SuspicionMin(6);
        if (afterMinimum)
        {
            cluster.Net.Run(min);
        }

        cluster.LoseMessages((from, to, m) => m is Suspect { NodeId: "n1" } or Dead { NodeId: "n1" } && (to == n1 || (to == n0 && from != Watcher)));
        cluster.Net.Inject(Watcher, n0, cluster.Packet(new Suspect(1, "n1", "n2")));
        cluster.Net.Advance(cluster.Net.Latency);
        DateTimeOffset suspectedAt = cluster.EventsAbout("n1", "suspect").Single(e => e.Observer == "n0").At;
        cluster.Net.Inject(Watcher, n0, stale == "deaths"
            ? cluster.Packet(new Dead(0, "n1", "n3"), new Dead(0, "n1", "n4"), new Dead(0, "n1", "n5"))
            : cluster.Packet(new Suspect(0, "n1", "n3"), new Suspect(0, "n1", "n4"), new Suspect(0, "n1", "n5")));
        cluster.Net.Advance(cluster.Net.Latency);

        cluster.Net.Advance(suspectedAt + min - TimeSpan.FromTicks(1) - cluster.Time.GetUtcNow());
        Assert.Equal((SwimMemberState.Suspect, 0L), (cluster[0].GetMember("n1")!.State, cluster[0].Stats.FinalProbes));
        cluster.Net.Advance(TimeSpan.FromTicks(1)); // the minimum: the suspicion runs out, if confirmed twice
        Assert.Equal(deadAtMinimum ? 1 : 0, cluster[0].Stats.FinalProbes);
        cluster.Net.Advance(config.ProbeTimeout); // the final probe's accusation was lost: nothing refuted it

        Assert.Equal(deadAtMinimum ? SwimMemberState.Dead : SwimMemberState.Suspect, cluster[0].GetMember("n1")!.State);
        Assert.Equal(deadAtMinimum ? 2 : 0, cluster[0].Stats.StaleDeathConfirmations); // k = 2: the third adds nothing
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_node_that_missed_every_copy_of_the_dead_gossip_is_answered_with_it_when_it_asks_about_the_member(bool deathAnswers)
    {
        // n4 loses every Suspect and Dead about n3 until the others have declared n3 dead and spent their
        // retransmissions; it suspects n3 on its own probes alone, with nobody to confirm: the longest timeout.
        var config = NoPushPull with { AnswerDeathToLaggards = deathAnswers };
        var cluster = new SwimCluster(5, config);
        cluster.StartAndConverge();
        SwimNode straggler = cluster[4];
        cluster.LoseMessages((_, to, m) => to == straggler.Endpoint && m is Suspect { NodeId: "n3" } or Dead { NodeId: "n3" });
        cluster.Net.Crash(cluster[3].Endpoint);
        DateTimeOffset crashedAt = cluster.Time.GetUtcNow();
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.EventsAbout("n3", "failed").Count() == 3, TimeSpan.FromSeconds(10)));
        cluster.Net.Run(TimeSpan.FromSeconds(2)); // every retransmission of the Dead spent
        Assert.Equal(SwimMemberState.Suspect, straggler.GetMember("n3")!.State);

        cluster.LoseMessages(null);
        DateTimeOffset healedAt = cluster.Time.GetUtcNow();
        cluster.Net.RunUntil(() => straggler.GetMember("n3")!.State == SwimMemberState.Dead, TimeSpan.FromSeconds(20));

        TimeSpan afterHeal = cluster.EventsAbout("n3", "failed").Single(e => e.Observer == "n4").At - healedAt;
        Assert.True(deathAnswers == afterHeal <= TimeSpan.FromSeconds(1),
            $"n4 marked n3 dead {afterHeal.TotalSeconds:0.000} s after the loss ended ({(healedAt - crashedAt).TotalSeconds:0.000} s after the crash)");
        Assert.Equal(deathAnswers, cluster.Nodes.Sum(n => n.Stats.DeathsAnswered) >= 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)] // the holder's wall clock stepped an hour ahead as it marks n3 dead: the death is still recent
    [InlineData(-1)] // an hour back: the death still stops being answered once the longest suspicion has passed
    public void Deaths_are_answered_to_suspects_and_indirect_pings_once_per_datagram_never_to_a_dead_and_only_while_recent(int holderWallStepHours)
    {
        var cluster = new SwimCluster(4, NoPushPull, ownClocks: holderWallStepHours != 0);
        cluster.StartAndConverge();
        SwimNode holder = cluster[0];
        var answers = new List<Dead>();
        var reader = new SwimPacketReader(cluster.Auth);
        cluster.Net.Sniff = (from, to, packet) =>
        {
            if (from == holder.Endpoint && to == Watcher)
            {
                answers.AddRange(reader.Read(packet).OfType<Dead>());
            }
        };
        cluster.Net.Crash(cluster[3].Endpoint);
        Assert.NotNull(cluster.Net.RunUntil(() => holder.GetMember("n3")!.State == SwimMemberState.Dead, TimeSpan.FromSeconds(10)));
        DateTimeOffset deadAt = holder.GetMember("n3")!.StateChangedAt;
        if (holderWallStepHours != 0)
        {
            cluster.ClockOf(0).StepWallClock(TimeSpan.FromHours(holderWallStepHours));
        }

        TimeSpan longest = SwimMath.SuspicionMaxTimeout(cluster.Config.SuspicionMaxTimeoutMult, cluster.SuspicionMin(3)); // n0, n1, n2 alive

        void Ask(params SwimMessage[] messages)
        {
            answers.Clear();
            cluster.Net.Inject(Watcher, holder.Endpoint, cluster.Packet(messages));
            cluster.Net.Advance(cluster.Net.Latency); // delivered, and answered at once
        }

        Ask(new Suspect(0, "n3", "n1"), new Suspect(0, "n3", "n2"));
        Assert.Equal([new Dead(0, "n3", "n0")], answers);
        Ask(new IndirectPing(7, "n3", cluster[3].Endpoint.Address, 7947, "n1", Watcher.Address, 7947, WantNack: true));
        Assert.Equal([new Dead(0, "n3", "n0")], answers);
        Ask(new Dead(0, "n3", "n1")); // a Dead is never answered with a Dead: two holders cannot ping-pong
        Assert.Empty(answers);

        cluster.Net.Advance(deadAt + longest - cluster.Net.Latency - cluster.Time.GetUtcNow());
        Ask(new Suspect(0, "n3", "n1")); // arrives exactly at the longest suspicion timeout: answered
        Assert.Single(answers);
        Ask(new Suspect(0, "n3", "n1")); // any later: the lagging node's own suspicion has run out anyway
        Assert.Empty(answers);
    }

    [Fact]
    public void A_stale_accusation_makes_the_member_the_next_probe_once_per_accuser_and_incarnation()
    {
        var cluster = new SwimCluster(5, NoPushPull);
        cluster.StartAndConverge();
        cluster.Net.Inject(Watcher, cluster[1].Endpoint, cluster.Packet(new Suspect(0, "n1", "n2")));
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.Nodes.All(n => n.GetMember("n1")!.Incarnation == 1), TimeSpan.FromSeconds(5)));
        SwimNode prober = cluster[0];
        var reader = new SwimPacketReader(cluster.Auth);
        var probeTargets = new List<string>();
        long pings = 0;
        cluster.Net.Sniff = (from, _, packet) =>
        {
            if (from == prober.Endpoint)
            {
                probeTargets.AddRange(reader.Read(packet).OfType<Ping>().Select(p => p.TargetId));
            }
        };

        string NextProbe()
        {
            pings = prober.Stats.Probes;
            probeTargets.Clear();
            Assert.NotNull(cluster.Net.RunUntil(() => prober.Stats.Probes > pings, TimeSpan.FromSeconds(1)));
            return probeTargets[0];
        }

        string NextProbeTargetAfter(SwimMessage stale)
        {
            while (NextProbe() == "n1")
            {
                // a probe of n1 under way would already answer the accusation: wait for one of another member
            }

            cluster.Net.Inject(Watcher, prober.Endpoint, cluster.Packet(stale));
            cluster.Net.Advance(cluster.Net.Latency);
            return NextProbe();
        }

        Assert.Equal("n1", NextProbeTargetAfter(new Suspect(0, "n1", "n3")));
        Assert.Equal(1, prober.Stats.StaleAccusationProbes);
        NextProbeTargetAfter(new Dead(0, "n1", "n3")); // the same accuser again: already acted on
        NextProbeTargetAfter(new Suspect(0, "n1", "n3"));
        Assert.Equal(1, prober.Stats.StaleAccusationProbes);
        Assert.Equal("n1", NextProbeTargetAfter(new Dead(0, "n1", "n4"))); // a new accuser
        Assert.Equal(2, prober.Stats.StaleAccusationProbes);
        Assert.True(cluster.AllSeeAllAlive()); // the probes were acked: nothing else happened
        Assert.Empty(cluster.EventsAbout("n1", "suspect"));
    }

    [Fact]
    public void A_member_that_refuted_is_never_marked_dead_by_a_flood_of_stale_accusations_under_loss()
    {
        // 20 % of datagrams lost (seeded) and no TCP fallback, so probes do fail now and then: every node is
        // told, every 300 ms for two minutes, by each of the others in turn, that n1 is suspect and dead at
        // incarnation 0, which n1 refuted. Those reports make nodes probe n1 and confirm their suspicions of
        // it, but a live n1 always gets its full minimum to refute, and does.
        var config = NoPushPull with { TcpFallback = false };
        var cluster = new SwimCluster(5, config);
        cluster.StartAndConverge();
        cluster.Net.Inject(Watcher, cluster[1].Endpoint, cluster.Packet(new Suspect(0, "n1", "n2")));
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.Nodes.All(n => n.GetMember("n1")!.Incarnation >= 1), TimeSpan.FromSeconds(5)));
        var loss = new Random(7);
        cluster.Net.Drop = (_, _, _) => loss.NextDouble() < 0.2;
        DateTimeOffset from = cluster.Time.GetUtcNow();
        string[] others = ["n0", "n2", "n3", "n4"];

        for (int round = 0; round < 400; round++)
        {
            foreach (SwimNode node in cluster.Nodes.Where(n => n.SelfId != "n1"))
            {
                string[] accusers = others.Where(o => o != node.SelfId).ToArray();
                string accuser = accusers[round % accusers.Length];
                cluster.Net.Inject(Watcher, node.Endpoint, cluster.Packet(new Suspect(0, "n1", accuser), new Dead(0, "n1", accuser)));
            }

            cluster.Net.Run(TimeSpan.FromMilliseconds(300));
        }

        Assert.DoesNotContain(cluster.Events, e => e.Kind == "failed");
        Assert.Contains(cluster.Events, e => e.Member == "n1" && e.Kind == "suspect" && e.At > from); // the loss bit
        Assert.True(cluster.Nodes.Sum(n => n.Stats.StaleAccusationProbes) >= 4);
        Assert.True(cluster.Nodes.Sum(n => n.Stats.StaleDeathConfirmations) >= 1);
        cluster.Net.Drop = null;
        Assert.NotNull(cluster.Net.RunUntil(cluster.AllSeeAllAlive, TimeSpan.FromSeconds(10)));
    }
}
