using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>A leader that shuts down on purpose hands over without anyone waiting for timeouts.</summary>
/// <remarks>
/// No stopwatch: as soon as the stop returns, each survivor must have let go of the old leader in the
/// three ways a crash would make it wait for — its voter holds no grant for it (a grant that merely
/// expired keeps its holder), its election no longer follows its announcement, and its membership
/// counts it gone although the peer timeout is ten minutes. The lease is 12 s, so neither the grants
/// nor the announcement can have run out while the stop ran; then the next node takes over.
/// </remarks>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task LeaderStoppingOnPurpose_IsReplacedWithoutWaitingForThePeerTimeoutOrTheLease()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, new Dictionary<string, string?>
        {
            ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "1", // the goodbye heartbeat may take up to one interval
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = "600",
            ["RINGRIFT_P2P_LEADER_LEASE"] = "12",
        });
        var first = await cluster.WaitForLeaderAsync("node-3");

        // Stop only once the cluster is past start-up: node-3 has renewed its lease with every node in
        // place, several election ticks later. A node whose election loop has not ticked since it heard
        // every peer is not yet settled (ElectionLoop.Settled), and a peer that says goodbye then counts
        // as never heard, which keeps it unsettled for a whole peer timeout; not what this test is about.
        var leaseBefore = first.Election.Snapshot.LeaseValidUntil;
        await Eventually.Until(() => first.Election.Snapshot.LeaseValidUntil, until => until > leaseBefore,
            "node-3 to renew its lease once after every node named it", InProcessCluster.ClusterWait);

        await first.StopAsync();

        foreach (var survivor in cluster.Nodes.Where(n => n != first))
        {
            Assert.NotEqual(first.Id, survivor.Services.GetRequiredService<LeaseVoter>().Snapshot.Holder); // released
            Assert.NotEqual(first.Id, survivor.Election.Snapshot.LeaderId);                               // resigned
            Assert.False(survivor.Services.GetRequiredService<IMembershipView>().IsPeerAlive(first.Id));  // said goodbye
        }
        var next = await cluster.WaitForLeaderAsync();
        Assert.Equal("node-2", next.Id);
    }
}
