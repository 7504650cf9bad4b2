using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Coordination;

/// <summary>Source-generated log messages of the work-queue replication (event ids 2000–2099).</summary>
internal static partial class CoordinationLog
{
    [LoggerMessage(2000, LogLevel.Information, "Serving the work queue at epoch {Epoch}: merged {Items} items from {Replicas} replicas")]
    public static partial void ServingQueue(this ILogger logger, long epoch, int items, int replicas);

    [LoggerMessage(2001, LogLevel.Warning, "Replica {Replica} refused the sync at epoch {Epoch}: it has seen epoch {Fence}")]
    public static partial void SyncRefused(this ILogger logger, string replica, long epoch, long fence);

    [LoggerMessage(2002, LogLevel.Warning, "Queue sync at epoch {Epoch} reached {Count} of {Size} voters; {Majority} needed")]
    public static partial void SyncShort(this ILogger logger, long epoch, int count, int size, int majority);

    [LoggerMessage(2003, LogLevel.Warning, "Queue hand-over at epoch {Epoch} failed: {Reason}")]
    public static partial void HandOverFailed(this ILogger logger, long epoch, string reason);

    [LoggerMessage(2004, LogLevel.Debug, "Replicate to {Replica} failed")]
    public static partial void ReplicateFailed(this ILogger logger, Exception error, string replica);

    [LoggerMessage(2005, LogLevel.Debug, "Sync from {Replica} failed")]
    public static partial void SyncFailed(this ILogger logger, Exception error, string replica);

    [LoggerMessage(2006, LogLevel.Warning, "Refused a replica {Kind} from '{LeaderId}' at epoch {Epoch}: not a known voter; the fence stays at epoch {Fence}")]
    public static partial void UnknownLeaderRefused(this ILogger logger, string kind, string leaderId, long epoch, long fence);

    [LoggerMessage(2007, LogLevel.Warning, "Replica {Replica} is fenced at epoch {Fence}, above this leader's epoch {Epoch}: the election will step down and campaign above it")]
    public static partial void FencedAbove(this ILogger logger, string replica, long fence, long epoch);

    [LoggerMessage(2008, LogLevel.Warning, "Replica {Replica} reported fence {Fence}, beyond any epoch a replica can hold ({MaxEpoch}); ignored")]
    public static partial void FenceOutOfRange(this ILogger logger, string replica, long fence, long maxEpoch);
}
