using System.Collections.ObjectModel;
using System.Globalization;
using System.Net;
using RingRift.P2P.Config;
using RingRift.P2P.Membership;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static RingRift.P2P.Yaml.YamlNodes;

namespace RingRift.P2P.Hosts;

/// <summary>
/// Walks the YAML representation model of a hosts file so that every error can carry the line
/// of the node at fault. One instance per file.
/// </summary>
internal sealed class HostsYamlReader(string sourceName)
{
    private const string PortAllowed = "expected an integer from 1 to 65535";

    public DistributedHostsConfig Read(string yaml)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (AnchorNotFoundException e)
        {
            throw new HostsFileException(sourceName, AliasLine(yaml, e), null, $"invalid YAML: {e.Message.TrimEnd('.')}", e);
        }
        catch (YamlException e)
        {
            throw new HostsFileException(sourceName, SyntaxErrorLine(yaml, e), null, $"invalid YAML: {e.Message.TrimEnd('.')}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 18 fails this way on some unclosed flow collections; the scanner knows where it stopped.
            throw new HostsFileException(sourceName, LineOf(scanner.CurrentPosition), null,
                "invalid YAML: the document ends inside a structure (is a '[', '{' or quote left open?)", e);
        }

        if (stream.Documents.Count == 0) return DistributedHostsConfig.Empty;
        if (stream.Documents.Count > 1)
            throw Error(stream.Documents[1].RootNode, null, "expected one YAML document, found more");

        var root = stream.Documents[0].RootNode;
        if (IsNull(root)) return DistributedHostsConfig.Empty;
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
                "gpu_vram_gb" => entry with { GpuVramGb = NonNegative(value, key) },
                "memory_gb" => entry with { MemoryGb = NonNegative(value, key) },
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

    /// <summary>
    /// The mapping's pairs with YAML merge keys (<c>&lt;&lt;: *defaults</c>, or a list of aliases) expanded:
    /// merged pairs come first so the mapping's own keys, applied later, override them.
    /// </summary>
    private IEnumerable<KeyValuePair<YamlNode, YamlNode>> WithMergedKeys(YamlMappingNode map, string parent)
    {
        var own = new List<KeyValuePair<YamlNode, YamlNode>>();
        var merged = new List<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var pair in map.Children)
        {
            if (pair.Key is not YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain }) { own.Add(pair); continue; }
            var sources = pair.Value switch
            {
                YamlMappingNode single => [single],
                YamlSequenceNode list when list.Children.All(n => n is YamlMappingNode) => list.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw Error(pair.Value, $"{parent}.<<", $"expected a mapping or a list of mappings to merge, got {Describe(pair.Value)}"),
            };
            // YAML merge: earlier sources win over later ones, so add later sources first.
            for (var i = sources.Count - 1; i >= 0; i--) merged.AddRange(sources[i].Children);
        }
        return merged.Concat(own);
    }

    private string? Text(YamlNode node, string key)
    {
        if (IsNull(node)) return null;
        if (node is not YamlScalarNode scalar) throw Error(node, key, $"expected a string, got {Describe(node)}");
        var text = scalar.Value?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private string? IpAddress(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is null || IPAddress.TryParse(text, out _)) return text;
        throw Error(node, key, $"expected an IP address, got '{text}'");
    }

    private bool? Bool(YamlNode node, string key)
    {
        if (IsNull(node)) return null;
        var raw = Scalar(node, key, "expected true or false");
        return BoolRule.TryParse(raw, out var value) ? value : throw Error(node, key, $"expected true or false, got '{raw}'");
    }

    private int? Int(YamlNode node, string key, int min, int max, string allowed)
    {
        if (IsNull(node)) return null;
        var raw = Scalar(node, key, allowed);
        if (int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        throw Error(node, key, $"{allowed}, got '{raw}'");
    }

    private double? NonNegative(YamlNode node, string key)
    {
        const string allowed = "expected a number of at least 0";
        if (IsNull(node)) return null;
        var raw = Scalar(node, key, allowed);
        if (double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0)
            return value;
        throw Error(node, key, $"{allowed}, got '{raw}'");
    }

    private string Scalar(YamlNode node, string key, string allowed) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Error(node, key, $"{allowed}, got {Describe(node)}");

    private string KeyName(YamlNode keyNode, string parent) =>
        keyNode is YamlScalarNode { Value: { } name } && !IsNull(keyNode)
            ? name
            : throw Error(keyNode, parent, $"expected a plain key, got {Describe(keyNode)}");

    private HostsFileException Error(YamlNode node, string? key, string problem) =>
        new(sourceName, LineOf(node.Start), key, problem);


    /// <summary>
    /// YamlDotNet reports an unknown alias at line 1; the first line that uses <c>*name</c> is where it is.
    /// </summary>
    private static int AliasLine(string yaml, AnchorNotFoundException e)
    {
        var first = e.Message.IndexOf('\'');
        var last = e.Message.LastIndexOf('\'');
        if (first < 0 || last <= first) return LineOf(e.Start);
        var alias = "*" + e.Message[(first + 1)..last];
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(alias, StringComparison.Ordinal)) return i + 1;
        }
        return LineOf(e.Start);
    }

    /// <summary>
    /// The line YamlDotNet reports, except for tab indentation, which it reports at the start of the
    /// enclosing mapping: then the first later line indented with a tab is the one to fix.
    /// </summary>
    private static int SyntaxErrorLine(string yaml, YamlException e)
    {
        var line = LineOf(e.Start);
        if (!e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase)) return line;
        var lines = yaml.Split('\n');
        for (var i = Math.Max(0, line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].AsSpan()[..(lines[i].Length - lines[i].TrimStart().Length)];
            if (indent.Contains('\t') && lines[i].Trim().Length > 0) return i + 1;
        }
        return line;
    }
}
