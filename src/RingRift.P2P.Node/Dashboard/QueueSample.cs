namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// The cluster queue at one instant, as <c>GET /queue/history</c> shows it: counts by status and, when the
/// sampling node served the queue then, the unfinished items by work type.
/// </summary>
/// <param name="Time">Unix seconds of the sample.</param>
/// <param name="ByType">Pending, claimed and running items per work type name; null when the node did not serve the queue at that moment.</param>
/// <param name="ByTypeTruncated">A status held more items than one read returns (10,000), so the type counts are short of it.</param>
public sealed record QueueSample(
    double Time,
    int Pending,
    int Claimed,
    int Running,
    int Completed,
    int Failed,
    int Cancelled,
    IReadOnlyDictionary<string, TypeCounts>? ByType,
    bool ByTypeTruncated = false);

/// <summary>Unfinished items of one work type.</summary>
public sealed record TypeCounts(int Pending, int Claimed, int Running);
