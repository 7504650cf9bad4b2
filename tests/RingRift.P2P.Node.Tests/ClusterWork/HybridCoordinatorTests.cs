using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.ClusterWork;

/// <summary>The embedding API: two nodes built by the factory find each other, elect one leader and hand out work once.</summary>
public sealed class HybridCoordinatorTests
{
    [Fact]
    public async Task TwoEmbeddedNodes_ElectOneLeader_SeeEachOther_AndClaimWorkOnce()
    {
        var root = Directory.CreateTempSubdirectory("ringrift-embed-").FullName;
        var ports = TestPorts.Free(2);
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings);
        var nodes = new List<HybridCoordinator>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                nodes.Add(await HybridCoordinator.CreateAsync($"embed-{i + 1}",
                    new RunFlags(Port: ports[i], Host: "127.0.0.1", Peers: $"127.0.0.1:{ports[1 - i]}", DataDir: Path.Combine(root, $"embed-{i + 1}")),
                    env, logging: l => l.ClearProviders()));
            }
            foreach (var node in nodes) await node.StartAsync();

            await Eventually.Until(() => nodes.Count(n => n.IsLeader()) == 1 && nodes.All(n => n.GetAlivePeers().Count == 1)
                    && nodes.All(n => n.LeaderId == nodes.Single(l => l.IsLeader()).NodeId),
                "one leader, named by both, and each node seeing the other alive", InProcessCluster.ClusterWait);
            var follower = nodes.Single(n => !n.IsLeader());
            Assert.Contains(nodes.Single(n => n.IsLeader()).NodeId, follower.GetAlivePeers());

            await Eventually.Until(async () =>
                {
                    try { await follower.Work.AddAsync(new NewWork { WorkId = "embedded-1", WorkType = JobType.Selfplay }); return true; }
                    catch (Node.Api.ApiException e) when (e.Status == 503) { return false; }
                },
                added => added, "the follower's add to reach the serving leader", InProcessCluster.ClusterWait);
            Assert.True(await follower.ClaimWorkAsync("embedded-1"));
            Assert.False(await nodes.Single(n => n.IsLeader()).ClaimWorkAsync("embedded-1"));

            var status = follower.GetStatus();
            Assert.Equal(ConsensusMode.Bully, status.ConsensusMode);
            Assert.Equal(ConsensusPath.Bully, status.ActiveConsensus);
            Assert.Equal(follower.NodeId, (await follower.Work.GetAsync("embedded-1"))!.Item.ClaimedBy);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.StopAsync();
                await node.DisposeAsync();
            }
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
