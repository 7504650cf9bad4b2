using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// The jobs file <c>local-cluster</c> gives its nodes: <c>--jobs</c>, or with <c>--demo</c> the demo's
/// (examples/jobs.yaml, embedded in the program at build time), written into the cluster's folder so a
/// release executable runs the demo without the source tree. Its <c>training:</c> block sizes the loop
/// for a demo.
/// </summary>
public static class DemoSettings
{
    /// <summary>The file name the demo's jobs are written to, in local-cluster's data folder.</summary>
    public const string DemoJobsFileName = "demo-jobs.yaml";

    /// <summary>The embedded copy of examples/jobs.yaml (see the project file).</summary>
    private const string DemoJobsResource = "demo/jobs.yaml";

    /// <summary>
    /// The absolute path of the jobs file to pass to every node, or null for none. With
    /// <paramref name="demo"/> and no <paramref name="jobs"/>, the demo's jobs are written (again, so an
    /// upgraded program brings its own) to <see cref="DemoJobsFileName"/> in <paramref name="clusterFolder"/>.
    /// </summary>
    public static string? Resolve(string? jobs, bool demo, string clusterFolder)
    {
        if (demo && jobs is null) return WriteDemoJobs(clusterFolder);
        if (jobs is null) return null;
        var path = Path.GetFullPath(jobs);
        if (!File.Exists(path)) throw new CliException($"--jobs {jobs}: no such file ({path})");
        return path;
    }

    /// <summary>The demo's jobs file as built into the program.</summary>
    public static Stream OpenDemoJobs() =>
        typeof(DemoSettings).Assembly.GetManifestResourceStream(DemoJobsResource)
        ?? throw new InvalidOperationException($"the program was built without its {DemoJobsResource} resource");

    private static string WriteDemoJobs(string clusterFolder)
    {
        var path = Path.GetFullPath(Path.Combine(clusterFolder, DemoJobsFileName));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var source = OpenDemoJobs();
            using var target = new FileStream(path, FileMode.Create, FileAccess.Write);
            source.CopyTo(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--demo: cannot write the demo's jobs to {path}: {e.Message}");
        }
        return path;
    }
}
