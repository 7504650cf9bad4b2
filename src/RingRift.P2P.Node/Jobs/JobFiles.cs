using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Where the runner keeps its files under the data dir: <c>jobs/logs/&lt;job_id&gt;.log</c> (the job's
/// stdout and stderr) and <c>jobs/running/&lt;job_id&gt;.json</c> (one <see cref="RunningJobState"/> per
/// started job, removed once the queue has its outcome).
/// </summary>
public static class JobFiles
{
    public const string LogsDir = "jobs/logs";
    public const string RunningDir = "jobs/running";
    private const int MaxPlainLength = 100;

    /// <summary>
    /// The job id used in file names and <c>{job_id}</c>: the work id itself when it is 1–100 of
    /// letters, digits, '.', '_', '-' and does not start with '.'; otherwise its safe characters
    /// (at most 40) plus '-' and the first 16 hex digits of its SHA-256, so distinct ids stay distinct.
    /// </summary>
    public static string JobId(string workId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workId);
        if (workId.Length <= MaxPlainLength && workId[0] != '.' && workId.All(IsSafe)) return workId;
        var safe = new string(workId.Where(IsSafe).Take(40).ToArray()).TrimStart('.');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workId)))[..16];
        return safe.Length == 0 ? hash : $"{safe}-{hash}";
    }

    public static string LogPath(string dataDir, string jobId) => Path.Combine(dataDir, LogsDir, jobId + ".log");

    public static string StatePath(string dataDir, string jobId) => Path.Combine(dataDir, RunningDir, jobId + ".json");

    /// <summary>
    /// Kills (with their process trees) the jobs whose state files are under <paramref name="dataDir"/>:
    /// jobs outlive their node on purpose, so tests and benches that stop nodes for good clean up with this.
    /// Unreadable state files and processes already gone are skipped.
    /// </summary>
    public static void KillRecordedJobs(string dataDir)
    {
        var running = Path.Combine(dataDir, RunningDir);
        if (!Directory.Exists(running)) return;
        foreach (var file in Directory.GetFiles(running, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllText(file), NodeJson.Contract<RunningJobState>()) is not { } state) continue;
                try { Process.GetProcessById(state.Pid).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            }
            catch (Exception e) when (e is IOException or JsonException) { }
        }
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
