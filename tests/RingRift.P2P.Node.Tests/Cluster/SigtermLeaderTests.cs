using System.Diagnostics;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Testing.Waiting;
using Xunit.Abstractions;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// SIGTERM (what <c>systemctl stop</c> sends) to the leader of three node processes in the default mode:
/// HTTP heartbeats and the Bully election. The stopping leader releases its voters' grants and resigns,
/// and its goodbye heartbeat makes the others count it gone; a crash would leave them waiting for its lease.
/// </summary>
/// <remarks>
/// The peer timeout is two minutes, so only the goodbye can make a survivor count the leader dead within
/// the test; the lease is 20 s, so a take-over well inside the lease the leader held at the SIGTERM comes
/// from the release, not from an expiry.
/// </remarks>
public sealed class SigtermLeaderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SigtermToTheLeader_ItsSuccessorActsLongBeforeTheLeaseRunsOut_PeersSeeItGoneAtOnce_ItExitsZero()
    {
        using var cluster = ProcessCluster.Start(3, new Dictionary<string, string>
        {
            ["RINGRIFT_P2P_HEARTBEAT_INTERVAL"] = "0.5",
            ["RINGRIFT_P2P_PEER_TIMEOUT"] = "120",
            ["RINGRIFT_P2P_LEADER_LEASE"] = "20",
        });
        await cluster.WaitForLeaderAsync("node-3");
        var leader = cluster.Nodes.Single(n => n.NodeId == "node-3");
        var survivors = cluster.Nodes.Where(n => n != leader).ToList();

        // Past start-up: node-3 renewed its lease (every third of it) after every node named it, so each
        // survivor's election has settled and will campaign as soon as the lease is released.
        var first = await LeaseRemainingAsync(leader);
        var renewed = await Eventually.Until(() => LeaseRemainingAsync(leader), r => r > first,
            "node-3 to renew its lease once more", ProcessCluster.ProcessWait);
        var leaseLeft = await LeaseRemainingAsync(leader);

        var sent = Stopwatch.GetTimestamp();
        await leader.StopAsync(NodeHost.ShutdownTimeout + TimeSpan.FromSeconds(10)); // SIGTERM, SIGKILL only after this
        var exitedAfter = Stopwatch.GetElapsedTime(sent);

        Assert.True(leader.ExitCode == 0, $"node-3 exited with {leader.ExitCode}:\n{ChildLogs.Tails([leader])}");
        foreach (var survivor in survivors)
        {
            var peer = (await ProcessCluster.StatusAsync(survivor))!["peers"]!["node-3"]!;
            Assert.False(peer["alive"]!.GetValue<bool>(), $"{survivor.NodeId} still counts node-3 alive after its goodbye: {peer.ToJsonString()}");
        }

        var next = await cluster.WaitForLeaderAsync("node-2"); // named by both survivors and serving the queue
        var tookOverAfter = Stopwatch.GetElapsedTime(sent);
        var add = await Http.PostAsync(survivors.Single(n => n.NodeId == next).Url + "/", "work/add",
            new JsonObject { ["work_id"] = "after-sigterm", ["work_type"] = "selfplay" });

        output.WriteLine($"lease 20 s, {leaseLeft:0.0} s of it left at SIGTERM (renewed to {renewed:0.0}); node-3 exited after " +
            $"{exitedAfter.TotalSeconds:0.00} s; {next} served after {tookOverAfter.TotalSeconds:0.00} s");
        Assert.Equal(200, add.Status);
        // Waiting for the grants to expire would take the whole rest of the lease; the release leaves most of it unused.
        Assert.True(tookOverAfter.TotalSeconds < leaseLeft / 2,
            $"{next} took over {tookOverAfter.TotalSeconds:0.00} s after the SIGTERM, not within half the {leaseLeft:0.0} s left of node-3's lease");
    }

    private static async Task<double> LeaseRemainingAsync(ChildNode node) =>
        (await ProcessCluster.StatusAsync(node))!["lease_remaining_seconds"]?.GetValue<double>() ?? 0;
}
