namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The jobs file cannot be read or holds a bad value. The message names the file, the line and
/// the key, e.g. <c>jobs.yaml line 7: key 'jobs.selfplay.timeout_seconds': expected a number
/// greater than 0, got 'soon'</c>.
/// </summary>
public sealed class JobsFileException : Exception
{
    public JobsFileException(string sourceName, int? line, string? key, string problem, Exception? inner = null)
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

    /// <summary>Dotted path of the offending key (<c>jobs.training.command</c>, <c>slots.cpu</c>); null for syntax errors.</summary>
    public string? Key { get; }

    /// <summary>What is wrong and what is allowed, without the location.</summary>
    public string Problem { get; }
}
