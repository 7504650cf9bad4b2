namespace RingRift.P2P.Scheduling;

/// <summary>
/// The planner's output: placements in the order they were made (priority order), and the
/// items it could not place grouped by work type and reason (ordered by type, then reason).
/// </summary>
public sealed record PlacementPlan(IReadOnlyList<Placement> Placements, IReadOnlyList<UnplacedGroup> Unplaced)
{
    public static PlacementPlan Empty { get; } = new([], []);

    /// <summary>Total items not placed, over all groups.</summary>
    public int UnplacedCount => Unplaced.Sum(g => g.Count);
}
