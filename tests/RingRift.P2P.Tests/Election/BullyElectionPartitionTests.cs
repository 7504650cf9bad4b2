using RingRift.P2P.Election;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Tests.Election;

/// <summary>
/// Issue rule: two nodes must never both act as leader with valid leases, partitions included.
/// The invariant (at most one IsLeader at any instant; one leader per epoch; epochs never go back) is
/// checked after every delivered message, every tick and every clock step.
/// </summary>
public sealed class BullyElectionPartitionTests
{
    private static string[] Ids(int n) => Enumerable.Range(1, n).Select(i => $"n{i}").ToArray();

    [Theory]
    [InlineData(3, new[] { "n3" })]        // 1 of 3, the highest id
    [InlineData(5, new[] { "n4", "n5" })]  // 2 of 5, the highest ids
    public void PartitionedMinority_NeverLeads_WhileTheMajorityElects(int size, string[] minority)
    {
        var cluster = new ElectionCluster(Ids(size));
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        var majority = cluster.NodeIds.Except(minority).ToArray();
        cluster.Network.Partition(minority, majority);

        cluster.Run(120, () =>
        {
            invariant.Check();
            foreach (var id in minority)
                Assert.False(cluster[id].IsLeader, $"{id} leads from the minority side");
        });

        Assert.Equal([majority.Max(StringComparer.Ordinal)!], cluster.Leaders);
        foreach (var id in minority)
            Assert.Null(cluster[id].Snapshot.LeaderId);
    }

    [Theory]
    [InlineData(3, new[] { "n3" })]
    [InlineData(5, new[] { "n4", "n5" })]
    public void LeaderCutIntoTheMinority_HandsOver_WithNoOverlap_AndTheNewLeaderKeepsItAfterHealing(int size, string[] minority)
    {
        var cluster = new ElectionCluster(Ids(size));
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(5);
        var highest = $"n{size}";
        Assert.Equal([highest], cluster.Leaders);

        var majority = cluster.NodeIds.Except(minority).ToArray();
        cluster.Network.Partition(minority, majority);
        cluster.Run(60, () => invariant.Check());
        Assert.Equal([majority.Max(StringComparer.Ordinal)!], cluster.Leaders);

        var newLeader = majority.Max(StringComparer.Ordinal)!;
        var epoch = cluster[newLeader].Snapshot.Epoch;

        // Sticky: the old leader, back with the majority, follows the new one, whose lease is in force.
        cluster.Network.Heal();
        cluster.Run(60, () =>
        {
            invariant.Check();
            Assert.Equal([newLeader], cluster.Leaders);
        });
        Assert.Equal(epoch, cluster[newLeader].Snapshot.Epoch);
        Assert.All(cluster.NodeIds, id => Assert.Equal((newLeader, epoch), (cluster[id].Snapshot.LeaderId, cluster[id].Snapshot.Epoch)));
        Assert.Equal(2, invariant.LeaderOfEpoch.Count);
    }

    [Fact]
    public void OneWayCut_WhereTheLeaderStillHearsVoters_ButTheyCannotHearIt_IsSafe()
    {
        // n3's requests reach n1 and n2, but their answers never come back: the voters keep granting,
        // n3 cannot count the grants, so it stops at its LeaseValidUntil and n2 waits for the grants.
        var cluster = new ElectionCluster(Ids(3));
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(1);
        cluster.Network.Cut("n1", "n3");
        cluster.Network.Cut("n2", "n3");

        cluster.Run(120, () => invariant.Check());

        Assert.False(cluster["n3"].IsLeader);
        Assert.True(invariant.LeaderOfEpoch.Count >= 1);
    }

    [Fact]
    public void SlowLeaderClock_WithinTheSafetyMargin_StillStopsBeforeTheVotersRelease()
    {
        // The margin exists for clock drift: n3's clock runs 5% slow, so by real time it acts longer
        // than it thinks; LeaseDuration - SafetyMargin (27 s of 30) still ends before the voters' 30 s.
        var cluster = new ElectionCluster(Ids(3), clockRate: id => id == "n3" ? 0.95 : 1.0);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(1);

        cluster.Network.Partition(["n3"], ["n1", "n2"]);
        cluster.Run(60, () => invariant.Check());

        Assert.Equal(["n2"], cluster.Leaders);
    }

    [Fact]
    public void WallClockStepsOfAnHour_OnTheLeaderAndOnAVoter_NeverGiveTwoLeaders()
    {
        // Leases are timed on the monotonic clock. Were they wall-clock, n1 (a voter, stepped an hour ahead)
        // would take n3's grant for long expired and grant n2 at once, while n3 (the leader, stepped an
        // hour back) would believe its lease had an hour to run: two leaders as soon as n3 is cut off.
        var cluster = new ElectionCluster(Ids(3), ownClocks: true);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(1);
        Assert.Equal(["n3"], cluster.Leaders);

        cluster.SteppableClockOf("n3").StepWallClock(TimeSpan.FromHours(-1));
        cluster.SteppableClockOf("n1").StepWallClock(TimeSpan.FromHours(1));
        cluster.Network.Partition(["n3"], ["n1", "n2"]);
        cluster.Run(60, () => invariant.Check());

        Assert.Equal(["n2"], cluster.Leaders); // and it came within a minute, not an hour
        cluster.Network.Heal();
        cluster.Run(60, () => invariant.Check());
        Assert.Single(cluster.Leaders);
    }

    [Fact]
    public void SlowLeaderClock_WithoutASafetyMargin_IsCaughtByTheInvariant()
    {
        // Control for the test above: the same schedule with SafetyMargin = 0 gives two leaders at once.
        var options = new BullyOptions { SafetyMargin = TimeSpan.Zero };
        var cluster = new ElectionCluster(Ids(3), options: options, clockRate: id => id == "n3" ? 0.95 : 1.0);
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        cluster.Run(1);
        cluster.Network.Partition(["n3"], ["n1", "n2"]);

        var ex = Assert.Throws<InvalidOperationException>(() => cluster.Run(60, () => invariant.Check()));

        Assert.StartsWith("Two leaders", ex.Message);
    }

    public static TheoryData<int, int> Seeds()
    {
        var data = new TheoryData<int, int>();
        foreach (var size in new[] { 3, 5 })
        {
            for (var seed = 1; seed <= 6; seed++)
                data.Add(size, seed);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomPartitionSchedule_NeverHasTwoLeaders_AndHealsToOneLeaderEveryoneFollows(int size, int seed)
    {
        var options = new BullyOptions { LeaseDuration = TimeSpan.FromSeconds(6) }; // tick 1 s, renew 2 s, margin 0.6 s
        var random = new Random(seed * 101 + size);
        // Clocks drift by up to ±3% (the 10% margin covers a fast voter against a slow leader up to ~11%).
        var rates = Ids(size).ToDictionary(id => id, _ => 0.97 + 0.06 * random.NextDouble());
        var cluster = new ElectionCluster(Ids(size), options: options, seed: seed, clockRate: id => rates[id]);
        cluster.Network.MaxHopLatency = TimeSpan.FromMilliseconds(250);
        cluster.Network.ResponseDeadline = options.RequestTimeout;
        var invariant = new LeadershipInvariant(cluster);
        cluster.Network.AfterDelivery = () => invariant.Check("during a tick");
        var crashed = new HashSet<string>();

        for (var step = 0; step < 400; step++)
        {
            if (random.NextDouble() < 0.2)
                Disturb(cluster, random, crashed);

            cluster.Clock.Advance(TimeSpan.FromMilliseconds(random.Next(50, 1500)));
            invariant.Check($"after the clock step of step {step}");
            foreach (var id in cluster.NodeIds.OrderBy(_ => random.Next()).ToArray())
            {
                if (crashed.Contains(id))
                    continue;
                cluster.Tick(id);
                invariant.Check($"after {id} ticked in step {step}");
            }
        }

        Assert.True(invariant.LeaderOfEpoch.Count >= 5, $"only {invariant.LeaderOfEpoch.Count} leaderships: the schedule tested little");

        cluster.Network.Heal();
        foreach (var id in crashed)
            cluster.Restart(id);
        cluster.Run(40, () => invariant.Check("while healing"));
        var leader = Assert.Single(cluster.Leaders); // not necessarily the highest: a lease in force is not preempted
        var epoch = cluster[leader].Snapshot.Epoch;
        Assert.All(cluster.NodeIds, id => Assert.Equal((leader, epoch), (cluster[id].Snapshot.LeaderId, cluster[id].Snapshot.Epoch)));
    }

    /// <summary>One random fault: symmetric split, one-way cut, heal, crash (a paused process) or restart.</summary>
    private static void Disturb(ElectionCluster cluster, Random random, HashSet<string> crashed)
    {
        var ids = cluster.NodeIds;
        switch (random.Next(6))
        {
            case 0:
            case 1:
                var side = ids.Where(_ => random.Next(2) == 0).ToArray();
                cluster.Network.Partition(side, ids.Except(side).ToArray());
                break;
            case 2:
            case 3:
                var from = ids[random.Next(ids.Count)];
                var to = ids[random.Next(ids.Count)];
                if (from != to)
                    cluster.Network.Cut(from, to);
                break;
            case 4:
                cluster.Network.Heal();
                break;
            case 5:
                if (crashed.Count > 0 && random.Next(2) == 0)
                {
                    var back = crashed.First();
                    crashed.Remove(back);
                    cluster.Restart(back); // a fresh process; its voter reloads what it promised
                }
                else
                {
                    var victim = ids[random.Next(ids.Count)];
                    if (crashed.Add(victim))
                        cluster.Crash(victim); // stays readable: a paused leader must stop by itself
                }
                break;
        }
    }
}
