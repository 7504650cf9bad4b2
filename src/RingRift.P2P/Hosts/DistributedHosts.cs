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
    public static DistributedHostsConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new HostsFileException(path, null, null, $"cannot read the hosts file ({e.GetType().Name}: {e.Message})", e);
        }
        return Parse(yaml, path);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> (a path or file name) is used in error messages.</summary>
    /// <exception cref="HostsFileException">The text is not valid YAML or holds a bad value.</exception>
    public static DistributedHostsConfig Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        return new HostsYamlReader(sourceName).Read(yaml);
    }
}
