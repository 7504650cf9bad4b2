using RingRift.P2P.Node.Cli;

namespace RingRift.P2P.Node.Demo;

/// <summary>
/// The jobs file <c>local-cluster</c> gives its nodes: <c>--jobs</c>, or with <c>--demo</c>
/// examples/jobs.yaml (found from the current folder or the program's folder upwards), whose
/// <c>training:</c> block sizes the loop for a demo.
/// </summary>
public static class DemoSettings
{
    /// <summary>The absolute path of the jobs file to pass to every node, or null for none.</summary>
    public static string? Resolve(string? jobs, bool demo)
    {
        if (demo) jobs ??= FindExample() ?? throw new CliException("--demo needs examples/jobs.yaml; run from the repository or pass --jobs");
        if (jobs is null) return null;
        var path = Path.GetFullPath(jobs);
        if (!File.Exists(path)) throw new CliException($"--jobs {jobs}: no such file ({path})");
        return path;
    }

    private static string? FindExample()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", "jobs.yaml");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
