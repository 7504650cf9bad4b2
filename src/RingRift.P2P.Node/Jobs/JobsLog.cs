namespace RingRift.P2P.Node.Jobs;

/// <summary>Source-generated log messages of the job runner (event ids 3200–3229).</summary>
internal static partial class JobsLog
{
    [LoggerMessage(3200, LogLevel.Warning, "Job runner: asking the queue for this node's work failed: {Error}")]
    public static partial void AssignedFailed(this ILogger logger, string error);

    [LoggerMessage(3201, LogLevel.Information, "Job {JobId} ({WorkType}) started: pid {Pid}, slot {SlotKind} {Slot}, log {LogFile}")]
    public static partial void JobStarted(this ILogger logger, string jobId, string workType, int pid, string slotKind, int slot, string logFile);

    [LoggerMessage(3202, LogLevel.Information, "Job {JobId} completed")]
    public static partial void JobCompleted(this ILogger logger, string jobId);

    [LoggerMessage(3203, LogLevel.Warning, "Job {JobId} failed: {Error}")]
    public static partial void JobFailed(this ILogger logger, string jobId, string error);

    [LoggerMessage(3204, LogLevel.Information, "Job {JobId} is no longer this node's; stopping its process")]
    public static partial void JobRevoked(this ILogger logger, string jobId);

    [LoggerMessage(3205, LogLevel.Warning, "Job {JobId} timed out after {Seconds} s; sending SIGTERM")]
    public static partial void JobTimedOut(this ILogger logger, string jobId, double seconds);

    [LoggerMessage(3206, LogLevel.Warning, "Job {JobId} outlived its {Grace} grace; sending SIGKILL")]
    public static partial void JobKilled(this ILogger logger, string jobId, TimeSpan grace);

    [LoggerMessage(3207, LogLevel.Information, "The queue refused {Action} of job {JobId}; dropping it: {Reason}")]
    public static partial void TransitionRefused(this ILogger logger, string action, string jobId, string reason);

    [LoggerMessage(3208, LogLevel.Warning, "Reporting {Action} of job {JobId} failed; retrying: {Error}")]
    public static partial void ReportRetry(this ILogger logger, string action, string jobId, string error);

    [LoggerMessage(3209, LogLevel.Information, "Reattached job {JobId} (pid {Pid}) after a restart")]
    public static partial void JobReattached(this ILogger logger, string jobId, int pid);

    [LoggerMessage(3210, LogLevel.Warning, "Ignoring the unreadable job state file {Path}: {Error}")]
    public static partial void StateUnreadable(this ILogger logger, string path, string error);

    [LoggerMessage(3211, LogLevel.Warning, "setsid was not found; jobs run in the node's process group and only the job's own process is signalled")]
    public static partial void NoSetsid(this ILogger logger);

    [LoggerMessage(3212, LogLevel.Warning, "Job runner step failed; continuing")]
    public static partial void StepFailed(this ILogger logger, Exception error);

    [LoggerMessage(3213, LogLevel.Warning, "Pulling work failed: {Error}")]
    public static partial void PullFailed(this ILogger logger, string error);

    [LoggerMessage(3214, LogLevel.Warning, "Job runner paused: the data dir is full ({Error}); no job starts until space returns")]
    public static partial void PausedForStorage(this ILogger logger, string error);
}
