using System.Text.Json;
using RingRift.P2P.Election;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Wire;
using RingRift.P2P.Testing.Waiting;
using RingRift.P2P.Testing.Wire;

namespace RingRift.P2P.Node.Tests.Wire;

/// <summary>
/// What two running nodes write with the generated contracts (<c>/status</c>, <c>/health</c>, heartbeats,
/// <c>peers.json</c>) is byte for byte what reflection writes for the same values.
/// </summary>
public sealed class NodeJsonLiveTests
{
    private static readonly JsonSerializerOptions Reflection = GeneratedContracts.ReflectionOnly(P2PJson.Options);

    [Fact]
    public async Task TwoNodes_WriteTheirStatusHeartbeatsAndPeerFile_AsReflectionWould()
    {
        await using var cluster = await InProcessCluster.StartAsync(2, InProcessCluster.SteadyTimings);
        var leader = await cluster.WaitForLeaderAsync();
        var node = cluster["node-1"];
        var other = cluster["node-2"];
        var builder = node.Services.GetRequiredService<StatusBuilder>();
        await Eventually.Until(() => builder.Build(), s => s.Peers.TryGetValue("node-2", out var p) && p.Alive && p.Summary is not null,
            "node-1's /status shows node-2 alive with its summary", InProcessCluster.ClusterWait);

        var status = builder.Build();
        AssertSameJson(status);
        AssertSameJson(builder.BuildHealth());
        var self = node.Services.GetRequiredService<NodeSelf>();
        var request = new HeartbeatRequest(self.BuildSummary(node.Election.Snapshot), [new KnownPeer("node-2", "127.0.0.1", other.Port)]);
        AssertSameJson(request);
        AssertSameJson(other.Services.GetRequiredService<HeartbeatService>().Receive(request, "127.0.0.1"));
        AssertSameJson(new LeaderAnnouncement(leader.Id, leader.Election.Snapshot.Epoch, 1.5, leader.Url));

        // The answer the node serves (written as a stream) has reflection's shape: read back and written again, the same bytes.
        using var http = new HttpClient();
        var served = await http.GetStringAsync(node.Url + "status");
        Assert.Equal(served, JsonSerializer.Serialize(JsonSerializer.Deserialize<StatusResponse>(served, Reflection), Reflection));

        var peersFile = Path.Combine(node.Services.GetRequiredService<NodeOptions>().DataDir, DataDirFiles.Peers);
        var stored = await Eventually.Until(() => File.ReadAllText(peersFile), text => text.Contains("node-2", StringComparison.Ordinal),
            "node-1 has written node-2 into peers.json", InProcessCluster.ClusterWait);
        Assert.Equal(stored, JsonSerializer.Serialize(JsonSerializer.Deserialize<List<PeerStore.StoredPeer>>(stored, Reflection), Reflection));
    }

    private static void AssertSameJson<T>(T value)
    {
        var expected = JsonSerializer.Serialize(value, Reflection);
        Assert.Equal(expected, JsonSerializer.Serialize(value, NodeJson.Options));
        Assert.Equal(expected, JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(expected, NodeJson.Options), Reflection));
    }
}
