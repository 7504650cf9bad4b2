namespace RingRift.P2P.Scheduling;

/// <summary>Settings of the leader's <see cref="Dispatcher"/>. Setters reject out-of-range values.</summary>
public sealed record DispatcherOptions
{
    /// <summary>Largest list the queues serve (SQLite and Raft cap ListWork at 10,000).</summary>
    public const int MaxListLimit = 10_000;

    /// <summary>
    /// A node takes new work only while its load score is below this. In (0, 1]; 0.8 by default,
    /// the config's LoadMaxForNewJobs (env RINGRIFT_P2P_LOAD_MAX_FOR_NEW_JOBS).
    /// </summary>
    public double LoadMaxForNewJobs
    {
        get;
        init => field = value is > 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LoadMaxForNewJobs), value, $"load_max_for_new_jobs must be > 0 and <= 1, got {value}");
    } = 0.8;

    /// <summary>
    /// Claims the dispatcher keeps in flight at once while committing a plan. 1–1024; 64 by
    /// default (enough to fill the SQLite writer's batches). Proposed env RINGRIFT_P2P_DISPATCH_CLAIMS_IN_FLIGHT.
    /// </summary>
    public int MaxClaimsInFlight
    {
        get;
        init => field = value is >= 1 and <= 1024
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxClaimsInFlight), value, $"max_claims_in_flight must be between 1 and 1024, got {value}");
    } = 64;

    /// <summary>
    /// How many pending items (and how many claimed / running items) one round reads. 1–10,000;
    /// 10,000 by default. Proposed env RINGRIFT_P2P_DISPATCH_LIST_LIMIT.
    /// </summary>
    /// <remarks>ListWork returns the newest items first, so with more pending items than this a round
    /// plans only the newest ones; the older ones are planned in later rounds once these are placed.</remarks>
    public int ListLimit
    {
        get;
        init => field = value is >= 1 and <= MaxListLimit
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ListLimit), value, $"list_limit must be between 1 and {MaxListLimit}, got {value}");
    } = MaxListLimit;
}
