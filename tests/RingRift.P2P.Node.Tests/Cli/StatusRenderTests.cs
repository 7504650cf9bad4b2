using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using Spectre.Console.Testing;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary><c>ringrift-p2p status</c> in 80 columns: each node, training config and job on one line; unplaced work with its reason.</summary>
public sealed class StatusRenderTests
{
    [Fact]
    public void Work_of_a_type_no_node_runs_is_listed_with_its_reason()
    {
        var status = JsonNode.Parse("""
            {"node_id": "n1", "role": "leader", "leader_id": "n1", "epoch": 3, "alive_peers": 2,
             "work_queue": {"pending": 2, "claimed": 0, "running": 0, "completed": 0, "failed": 0, "total": 2},
             "self": {"node_id": "n1", "role": "leader", "resources": {}},
             "jobs": {"last_dispatch": {"unplaced": [
               {"work_type": "gauntlet", "reason": "no_capable_node", "count": 2, "sample_work_ids": ["g-1", "g-2"]}]}}}
            """)!;
        var console = new TestConsole().Width(200);

        StatusCommand.Render(status, console);

        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("pending work not placed"));
        Assert.Contains(lines, l => l.Contains("gauntlet") && l.Contains("no_capable_node") && l.Contains("2") && l.Contains("g-1, g-2"));
    }

    [Fact]
    public void Only_the_loops_that_are_not_healthy_are_listed_with_their_last_error()
    {
        var status = JsonNode.Parse("""
            {"node_id": "n1", "role": "follower", "leader_id": "n2", "epoch": 3, "alive_peers": 1,
             "work_queue": {}, "self": {"node_id": "n1", "role": "follower", "resources": {}},
             "loops": {
               "heartbeat": {"name": "heartbeat", "status": "ok", "healthy": true, "seconds_since_last_run": 0.2},
               "raft": {"name": "raft", "status": "failing", "healthy": false, "seconds_since_last_run": 1.5,
                        "last_error": "TimeoutException: no linearizable read within 2 s"},
               "swim": {"name": "swim", "status": "stalled", "healthy": false, "seconds_since_last_run": 12}}}
            """)!;
        var console = new TestConsole().Width(200);

        StatusCommand.Render(status, console);

        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("loop raft failing, last run 1.5 s ago: TimeoutException: no linearizable read within 2 s"));
        Assert.Contains(lines, l => l.StartsWith("loop swim stalled, last run 12 s ago"));
        Assert.DoesNotContain(lines, l => l.Contains("loop heartbeat"));
    }

    [Fact]
    public void A_follower_shows_every_node_and_the_training_table_in_80_columns()
    {
        var lines = Recorded.Render(StatusCommand.Build(Recorded.Load("status-follower.json"), Recorded.Context));

        Assert.StartsWith("node-1 follower, leader node-3, epoch 1, 2 peer(s) alive", lines[0]);
        Assert.Contains("52 completed", lines[1]);
        Recorded.LineWith(lines, "node-1", "follower", "degraded", "0.33", "100", "7", "cpu", "0/2", "self");
        Recorded.LineWith(lines, "node-3", "leader", "degraded", "0/2", "0.4 s");
        // The training figures on one line; the long reason and the champion on lines of their own.
        Recorded.LineWith(lines, "hex8_2p", "0.00", "1693.9", "6.1", "evaluating", "12");
        Assert.Contains(lines, l => l.Contains("awaits evaluation"));
        Recorded.LineWith(lines, "champion", "models/hex8_2p/train-hex8_2p-10.json");
    }

    [Fact]
    public void The_leader_shows_its_running_jobs_and_what_it_could_not_place()
    {
        var lines = Recorded.Render(StatusCommand.Build(Recorded.Load("status-leader-running.json"), Recorded.Context));

        Assert.Contains("jobs on this node", lines);
        Recorded.LineWith(lines, "selfplay-hex8_2p-31", "selfplay", "running", "794", "cpu", "2.2 s");
        Recorded.LineWith(lines, "training", "no_healthy_node", "1", "train-hex8_2p-14");
    }

    [Fact]
    public void A_node_that_is_not_alive_shows_as_down_with_its_silence()
    {
        var lines = Recorded.Render(StatusCommand.Build(Recorded.Load("status-node-down.json"), Recorded.Context));

        Recorded.LineWith(lines, "node-2", "down", "25 s");
    }

    [Fact]
    public void Long_node_ids_and_GPU_names_still_fit_a_row_per_node()
    {
        var text = Recorded.Load("status-follower.json").ToJsonString()
            .Replace("node-1", "vast-4090-node-17").Replace("node-2", "lambda-h100-gpu-3").Replace("node-3", "hetzner-cpu-12");
        var status = JsonNode.Parse(text)!;
        status["self"]!["gpu_name"] = "NVIDIA GeForce RTX 4090";
        status["self"]!["gpu_count"] = 2;

        var lines = Recorded.Render(StatusCommand.Build(status, Recorded.Context));

        Recorded.LineWith(lines, "vast-4090-node-17", "follower", "2x RTX 4090", "self");
        Recorded.LineWith(lines, "hetzner-cpu-12", "leader", "cpu", "0.4 s");
    }
}
