namespace RingRift.P2P.Hosts;

/// <summary>
/// The hosts file cannot be read or holds a bad value. The message names the file, the line and
/// the key, e.g. <c>distributed_hosts.yaml line 12: key 'hosts.vast-4090-7.p2p_port': expected an
/// integer from 1 to 65535, got 'abc'</c>.
/// </summary>
public sealed class HostsFileException : Exception
{
    public HostsFileException(string sourceName, int? line, string? key, string problem, Exception? inner = null)
        : base(RingRift.P2P.Yaml.YamlNodes.FormatError(sourceName, line, key, problem), inner)
    {
        SourceName = sourceName;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file path or name the YAML came from.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the offending node; null when the file could not be read at all.</summary>
    public int? Line { get; }

    /// <summary>Dotted path of the offending key (<c>hosts.&lt;id&gt;.p2p_port</c>, <c>p2p_voters[1]</c>); null for syntax errors.</summary>
    public string? Key { get; }

    /// <summary>What is wrong and what is allowed, without the location.</summary>
    public string Problem { get; }
}
