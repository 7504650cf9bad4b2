using System.Text.Json.Serialization;

namespace RingRift.P2P.Scheduling;

/// <summary>
/// What one dispatch round did (the last one is shown in <c>/status</c>). Times are milliseconds.
/// </summary>
public sealed record DispatchRound
{
    /// <summary>When the round started (the dispatcher's TimeProvider).</summary>
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary>Pending items read from the queue.</summary>
    public int PendingSeen { get; init; }
    /// <summary>Claimed and running items read (they fill the nodes' slots).</summary>
    public int ActiveSeen { get; init; }
    /// <summary>Nodes given to the round, and how many of them were alive.</summary>
    public int Nodes { get; init; }
    public int NodesAlive { get; init; }
    /// <summary>Placements the planner made.</summary>
    public int Planned { get; init; }
    /// <summary>Placements committed with a successful claim.</summary>
    public int Placed { get; init; }
    /// <summary>Claims that returned false: the item was no longer pending (a worker pulled it, or it was cancelled).</summary>
    public int LostRaces { get; init; }
    /// <summary>Claims that threw (e.g. this node stopped leading); the items stay pending.</summary>
    public int ClaimErrors { get; init; }
    /// <summary>Message of the first claim that threw, if any.</summary>
    public string? FirstClaimError { get; init; }
    /// <summary>Items not placed, grouped by work type and reason.</summary>
    public IReadOnlyList<UnplacedGroup> Unplaced { get; set; } = [];
    public double ReadMs { get; init; }
    public double PlanMs { get; init; }
    public double CommitMs { get; init; }
    public double ElapsedMs { get; init; }
    /// <summary>The committed placements, in plan order (not serialized: up to 10,000 entries).</summary>
    [JsonIgnore]
    public IReadOnlyList<Placement> Committed { get; init; } = [];
}
