using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Metrics;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Hosting;

/// <summary>Every background loop of a running node shows in /status's loops, /loops/health and the metrics, and one that fails turns /health unhealthy.</summary>
public sealed class LoopHealthTests : IDisposable
{
    private static readonly string[] Expected =
    [
        "dead_node_requeue", "dispatch", "election", "fallback_migration", "heartbeat", "job_runner", "model_sync", "queue_history",
        "queue_maintenance", "raft", "raft_rollback_import", "resources", "storage", "swim", "training",
    ];

    private readonly TempDir _dir = new("loops");

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, string?> SwimAndRaft() => new(InProcessCluster.SteadyTimings)
    {
        ["RINGRIFT_SWIM_ENABLED"] = "true",
        ["RINGRIFT_RAFT_ENABLED"] = "true",
        ["RINGRIFT_CONSENSUS_MODE"] = "raft",
        ["RINGRIFT_P2P_JOB_CHECK_INTERVAL"] = "1",
    };

    [Fact]
    public async Task Every_loop_reports_its_runs_in_status_loops_health_and_metrics()
    {
        var jobs = _dir.Full("jobs.yaml");
        File.WriteAllText(jobs, """
            jobs:
              loops_ok:
                command: ["/bin/sh", "-c", "exit 0"]
                slots: cpu
            """);
        await using var cluster = await InProcessCluster.StartAsync(0, SwimAndRaft());
        var (port, swim, raft) = (TestPorts.Free(3)[0], TestPorts.Free(), TestPorts.Free());
        var node = await cluster.StartNodeAsync("node-1", port, "", swim, null, raft, $"127.0.0.1:{raft}", jobs);

        var loops = await Eventually.Until(async () => (await Http.GetAsync(node.Url, "status")).Json!["loops"]!.AsObject(),
            l => Expected.All(name => l[name]?["runs"]?.GetValue<long>() >= 1) && l.All(x => x.Value!["healthy"]!.GetValue<bool>()),
            "every loop run at least once and healthy", InProcessCluster.ClusterWait);
        Assert.Equal(Expected, loops.Select(l => l.Key).Order(StringComparer.Ordinal));
        foreach (var (name, loop) in loops)
        {
            Assert.Equal(name, loop!["name"]!.GetValue<string>());
            Assert.Contains(loop["status"]!.GetValue<string>(), new[] { "ok", "starting" });
            Assert.NotNull(loop["interval_seconds"]);
            Assert.NotNull(loop["last_run_at"]);
            Assert.NotNull(loop["next_due_at"]);
        }

        var health = await Http.GetAsync(node.Url, "loops/health");
        Assert.Equal(Expected.Length, health.Json!["total_count"]!.GetValue<int>());
        Assert.Equal(0, health.Json["unhealthy_count"]!.GetValue<int>());
        Assert.Empty(health.Json["unhealthy_loops"]!.AsArray());
        var nodeHealth = (await Http.GetAsync(node.Url, "health")).Json!;
        Assert.True(nodeHealth["loops_healthy"]!.GetValue<bool>());

        var samples = PrometheusText.Parse((await Http.GetAsync(node.Url, "metrics")).Text);
        foreach (var name in Expected)
        {
            Assert.True(samples.Single(s => s.Name == "ringrift_p2p_loop_runs_total" && s["loop"] == name).Value >= 1, name);
            Assert.Equal(1, samples.Single(s => s.Name == "ringrift_p2p_loop_healthy" && s["loop"] == name).Value);
            Assert.Contains(samples, s => s.Name == "ringrift_p2p_loop_last_duration_seconds" && s["loop"] == name);
        }
    }

    [Fact]
    public async Task A_raft_member_without_a_quorum_has_a_failing_raft_loop_and_health_says_so()
    {
        await using var cluster = await InProcessCluster.StartAsync(0, SwimAndRaft());
        var (port, swim, raft) = (TestPorts.Free(3)[0], TestPorts.Free(), TestPorts.Free());
        var absent = TestPorts.Free(); // a second member that never starts: no leader, no read can complete
        var node = await cluster.StartNodeAsync("node-1", port, "", swim, null, raft, $"127.0.0.1:{raft},127.0.0.1:{absent}");

        var health = await Eventually.Until(async () => (await Http.GetAsync(node.Url, "health")).Json!,
            h => h["unhealthy_loops"]!.AsArray().Any(n => n!.GetValue<string>() == "raft"), "/health naming the raft loop", InProcessCluster.ClusterWait);
        Assert.False(health["healthy"]!.GetValue<bool>());
        Assert.False(health["loops_healthy"]!.GetValue<bool>());

        var raftLoop = (await Http.GetAsync(node.Url, "loops/health")).Json!["loops"]!["raft"]!;
        Assert.Equal("failing", raftLoop["status"]!.GetValue<string>());
        Assert.True(raftLoop["consecutive_failures"]!.GetValue<int>() >= 3);
        Assert.NotNull(raftLoop["last_error"]);
        var samples = PrometheusText.Parse((await Http.GetAsync(node.Url, "metrics")).Text);
        Assert.Equal(0, samples.Single(s => s.Name == "ringrift_p2p_loop_healthy" && s["loop"] == "raft").Value);
        Assert.True(samples.Single(s => s.Name == "ringrift_p2p_loop_failures_total" && s["loop"] == "raft").Value >= 3);
    }
}
