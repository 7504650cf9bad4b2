using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Raft.Node;

/// <summary>Source-generated log messages of the Raft node (event ids 5000–5099).</summary>
internal static partial class RaftLog
{
    [LoggerMessage(5000, LogLevel.Information, "Raft {Node} started at {Endpoint} with {Members} member(s){Single}")]
    public static partial void Started(this ILogger logger, string node, string endpoint, int members, string single);

    [LoggerMessage(5001, LogLevel.Information, "Raft {Node}: leader is now {Leader} (term {Term})")]
    public static partial void LeaderChanged(this ILogger logger, string node, string leader, long term);

    [LoggerMessage(5002, LogLevel.Error, "Raft log entry {Index} (term {Term}) holds no readable work commands and was skipped: {Error}")]
    public static partial void CorruptEntry(this ILogger logger, long index, long term, string error);

    [LoggerMessage(5003, LogLevel.Information, "Raft state restored from snapshot {File}: applied index {Index}, {Items} work item(s)")]
    public static partial void SnapshotRestored(this ILogger logger, string file, long index, int items);

    [LoggerMessage(5004, LogLevel.Information, "Raft {Node} is ready (leader {Leader}, applied index {Index})")]
    public static partial void Ready(this ILogger logger, string node, string leader, long index);

    [LoggerMessage(5005, LogLevel.Information, "Raft {Node} stopped")]
    public static partial void Stopped(this ILogger logger, string node);

    [LoggerMessage(5006, LogLevel.Warning, "A Raft event handler failed")]
    public static partial void HandlerFailed(this ILogger logger, Exception error);

    [LoggerMessage(5007, LogLevel.Information, "Raft warm-up finished in {Ms:0} ms ({Elections} elections in a throwaway in-process group)")]
    public static partial void WarmedUp(this ILogger logger, double ms, int elections);

    [LoggerMessage(5008, LogLevel.Warning, "Raft warm-up abandoned after {Ms:0} ms: {Reason}; the member starts cold")]
    public static partial void WarmUpAbandoned(this ILogger logger, double ms, string reason);
}
