namespace RingRift.P2P.Coordination;

/// <summary>Counts by status plus who serves the queue (the seed's get_queue_stats shape).</summary>
public sealed record QueueStats
{
    public int Pending { get; init; }
    public int Claimed { get; init; }
    public int Running { get; init; }
    public int Completed { get; init; }
    public int Failed { get; init; }
    public int Cancelled { get; init; }
    public int Total { get; init; }
    public bool IsLeader { get; init; }
    public string? LeaderAddress { get; init; }
    public bool IsReady { get; init; }
}

/// <summary>How many items of one work type are in one status (for the <c>ringrift_p2p_work_items</c> metric).</summary>
public readonly record struct WorkCount(WorkStatus Status, Models.JobType WorkType, int Count);
