using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>Joining through a seed (SWIM §4 join via a known member; memberlist push-pull on join) and dissemination of the newcomers (SWIM §4.1).</summary>
public sealed class SwimNodeJoinTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void Nodes_joining_through_one_seed_all_see_each_other_alive(int count)
    {
        var cluster = new SwimCluster(count);
        cluster.StartAll();

        TimeSpan? took = cluster.Net.RunUntil(cluster.AllSeeAllAlive, TimeSpan.FromSeconds(10));

        Assert.NotNull(took);
        foreach (SwimNode node in cluster.Nodes)
        {
            Assert.True(node.Joined);
            IReadOnlyCollection<string> peers = node.GetAlivePeers();
            Assert.DoesNotContain(node.SelfId, peers);
            Assert.Equal(count - 1, peers.Count);
            Assert.Equal(new SwimMembershipSummary(count - 1, 0, 0, count - 1), node.GetMembershipSummary());
            Assert.All(peers, p => Assert.True(node.IsPeerAlive(p)));
            Assert.False(node.IsPeerAlive(node.SelfId));
        }

        Assert.DoesNotContain(cluster.Events, e => e.Kind is "suspect" or "failed");
    }

    [Fact]
    public void Join_rotates_seeds_with_exponential_backoff_until_one_answers()
    {
        var cluster = new SwimCluster(2);
        var nowhere = new SwimEndpoint("10.9.9.9", 7947); // nobody listens there
        cluster[0].Start([]);
        cluster[1].Start([nowhere, cluster[0].Endpoint]);

        Assert.False(cluster[1].Joined); // attempt 1 went to the dead seed
        Assert.Single(cluster.Net.Requests, r => r.To == nowhere);

        // Attempt 2 comes exactly ProbeInterval × 2^0 later and rotates to the live seed.
        cluster.Net.Advance(cluster.Config.ProbeInterval - TimeSpan.FromTicks(1));
        Assert.DoesNotContain(cluster.Net.Requests, r => r.To == cluster[0].Endpoint);
        cluster.Net.Advance(TimeSpan.FromTicks(1));
        Assert.Single(cluster.Net.Requests, r => r.To == cluster[0].Endpoint);

        cluster.Net.Run(TimeSpan.FromMilliseconds(5));
        Assert.True(cluster[1].Joined);
        Assert.True(cluster[1].IsPeerAlive("n0"));
        Assert.True(cluster[0].IsPeerAlive("n1"));
    }

    [Fact]
    public void Join_backoff_doubles_while_no_seed_answers()
    {
        var cluster = new SwimCluster(1);
        var nowhere = new SwimEndpoint("10.9.9.9", 7947);
        cluster[0].Start([nowhere]);
        TimeSpan t = cluster.Config.ProbeInterval;

        cluster.Net.Run(t + 2 * t + 4 * t - TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, cluster.Net.Requests.Count); // at 0, T, 3T; the 4th is due at 7T
        cluster.Net.Run(TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, cluster.Net.Requests.Count);
        Assert.False(cluster[0].Joined);
    }

    [Fact]
    public void First_probe_goes_out_exactly_one_probe_interval_after_start()
    {
        var cluster = new SwimCluster(2);
        var reader = new SwimPacketReader(cluster.Auth);
        int pingsFromN0 = 0;
        cluster.Net.Sniff = (from, _, packet) =>
        {
            if (from == cluster[0].Endpoint)
            {
                pingsFromN0 += reader.Read(packet).Count(m => m is Ping);
            }
        };
        cluster.StartAll();

        cluster.Net.Advance(cluster.Config.ProbeInterval - TimeSpan.FromTicks(1));
        Assert.Equal(0, pingsFromN0);
        cluster.Net.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, pingsFromN0);
        Assert.Equal(1, cluster[0].Stats.Probes);
    }
}
