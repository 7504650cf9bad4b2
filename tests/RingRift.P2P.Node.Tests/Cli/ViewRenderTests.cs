using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>peers, jobs, training, events and work show rendered from recorded API answers, in 80 columns.</summary>
public sealed class ViewRenderTests
{
    [Fact]
    public void Peers_lists_each_node_with_address_state_role_and_voter_on_one_line()
    {
        var lines = Recorded.Render(PeersCommand.Build(Recorded.Load("status-node-down.json"), Recorded.Context));

        Assert.Equal("node-1 sees leader node-3 (epoch 1); voters node-1, node-2, node-3 (majority 2)", lines[0]);
        Recorded.LineWith(lines, "node-1", "127.0.0.1:18770", "degraded", "follower", "yes", "self", "1.0.0");
        Recorded.LineWith(lines, "node-2", "127.0.0.1:18771", "down", "follower", "yes", "25 s");
        Recorded.LineWith(lines, "node-3", "127.0.0.1:18772", "leader", "1.0 s", "1m45s");
    }

    [Fact]
    public void Peers_json_is_the_status_fields_unchanged()
    {
        var status = Recorded.Load("status-node-down.json");

        var json = PeersCommand.Json(status).AsObject();

        Assert.Equal(PeersCommand.JsonFields, json.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(status["peers"], json["peers"]));
        Assert.True(JsonNode.DeepEquals(status["self"], json["self"]));
    }

    [Fact]
    public void Jobs_shows_slots_counters_and_one_line_per_running_job()
    {
        var runner = Recorded.Load("status-leader-running.json")["jobs"]!["runner"];

        var lines = Recorded.Render(JobsView.Node(new NodeJobs("node-3", "127.0.0.1:18772", runner), Recorded.Context));

        Assert.Contains("node-3 (127.0.0.1:18772)", lines);
        Assert.Contains("cpu slots 2/2, gpu slots 0/0; 36 started, 34 completed, 0 failed, 0 timed out", lines);
        Recorded.LineWith(lines, "selfplay-hex8_2p-32", "selfplay", "running", "795", "-", "cpu", "2.2 s");
    }

    [Fact]
    public void Jobs_says_when_a_node_runs_none_or_did_not_answer()
    {
        var idle = Recorded.Load("status-follower.json")["jobs"]!["runner"];

        Assert.Contains("no job running", Recorded.Render(JobsView.Node(new NodeJobs("node-1", null, idle), Recorded.Context)));
        Assert.Contains("runs no jobs (started without a jobs file)", Recorded.Render(JobsView.Node(new NodeJobs("node-1", null, null), Recorded.Context)));
        Assert.Contains("no answer: cannot reach http://10.0.0.2:8770/", Recorded.Render(
            JobsView.Node(new NodeJobs("node-2", "10.0.0.2:8770", null, "cannot reach http://10.0.0.2:8770/"), Recorded.Context)));
    }

    [Fact]
    public void Jobs_json_is_the_runner_block_or_with_all_an_object_of_them()
    {
        var runner = Recorded.Load("status-leader-running.json")["jobs"]!["runner"];

        Assert.Same(runner, JobsCommand.Json(new JobsAnswer(false, [new NodeJobs("node-3", null, runner)])));
        var all = JobsCommand.Json(new JobsAnswer(true, [new NodeJobs("node-3", "a:1", runner), new NodeJobs("node-1", "a:2", null), new NodeJobs("node-2", "a:3", null, "down")]))!.AsObject();
        Assert.Equal(["node-3", "node-1"], all.Select(p => p.Key));
        Assert.True(JsonNode.DeepEquals(runner, all["node-3"]));
        Assert.Null(all["node-1"]);
    }

    [Fact]
    public void Training_shows_the_figures_on_one_line_and_reason_champion_candidates_promotions_below()
    {
        var lines = Recorded.Render(TrainingCommand.Build(Recorded.Load("training-status.json"), Recorded.Context));

        Assert.Equal("training (leader node-3, evaluated 12:43:17)", lines[1]);
        Recorded.LineWith(lines, "hex8_2p", "400", "0.00", "1726.6", "30.5", "trigger", "12");
        Recorded.LineWith(lines, "400 games available, at least 400 needed");
        Recorded.LineWith(lines, "champion", "models/hex8_2p/train-hex8_2p-12.json (Elo 1726.6, node-2)");
        Recorded.LineWith(lines, "promotions", "9; last 1693.9 → 1726.6 Elo");
    }

    [Fact]
    public void Training_before_any_config_says_so()
    {
        var lines = Recorded.Render(TrainingCommand.Build(JsonNode.Parse("""{"node_id": "n1", "training": null}""")!, Recorded.Context));

        Assert.Equal(["training (leader n1)", "no board config in the queue yet: nothing to train"], lines);
    }

    [Fact]
    public void Events_lists_time_kind_and_what_happened_one_line_each()
    {
        var lines = Recorded.Render(EventsCommand.Build(Recorded.Load("events.json"), Recorded.Context));

        Assert.Equal("leader node-3: 63 events published; webhooks 0 delivered, 0 failed, 0 dropped", lines[0]);
        Recorded.LineWith(lines, "12:42:20", "leader", "node-3 elected");
        Recorded.LineWith(lines, "12:42:25", "training", "hex8_2p: train-hex8_2p-1 queued (400 new games)");
        Recorded.LineWith(lines, "12:42:27", "trained", "hex8_2p: train-hex8_2p-1.json on node-3, 400 games, 0.8 s");
        Recorded.LineWith(lines, "12:42:33", "promoted", "hex8_2p: train-hex8_2p-2.json, Elo 1406.8 (+79.6)");
        Recorded.LineWith(lines, "12:43:51", "node down", "node-2, silent 15 s");
    }

    [Fact]
    public void Work_show_labels_each_field_of_the_item()
    {
        var lines = Recorded.Render(WorkItemView.Build(Recorded.Load("work-item.json"), Recorded.Context));

        Assert.Matches("^work +train-hex8_2p-1$", lines[0]);
        Recorded.LineWith(lines, "status", "completed (claimed by node-3)");
        Recorded.LineWith(lines, "attempts", "1 of 3; timeout 3600 s");
        Recorded.LineWith(lines, "ended", "2026-12-06 12:42:27");
        Recorded.LineWith(lines, "config", """{"board_type":"hex8","num_players":2,"games":400}""");
        Assert.DoesNotContain(lines, l => l.StartsWith("error", StringComparison.Ordinal));
    }
}
