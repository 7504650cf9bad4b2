using System.Diagnostics;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Timing;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// The leader's queue timeout sweep and a wall clock stepped forward by an hour: a claimed item whose
/// timeout is 15 s is released after its 15 s, not at the first sweep after the step (the old sweep
/// compared claimed_at with the stepped clock and released it there, to be handed out a second time).
/// Once on the SQLite queue (Bully), once on Raft, each a single real node on 127.0.0.1.
/// </summary>
public sealed class TimeoutSweepClockTests
{
    private const int TimeoutSeconds = 15;

    [Theory]
    [InlineData("bully")]
    [InlineData("raft")]
    public async Task WallClockSteppedAnHourForward_ReleasesAClaimedItemAfterItsTimeout_NotAtOnce(string consensus)
    {
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings);
        int? raftPort = null;
        if (consensus == "raft")
        {
            env["RINGRIFT_RAFT_ENABLED"] = "true";
            env["RINGRIFT_CONSENSUS_MODE"] = "raft";
            raftPort = TestPorts.Free();
        }
        var clock = new SteppedWallClock();
        await using var cluster = await InProcessCluster.StartAsync(0, env);
        var node = await cluster.StartNodeAsync("node-1", TestPorts.Free(), "", raftPort: raftPort,
            raftPeers: raftPort is { } rp ? $"127.0.0.1:{rp}" : null, time: clock);

        await Eventually.Until(() => Http.PostAsync(node.Url, "/work/add", new JsonObject
        {
            ["work_id"] = "w1",
            ["work_type"] = "selfplay",
            ["timeout_seconds"] = TimeoutSeconds,
            ["command_id"] = "add-w1",
        }), a => a.Status == 200 || a.Code == "DUPLICATE_WORK_ID", "the add of w1 accepted by the leader", InProcessCluster.ClusterWait);
        var claim = await Eventually.Until(() => Http.GetAsync(node.Url, "/work/claim?node_id=gpu-1"),
            a => a.Status == 200, "w1 claimed by gpu-1", InProcessCluster.ClusterWait);
        var sinceClaim = Stopwatch.StartNew();
        Assert.Equal("w1", claim.Json!["work"]!["work_id"]!.GetValue<string>());

        // The maintenance loop reads its sweep clock every second while serving: give it two to anchor.
        await Task.Delay(TimeSpan.FromSeconds(2));
        clock.Step(TimeSpan.FromHours(1));

        var released = await Eventually.Until(() => Http.GetAsync(node.Url, "/work/w1"),
            a => a.Status == 200 && a.Json!["status"]!.GetValue<string>() == "pending",
            "w1 released by the timeout sweep", InProcessCluster.ClusterWait);
        var after = sinceClaim.Elapsed;
        Assert.True(after >= TimeSpan.FromSeconds(TimeoutSeconds),
            $"w1 was released {after.TotalSeconds:0.0} s after its claim, before its {TimeoutSeconds} s timeout: the wall-clock step released it");
        Assert.Equal($"timed out after {TimeoutSeconds}s", released.Json!["error"]!.GetValue<string>());
    }
}
