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

    [LoggerMessage(2009, LogLevel.Warning, "{Why}")]
    public static partial void PositionUnreadable(this ILogger logger, string why);

    [LoggerMessage(2010, LogLevel.Error, "Replica {Replica}: work_queue.db holds versions up to {Held} but this replica acknowledged up to {Acknowledged} (replica_position): the file is older than what it acknowledged (restored from a backup?). A new leader will not count it towards its majority until it has copied the whole queue back")]
    public static partial void StoreBehind(this ILogger logger, string replica, long held, long acknowledged);

    [LoggerMessage(2011, LogLevel.Warning, "Replica {Replica} caught up: leader {LeaderId} copied the whole queue back at epoch {Epoch}; its position is now {Held}")]
    public static partial void StoreCaughtUp(this ILogger logger, string replica, string leaderId, long epoch, long held);

    [LoggerMessage(2012, LogLevel.Warning, "Sync at epoch {Epoch}: {Current} replicas answered with every item they acknowledged, {Majority} needed; {Behind} answered behind (their work_queue.db is older than what they acknowledged) and are not counted until a voter that is not behind answers")]
    public static partial void SyncBehind(this ILogger logger, long epoch, int current, int majority, string behind);

    [LoggerMessage(2013, LogLevel.Error, "Sync at epoch {Epoch}: every voter answered but only {Current} of them hold every item they acknowledged ({Majority} needed; behind: {Behind}); serving what they hold, so items only the behind replicas acknowledged may be lost")]
    public static partial void SyncAllAnsweredBehind(this ILogger logger, long epoch, int current, int majority, string behind);

    [LoggerMessage(2014, LogLevel.Warning, "Could not copy the queue back to replica {Replica}, which is behind, at epoch {Epoch}; it stays behind until the next leader change")]
    public static partial void CatchUpFailed(this ILogger logger, string replica, long epoch);
}
