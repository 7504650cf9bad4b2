using System.Text.Json.Nodes;
using RingRift.P2P.Node.Tests.Cluster;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>peers, status, jobs, training, events and work show/cancel against a running node: output, --json, --watch, exit codes.</summary>
public sealed class ViewCommandTests
{
    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CapturedOutput.RunAsync(args);

    private static void Fits80(string output) =>
        Assert.All(output.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"wider than 80 columns: {line}"));

    [Fact]
    public async Task Every_view_answers_from_a_node_in_80_columns_and_as_the_APIs_JSON()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var url = (await cluster.WaitForLeaderAsync()).Url;

        foreach (var view in new[] { "status", "peers", "jobs", "training", "events" })
        {
            var (code, output, error) = await Run(view, "--url", url);
            Assert.True(code == 0, $"{view}: exit {code}, {error}");
            Assert.Empty(error);
            Fits80(output);
        }
        Assert.Contains("node-1", (await Run("peers", "--url", url)).Out);
        Assert.Contains("runs no jobs (started without a jobs file)", (await Run("jobs", "--all", "--url", url)).Out);

        var peers = JsonNode.Parse((await Run("peers", "--json", "--url", url)).Out)!;
        Assert.Equal("node-1", peers["self"]!["node_id"]!.GetValue<string>());
        // The leader announces itself once its dispatch loop sees it can act: shortly after the election.
        await Eventually.Until(async () => JsonNode.Parse((await Run("events", "--json", "--limit", "5", "--url", url)).Out)!,
            events => events["events"]!.AsArray().Any(e => e!["event"]!.GetValue<string>() == "leader_changed"),
            "events --json listing leader_changed", InProcessCluster.ClusterWait);
        var training = JsonNode.Parse((await Run("training", "--json", "--url", url)).Out)!;
        Assert.Equal("node-1", training["node_id"]!.GetValue<string>());
        Assert.Equal("null", (await Run("jobs", "--json", "--url", url)).Out.Trim()); // no jobs file: no runner block
    }

    [Fact]
    public async Task Work_show_and_cancel_and_their_failures()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var url = (await cluster.WaitForLeaderAsync()).Url;
        Assert.Equal(0, (await Run("work", "add", "--type", "gauntlet", "--id", "g-1", "--config", """{"model_path": "m.json"}""", "--url", url)).Code);

        var shown = await Run("work", "show", "g-1", "--url", url);
        Assert.Equal(0, shown.Code);
        Assert.Matches("(?m)^status +pending *$", shown.Out);
        Assert.Matches("""(?m)^config +\{"model_path":"m.json"\} *$""", shown.Out);

        var cancelled = await Run("work", "cancel", "g-1", "--url", url);
        Assert.Equal((0, "cancelled g-1 (gauntlet)\n", ""), (cancelled.Code, cancelled.Out.Replace("\r", ""), cancelled.Err));
        Assert.Equal("cancelled", JsonNode.Parse((await Run("work", "show", "g-1", "--json", "--url", url)).Out)!["status"]!.GetValue<string>());

        var again = await Run("work", "cancel", "g-1", "--json", "--url", url);
        Assert.Equal(1, again.Code);
        Assert.Empty(again.Out);
        Assert.Matches("^ringrift-p2p: POST work/cancel failed: 409 INVALID_TRANSITION: .*cancelled.*\n$", again.Err.Replace("\r", ""));

        var missing = await Run("work", "show", "nope", "--url", url);
        Assert.Equal((1, ""), (missing.Code, missing.Out));
        Assert.Equal("ringrift-p2p: GET work/nope failed: 404 WORK_NOT_FOUND: work item 'nope' does not exist\n", missing.Err.Replace("\r", ""));
    }

    [Fact]
    public async Task Watch_redraws_until_ctrl_c_and_with_json_prints_one_line_per_refresh()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var url = (await cluster.WaitForLeaderAsync()).Url;

        var lines = await CapturedOutput.RunAsync(["peers", "--json", "--watch", "0.5", "--url", url], until: o => o.Count(c => c == '\n') >= 2);
        Assert.Equal(0, lines.Code);
        var refreshes = lines.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(refreshes.Length >= 2, lines.Out);
        Assert.All(refreshes, r => Assert.Equal("node-1", JsonNode.Parse(r)!["node_id"]!.GetValue<string>()));

        var bare = await CapturedOutput.RunAsync(["events", "--json", "--watch", "--url", url], until: o => o.Contains('\n'));
        Assert.Equal(0, bare.Code); // bare --watch: every 2 s; stopped after the first refresh

        var frames = await CapturedOutput.RunAsync(["status", "--watch", "0.5", "--url", url], until: o => CountOf(o, "Ctrl-C stops") >= 2);
        Assert.Equal(0, frames.Code);
        Assert.True(CountOf(frames.Out, "node-1 leader, leader node-1") >= 2, frames.Out);
        Fits80(frames.Out);
    }

    [Fact]
    public async Task A_node_that_cannot_be_reached_is_exit_code_1_with_one_line()
    {
        var url = $"http://127.0.0.1:{TestPorts.Free()}";

        foreach (var args in new[] { new[] { "peers" }, ["status", "--watch"], ["work", "show", "x"], ["work", "cancel", "x"] })
        {
            var (code, output, error) = await Run([.. args, "--url", url]);
            Assert.Equal(1, code);
            Assert.Empty(output);
            Assert.Matches($"^ringrift-p2p: cannot reach {url}/: .*\n$", error.Replace("\r", ""));
        }
    }

    [Theory]
    [InlineData("--watch", "peers", "--watch", "0")]
    [InlineData("--watch", "events", "--watch", "abc")]
    [InlineData("--watch", "training", "--watch", "3601")]
    [InlineData("--limit", "events", "--limit", "0")]
    [InlineData("--limit", "work", "list", "--limit", "10001")]
    [InlineData("bogus", "work", "list", "--status", "bogus")]
    [InlineData("show", "work", "show")]
    [InlineData("--url", "peers", "--url", "ftp://example")]
    [InlineData("--config", "work", "add", "--type", "gauntlet", "--config", "{nope")]
    [InlineData("peerz", "peerz")]
    public async Task Bad_arguments_are_exit_code_2_with_one_line_naming_what_was_wrong(string named, params string[] args)
    {
        var (code, output, error) = await Run(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        var lines = error.Replace("\r", "").TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("ringrift-p2p: ", lines[0]);
        Assert.Contains(named, lines[0]);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
