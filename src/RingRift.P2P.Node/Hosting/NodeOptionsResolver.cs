using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Training;
using RingRift.P2P.Notifications;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Node.Hosting;

/// <summary>Command-line values for <c>ringrift-p2p run</c>; null means "not given".</summary>
public sealed record RunFlags(
    string? NodeId = null,
    int? Port = null,
    string? Host = null,
    string? Peers = null,
    string? HostsFile = null,
    string? DataDir = null,
    string? AdvertiseAddress = null,
    string? Voters = null,
    int? SwimPort = null,
    string? SwimSeeds = null,
    int? RaftPort = null,
    string? RaftPeers = null,
    string? RaftAdvertise = null,
    string? Jobs = null,
    string? AuthToken = null);

/// <summary>
/// Turns flags, environment and the inventory file into <see cref="NodeOptions"/>.
/// Precedence: flag, then environment variable, then the node's entry in distributed_hosts.yaml,
/// then the built-in default. Where each value came from is kept in <see cref="NodeOptions.Sources"/>.
/// </summary>
/// <remarks>
/// <c>run</c> resolves with <see cref="ConfigProblems.ThrowFirst"/> (the first bad value stops it, exit 2);
/// <c>config check</c> and <c>config show</c> resolve the same way with a collecting
/// <see cref="ConfigProblems"/>, so they report every error <c>run</c> could stop at, and nothing else.
/// Resolving opens no socket and writes nothing: it reads the environment, the token file, the
/// hosts file and the jobs file.
/// </remarks>
public static class NodeOptionsResolver
{
    /// <summary>Where a value came from when nothing set it.</summary>
    public const string Default = "default";

    public static NodeOptions Resolve(RunFlags flags, IReadOnlyDictionary<string, string?>? env = null) => Resolve(flags, env, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="Resolve(RunFlags, IReadOnlyDictionary{string, string?}?)"/>; errors go to <paramref name="problems"/> (collected: each bad value keeps its default).</summary>
    public static NodeOptions Resolve(RunFlags flags, IReadOnlyDictionary<string, string?>? env, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(problems);
        env ??= EnvironmentSnapshot();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        string From(string? flag, bool flagGiven, string variable, string otherwise = Default) =>
            flagGiven ? flag! : P2PEnvironmentVariables.SetBy(variable, env) ?? otherwise;

        var config = P2PConfig.FromEnvironment(env, problems);
        config = problems.Read(() => WithToken(config, flags.AuthToken), config);
        var logging = problems.Read(() => LogSettings.FromEnvironment(env), new LogSettings());
        sources["auth_token"] = flags.AuthToken is not null ? "--auth-token"
            : P2PEnvironmentVariables.SetBy(P2PEnvironmentVariables.AuthTokenFile, env) ?? P2PEnvironmentVariables.SetBy(P2PEnvironmentVariables.AuthToken, env) ?? Default;

        var nodeId = flags.NodeId ?? config.NodeId ?? Environment.MachineName;
        var nodeIdSource = flags.NodeId is not null ? "--node-id" : config.NodeId is not null ? "RINGRIFT_NODE_ID" : "host name (set --node-id)";
        problems.Check(() => ValidateNodeId(nodeId, nodeIdSource));
        sources["node_id"] = flags.NodeId is not null ? "--node-id" : config.NodeId is not null ? "RINGRIFT_NODE_ID" : "host name";

        var hostsPath = flags.HostsFile ?? config.HostsFile;
        sources["hosts_file"] = From("--hosts", flags.HostsFile is not null, P2PEnvironmentVariables.HostsFile);
        var inventory = hostsPath is null ? null : DistributedHosts.Load(hostsPath, problems);
        HostEntry? selfEntry = null;
        inventory?.Hosts.TryGetValue(nodeId, out selfEntry);
        string FromEntry(string? flag, bool flagGiven, string variable, string key)
        {
            var from = From(flag, flagGiven, variable, "");
            if (from.Length > 0) return from;
            return selfEntry is not null && inventory!.LineOf($"hosts.{nodeId}.{key}") is not null ? $"hosts.{nodeId}.{key}" : Default;
        }

        var port = flags.Port ?? (IsSet(env, "RINGRIFT_P2P_PORT") ? config.DefaultPort : selfEntry?.P2pPort ?? config.DefaultPort);
        if (!problems.Check(() => CheckPort(port, "--port"))) port = config.DefaultPort;
        sources["port"] = FromEntry("--port", flags.Port is not null, P2PEnvironmentVariables.Port, "p2p_port");

        var seeds = new List<PeerEndpoint>();
        var peerList = flags.Peers is null ? config.Peers : SplitList(flags.Peers);
        foreach (var peer in peerList)
        {
            if (problems.Read<(string Host, int Port)?>(() => ParsePeer(peer, flags.Peers is null ? "RINGRIFT_P2P_PEERS" : "--peers")) is { } parsed)
                seeds.Add(new PeerEndpoint(parsed.Host, parsed.Port));
        }
        sources["peers"] = From("--peers", flags.Peers is not null, P2PEnvironmentVariables.Peers);

        var swimPort = flags.SwimPort ?? (IsSet(env, P2PEnvironmentVariables.SwimBindPort) ? config.SwimBindPort : selfEntry?.SwimPort ?? config.SwimBindPort);
        if (!problems.Check(() => CheckPort(swimPort, "--swim-port"))) swimPort = config.SwimBindPort;
        sources["swim_port"] = FromEntry("--swim-port", flags.SwimPort is not null, P2PEnvironmentVariables.SwimBindPort, "swim_port");
        var swimSeeds = new List<SwimEndpoint>();
        foreach (var seed in flags.SwimSeeds is null ? config.SwimSeeds : SplitList(flags.SwimSeeds))
        {
            if (problems.Read<(string Host, int Port)?>(() => ParsePeer(seed, flags.SwimSeeds is null ? P2PEnvironmentVariables.SwimSeeds : "--swim-seeds")) is { } parsed)
                swimSeeds.Add(new SwimEndpoint(parsed.Host, parsed.Port));
        }
        var swimSeedsSource = From("--swim-seeds", flags.SwimSeeds is not null, P2PEnvironmentVariables.SwimSeeds, "");
        if (inventory is not null)
        {
            var fromHosts = SwimSeeds.FromDistributedHosts(inventory, nodeId, swimPort);
            swimSeeds.AddRange(fromHosts);
            if (fromHosts.Count > 0) swimSeedsSource = swimSeedsSource.Length > 0 ? $"{swimSeedsSource} + hosts file" : "hosts file";
        }
        sources["swim_seeds"] = swimSeedsSource.Length > 0 ? swimSeedsSource : Default;

        var known = new Dictionary<string, PeerEndpoint>(StringComparer.Ordinal);
        if (inventory is not null)
        {
            foreach (var host in inventory.ActiveHosts())
            {
                if (host.Id == nodeId || string.IsNullOrEmpty(host.Address)) continue;
                known[host.Id] = new PeerEndpoint(host.Address, host.P2pPort);
            }
        }
        sources["known_peers"] = inventory is null ? Default : "hosts file";

        IReadOnlyList<string> voters = flags.Voters is not null ? SplitList(flags.Voters)
            : config.Voters.Count > 0 ? config.Voters
            : inventory?.Voters() ?? [];
        voters = voters.Where(v => problems.Check(() => ValidateNodeId(v, flags.Voters is not null ? "--voters" : "voter id"))).ToArray();
        sources["voters"] = flags.Voters is not null ? "--voters"
            : config.Voters.Count > 0 ? P2PEnvironmentVariables.Voters
            : inventory is not null && inventory.P2pVoters.Count > 0 ? "p2p_voters"
            : inventory is not null && voters.Count > 0 ? "voter: true in hosts"
            : Default;

        var raftPort = flags.RaftPort ?? (IsSet(env, P2PEnvironmentVariables.RaftBindPort) ? config.RaftBindPort : selfEntry?.RaftPort ?? config.RaftBindPort);
        if (!problems.Check(() => CheckPort(raftPort, "--raft-port"))) raftPort = config.RaftBindPort;
        sources["raft_port"] = FromEntry("--raft-port", flags.RaftPort is not null, P2PEnvironmentVariables.RaftBindPort, "raft_port");
        var advertise = flags.AdvertiseAddress ?? config.AdvertiseAddress ?? SpecificHost(flags.Host ?? config.BindHost);
        var raft = problems.Read(() => RaftMembership.Resolve(nodeId, raftPort, inventory,
            flags.RaftPeers is null ? config.RaftPeers : SplitList(flags.RaftPeers),
            flags.RaftPeers is null ? P2PEnvironmentVariables.RaftPeers : "--raft-peers",
            advertise, flags.RaftAdvertise, problems), RaftMembership.SingleNode(advertise ?? "127.0.0.1", raftPort, "none (single-node group)"));
        sources["raft_members"] = raft.Source.StartsWith("none", StringComparison.Ordinal) ? Default : raft.Source;

        var jobsSettings = RingRift.P2P.Jobs.JobsSettings.FromEnvironment(env, problems);
        var jobsPath = flags.Jobs ?? jobsSettings.JobsFile;
        sources["jobs_file"] = From("--jobs", flags.Jobs is not null, RingRift.P2P.Jobs.JobsSettings.JobsFileVariable);
        var jobs = jobsPath is null ? null : Jobs.JobsFile.Load(jobsPath, problems);
        // The training loop reads these when it starts; checked here so a bad one stops start-up at once, like the rest.
        (jobs?.Training ?? new TrainingFileSettings()).Resolve(env, config, problems);

        sources["host"] = From("--host", flags.Host is not null, P2PEnvironmentVariables.BindHost);
        sources["advertise_address"] = flags.AdvertiseAddress is not null ? "--advertise-address"
            : P2PEnvironmentVariables.SetBy(P2PEnvironmentVariables.AdvertiseAddress, env)
            ?? (advertise is not null ? "--host" : Default);
        sources["data_dir"] = From("--data-dir", flags.DataDir is not null, P2PEnvironmentVariables.DataDir);

        return new NodeOptions
        {
            Jobs = jobs,
            Webhooks = [.. WebhookConfig.FromEnvironment(env, problems), .. jobs?.Webhooks ?? []],
            JobsSettings = jobsSettings,
            Logging = logging,
            NodeId = nodeId,
            Config = config,
            BindHost = flags.Host ?? config.BindHost,
            Port = port,
            AdvertiseAddress = advertise,
            Seeds = seeds,
            KnownPeers = known,
            NamedVoters = voters.Distinct(StringComparer.Ordinal).ToArray(),
            SwimPort = swimPort,
            SwimSeeds = swimSeeds.Distinct().ToArray(),
            RaftPort = raftPort,
            Raft = raft,
            DataDir = Path.GetFullPath(flags.DataDir ?? config.DataDir ?? Path.Combine("data", nodeId)),
            Inventory = inventory,
            Sources = sources,
        };
    }

    /// <summary>The configuration with <c>--auth-token</c>, when given, as its cluster token (the flag wins over the environment).</summary>
    private static P2PConfig WithToken(P2PConfig config, string? token)
    {
        if (token is null) return config;
        try
        {
            return config with { AuthToken = token };
        }
        catch (P2PConfigException ex)
        {
            throw new P2PConfigException("--auth-token", ex.Value, ex.Allowed);
        }
    }

    public static IReadOnlyDictionary<string, string?> EnvironmentSnapshot() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static bool IsSet(IReadOnlyDictionary<string, string?> env, string name) =>
        env.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v);

    private static IReadOnlyList<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void CheckPort(int port, string flag)
    {
        if (port is < 1 or > 65535) throw new P2PConfigException(flag, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "an integer from 1 to 65535");
    }

    private static (string Host, int Port) ParsePeer(string value, string source)
    {
        try { return P2PConfig.ParsePeerAddress(value); }
        catch (Exception ex) when (ex is not P2PConfigException)
        {
            throw new P2PConfigException(source, value, "host:port with a port from 1 to 65535");
        }
    }

    private static void ValidateNodeId(string id, string source)
    {
        if (!NodeIds.IsValid(id)) throw new P2PConfigException(source, id, NodeIds.Allowed);
    }

    /// <summary>A bind host that names one interface is also the address to advertise.</summary>
    private static string? SpecificHost(string bindHost) =>
        bindHost is "0.0.0.0" or "::" or "*" or "+" or "[::]" ? null : bindHost;
}
