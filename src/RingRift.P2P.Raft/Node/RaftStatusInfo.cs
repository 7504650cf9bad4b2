namespace RingRift.P2P.Raft.Node;

/// <summary>A point-in-time view of one Raft member (GET /raft/status).</summary>
public sealed record RaftStatusInfo
{
    public required string NodeId { get; init; }
    public required string Address { get; init; }
    public required IReadOnlyList<string> Members { get; init; }
    public bool SingleNode { get; init; }
    public long Term { get; init; }
    public bool IsLeader { get; init; }
    public string? LeaderId { get; init; }
    public string? LeaderAddress { get; init; }
    public string? LeaderHttpAddress { get; init; }
    /// <summary>A leader is known and this node has applied everything it had committed when last checked.</summary>
    public bool Ready { get; init; }
    public long CommitIndex { get; init; }
    public long LastApplied { get; init; }
    /// <summary>Log entries / commands written through group commit by this node while leader.</summary>
    public long Batches { get; init; }
    public long Commands { get; init; }
    public long SnapshotsWritten { get; init; }
    /// <summary>
    /// Log entries whose payload could not be decoded since start, skipped (logged as errors). Every member
    /// skips an entry the leader wrote badly alike; one that is damaged only on this member's disk (the
    /// write-ahead log keeps no checksum per entry) leaves this member without its commands.
    /// </summary>
    public long CorruptEntries { get; init; }
    public long LeaderChanges { get; init; }
    public long SuppressedLogEvents { get; init; }
    /// <summary>Replicated appends this member flushed to disk before acknowledging them to the leader.</summary>
    public long FollowerFlushes { get; init; }
    /// <summary>Seconds those flushes took in all (waiting for the flush gate included).</summary>
    public double FollowerFlushSeconds { get; init; }
}
