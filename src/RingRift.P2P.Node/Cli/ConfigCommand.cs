using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Node.Hosting;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// <c>ringrift-p2p config check | show | hosts</c>: the configuration a node would start with, checked
/// (every error, not only the first), shown with where each value came from, and the hosts file as
/// lines a shell loop reads (for <c>deploy/install-hosts.sh</c>). Nothing is started.
/// </summary>
public static class ConfigCommand
{
    /// <summary>The columns of <c>config hosts</c>, in order.</summary>
    public static readonly string[] HostColumns = ["id", "ssh_target", "address", "p2p_port", "swim_port", "raft_port", "arch", "active", "voter", "raft", "status", "role"];

    public static Command Create() =>
        new("config", "Check or show the configuration a node would start with (nothing is started), or list the hosts file's hosts") { Check(), Show(), Hosts() };

    private static Option<string?> EnvFileOption() => new("--env-file")
    {
        Description = "An environment file (systemd EnvironmentFile format) laid over this process's environment, as the service would get it",
    };

    private static Command Check()
    {
        var envFile = EnvFileOption();
        var json = new Option<bool>("--json") { Description = "Print {ok, node_id, errors, warnings} as JSON" };
        var command = new Command("check", "Check the environment, the hosts file and the jobs file as run would read them, with run's flags; "
            + "exit 0, or 2 listing every error (file, line, key, what is allowed)") { envFile, json };
        var flags = RunFlagOptions.AddTo(command);
        command.SetAction(parse => CliApp.Guard(parse, async () =>
        {
            var result = Run(parse, flags, envFile);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonOut.Text(ConfigReport.Json(result), indented: true));
            }
            else
            {
                foreach (var line in ConfigReport.Lines(result)) await output.WriteLineAsync(line);
                await output.WriteLineAsync(ConfigReport.Summary(result));
            }
            return result.Ok ? 0 : CliApp.BadArguments;
        }));
        return command;
    }

    private static Command Show()
    {
        var envFile = EnvFileOption();
        var json = new Option<bool>("--json") { Description = "Print {node_id, ok, settings: [{section, name, value, from}], inventory_entry, errors, warnings} as JSON" };
        var command = new Command("show", "Show the configuration run would start with and where each value came from (flag, environment, "
            + "hosts file entry, jobs file, default), secrets masked; with --hosts, this node's inventory entry") { envFile, json };
        var flags = RunFlagOptions.AddTo(command);
        command.SetAction(parse => CliApp.Guard(parse, async () =>
        {
            var result = Run(parse, flags, envFile);
            if (parse.GetValue(json))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(JsonOut.Text(ConfigShowView.Json(result), indented: true));
            }
            else
            {
                CliOutput.Of(parse).Console.Write(ConfigShowView.Render(result));
                var lines = ConfigReport.Lines(result).ToArray();
                if (lines.Length > 0) await parse.InvocationConfiguration.Output.WriteLineAsync();
                foreach (var line in lines) await parse.InvocationConfiguration.Output.WriteLineAsync(line);
            }
            return result.Ok ? 0 : CliApp.BadArguments;
        }));
        return command;
    }

    private static Command Hosts()
    {
        var hosts = new Option<string?>("--hosts")
        {
            Description = "distributed_hosts.yaml (default: $RINGRIFT_P2P_HOSTS_FILE)",
            DefaultValueFactory = _ => P2PEnvironmentVariables.SetBy(P2PEnvironmentVariables.HostsFile) is { } v ? Environment.GetEnvironmentVariable(v)!.Trim() : null,
        };
        var json = new Option<bool>("--json") { Description = "Print the hosts as a JSON array of objects with the same fields" };
        var command = new Command("hosts", "Print every host of the hosts file, one line each, tab-separated, '-' for a missing value: "
            + string.Join(" ", HostColumns) + " (for shell loops such as deploy/install-hosts.sh); exit 2 listing every error of a bad file") { hosts, json };
        command.SetAction(parse => CliApp.Guard(parse, async () =>
        {
            var path = parse.GetValue(hosts) ?? throw new CliUsageException("config hosts needs --hosts FILE (or RINGRIFT_P2P_HOSTS_FILE)");
            var problems = ConfigProblems.Collect();
            var inventory = DistributedHosts.Load(path, problems);
            var error = parse.InvocationConfiguration.Error;
            foreach (var e in problems.Errors) await error.WriteLineAsync(ConfigCheck.Finding(e, null).ToString());
            foreach (var w in problems.Warnings) await error.WriteLineAsync($"warning: {w}");
            if (problems.Errors.Count > 0) return CliApp.BadArguments;
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonOut.Text(HostsJson(inventory), indented: true));
            }
            else
            {
                foreach (var line in HostLines(inventory)) await output.WriteLineAsync(line);
            }
            return 0;
        }));
        return command;
    }

    private static ConfigCheckResult Run(ParseResult parse, Func<ParseResult, RunFlags> flags, Option<string?> envFile)
    {
        var file = parse.GetValue(envFile) is { } path ? EnvFile.Load(path) : null;
        return ConfigCheck.Run(flags(parse), NodeOptionsResolver.EnvironmentSnapshot(), file);
    }

    /// <summary>
    /// One line per host, in file order, the <see cref="HostColumns"/> separated by tabs, <c>-</c> for a
    /// missing value (a shell's <c>read</c> would merge empty fields): <c>ssh_target</c> is <c>ssh_host</c>
    /// as written (else <c>tailscale_ip</c>), <c>address</c> what the nodes use, <c>active</c> / <c>voter</c> /
    /// <c>raft</c> are yes or no.
    /// </summary>
    public static IEnumerable<string> HostLines(DistributedHostsConfig inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return HostFields(inventory).Select(fields => string.Join('\t', fields.Select(f => Field(f.Value))));
    }

    /// <summary>The hosts as a JSON array of objects keyed by <see cref="HostColumns"/> (numbers as numbers, yes/no as booleans, missing as null).</summary>
    public static JsonArray HostsJson(DistributedHostsConfig inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var array = new JsonArray();
        foreach (var fields in HostFields(inventory))
        {
            var item = new JsonObject();
            foreach (var (name, value) in fields)
            {
                item[name] = value switch
                {
                    null => null,
                    int n => n,
                    bool b => b,
                    _ => value.ToString(),
                };
            }
            array.Add((JsonNode)item);
        }
        return array;
    }

    private static IEnumerable<(string Name, object? Value)[]> HostFields(DistributedHostsConfig inventory)
    {
        var voters = inventory.Voters();
        var raft = inventory.RaftGroup();
        foreach (var h in inventory.Hosts.Values)
        {
            object?[] values =
            [
                h.Id, h.SshHost ?? h.TailscaleIp, h.Address, h.P2pPort, h.SwimPort, h.RaftPort, h.Arch, h.IsActive,
                voters.Contains(h.Id, StringComparer.Ordinal), raft.Contains(h.Id, StringComparer.Ordinal), h.Status, h.Role,
            ];
            yield return HostColumns.Zip(values).ToArray();
        }
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => "-",
            bool b => b ? "yes" : "no",
            int n => n.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "-",
        };
        // One host, one line: no tab or line break may split a field; an empty one would be merged by read.
        text = string.Join(' ', text.Split(['\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return text.Length == 0 ? "-" : text;
    }
}
