namespace RingRift.P2P.Node;

/// <summary>Source-generated log messages of the node host (event ids 3000–3099).</summary>
internal static partial class Log
{
    [LoggerMessage(3000, LogLevel.Warning, "{Loop} step failed; continuing")]
    public static partial void StepFailed(this ILogger logger, Exception error, string loop);

    [LoggerMessage(3015, LogLevel.Debug, "{Loop} step failed again ({Failures} in a row): {Error}")]
    public static partial void StepFailedAgain(this ILogger logger, string loop, int failures, string error);

    [LoggerMessage(3016, LogLevel.Information, "{Loop} step succeeded after {Failures} failure(s) in a row")]
    public static partial void StepRecovered(this ILogger logger, string loop, int failures);

    [LoggerMessage(3001, LogLevel.Warning, "Forwarding {Method} {Path} to leader {Leader} failed: {Error}")]
    public static partial void ForwardFailed(this ILogger logger, string method, string path, string leader, string error);

    [LoggerMessage(3002, LogLevel.Debug, "{Method} {Endpoint}{Path} answered {Status}")]
    public static partial void PeerAnswered(this ILogger logger, string method, string endpoint, string path, int status);

    [LoggerMessage(3003, LogLevel.Debug, "{Method} {Endpoint}{Path} timed out after {Timeout}")]
    public static partial void PeerTimedOut(this ILogger logger, string method, string endpoint, string path, TimeSpan timeout);

    [LoggerMessage(3004, LogLevel.Debug, "{Method} {Endpoint}{Path} failed: {Error}")]
    public static partial void PeerFailed(this ILogger logger, string method, string endpoint, string path, string error);

    [LoggerMessage(3005, LogLevel.Warning, "Ignoring what is unreadable in the peer list {Path} ({Error}); the file is rewritten when a peer is next learned, and the seeds still find the cluster")]
    public static partial void PeerListUnreadable(this ILogger logger, string path, string error);

    [LoggerMessage(3006, LogLevel.Warning, "Could not save the peer list: {Error}")]
    public static partial void PeerListNotSaved(this ILogger logger, string error);

    [LoggerMessage(3007, LogLevel.Warning, "Heartbeat to {Endpoint} failed unexpectedly")]
    public static partial void HeartbeatFailed(this ILogger logger, Exception error, string endpoint);

    [LoggerMessage(3008, LogLevel.Information, "Requeued {Count} timed-out work items")]
    public static partial void Requeued(this ILogger logger, int count);

    [LoggerMessage(3017, LogLevel.Information, "Pruned {Count} finished work items (queue retention)")]
    public static partial void Pruned(this ILogger logger, int count);

    [LoggerMessage(3018, LogLevel.Debug, "Queue retention round pruned nothing: {Reason}")]
    public static partial void PruneWaiting(this ILogger logger, string reason);

    [LoggerMessage(3019, LogLevel.Warning, "Queue retention round failed")]
    public static partial void PruneFailed(this ILogger logger, Exception error);

    [LoggerMessage(3009, LogLevel.Warning, "Graceful step-down failed: {Error}")]
    public static partial void StepDownFailed(this ILogger logger, string error);

    [LoggerMessage(3010, LogLevel.Information, "Stopped serving the work queue: no longer leader")]
    public static partial void StoppedServing(this ILogger logger);

    [LoggerMessage(3011, LogLevel.Warning, "Could not take the work queue over at epoch {Epoch} yet; retrying next tick")]
    public static partial void TakeOverPending(this ILogger logger, long epoch);

    [LoggerMessage(3012, LogLevel.Error, "Work queue take-over at epoch {Epoch} failed")]
    public static partial void TakeOverFailed(this ILogger logger, Exception error, long epoch);

    [LoggerMessage(3013, LogLevel.Error, "{Method} {Path} failed")]
    public static partial void RequestFailed(this ILogger logger, Exception error, string method, string path);

    [LoggerMessage(3020, LogLevel.Information, "Start-up memory given back: private memory {Before} -> {After} (C heap released pages: {NativeReleased})")]
    public static partial void StartupMemoryTrimmed(this ILogger logger, string before, string after, bool nativeReleased);

    [LoggerMessage(3040, LogLevel.Warning, "SWIM membership is unavailable ({Reason}); liveness comes from HTTP heartbeats")]
    public static partial void SwimUnavailable(this ILogger logger, string reason);

    [LoggerMessage(3050, LogLevel.Warning, "Raft is unavailable ({Reason}); leadership and the work queue stay on Bully + SQLite")]
    public static partial void RaftUnavailable(this ILogger logger, string reason);

    [LoggerMessage(3070, LogLevel.Information, "Stopping: Raft leadership handed to {Leader} in {Ms:0} ms")]
    public static partial void RaftHandedOver(this ILogger logger, string leader, double ms);

    [LoggerMessage(3071, LogLevel.Warning, "Stopping: no other Raft member took the leadership over within {Seconds:0.#} s; stopping anyway (the others elect once they miss this member)")]
    public static partial void RaftHandOverTimedOut(this ILogger logger, double seconds);

    [LoggerMessage(3072, LogLevel.Warning, "Stopping: handing the Raft leadership over failed: {Error}")]
    public static partial void RaftHandOverFailed(this ILogger logger, string error);

    [LoggerMessage(3051, LogLevel.Information, "Consensus now served by {Path}: {Reason}")]
    public static partial void ConsensusPathChanged(this ILogger logger, string path, string reason);

    [LoggerMessage(3052, LogLevel.Information, "Moved {Count} work item(s) from the SQLite fallback queue into Raft")]
    public static partial void FallbackItemsMoved(this ILogger logger, int count);

    [LoggerMessage(3053, LogLevel.Warning, "Moving fallback work into Raft failed: {Error}")]
    public static partial void FallbackMoveFailed(this ILogger logger, string error);

    [LoggerMessage(3075, LogLevel.Warning, "Fallback item {WorkId} was not in Raft after its add (Raft stopped serving mid-pass?); it stays claimed in SQLite and the next pass retries it")]
    public static partial void FallbackMoveNotConfirmed(this ILogger logger, string workId);

    [LoggerMessage(3054, LogLevel.Information, "Raft is disabled: handed {Count} unfinished work item(s) from the Raft log (up to entry {Index}) to the SQLite queue")]
    public static partial void RolledBackFromRaft(this ILogger logger, int count, long index);

    [LoggerMessage(3060, LogLevel.Information, "Dispatch: placed {Placed} work item(s) ({LostRaces} taken first by pulling workers, {Errors} claim error(s)) in {ElapsedMs:0.0} ms")]
    public static partial void Dispatched(this ILogger logger, int placed, int lostRaces, int errors, double elapsedMs);

    [LoggerMessage(3061, LogLevel.Warning, "Node {NodeId} declared dead ({Cause}): {Requeued} work item(s) requeued, {Failed} failed for good")]
    public static partial void NodeWorkRequeued(this ILogger logger, string nodeId, string cause, int requeued, int failed);

    [LoggerMessage(3014, LogLevel.Information, "RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS was given as a percentage (the original orchestrator's form): using {Fraction}")]
    public static partial void LoadMaxFromPercent(this ILogger logger, double fraction);

    [LoggerMessage(3073, LogLevel.Error, "Storage full: {Path}: {Error}; writes are refused with 507 until space returns")]
    public static partial void StorageFull(this ILogger logger, string path, string error);

    [LoggerMessage(3074, LogLevel.Information, "Storage recovered after {Seconds} s full ({Path}); {Refused} write(s) were refused meanwhile")]
    public static partial void StorageRecovered(this ILogger logger, string path, double seconds, long refused);
}
