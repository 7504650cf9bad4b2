using System.Diagnostics;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Timing;

namespace RingRift.P2P.Node.Jobs;

/// <summary>Lifecycle of a job on this node.</summary>
internal enum JobPhase
{
    /// <summary>Slot taken; queue start, BeforeStart hook and spawn under way.</summary>
    Starting = 0,
    Running = 1,
    /// <summary>SIGTERM sent (timeout or revoked); SIGKILL follows after the grace.</summary>
    Stopping = 2,
    /// <summary>The process is gone; the outcome is being reported to the queue.</summary>
    Finishing = 3,
}

/// <summary>Why the runner stopped a job itself.</summary>
internal enum StopReason
{
    None = 0,
    TimedOut = 1,
    /// <summary>The item is no longer this node's: kill, tell the queue nothing.</summary>
    Revoked = 2,
}

/// <summary>
/// One job the runner tracks. Fields are guarded by the runner's gate; the job's own task is the only
/// writer of the process fields, the dispatch loop only requests revocation.
/// </summary>
internal sealed class RunningJob
{
    public required string WorkId { get; init; }
    public required string JobId { get; init; }
    public required JobType WorkType { get; init; }

    /// <summary>
    /// The item's attempts count when this job took it (its claim); a job restored after a restart does not know
    /// it and holds <see cref="int.MaxValue"/>, so no claim of its item runs here again while it is remembered.
    /// </summary>
    public int Attempt { get; init; } = int.MaxValue;
    public required SlotKind SlotKind { get; init; }
    public required int Slot { get; init; }
    public int? Gpu { get; init; }
    public required string LogFile { get; init; }
    /// <summary>When the runner took the item on (before the queue fetch that could revoke it).</summary>
    public required DateTimeOffset AddedAt { get; init; }
    public required JobLogReader Log { get; init; }

    public JobPhase Phase { get; set; }
    public StopReason StopReason { get; set; }
    public int? Pid { get; set; }
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>
    /// When the process started on the monotonic clock: what the job's timeout is measured from, so a step of
    /// the wall clock neither kills a job early nor lets it run on. A job reattached after a restart counts
    /// from <see cref="StartedAt"/> as the wall clock places it (the monotonic clock did not survive the restart).
    /// </summary>
    public MonotonicInstant RunningSince { get; set; }
    public Process? Process { get; set; }
    public RunningJobState? State { get; set; }

    /// <summary>Cancelled by the dispatch loop when the item stops being this node's.</summary>
    public CancellationTokenSource Revoked { get; } = new();

    public Task Task { get; set; } = Task.CompletedTask;

    public RunningJobInfo ToInfo() => new(
        JobId, WorkId, WorkType, Phase.ToString().ToLowerInvariant(), Pid, Log.Progress,
        StartedAt?.ToUnixTimeMilliseconds() / 1000.0, SlotKind == SlotKind.Gpu ? "gpu" : "cpu", Gpu, LogFile);
}
