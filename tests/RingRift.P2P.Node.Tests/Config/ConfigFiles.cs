namespace RingRift.P2P.Node.Tests.Config;

/// <summary>A temporary folder for the configuration files a test writes, removed on dispose; and the repository's example files.</summary>
public sealed class ConfigFiles : IDisposable
{
    /// <summary>The seed's example inventory (the file fleets already have).</summary>
    public static string ExampleHosts => RepoFiles.Path("tests", "RingRift.P2P.Tests", "Hosts", "distributed_hosts.example.yaml");

    /// <summary>The demo jobs file.</summary>
    public static string ExampleJobs => RepoFiles.Path("examples", "jobs.yaml");

    public string Dir { get; } = Directory.CreateTempSubdirectory("ringrift-config-").FullName;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the folder; returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
