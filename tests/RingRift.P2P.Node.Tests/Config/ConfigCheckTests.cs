using RingRift.P2P.Config;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Tests.Cli;

namespace RingRift.P2P.Node.Tests.Config;

/// <summary>
/// <c>config check</c>: every error of the environment, the hosts file and the jobs file at once (file, line,
/// key, what is allowed), by the rules <c>run</c> stops at (the first error is the one <c>run</c> throws),
/// unknown variables as warnings, nothing started or written.
/// </summary>
public sealed class ConfigCheckTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Dictionary<string, string?> Env(params (string Name, string Value)[] vars) =>
        vars.ToDictionary(v => v.Name, v => (string?)v.Value);

    private RunFlags Flags(string? hosts = null, string? jobs = null, string nodeId = "hetzner-cpu1") =>
        new(NodeId: nodeId, HostsFile: hosts, Jobs: jobs, DataDir: Path.Combine(_files.Dir, "data"));

    private const string BadHosts = """
        p2p_voters: [hetzner-cpu1, hetzner-cpu2, ghost]
        hosts:
          hetzner-cpu1:
            ssh_host: root@203.0.113.10
            p2p_port: abc
          hetzner-cpu2:
            ssh_host: root@203.0.113.11
            tailscale_ip: not-an-ip
            voter: maybe
        """;

    private const string BadJobs = """
        slots:
          cpu: two
        jobs:
          selfplay:
            command: [python3, selfplay.py]
            timeout_seconds: soon
        training:
          min_games: -5
        """;

    [Fact]
    public void AGoodEnvironmentInventoryAndJobsFile_IsOk_WithNothingToSay()
    {
        var env = Env(("RINGRIFT_P2P_HEARTBEAT_INTERVAL", "2"), ("RINGRIFT_P2P_PEER_TIMEOUT", "6"), ("RINGRIFT_SWIM_ENABLED", "true"),
            ("RINGRIFT_MEMBERSHIP_MODE", "hybrid"), ("RINGRIFT_CLUSTER_AUTH_TOKEN", "s3cret"), ("RINGRIFT_MIN_TRAINING_GAMES", "800"), ("PATH", "/usr/bin"));

        var result = ConfigCheck.Run(Flags(ConfigFiles.ExampleHosts, ConfigFiles.ExampleJobs), env);

        Assert.True(result.Ok);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(8770, result.Options.Port);
        Assert.Equal(["hetzner-cpu1", "hetzner-cpu2", "lambda-gh200-1"], result.Options.NamedVoters);
        Assert.StartsWith("config check: ok (0 warnings): node hetzner-cpu1, port 8770, ", ConfigReport.Summary(result));
    }

    [Fact]
    public void EveryErrorOfEveryInput_IsListed_WithFileLineKeyAndAllowedValues()
    {
        var hosts = _files.Write("distributed_hosts.yaml", BadHosts);
        var jobs = _files.Write("jobs.yaml", BadJobs);
        var env = Env(("RINGRIFT_P2P_PORT", "abc"), ("RINGRIFT_CONSENSUS_MODE", "paxos"), ("RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS", "0"),
            ("RINGRIFT_SYNC_MAX_CONCURRENT_PULLS", "100"), ("RINGRIFT_WEBHOOK_EVENTS", "job_done"), ("RINGRIFT_WEBHOOK_URL", "https://example.test/hook"));

        var result = ConfigCheck.Run(Flags(hosts, jobs) with { Port = 0 }, env);

        Assert.False(result.Ok);
        Assert.Equal([
            "error: environment: RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS='0' is invalid: expected a number greater than 0 and at most 1, or a percentage above 1 and at most 100",
            "error: environment: RINGRIFT_P2P_PORT='abc' is invalid: expected an integer from 1 to 65535",
            "error: environment: RINGRIFT_CONSENSUS_MODE='paxos' is invalid: expected one of bully, raft, hybrid",
            $"error: {hosts} line 5: key 'hosts.hetzner-cpu1.p2p_port': expected an integer from 1 to 65535, got 'abc'",
            $"error: {hosts} line 8: key 'hosts.hetzner-cpu2.tailscale_ip': expected an IP address, got 'not-an-ip'",
            $"error: {hosts} line 9: key 'hosts.hetzner-cpu2.voter': expected true or false, got 'maybe'",
            "error: command line: --port='0' is invalid: an integer from 1 to 65535",
            $"error: {hosts} line 1: key 'p2p_voters[2]': voter 'ghost' has no entry under 'hosts'; with no raft_members, p2p_voters is the Raft group and every id needs a host entry with an address",
            "error: environment: RINGRIFT_SYNC_MAX_CONCURRENT_PULLS='100' is invalid: expected an integer from 1 to 64",
            $"error: {jobs} line 2: key 'slots.cpu': expected an integer from 0 to 1024, got 'two'",
            $"error: {jobs} line 6: key 'jobs.selfplay.timeout_seconds': expected a number greater than 0 and at most 604800, got 'soon'",
            $"error: {jobs} line 8: key 'training.min_games': expected an integer from 1 to 2147483647, got '-5'",
            $"error: environment: RINGRIFT_WEBHOOK_EVENTS='job_done' is invalid: unknown event 'job_done'; expected a comma-separated list of {string.Join(", ", RingRift.P2P.Notifications.ClusterEventNames.All)}",
        ], result.Errors.Select(e => e.ToString()));
        var port = result.Errors[1];
        Assert.Equal(("environment", null, "RINGRIFT_P2P_PORT", "abc", "expected an integer from 1 to 65535"), (port.Source, port.Line, port.Key, port.Value, port.Allowed));
        var hostsPort = result.Errors[3];
        Assert.Equal((hosts, 5, "hosts.hetzner-cpu1.p2p_port"), (hostsPort.Source, hostsPort.Line, hostsPort.Key));
        Assert.Equal("config check: 13 errors, 0 warnings: run would stop at the first (exit 2)", ConfigReport.Summary(result));
    }

    public static TheoryData<string, string?, string?> BadConfigurations() => new()
    {
        { "RINGRIFT_P2P_PORT=abc RINGRIFT_RAFT_WARMUP=maybe", null, null },
        { "RINGRIFT_P2P_HEARTBEAT_INTERVAL=10 RINGRIFT_P2P_PEER_TIMEOUT=5", null, null },
        { "RINGRIFT_MIN_TRAINING_GAMES=0", null, null },
        { "", BadHosts, BadJobs },
        { "RINGRIFT_SELFPLAY_BACKLOG=-1", null, BadJobs },
        { "RINGRIFT_CLUSTER_AUTH_TOKEN=a RINGRIFT_CLUSTER_AUTH_TOKEN_FILE=/nonexistent", BadHosts, null },
    };

    /// <summary>One set of rules: whatever check reports first is exactly what run stops at, and check's error count is what run would need fixed.</summary>
    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public void TheFirstErrorReported_IsTheOneRunStopsAt(string variables, string? hostsYaml, string? jobsYaml)
    {
        var env = variables.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
        var flags = Flags(hostsYaml is null ? null : _files.Write("hosts.yaml", hostsYaml), jobsYaml is null ? null : _files.Write("jobs.yaml", jobsYaml));

        var result = ConfigCheck.Run(flags, env);
        var thrown = Record.Exception(() => NodeOptionsResolver.Resolve(flags, env));

        Assert.NotEmpty(result.Errors);
        Assert.NotNull(thrown);
        Assert.Equal(ConfigCheck.Finding(thrown, null).ToString(), result.Errors[0].ToString());
    }

    [Fact]
    public void AConfigurationCheckPasses_IsOneRunResolves()
    {
        var env = Env(("RINGRIFT_RAFT_ENABLED", "true"), ("RINGRIFT_CONSENSUS_MODE", "hybrid"), ("RINGRIFT_P2P_VOTERS", "hetzner-cpu1,hetzner-cpu2,lambda-gh200-1"));
        var flags = Flags(ConfigFiles.ExampleHosts, ConfigFiles.ExampleJobs);

        Assert.True(ConfigCheck.Run(flags, env).Ok);
        Assert.Equal("hetzner-cpu1", NodeOptionsResolver.Resolve(flags, env).NodeId);
    }

    [Theory]
    [InlineData("RINGRIFT_P2P_HEARTBEAT_INTERVALL", "RINGRIFT_P2P_HEARTBEAT_INTERVAL")]
    [InlineData("RINGRIFT_AUTH_TOKEN", "RINGRIFT_CLUSTER_AUTH_TOKEN")]
    [InlineData("RINGRIFT_SWIM_PORT", "RINGRIFT_SWIM_BIND_PORT")]
    [InlineData("RINGRIFT_P2P_NODE_ID", "RINGRIFT_NODE_ID")]
    [InlineData("RINGRIFT_AI_SERVICE_PATH", null)]
    public void AnUnknownRingriftVariable_IsAWarning_NamingTheClosestKnownOne(string variable, string? meant)
    {
        var result = ConfigCheck.Run(Flags(), Env((variable, "1"), ("RINGRIFT_P2P_PORT", "8771"), ("HOME", "/root")));

        Assert.True(result.Ok);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((ConfigCheck.Environment, variable), (warning.Source, warning.Key));
        Assert.Equal(meant is null
            ? $"warning: environment: {variable} is not a variable ringrift-p2p reads"
            : $"warning: environment: {variable} is not a variable ringrift-p2p reads; did you mean {meant}?", warning.ToString());
    }

    [Fact]
    public void EveryVariableTheReadmeDocuments_IsKnown()
    {
        var readme = File.ReadAllText(RepoFiles.Path("README.md"));
        var documented = System.Text.RegularExpressions.Regex.Matches(readme, @"^\| `(RINGRIFT_[A-Z0-9_]+)` \|", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToArray();

        Assert.NotEmpty(documented);
        Assert.DoesNotContain(documented, v => !KnownVariables.IsKnown(v));
        Assert.Empty(KnownVariables.Unknown(documented));
    }

    [Fact]
    public void AnEnvFile_IsLaidOverTheEnvironment_AndItsErrorsAndTyposNameItsLines()
    {
        var envFile = EnvFile.Parse("""
            # ringrift-p2p
            RINGRIFT_P2P_PORT=8775
            RINGRIFT_P2P_HEARTBEAT_INTERVALL=2
            RINGRIFT_CONSENSUS_MODE="paxos"
            this line has no equals sign
            """, "/etc/ringrift-p2p/ringrift-p2p.env");

        var result = ConfigCheck.Run(Flags(), Env(("RINGRIFT_P2P_PORT", "1"), ("RINGRIFT_RAFT_WARMUP", "nah")), envFile);

        Assert.Equal(8775, result.Options.Port);
        Assert.Equal([
            "error: /etc/ringrift-p2p/ringrift-p2p.env line 4: RINGRIFT_CONSENSUS_MODE='paxos' is invalid: expected one of bully, raft, hybrid",
            "error: environment: RINGRIFT_RAFT_WARMUP='nah' is invalid: expected one of true, false, 1, 0, yes, no, on, off",
        ], result.Errors.Select(e => e.ToString()));
        Assert.Equal([
            "warning: /etc/ringrift-p2p/ringrift-p2p.env line 5: not NAME=VALUE; systemd ignores this line",
            "warning: /etc/ringrift-p2p/ringrift-p2p.env line 3: RINGRIFT_P2P_HEARTBEAT_INTERVALL is not a variable ringrift-p2p reads; did you mean RINGRIFT_P2P_HEARTBEAT_INTERVAL?",
        ], result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void TheInventory_WarnsAboutANodeMissingFromIt_AnInactiveVoter_AndAnEvenNumberOfVoters()
    {
        var hosts = _files.Write("hosts.yaml", """
            p2p_voters: [a, b, c, d]
            raft_members: [a, b, c]
            hosts:
              a: {ssh_host: 10.0.0.1}
              b: {ssh_host: 10.0.0.2}
              c: {ssh_host: 10.0.0.3, status: offline}
            """);

        var result = ConfigCheck.Run(Flags(hosts, nodeId: "e"), Env());

        Assert.True(result.Ok);
        Assert.Equal([
            $"warning: {hosts} line 3: key 'hosts': this node ('e') has no entry: it takes the default ports, and the other nodes do not list it as a peer",
            $"warning: {hosts} line 1: key 'p2p_voters[3]': voter 'd' has no entry under hosts: no node can reach it from this file (only through --peers or heartbeats)",
            $"warning: {hosts} line 1: key 'p2p_voters[2]': voter 'c' is not active (status 'offline'): a voter that does not run still counts toward the majority",
            $"warning: {hosts} line 1: key 'p2p_voters': 4 voters need 3 for a majority and tolerate 1 down, no more than 3 would; name an odd number (3 or 5)",
        ], result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void AModeSwitchWithoutItsProtocol_IsAWarning()
    {
        var result = ConfigCheck.Run(Flags(), Env(("RINGRIFT_MEMBERSHIP_MODE", "swim"), ("RINGRIFT_CONSENSUS_MODE", "raft")));

        Assert.True(result.Ok);
        Assert.Equal(["RINGRIFT_MEMBERSHIP_MODE", "RINGRIFT_CONSENSUS_MODE"], result.Warnings.Select(w => w.Key));
    }

    [Fact]
    public void Checking_StartsNothing_AndWritesNoDataDirectory()
    {
        var dataDir = Path.Combine(_files.Dir, "data");

        var result = ConfigCheck.Run(Flags(ConfigFiles.ExampleHosts, ConfigFiles.ExampleJobs), Env());

        Assert.True(result.Ok);
        Assert.Equal(dataDir, result.Options.DataDir);
        Assert.False(Directory.Exists(dataDir));
    }

    [Fact]
    public async Task TheCommand_ExitsTwo_PrintingEveryErrorLine_ThenTheSummary()
    {
        var hosts = _files.Write("distributed_hosts.yaml", BadHosts);
        var jobs = _files.Write("jobs.yaml", BadJobs);
        var envFile = _files.Write("node.env", "RINGRIFT_P2P_PORT=abc\nRINGRIFT_CONSENSUS_MODE=paxos\n");

        var (code, output, _) = await CapturedOutput.RunAsync(["config", "check", "--env-file", envFile, "--hosts", hosts, "--jobs", jobs, "--node-id", "hetzner-cpu1",
            "--data-dir", Path.Combine(_files.Dir, "data")]);

        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains($"error: {envFile} line 1: RINGRIFT_P2P_PORT='abc' is invalid: expected an integer from 1 to 65535", lines);
        Assert.Contains($"error: {envFile} line 2: RINGRIFT_CONSENSUS_MODE='paxos' is invalid: expected one of bully, raft, hybrid", lines);
        Assert.Contains($"error: {hosts} line 9: key 'hosts.hetzner-cpu2.voter': expected true or false, got 'maybe'", lines);
        Assert.Contains($"error: {jobs} line 8: key 'training.min_games': expected an integer from 1 to 2147483647, got '-5'", lines);
        Assert.Equal(9, lines.Count(l => l.StartsWith("error: ", StringComparison.Ordinal)));
        Assert.StartsWith("config check: 9 errors, ", lines[^1]);
    }

    [Fact]
    public async Task TheCommand_ExitsZero_ForAGoodConfiguration_AndPrintsJsonForScripts()
    {
        var flags = new[] { "--hosts", ConfigFiles.ExampleHosts, "--jobs", ConfigFiles.ExampleJobs, "--node-id", "lambda-gh200-1", "--data-dir", Path.Combine(_files.Dir, "data") };

        var (code, output, _) = await CapturedOutput.RunAsync(["config", "check", .. flags]);
        var (jsonCode, json, _) = await CapturedOutput.RunAsync(["config", "check", "--json", .. flags]);

        Assert.Equal(0, code);
        Assert.Contains("config check: ok (", output);
        Assert.Equal(0, jsonCode);
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.True(parsed["ok"]!.GetValue<bool>());
        Assert.Equal("lambda-gh200-1", parsed["node_id"]!.GetValue<string>());
        Assert.Empty(parsed["errors"]!.AsArray());
    }

    [Fact]
    public async Task TheCommandsJson_GivesEachErrorsSourceLineKeyAndAllowedValues()
    {
        var hosts = _files.Write("distributed_hosts.yaml", BadHosts);

        var (code, json, _) = await CapturedOutput.RunAsync(["config", "check", "--json", "--hosts", hosts, "--node-id", "hetzner-cpu1", "--port", "70000",
            "--data-dir", Path.Combine(_files.Dir, "data")]);

        Assert.Equal(CliApp.BadArguments, code);
        var errors = System.Text.Json.Nodes.JsonNode.Parse(json)!["errors"]!.AsArray();
        var port = errors.Single(e => e!["key"]!.GetValue<string>() == "hosts.hetzner-cpu1.p2p_port")!;
        Assert.Equal((hosts, 5, "expected an integer from 1 to 65535, got 'abc'"),
            (port["source"]!.GetValue<string>(), port["line"]!.GetValue<int>(), port["allowed"]!.GetValue<string>()));
        var flag = errors.Single(e => e!["key"]!.GetValue<string>() == "--port")!;
        Assert.Equal(("command line", "70000"), (flag["source"]!.GetValue<string>(), flag["value"]!.GetValue<string>()));
    }
}
