using RingRift.P2P.Testing.Simulation;

namespace RingRift.P2P.Swim.Tests.Simulation;

/// <summary>A node's datagram and byte counters (what /metrics exports) match what the simulated network carried for it.</summary>
public sealed class SwimNodeStatsTests
{
    [Fact]
    public void Datagrams_and_bytes_sent_and_received_match_the_networks_count()
    {
        var link = new LinkProfile { Loss = 0.1, Latency = TimeSpan.FromMilliseconds(1), Jitter = TimeSpan.FromMilliseconds(2) };
        var cluster = new SwimSimCluster(5, seed: 3, link: link);
        cluster.StartAll();

        cluster.RunFor(TimeSpan.FromSeconds(60));

        for (var i = 0; i < 5; i++)
        {
            var network = cluster.Scenario.Network.CountersFor(cluster.Scenario.Endpoint(i));
            var stats = cluster[i].Stats;
            Assert.True(network.BytesSent > 0);
            Assert.Equal((network.PacketsSent, network.BytesSent), (stats.PacketsSent, stats.BytesSent));
            Assert.Equal((network.PacketsReceived, network.BytesReceived), (stats.PacketsReceived, stats.BytesReceived));
        }
    }
}
