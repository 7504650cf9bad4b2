namespace RingRift.P2P.Yaml;

/// <summary>
/// A YAML configuration file (hosts file, jobs file) cannot be read or holds a bad value. The
/// message names the file, the line and the key: <c>file line N: key 'a.b': problem</c>.
/// </summary>
public abstract class YamlFileException : Exception
{
    protected YamlFileException(string sourceName, int? line, string? key, string problem, Exception? inner)
        : base(YamlNodes.FormatError(sourceName, line, key, problem), inner)
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

    /// <summary>Dotted path of the offending key (<c>hosts.&lt;id&gt;.p2p_port</c>, <c>jobs.selfplay.command</c>); null for syntax errors.</summary>
    public string? Key { get; }

    /// <summary>What is wrong and what is allowed, without the location.</summary>
    public string Problem { get; }
}
