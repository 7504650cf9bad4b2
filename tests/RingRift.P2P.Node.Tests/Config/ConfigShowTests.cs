using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cli;

namespace RingRift.P2P.Node.Tests.Config;

/// <summary><c>config show</c>: the values run would start with, where each came from, secrets masked, the node's inventory entry; 80 columns or JSON.</summary>
public sealed class ConfigShowTests : IDisposable
{
    private const string Token = "tok-3f9a1c";
    private const string SlackSecret = "T000/B000/XXXXSECRETXXXX";

    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Dictionary<string, string?> Env(params (string Name, string Value)[] vars) =>
        vars.ToDictionary(v => v.Name, v => (string?)v.Value);

    private static Dictionary<string, (string Value, string From)> Settings(ConfigCheckResult result) =>
        ConfigShowView.Rows(result).Where(r => r.Name != "webhook").ToDictionary(r => r.Name, r => (r.Text, r.From));

    [Fact]
    public void EachValue_SaysWhetherAFlagTheEnvironmentTheInventoryEntryOrTheDefaultGaveIt()
    {
        var flags = new RunFlags(NodeId: "local-dev", HostsFile: ConfigFiles.ExampleHosts, Jobs: ConfigFiles.ExampleJobs, SwimPort: 7000, DataDir: "/var/lib/ringrift-p2p");
        var env = Env(("RINGRIFT_RAFT_BIND_PORT", "4400"), ("RINGRIFT_P2P_LEADER_LEASE_DURATION", "12"), ("RINGRIFT_MIN_TRAINING_GAMES", "900"));

        var settings = Settings(ConfigCheck.Run(flags, env));

        Assert.Equal(("local-dev", "--node-id"), settings["node_id"]);
        Assert.Equal(("7000", "--swim-port"), settings["swim_port"]);                       // flag over inventory
        Assert.Equal(("4400", "RINGRIFT_RAFT_BIND_PORT"), settings["raft_port"]);           // environment over inventory
        Assert.Equal(("8781", "hosts.local-dev.p2p_port"), settings["port"]);               // the node's inventory entry
        Assert.Equal(("0.0.0.0", "default"), settings["host"]);
        Assert.Equal(("12 s", "RINGRIFT_P2P_LEADER_LEASE_DURATION"), settings["leader_lease"]); // the original's name for it
        Assert.Equal(("hetzner-cpu1, hetzner-cpu2, lambda-gh200-1", "p2p_voters"), settings["voters"]);
        Assert.Equal(("900", "RINGRIFT_MIN_TRAINING_GAMES"), settings["min_games"]);        // environment over the jobs file
        Assert.Equal(("0", "training.min_hours_between_training"), settings["min_hours_between_training"]);
        Assert.Equal(("24", "default"), settings["staleness_hours"]);
        Assert.Equal(("/var/lib/ringrift-p2p", "--data-dir"), settings["data_dir"]);
    }

    [Fact]
    public void TheClusterTokenAndWebhookSecrets_NeverShow()
    {
        var env = Env(("RINGRIFT_CLUSTER_AUTH_TOKEN", Token), ("RINGRIFT_SLACK_WEBHOOK_URL", $"https://hooks.slack.com/services/{SlackSecret}"),
            ("RINGRIFT_WEBHOOK_URL", "https://user:pw@alerts.example.test:8443/hook?key=k3y"));
        var result = ConfigCheck.Run(new RunFlags(NodeId: "n1", DataDir: _files.Dir), env);

        var text = Render(result);
        var json = ConfigShowView.Json(result).ToJsonString();

        foreach (var secret in new[] { Token, SlackSecret, "pw", "k3y", "services" })
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(secret, json);
        }
        var settings = ConfigShowView.Rows(result).ToLookup(r => r.Name);
        Assert.Equal(("(set, hidden)", "RINGRIFT_CLUSTER_AUTH_TOKEN"), (settings["auth_token"].Single().Text, settings["auth_token"].Single().From));
        Assert.Equal(["https://alerts.example.test:8443/… (generic; every event)", "https://hooks.slack.com/… (slack; every event)"],
            settings["webhook"].Select(r => r.Text));
        Assert.Equal(["RINGRIFT_WEBHOOK_URL", "RINGRIFT_SLACK_WEBHOOK_URL"], settings["webhook"].Select(r => r.From));
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T/B/X", "https://hooks.slack.com/…")]
    [InlineData("https://discord.com/api/webhooks/1/tok", "https://discord.com/…")]
    [InlineData("http://u:p@example.test:8080/?t=1", "http://example.test:8080/…")]
    [InlineData("https://example.test/", "https://example.test/")]
    [InlineData("not a url", "(set, hidden)")]
    public void MaskUrl_KeepsSchemeHostAndPortOnly(string url, string masked) => Assert.Equal(masked, ConfigShowView.MaskUrl(url));

    [Fact]
    public void WithAHostsFile_TheNodesOwnEntryIsListedKeyByKey_WithItsLines()
    {
        var result = ConfigCheck.Run(new RunFlags(NodeId: "lambda-gh200-1", HostsFile: ConfigFiles.ExampleHosts, DataDir: _files.Dir), Env());

        var entry = ConfigShowView.InventoryEntry(result).ToDictionary(r => r.Name, r => (r.Text, r.From));

        Assert.Equal(("ubuntu@198.51.100.21", "line 32"), entry["ssh_host"]);
        Assert.Equal(("GH200 (96 GB) (power 1.2)", "line 34"), entry["gpu"]);
        Assert.Equal(("gpu_training_primary", "line 37"), entry["role"]);
        Assert.Equal(("true", "line 40"), entry["training_enabled"]);
        Assert.Equal(("-", "default"), entry["arch"]);
        Assert.Equal(("8770", "default"), entry["p2p_port"]);
        Assert.Equal(("100.64.0.21", "tailscale_ip"), entry["address"]);
        Assert.Equal(("true", "p2p_voters"), entry["votes"]);
        Assert.Equal(("true", "raft_members"), entry["raft_member"]);
    }

    [Fact]
    public async Task TheTable_FitsEightyColumns_AndGivesNoBracketForDefaults()
    {
        var (code, output, _) = await CapturedOutput.RunAsync(["config", "show", "--hosts", ConfigFiles.ExampleHosts, "--jobs", ConfigFiles.ExampleJobs,
            "--node-id", "hetzner-cpu1", "--data-dir", "/var/lib/ringrift-p2p", "--port", "8790"]);

        Assert.Equal(0, code);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        // The table fits; findings (this process's own RINGRIFT_* variables, say) are whole lines, for grep.
        var table = lines.Where(l => !l.StartsWith("warning: ", StringComparison.Ordinal) && !l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.All(table, l => Assert.True(l.Length <= 80, $"longer than 80 columns: '{l}'"));
        Assert.Contains("node hetzner-cpu1: the configuration run would start with", lines);
        Assert.Contains(lines, l => l.StartsWith("port ", StringComparison.Ordinal) && l.EndsWith("8790  (--port)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("leader_lease ", StringComparison.Ordinal) && l.EndsWith(" 30 s", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("check_interval ", StringComparison.Ordinal) && l.EndsWith("2 s  (training.check_interval_seconds)", StringComparison.Ordinal));
        foreach (var section in new[] { "node", "cluster", "swim and raft", "jobs and sync", "training", "webhooks", "hosts.hetzner-cpu1 (this node's inventory entry)" })
            Assert.Contains(section, lines);
    }

    [Fact]
    public async Task Json_GivesTypedValuesAndTheirSources()
    {
        var (code, output, _) = await CapturedOutput.RunAsync(["config", "show", "--json", "--hosts", ConfigFiles.ExampleHosts, "--node-id", "local-dev",
            "--data-dir", _files.Dir, "--voters", "a,b,c"]);

        Assert.Equal(0, code);
        var json = JsonNode.Parse(output)!;
        var settings = json["settings"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
        Assert.Equal(8781, settings["port"]["value"]!.GetValue<int>());
        Assert.Equal("hosts.local-dev.p2p_port", settings["port"]["from"]!.GetValue<string>());
        Assert.Equal(["a", "b", "c"], settings["voters"]["value"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("--voters", settings["voters"]["from"]!.GetValue<string>());
        Assert.False(settings["swim_enabled"]["value"]!.GetValue<bool>());
        Assert.Null(settings["auth_token"]["value"]);
        var entry = json["inventory_entry"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
        Assert.Equal("offline", entry["status"]["value"]!.GetValue<string>());
        Assert.Single(json["warnings"]!.AsArray(), w => w!["key"]?.GetValue<string>() == "hosts.local-dev.status");
    }

    [Fact]
    public async Task Errors_AreListedUnderTheTable_AndExitTwo()
    {
        var envFile = _files.Write("node.env", "RINGRIFT_P2P_PEER_TIMEOUT=-1\n");

        var (code, output, _) = await CapturedOutput.RunAsync(["config", "show", "--env-file", envFile, "--node-id", "n1", "--data-dir", _files.Dir]);

        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("peer_timeout", output);
        Assert.Contains($"error: {envFile} line 1: RINGRIFT_P2P_PEER_TIMEOUT='-1' is invalid: expected a number of seconds greater than 0 and at most 86400", output.Split('\n'));
    }

    private static string Render(ConfigCheckResult result)
    {
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.No,
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 80;
        console.Write(ConfigShowView.Render(result));
        return writer.ToString();
    }
}
