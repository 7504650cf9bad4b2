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
