using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Node.Tests.Sync;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Metrics;

/// <summary>
/// deploy/grafana/ringrift-p2p.json cannot rot: every metric its queries use is exposed by a running node. The
/// node runs SWIM, Raft and a jobs file, and does every kind of queue work once (an add, claims, a completion, a
/// requeue and a failure for good), so every family it exports has samples.
/// </summary>
public sealed partial class GrafanaBoardTests : IDisposable
{
    private readonly TempDir _dir = new("grafana");

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex("""\b(ringrift_p2p_[a-z0-9_]+|dotnet_[a-z0-9_]+|http_server_[a-z0-9_]+|kestrel_[a-z0-9_]+)""")]
    private static partial Regex MetricName();

    public static IReadOnlyList<string> BoardMetricNames()
    {
        var board = JsonNode.Parse(File.ReadAllText(RepoFiles.Path("deploy", "grafana", "ringrift-p2p.json")))!;
        var expressions = board["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(expressions);
        return expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().Order().ToList();
    }

    [Fact]
    public async Task Every_metric_the_grafana_board_queries_is_exposed_by_a_running_node()
    {
        var jobs = _dir.Full("jobs.yaml");
        File.WriteAllText(jobs, """
            jobs:
              metrics_ok:
                command: ["/bin/sh", "-c", "exit 0"]
                slots: cpu
              metrics_fail:
                command: ["/bin/sh", "-c", "exit 3"]
                slots: cpu
            """);
        var env = new Dictionary<string, string?>(InProcessCluster.SteadyTimings)
        {
            ["RINGRIFT_SWIM_ENABLED"] = "true",
            ["RINGRIFT_RAFT_ENABLED"] = "true",
            ["RINGRIFT_CONSENSUS_MODE"] = "raft",
        };
        await using var cluster = await InProcessCluster.StartAsync(0, env);
        var (port, swim, raft) = (TestPorts.Free(3)[0], TestPorts.Free(), TestPorts.Free());
        var node = await cluster.StartNodeAsync("node-1", port, "", swim, null, raft, $"127.0.0.1:{raft}", jobs);
        foreach (var (id, type, attempts) in new[] { ("ok-1", "metrics_ok", 1), ("fail-1", "metrics_fail", 2) })
        {
            var body = new JsonObject { ["work_id"] = id, ["work_type"] = type, ["max_attempts"] = attempts, ["command_id"] = "add-" + id };
            await Eventually.Until(() => Http.PostAsync(node.Url, "work/add", body.DeepClone()), a => a.Status == 200 || a.Code == "DUPLICATE_WORK_ID",
                $"{id} added", InProcessCluster.ClusterWait);
        }
        await Eventually.Until(() => Http.GetAsync(node.Url, "work/fail-1"), a => a.Json?["status"]?.GetValue<string>() == "failed",
            "fail-1 failed for good after its second attempt", TimeSpan.FromMinutes(2));

        var wanted = BoardMetricNames();
        var exposed = await Eventually.Until(async () => PrometheusText.Parse((await Http.GetAsync(node.Url, "metrics")).Text).Select(s => s.Name).ToHashSet(),
            names => wanted.All(names.Contains), "every metric of the board on /metrics", TimeSpan.FromMinutes(2));

        Assert.Equal([], wanted.Except(exposed));
        Assert.Contains("ringrift_p2p_work_requeued_total", wanted);

        // What the node did, counted once each: two adds, three claims (fail-1 twice), one completion, one
        // requeue after fail-1's first attempt, one failure for good.
        var samples = PrometheusText.Parse((await Http.GetAsync(node.Url, "metrics")).Text);
        double Value(string name, string? label = null, string? value = null) =>
            samples.Where(s => s.Name == name && (label is null || s[label] == value)).Sum(s => s.Value);
        Assert.Equal(2, Value("ringrift_p2p_work_added_total"));
        Assert.Equal(3, Value("ringrift_p2p_work_claims_total"));
        Assert.Equal(1, Value("ringrift_p2p_work_completed_total", "work_type", "metrics_ok"));
        Assert.Equal(1, Value("ringrift_p2p_work_requeued_total", "reason", "failed_attempt"));
        Assert.Equal(1, Value("ringrift_p2p_work_failed_total", "work_type", "metrics_fail"));
        Assert.Equal((1, 2), (Value("ringrift_p2p_jobs_completed_total"), Value("ringrift_p2p_jobs_failed_total")));
        Assert.Equal(3, Value("ringrift_p2p_job_duration_seconds_count"));
    }
}
