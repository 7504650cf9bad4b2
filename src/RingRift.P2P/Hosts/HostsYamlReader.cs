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
/// of the node at fault. One instance per file.
/// </summary>
internal sealed class HostsYamlReader(string sourceName) : YamlFileReader<HostsFileException>(sourceName)
{
    private const string PortAllowed = "expected an integer from 1 to 65535";

    protected override HostsFileException CreateError(int? line, string? key, string problem, Exception? inner = null) =>
        new(SourceName, line, key, problem, inner);

    public DistributedHostsConfig Read(string yaml)
    {
        if (LoadRoot(yaml) is not { } root) return DistributedHostsConfig.Empty;
        if (root is not YamlMappingNode top)
            throw Error(root, "(root)", $"expected a mapping with p2p_voters, raft_members and hosts, got {Describe(root)}");

        IReadOnlyList<string> voters = [], raftMembers = [];
        IReadOnlyDictionary<string, HostEntry> hosts = new ReadOnlyDictionary<string, HostEntry>(new Dictionary<string, HostEntry>());
        foreach (var (keyNode, value) in top.Children)
        {
            switch (KeyName(keyNode, "(root)"))
            {
                case "p2p_voters": voters = ReadIdList(value, "p2p_voters"); break;
                case "raft_members": raftMembers = ReadIdList(value, "raft_members"); break;
                case "hosts": hosts = ReadHosts(value); break;
                default: break; // Unknown top-level keys belong to other tools.
            }
        }
        return new DistributedHostsConfig { P2pVoters = voters, RaftMembers = raftMembers, Hosts = hosts };
    }

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
            if (item is not YamlScalarNode scalar || IsNull(item))
                throw Error(item, itemKey, $"expected a node id, got {Describe(item)}");
            var id = scalar.Value!.Trim();
            if (!NodeIds.IsValid(id)) throw Error(item, itemKey, $"{NodeIds.Allowed}, got '{scalar.Value}'");
            if (ids.Contains(id, StringComparer.Ordinal)) throw Error(item, itemKey, $"node id '{id}' is listed twice");
            ids.Add(id);
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
            var id = KeyName(keyNode, "hosts");
            if (!NodeIds.IsValid(id)) throw Error(keyNode, $"hosts.{id}", $"host id {NodeIds.Allowed}, got '{id}'");
            if (!hosts.TryAdd(id, ReadHost(id, value))) throw Error(keyNode, $"hosts.{id}", "host is listed twice");
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
                _ => entry, // Unknown host keys are other tools' settings.
            };
        }
        return entry;
    }

    private string? IpAddress(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null || IPAddress.TryParse(text, out _)) return text;
        throw Error(node, key, $"expected an IP address, got '{text}'");
    }
}
