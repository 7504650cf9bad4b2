using System.Text.Json;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// What the runner records about a job it started, in <c>jobs/running/&lt;job_id&gt;.json</c>, so that a
/// restarted node can find the process again (pid plus its <c>/proc</c> start time, which tells a
/// reused pid apart) or decide the job's outcome from its log.
/// </summary>
public sealed record RunningJobState
{
    public required string WorkId { get; init; }
    public required string JobId { get; init; }
    public required JobType WorkType { get; init; }
    public required int Pid { get; init; }
    /// <summary>Field 22 of <c>/proc/&lt;pid&gt;/stat</c> at start; null where /proc is unavailable.</summary>
    public long? ProcessStartTime { get; init; }
    /// <summary>True when the job leads its own process group (started under setsid), so the group is signalled.</summary>
    public bool ProcessGroup { get; init; }
    public required string LogFile { get; init; }
    /// <summary>Length of the log before this run: output of an earlier attempt of the same job is not read as this run's.</summary>
    public long LogOffset { get; init; }
    /// <summary>Unix seconds when the process started.</summary>
    public required double StartedAt { get; init; }
    public required double TimeoutSeconds { get; init; }
    /// <summary><c>gpu</c> or <c>cpu</c>.</summary>
    public required string SlotKind { get; init; }
    public required int Slot { get; init; }
    public int? Gpu { get; init; }
    /// <summary>Set once the process has exited and its code is known, before the queue is told.</summary>
    public int? ExitCode { get; init; }
    /// <summary>Set when the runner stopped the job for its timeout, before the queue is told.</summary>
    public bool TimedOut { get; init; }
}

/// <summary>Reads and writes <see cref="RunningJobState"/> files; writes are atomic (temp file then rename).</summary>
internal sealed class RunningJobStore(string dataDir)
{
    private readonly string _dir = Path.Combine(dataDir, JobFiles.RunningDir);

    public void Save(RunningJobState state)
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, state.JobId + ".json");
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(state, NodeJson.Contract<RunningJobState>()));
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string jobId)
    {
        try { File.Delete(Path.Combine(_dir, jobId + ".json")); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Every readable state file; unreadable ones are returned as errors (path, reason) for the caller to log.</summary>
    public (IReadOnlyList<RunningJobState> States, IReadOnlyList<(string Path, string Error)> Errors) LoadAll()
    {
        var states = new List<RunningJobState>();
        var errors = new List<(string, string)>();
        if (!Directory.Exists(_dir)) return (states, errors);
        foreach (var path in Directory.EnumerateFiles(_dir, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var state = JsonSerializer.Deserialize(File.ReadAllBytes(path), NodeJson.Contract<RunningJobState>());
                if (state is null) errors.Add((path, "empty state file"));
                else states.Add(state);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                errors.Add((path, e.Message));
            }
        }
        return (states, errors);
    }
}
