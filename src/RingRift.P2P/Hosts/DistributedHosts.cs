using RingRift.P2P.Config;

namespace RingRift.P2P.Hosts;

/// <summary>
/// Reads <c>distributed_hosts.yaml</c>, the cluster inventory of the original RingRift
/// deployments: <c>p2p_voters</c>, <c>raft_members</c> and <c>hosts</c>. Existing files load
/// unchanged: unknown keys anywhere are ignored. Every error names the file, the line and the key.
/// </summary>
public static class DistributedHosts
{
    /// <summary>The conventional file name.</summary>
    public const string DefaultFileName = "distributed_hosts.yaml";

    /// <summary>Reads and parses the file at <paramref name="path"/>; errors name the path as given.</summary>
    /// <exception cref="HostsFileException">The file cannot be read, is not valid YAML, or holds a bad value.</exception>
    public static DistributedHostsConfig Load(string path) => Load(path, ConfigProblems.ThrowFirst);

    /// <summary>
    /// As <see cref="Load(string)"/>, sending errors to <paramref name="problems"/>: when it collects, every
    /// bad key is recorded (the rest of the file is still read) and what could be read is returned.
    /// </summary>
    /// <exception cref="HostsFileException">A bad file, and <paramref name="problems"/> throws the first error.</exception>
    public static DistributedHostsConfig Load(string path, ConfigProblems problems)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(problems);
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            problems.Add(new HostsFileException(path, null, null, $"cannot read the hosts file ({e.GetType().Name}: {e.Message})", e));
            return DistributedHostsConfig.Empty with { SourceName = path };
        }
        return Parse(yaml, path, problems);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> (a path or file name) is used in error messages.</summary>
    /// <exception cref="HostsFileException">The text is not valid YAML or holds a bad value.</exception>
    public static DistributedHostsConfig Parse(string yaml, string sourceName) => Parse(yaml, sourceName, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="Parse(string, string)"/>, sending errors (and warnings: a likely mistyped host key) to <paramref name="problems"/>.</summary>
    /// <exception cref="HostsFileException">A bad value, and <paramref name="problems"/> throws the first error.</exception>
    public static DistributedHostsConfig Parse(string yaml, string sourceName, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(problems);
        return new HostsYamlReader(sourceName, problems).Read(yaml);
    }
}
