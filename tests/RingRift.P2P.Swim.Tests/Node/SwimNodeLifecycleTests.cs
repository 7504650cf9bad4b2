using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>Partition healing by push-pull anti-entropy (SWIM §4 / memberlist), graceful leave, authentication, lifecycle.</summary>
public sealed class SwimNodeLifecycleTests
{
    [Fact]
    public void After_a_partition_heals_push_pull_reconverges_everyone_to_alive()
    {
        var config = SwimConfig.Default with { PushPullInterval = TimeSpan.FromSeconds(2) };
        var cluster = new SwimCluster(6, config);
        cluster.StartAndConverge();
        var left = cluster.Nodes.Take(3).Select(n => n.Endpoint).ToHashSet();

        cluster.Net.Partition(e => left.Contains(e) ? 0 : 1);
        bool SidesSeeEachOtherDead() => cluster.Nodes.All(n => n.GetMembershipSummary() is { Alive: 2, Failed: 3 });
        Assert.NotNull(cluster.Net.RunUntil(SidesSeeEachOtherDead, TimeSpan.FromSeconds(30)));

        cluster.Net.Heal();
        TimeSpan? took = cluster.Net.RunUntil(cluster.AllSeeAllAlive, TimeSpan.FromSeconds(30));

        Assert.NotNull(took);
        Assert.True(cluster.Nodes.Sum(n => n.Stats.Refutations) >= 1, "the dead-declared side refuted with higher incarnations");
        Assert.All(cluster.Nodes, n => Assert.True(n.Stats.PushPulls > 0));
    }

    [Fact]
    public void Without_push_pull_across_the_healed_partition_nothing_reconverges()
    {
        // Control: with a push-pull interval far beyond the test, the two sides stay apart after healing.
        var config = SwimConfig.Default with { PushPullInterval = TimeSpan.FromHours(1) };
        var cluster = new SwimCluster(6, config);
        cluster.StartAndConverge();
        var left = cluster.Nodes.Take(3).Select(n => n.Endpoint).ToHashSet();
        cluster.Net.Partition(e => left.Contains(e) ? 0 : 1);
        Assert.NotNull(cluster.Net.RunUntil(() => cluster.Nodes.All(n => n.GetMembershipSummary().Failed == 3), TimeSpan.FromSeconds(30)));

        cluster.Net.Heal();
        cluster.Net.Run(TimeSpan.FromSeconds(10));

        Assert.False(cluster.AllSeeAllAlive());
    }

    [Fact]
    public void A_graceful_leave_is_seen_as_left_by_everyone_and_never_as_failed()
    {
        var cluster = new SwimCluster(5);
        cluster.StartAndConverge();
        SwimNode leaver = cluster[2];

        Task leaving = leaver.LeaveAsync();
        TimeSpan? took = cluster.Net.RunUntil(() => cluster.OthersSee(leaver, SwimMemberState.Left), TimeSpan.FromSeconds(3));
        Assert.NotNull(took);
        cluster.Net.Run(TimeSpan.FromSeconds(20)); // long after any suspicion could have expired

        Assert.True(leaving.IsCompletedSuccessfully);
        Assert.True(cluster.OthersSee(leaver, SwimMemberState.Left));
        Assert.Equal(4, cluster.EventsAbout(leaver.SelfId, "left").Count());
        Assert.DoesNotContain(cluster.Events, e => e.Kind is "suspect" or "failed");
        foreach (SwimNode other in cluster.Nodes.Where(n => n != leaver))
        {
            Assert.Equal(new SwimMembershipSummary(3, 0, 0, 4), other.GetMembershipSummary());
            Assert.False(other.IsPeerAlive(leaver.SelfId));
        }
    }

    [Fact]
    public async Task Packets_and_requests_sealed_with_the_wrong_token_are_ignored()
    {
        var cluster = new SwimCluster(3);
        cluster.StartAndConverge();
        var wrong = PacketAuthenticator.FromClusterToken("not-the-cluster-token");
        var intruder = new SwimEndpoint("10.0.0.66", 7947);
        SwimMessage[] lies =
        [
            new Alive(7, "evil", "10.0.0.66", 7947, ReadOnlyMemory<byte>.Empty),
            new Dead(5, "n1", "n2"),
            new Leave(5, "n2"),
        ];
        foreach (SwimMessage lie in lies)
        {
            cluster.Net.Inject(intruder, cluster[0].Endpoint, wrong.Seal(SwimCodec.Encode(lie)));
        }

        byte[] forgedSync = wrong.Seal(SwimCodec.Encode(new PushPullRequest([
            new PushPullEntry("evil", "10.0.0.66", 7947, 7, SwimMemberState.Alive, ReadOnlyMemory<byte>.Empty)])));
        Task<byte[]?> answer = cluster.Net.SendRequest(intruder, cluster[0].Endpoint, forgedSync, TimeSpan.FromSeconds(1));
        cluster.Net.Run(TimeSpan.FromSeconds(1));

        Assert.Equal(3, cluster[0].PacketStats.DroppedAuth);
        Assert.Equal(1, cluster[0].Stats.RequestsRejected);
        Assert.True(answer.IsCompletedSuccessfully);
        Assert.Null(await answer);
        Assert.Null(cluster[0].GetMember("evil"));
        Assert.True(cluster.AllSeeAllAlive());

        // Control: the same Alive sealed with the cluster token is accepted.
        cluster.Net.Inject(intruder, cluster[0].Endpoint, cluster.Auth.Seal(SwimCodec.Encode(lies[0])));
        cluster.Net.Run(TimeSpan.FromMilliseconds(5));
        Assert.NotNull(cluster[0].GetMember("evil"));
    }

    [Fact]
    public void A_stopped_node_sends_nothing_more()
    {
        var cluster = new SwimCluster(3);
        cluster.StartAndConverge();
        cluster[1].Stop();
        long sent = cluster[1].Stats.PacketsSent;

        cluster.Net.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(sent, cluster[1].Stats.PacketsSent);
        Assert.Throws<InvalidOperationException>(() => cluster[1].Start([]));
    }

    [Fact]
    public void Construction_validates_the_config_and_the_local_endpoint()
    {
        var net = new LoopbackNet(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        var badConfig = SwimConfig.Default with { ProbeTimeout = TimeSpan.FromSeconds(5) };
        var ok = net.Add(new SwimEndpoint("10.0.0.1", 7947));

        var configError = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SwimNode("a", badConfig, ok, net.Time, new Random(1), PacketAuthenticator.None));
        Assert.Equal("ProbeTimeout", configError.ParamName);

        var hostName = net.Add(new SwimEndpoint("node-a.local", 7947));
        var addressError = Assert.Throws<ArgumentException>(() =>
            new SwimNode("a", SwimConfig.Default, hostName, net.Time, new Random(1), PacketAuthenticator.None));
        Assert.Contains("node-a.local", addressError.Message);

        Assert.Throws<ArgumentException>(() =>
            new SwimNode("", SwimConfig.Default, ok, net.Time, new Random(1), PacketAuthenticator.None));
    }
}
