using RingRift.P2P.Config;
using RingRift.P2P.Hosts;
using RingRift.P2P.Membership;
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
/// then the built-in default.
/// </summary>
public static class NodeOptionsResolver
{
    public static NodeOptions Resolve(RunFlags flags, IReadOnlyDictionary<string, string?>? env = null)
    {
        env ??= EnvironmentSnapshot();
        var config = WithToken(P2PConfig.FromEnvironment(env), flags.AuthToken);
        var logging = LogSettings.FromEnvironment(env);
        var nodeId = flags.NodeId ?? config.NodeId ?? Environment.MachineName;
        ValidateNodeId(nodeId, flags.NodeId is not null ? "--node-id" : config.NodeId is not null ? "RINGRIFT_NODE_ID" : "host name (set --node-id)");

        var hostsPath = flags.HostsFile ?? config.HostsFile;
        var inventory = hostsPath is null ? null : DistributedHosts.Load(hostsPath);
        HostEntry? selfEntry = null;
        inventory?.Hosts.TryGetValue(nodeId, out selfEntry);

        var port = flags.Port ?? (IsSet(env, "RINGRIFT_P2P_PORT") ? config.DefaultPort : selfEntry?.P2pPort ?? config.DefaultPort);
        if (port is < 1 or > 65535) throw new P2PConfigException("--port", port.ToString(), "an integer from 1 to 65535");

        var seeds = new List<PeerEndpoint>();
        var peerList = flags.Peers is null ? config.Peers : SplitList(flags.Peers);
        foreach (var peer in peerList)
        {
            (string host, int p) = ParsePeer(peer, flags.Peers is null ? "RINGRIFT_P2P_PEERS" : "--peers");
            seeds.Add(new PeerEndpoint(host, p));
        }

        var swimPort = flags.SwimPort ?? (IsSet(env, P2PEnvironmentVariables.SwimBindPort) ? config.SwimBindPort : selfEntry?.SwimPort ?? config.SwimBindPort);
        if (swimPort is < 1 or > 65535) throw new P2PConfigException("--swim-port", swimPort.ToString(), "an integer from 1 to 65535");
        var swimSeeds = new List<SwimEndpoint>();
        foreach (var seed in flags.SwimSeeds is null ? config.SwimSeeds : SplitList(flags.SwimSeeds))
        {
            (string host, int p) = ParsePeer(seed, flags.SwimSeeds is null ? P2PEnvironmentVariables.SwimSeeds : "--swim-seeds");
            swimSeeds.Add(new SwimEndpoint(host, p));
        }
        if (inventory is not null) swimSeeds.AddRange(SwimSeeds.FromDistributedHosts(inventory, nodeId, swimPort));

        var known = new Dictionary<string, PeerEndpoint>(StringComparer.Ordinal);
        if (inventory is not null)
        {
            foreach (var host in inventory.ActiveHosts())
            {
                if (host.Id == nodeId || string.IsNullOrEmpty(host.Address)) continue;
                known[host.Id] = new PeerEndpoint(host.Address, host.P2pPort);
            }
        }

        IReadOnlyList<string> voters = flags.Voters is not null ? SplitList(flags.Voters)
            : config.Voters.Count > 0 ? config.Voters
            : inventory?.Voters() ?? [];
        foreach (var v in voters) ValidateNodeId(v, flags.Voters is not null ? "--voters" : "voter id");

        var raftPort = flags.RaftPort ?? (IsSet(env, P2PEnvironmentVariables.RaftBindPort) ? config.RaftBindPort : selfEntry?.RaftPort ?? config.RaftBindPort);
        if (raftPort is < 1 or > 65535) throw new P2PConfigException("--raft-port", raftPort.ToString(), "an integer from 1 to 65535");
        var raft = RaftMembership.Resolve(nodeId, raftPort, inventory,
            flags.RaftPeers is null ? config.RaftPeers : SplitList(flags.RaftPeers),
            flags.RaftPeers is null ? P2PEnvironmentVariables.RaftPeers : "--raft-peers",
            flags.AdvertiseAddress ?? config.AdvertiseAddress ?? SpecificHost(flags.Host ?? config.BindHost), flags.RaftAdvertise);

        var jobsSettings = RingRift.P2P.Jobs.JobsSettings.FromEnvironment(env);
        var jobsPath = flags.Jobs ?? jobsSettings.JobsFile;
        var jobs = jobsPath is null ? null : Jobs.JobsFile.Load(jobsPath);

        return new NodeOptions
        {
            Jobs = jobs,
            Webhooks = [.. WebhookConfig.FromEnvironment(env), .. jobs?.Webhooks ?? []],
            JobsSettings = jobsSettings,
            Logging = logging,
            NodeId = nodeId,
            Config = config,
            BindHost = flags.Host ?? config.BindHost,
            Port = port,
            AdvertiseAddress = flags.AdvertiseAddress ?? config.AdvertiseAddress ?? SpecificHost(flags.Host ?? config.BindHost),
            Seeds = seeds,
            KnownPeers = known,
            NamedVoters = voters.Distinct(StringComparer.Ordinal).ToArray(),
            SwimPort = swimPort,
            SwimSeeds = swimSeeds.Distinct().ToArray(),
            RaftPort = raftPort,
            Raft = raft,
            DataDir = Path.GetFullPath(flags.DataDir ?? config.DataDir ?? Path.Combine("data", nodeId)),
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
