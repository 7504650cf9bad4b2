using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Yaml;

namespace RingRift.P2P.Node.Cli;

/// <summary>One error or warning of <c>config check</c>, where it is (a file and line, the environment, the command line) and what is allowed.</summary>
/// <param name="Severity"><c>error</c> (the node would not start) or <c>warning</c>.</param>
/// <param name="Source">A file path as given, <c>environment</c> or <c>command line</c>.</param>
/// <param name="Line">1-based line in <paramref name="Source"/> when it is a file.</param>
/// <param name="Key">The variable, flag or dotted file key at fault.</param>
/// <param name="Message">What is wrong and what is allowed (for a variable: <c>NAME='value' is invalid: …</c>).</param>
public sealed record ConfigFinding(string Severity, string Source, int? Line, string? Key, string Message)
{
    /// <summary>The bad value as given, when there is one to show (never a secret).</summary>
    public string? Value { get; init; }

    /// <summary>What the setting accepts, when the rule says it on its own.</summary>
    public string? Allowed { get; init; }

    /// <summary>
    /// One line: <c>error: distributed_hosts.yaml line 12: key 'hosts.a.p2p_port': expected …</c>, or
    /// <c>error: environment: RINGRIFT_P2P_PORT='abc' is invalid: expected …</c>.
    /// </summary>
    public override string ToString()
    {
        var where = Line is null ? Source : $"{Source} line {Line}";
        var isFileKey = Key is not null && Source is not (ConfigCheck.Environment or ConfigCheck.CommandLine) && !Message.StartsWith(Key, StringComparison.Ordinal);
        return isFileKey ? $"{Severity}: {where}: key '{Key}': {Message}" : $"{Severity}: {where}: {Message}";
    }
}

/// <summary>
/// <c>config check</c>: resolves the node's options exactly as <c>run</c> does (the same resolver, flags,
/// environment, hosts file and jobs file) but collecting every error instead of stopping at the first,
/// then adds warnings for what would not stop a node but is likely a mistake: unknown <c>RINGRIFT_*</c>
/// variables, a node missing from its inventory, voters without a host entry, an even number of voters,
/// a mode switch that has no effect. Opens no socket and writes nothing.
/// </summary>
public static class ConfigCheck
{
    /// <summary><see cref="ConfigFinding.Source"/> of a process environment variable.</summary>
    public const string Environment = "environment";

    /// <summary><see cref="ConfigFinding.Source"/> of a flag.</summary>
    public const string CommandLine = "command line";

    /// <summary>Checks what <c>run</c> would be given: <paramref name="flags"/>, <paramref name="environment"/>, and <paramref name="envFile"/> laid over it.</summary>
    public static ConfigCheckResult Run(RunFlags flags, IReadOnlyDictionary<string, string?> environment, EnvFile? envFile = null)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        var env = envFile?.Over(environment) ?? environment;
        var problems = ConfigProblems.Collect();
        var options = NodeOptionsResolver.Resolve(flags, env, problems);

        var errors = problems.Errors.Select(e => Finding(e, envFile)).ToList();
        var warnings = new List<ConfigFinding>();
        if (envFile is not null) warnings.AddRange(envFile.Warnings.Select(w => Warning(w)));
        foreach (var (name, meant) in KnownVariables.Unknown(env.Where(e => !string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Key)))
        {
            var (source, line) = Where(name, envFile);
            var hint = meant is null ? "" : $"; did you mean {meant}?";
            warnings.Add(new ConfigFinding("warning", source, line, name, $"{name} is not a variable ringrift-p2p reads{hint}"));
        }
        warnings.AddRange(problems.Warnings.Select(w => Warning(w)));
        warnings.AddRange(Lint(options, flags, envFile));
        return new ConfigCheckResult(flags, options, env, envFile, errors, warnings);
    }

    /// <summary>The finding for an error one of the readers raised.</summary>
    public static ConfigFinding Finding(Exception error, EnvFile? envFile) => error switch
    {
        YamlFileException y => new ConfigFinding("error", y.SourceName, y.Line, y.Key, y.Problem) { Allowed = y.Problem },
        P2PConfigException p when p.Variable.StartsWith("--", StringComparison.Ordinal) =>
            new ConfigFinding("error", CommandLine, null, p.Variable, p.Message) { Value = p.Value, Allowed = p.Allowed },
        P2PConfigException p => FromVariable(p, envFile),
        _ => new ConfigFinding("error", Environment, null, null, error.Message),
    };

    private static ConfigFinding FromVariable(P2PConfigException error, EnvFile? envFile)
    {
        var (source, line) = error.Variable.StartsWith(KnownVariables.Prefix, StringComparison.Ordinal) ? Where(error.Variable, envFile) : (Environment, null);
        return new ConfigFinding("error", source, line, error.Variable, error.Message) { Value = error.Value, Allowed = error.Allowed };
    }

    private static (string Source, int? Line) Where(string variable, EnvFile? envFile) =>
        envFile?.LineOf(variable) is { } line ? (envFile.Path, line) : (Environment, null);

    private static ConfigFinding Warning(ConfigWarning w) => new("warning", w.Source, w.Line, w.Key, w.Message);

    /// <summary>What would not stop the node but is likely a mistake.</summary>
    private static IEnumerable<ConfigFinding> Lint(NodeOptions options, RunFlags flags, EnvFile? envFile)
    {
        var config = options.Config;
        if (config.MembershipMode != MembershipMode.Http && !config.SwimEnabled)
        {
            var (source, line) = Where(P2PEnvironmentVariables.MembershipMode, envFile);
            yield return new ConfigFinding("warning", source, line, P2PEnvironmentVariables.MembershipMode,
                $"{P2PEnvironmentVariables.MembershipMode} has no effect while {P2PEnvironmentVariables.SwimEnabled} is false (membership stays on HTTP heartbeats)");
        }
        if (config.ConsensusMode != ConsensusMode.Bully && !config.RaftEnabled)
        {
            var (source, line) = Where(P2PEnvironmentVariables.ConsensusMode, envFile);
            yield return new ConfigFinding("warning", source, line, P2PEnvironmentVariables.ConsensusMode,
                $"{P2PEnvironmentVariables.ConsensusMode} has no effect while {P2PEnvironmentVariables.RaftEnabled} is false (the queue stays on Bully + SQLite)");
        }

        if (options.Inventory is not { } inventory) yield break;
        var file = inventory.SourceName ?? DistributedHosts.DefaultFileName;
        if (!inventory.Hosts.TryGetValue(options.NodeId, out var self))
        {
            var how = flags.NodeId is null ? " (give --node-id or RINGRIFT_NODE_ID)" : "";
            yield return new ConfigFinding("warning", file, inventory.LineOf("hosts"), "hosts",
                $"this node ('{options.NodeId}'{how}) has no entry: it takes the default ports, and the other nodes do not list it as a peer");
        }
        else if (!self.IsActive)
        {
            var key = self.P2pEnabled ? "status" : "p2p_enabled";
            yield return new ConfigFinding("warning", file, inventory.LineOf($"hosts.{self.Id}.{key}"), $"hosts.{self.Id}.{key}",
                $"this node's entry is not active ({(self.P2pEnabled ? $"status '{self.Status}'" : "p2p_enabled: false")}; active: status {string.Join(" or ", HostEntry.ActiveStatuses)} and p2p_enabled): the other nodes do not list it as a peer or seed");
        }

        // Voters that cannot be found: p2p_voters is the Raft group without raft_members, and then the resolver reports them as errors.
        if (inventory.RaftMembers.Count > 0)
        {
            foreach (var id in inventory.P2pVoters.Where(id => !inventory.Hosts.ContainsKey(id)))
            {
                var key = inventory.KeyOf("p2p_voters", id);
                yield return new ConfigFinding("warning", file, inventory.LineOf(key), key,
                    $"voter '{id}' has no entry under hosts: no node can reach it from this file (only through --peers or heartbeats)");
            }
        }
        foreach (var id in inventory.Voters().Where(id => inventory.Hosts.TryGetValue(id, out var h) && !h.IsActive))
        {
            var key = inventory.P2pVoters.Count > 0 ? inventory.KeyOf("p2p_voters", id) : $"hosts.{id}.voter";
            yield return new ConfigFinding("warning", file, inventory.LineOf(key), key,
                $"voter '{id}' is not active (status '{inventory.Hosts[id].Status}'): a voter that does not run still counts toward the majority");
        }
        if (flags.Voters is null && config.Voters.Count == 0 && VoterCountHint(inventory.Voters().Count, inventory.ActiveHosts().Count) is { } hint)
        {
            var key = inventory.P2pVoters.Count > 0 ? "p2p_voters" : "hosts";
            yield return new ConfigFinding("warning", file, inventory.LineOf(key), key, hint);
        }
    }

    /// <summary>A hint when <paramref name="voters"/> voters tolerate no more failures than one fewer would (an even count), or none at all in a larger cluster.</summary>
    public static string? VoterCountHint(int voters, int activeHosts)
    {
        if (voters == 0) return null;
        var majority = voters / 2 + 1;
        var tolerated = voters - majority;
        if (voters % 2 == 0)
            return $"{voters} voters need {majority} for a majority and tolerate {tolerated} down, no more than {voters - 1} would; name an odd number (3 or 5)";
        if (voters == 1 && activeHosts > 1)
            return $"1 voter for {activeHosts} active hosts: the cluster has no leader while that voter is down; name 3 or 5";
        return null;
    }
}

/// <summary>What <c>config check</c> found: the options <c>run</c> would start with, the environment it read, every error and warning.</summary>
public sealed record ConfigCheckResult(
    RunFlags Flags,
    NodeOptions Options,
    IReadOnlyDictionary<string, string?> Environment,
    EnvFile? EnvFile,
    IReadOnlyList<ConfigFinding> Errors,
    IReadOnlyList<ConfigFinding> Warnings)
{
    /// <summary>True when the node would start (warnings allowed).</summary>
    public bool Ok => Errors.Count == 0;
}
