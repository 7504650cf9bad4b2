using System.Collections.ObjectModel;
using System.Net;
using RingRift.P2P.Config;
using RingRift.P2P.Membership;
using RingRift.P2P.Yaml;
using YamlDotNet.RepresentationModel;
using static RingRift.P2P.Yaml.YamlNodes;

namespace RingRift.P2P.Hosts;

/// <summary>
/// Walks the YAML representation model of a hosts file so that every error can carry the line
/// of the node at fault. One instance per file. Every key read is kept with its line
/// (<see cref="DistributedHostsConfig.LineOf"/>), for later messages about it.
/// </summary>
internal sealed class HostsYamlReader(string sourceName, ConfigProblems? problems = null)
    : YamlFileReader<HostsFileException>(sourceName, problems)
{
    private const string PortAllowed = "expected an integer from 1 to 65535";

    /// <summary>The host keys this program reads; other keys belong to other tools and are ignored.</summary>
    public static readonly string[] HostKeys =
    [
        "ssh_host", "tailscale_ip", "role", "status", "p2p_enabled", "voter", "gpu", "gpu_vram_gb", "memory_gb", "cpus",
        "training_enabled", "selfplay_enabled", "nat_blocked", "p2p_port", "swim_port", "raft_port", "arch",
    ];

    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _listKeys = new(StringComparer.Ordinal);

    protected override HostsFileException CreateError(int? line, string? key, string problem, Exception? inner = null) =>
        new(SourceName, line, key, problem, inner);

    public DistributedHostsConfig Read(string yaml)
    {
        var empty = DistributedHostsConfig.Empty with { SourceName = SourceName };
        YamlNode? root;
        try
        {
            root = LoadRoot(yaml);
        }
        catch (HostsFileException e) when (Collected(e))
        {
            return empty;
        }
        if (root is null) return empty;
        if (root is not YamlMappingNode top)
        {
            Problems.Add(Error(root, "(root)", $"expected a mapping with p2p_voters, raft_members and hosts, got {Describe(root)}"));
            return empty;
        }

        IReadOnlyList<string> voters = [], raftMembers = [];
        IReadOnlyDictionary<string, HostEntry> hosts = new ReadOnlyDictionary<string, HostEntry>(new Dictionary<string, HostEntry>());
        foreach (var (keyNode, value) in top.Children)
        {
            try
            {
                var name = KeyName(keyNode, "(root)");
                Remember(name, keyNode);
                switch (name)
                {
                    case "p2p_voters": voters = ReadIdList(value, "p2p_voters"); break;
                    case "raft_members": raftMembers = ReadIdList(value, "raft_members"); break;
                    case "hosts": hosts = ReadHosts(value); break;
                    default: break; // Unknown top-level keys belong to other tools.
                }
            }
            catch (HostsFileException e) when (Collected(e)) { }
        }
        return new DistributedHostsConfig
        {
            P2pVoters = voters,
            RaftMembers = raftMembers,
            Hosts = hosts,
            SourceName = SourceName,
            Lines = new ReadOnlyDictionary<string, int>(_lines),
            ListKeys = new ReadOnlyDictionary<string, string>(_listKeys),
        };
    }

    private void Remember(string key, YamlNode node) => _lines.TryAdd(key, LineOf(node.Start));

    private IReadOnlyList<string> ReadIdList(YamlNode node, string key)
    {
        if (IsNull(node)) return [];
        if (node is not YamlSequenceNode list)
            throw Error(node, key, $"expected a list of node ids, got {Describe(node)}");

        var ids = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var itemKey = $"{key}[{i}]";
            try
            {
                if (item is not YamlScalarNode scalar || IsNull(item))
                    throw Error(item, itemKey, $"expected a node id, got {Describe(item)}");
                var id = scalar.Value!.Trim();
                if (!NodeIds.IsValid(id)) throw Error(item, itemKey, $"{NodeIds.Allowed}, got '{scalar.Value}'");
                if (ids.Contains(id, StringComparer.Ordinal)) throw Error(item, itemKey, $"node id '{id}' is listed twice");
                ids.Add(id);
                Remember(itemKey, item);
                _listKeys[$"{key}/{id}"] = itemKey;
            }
            catch (HostsFileException e) when (Collected(e)) { }
        }
        return ids.AsReadOnly();
    }

    private ReadOnlyDictionary<string, HostEntry> ReadHosts(YamlNode node)
    {
        var hosts = new OrderedDictionary<string, HostEntry>(StringComparer.Ordinal);
        if (IsNull(node)) return new(hosts);
        if (node is not YamlMappingNode map)
            throw Error(node, "hosts", $"expected a mapping of host id to settings, got {Describe(node)}");

        foreach (var (keyNode, value) in map.Children)
        {
            try
            {
                var id = KeyName(keyNode, "hosts");
                if (!NodeIds.IsValid(id)) throw Error(keyNode, $"hosts.{id}", $"host id {NodeIds.Allowed}, got '{id}'");
                Remember($"hosts.{id}", keyNode);
                if (!hosts.TryAdd(id, ReadHost(id, value))) throw Error(keyNode, $"hosts.{id}", "host is listed twice");
            }
            catch (HostsFileException e) when (Collected(e)) { }
        }
        return new(hosts);
    }

    private HostEntry ReadHost(string id, YamlNode node)
    {
        var entry = new HostEntry { Id = id };
        if (IsNull(node)) return entry;
        if (node is not YamlMappingNode map)
            throw Error(node, $"hosts.{id}", $"expected a mapping of host settings, got {Describe(node)}");

        foreach (var (keyNode, value) in WithMergedKeys(map, $"hosts.{id}"))
        {
            try
            {
                var name = KeyName(keyNode, $"hosts.{id}");
                var key = $"hosts.{id}.{name}";
                entry = name switch
                {
                    "ssh_host" => entry with { SshHost = Text(value, key) },
                    "tailscale_ip" => entry with { TailscaleIp = IpAddress(value, key) },
                    "role" => entry with { Role = Text(value, key) },
                    "status" => entry with { Status = Text(value, key) ?? "ready" },
                    "p2p_enabled" => entry with { P2pEnabled = Bool(value, key) ?? true },
                    "voter" => entry with { Voter = Bool(value, key) ?? false },
                    "gpu" => entry with { Gpu = Text(value, key) },
                    "gpu_vram_gb" => entry with { GpuVramGb = Number(value, key, 0, double.MaxValue, minInclusive: true, "expected a number of at least 0") },
                    "memory_gb" => entry with { MemoryGb = Number(value, key, 0, double.MaxValue, minInclusive: true, "expected a number of at least 0") },
                    "cpus" => entry with { Cpus = Int(value, key, 1, int.MaxValue, $"expected an integer from 1 to {int.MaxValue}") },
                    "training_enabled" => entry with { TrainingEnabled = Bool(value, key) ?? false },
                    "selfplay_enabled" => entry with { SelfplayEnabled = Bool(value, key) ?? false },
                    "nat_blocked" => entry with { NatBlocked = Bool(value, key) ?? false },
                    "p2p_port" => entry with { P2pPort = Int(value, key, 1, 65535, PortAllowed) ?? 8770 },
                    "swim_port" => entry with { SwimPort = Int(value, key, 1, 65535, PortAllowed) ?? 7947 },
                    "raft_port" => entry with { RaftPort = Int(value, key, 1, 65535, PortAllowed) ?? 4321 },
                    "arch" => entry with { Arch = Arch(value, key) },
                    _ => Unknown(entry, keyNode, key, name), // Other tools' settings.
                };
                // Merged keys come first and the host's own win, so the last line seen is the one in force.
                _lines[key] = LineOf(keyNode.Start);
            }
            catch (HostsFileException e) when (Collected(e)) { }
        }
        return entry;
    }

    /// <summary>An unknown host key is ignored (other tools keep their settings here); one close to a key of ours is likely a typo.</summary>
    private HostEntry Unknown(HostEntry entry, YamlNode keyNode, string key, string name)
    {
        if (NearestName.Find(name, HostKeys) is { } meant)
            Warn(keyNode, key, $"unknown key, ignored; did you mean '{meant}'?");
        return entry;
    }

    private string? IpAddress(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null || IPAddress.TryParse(text, out _)) return text;
        throw Error(node, key, $"expected an IP address, got '{text}'");
    }

    private string? Arch(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null) return null;
        return HostEntry.NormalizeArch(text) ?? throw Error(node, key, $"{HostEntry.ArchAllowed}, got '{text}'");
    }
}
