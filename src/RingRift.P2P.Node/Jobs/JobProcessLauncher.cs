using System.Diagnostics;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Starts a job's process so that it outlives the node: under <c>setsid</c> (its own session and
/// process group, so the group can be signalled and a dying node's terminal or pipe takes nothing
/// with it), stdin from /dev/null and stdout/stderr appended straight to the job's log file by a
/// tiny <c>/bin/sh</c> wrapper that then <c>exec</c>s the job, so the pid is the job's own.
/// </summary>
internal static class JobProcessLauncher
{
    /// <summary>The wrapper: redirect, then become the job ("$@" keeps every argument one argument).</summary>
    private const string Wrapper = "exec \"$@\" </dev/null >>\"$RINGRIFT_JOB_LOG\" 2>&1";

    /// <summary>Node variables that stay with the node, not passed to jobs.</summary>
    public const string NodeEnvPrefix = "RINGRIFT_P2P_";

    /// <summary>
    /// True for the node's own settings a job must not inherit: <c>RINGRIFT_P2P_*</c>, the cluster
    /// token (<c>RINGRIFT_CLUSTER_AUTH_TOKEN</c>, <c>_FILE</c>) and the webhook URL (it embeds a secret).
    /// </summary>
    public static bool IsNodeOnly(string name) =>
        name.StartsWith(NodeEnvPrefix, StringComparison.Ordinal)
        || name.StartsWith("RINGRIFT_CLUSTER_AUTH_TOKEN", StringComparison.Ordinal)
        || name == "RINGRIFT_WEBHOOK_URL";

    /// <summary><c>setsid</c> on PATH (or the usual folders), null when absent.</summary>
    public static string? FindSetsid()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/bin", "/usr/sbin", "/sbin"]);
        foreach (var folder in folders)
        {
            var candidate = Path.Combine(folder, "setsid");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>
    /// Starts <paramref name="command"/>; <paramref name="env"/> is laid over the node's environment
    /// (minus the node's own settings, see <see cref="IsNodeOnly"/>). The caller owns the returned process.
    /// </summary>
    public static Process Start(JobCommand command, IReadOnlyDictionary<string, string> env, string logFile, string? setsid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var start = new ProcessStartInfo
        {
            FileName = setsid ?? "/bin/sh",
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDir,
        };
        if (setsid is not null) start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Wrapper);
        start.ArgumentList.Add("sh");
        foreach (var arg in command.Argv) start.ArgumentList.Add(arg);

        foreach (var name in start.Environment.Keys.Where(IsNodeOnly).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in env) start.Environment[name] = value;
        start.Environment["RINGRIFT_JOB_LOG"] = logFile;

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start '{command.Argv[0]}'");
    }
}
