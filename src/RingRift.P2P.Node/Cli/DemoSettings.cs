namespace RingRift.P2P.Node.Cli;

/// <summary>
/// What <c>local-cluster --demo</c> adds: the demo jobs file (examples/jobs.yaml, found from the
/// current folder or the program's folder upwards) and small training thresholds so the loop
/// self-play → train → evaluate → promote turns within a minute. Variables already set win.
/// </summary>
public static class DemoSettings
{
    public static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["RINGRIFT_SELFPLAY_CONFIGS"] = "hex8_2p",
        ["RINGRIFT_SELFPLAY_GAMES"] = "200",
        ["RINGRIFT_MIN_TRAINING_GAMES"] = "400",
        ["RINGRIFT_MIN_HOURS_BETWEEN_TRAINING"] = "0",
        ["RINGRIFT_P2P_JOB_CHECK_INTERVAL"] = "2",
    };

    /// <summary>The jobs file to pass to every node (absolute) and the extra environment for them.</summary>
    public static (string? JobsPath, IReadOnlyDictionary<string, string> Environment) Resolve(string? jobs, bool demo)
    {
        var env = new Dictionary<string, string>();
        if (demo)
        {
            foreach (var (name, value) in Environment)
                if (string.IsNullOrWhiteSpace(System.Environment.GetEnvironmentVariable(name))) env[name] = value;
            jobs ??= FindExample() ?? throw new CliException("--demo needs examples/jobs.yaml; run from the repository or pass --jobs");
        }
        if (jobs is null) return (null, env);
        var path = Path.GetFullPath(jobs);
        if (!File.Exists(path)) throw new CliException($"--jobs {jobs}: no such file ({path})");
        return (path, env);
    }

    private static string? FindExample()
    {
        foreach (var start in new[] { System.Environment.CurrentDirectory, AppContext.BaseDirectory })
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
