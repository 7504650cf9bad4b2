namespace RingRift.P2P.Node.Sync;

/// <summary>Source-generated log messages of data sync (event ids 3600–3619).</summary>
internal static partial class SyncLog
{
    [LoggerMessage(3600, LogLevel.Information, "Pulled {Path} ({Size} bytes, {Transferred} transferred) from {Peer}")]
    public static partial void Pulled(this ILogger logger, string path, long size, long transferred, string peer);

    [LoggerMessage(3601, LogLevel.Warning, "Pull of {Path} from {Peer} broke (attempt {Attempt} of {Attempts}): {Error}")]
    public static partial void PullRetry(this ILogger logger, string path, string peer, int attempt, int attempts, string error);

    [LoggerMessage(3602, LogLevel.Warning, "Pull of {Path} failed: {Error}")]
    public static partial void PullFailed(this ILogger logger, string path, string error);

    [LoggerMessage(3603, LogLevel.Debug, "Could not read the manifest of {Peer}: {Error}")]
    public static partial void ManifestUnreadable(this ILogger logger, string peer, string error);

    [LoggerMessage(3604, LogLevel.Warning, "Refused sync path {Path}: {Reason}")]
    public static partial void PathRefused(this ILogger logger, string path, string reason);
}
