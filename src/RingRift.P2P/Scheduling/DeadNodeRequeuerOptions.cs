namespace RingRift.P2P.Scheduling;

/// <summary>Settings of <see cref="DeadNodeRequeuer"/>. Setters reject out-of-range values.</summary>
public sealed record DeadNodeRequeuerOptions
{
    /// <summary>
    /// How long this node must have been leader before it treats a claimant that membership does
    /// not report alive (never heard, unknown) as dead. Nodes membership has declared dead are
    /// handled at once. &gt; 0 and ≤ 1 day; 15 s by default, the config's PeerTimeout
    /// (env RINGRIFT_P2P_PEER_TIMEOUT): a new leader has then had one full peer timeout to hear
    /// from every live node.
    /// </summary>
    public TimeSpan Grace
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Grace), value, $"grace must be > 0 and <= 1 day, got {value}");
    } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a claimant that left on purpose (SWIM left, or a goodbye heartbeat: a stop or a restart)
    /// keeps its claimed and running items before they are requeued, counted from the first tick that saw
    /// it gone. Its jobs outlive it and a restarted node reattaches to them, so a restart within this time
    /// loses no work; a node that does not come back is treated like one that went silent. &gt; 0 and ≤ 1 day;
    /// 15 s by default, the config's PeerTimeout (env RINGRIFT_P2P_PEER_TIMEOUT): the time a silent node
    /// gets before membership declares it dead.
    /// </summary>
    public TimeSpan DepartedGrace
    {
        get;
        init => field = value > TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DepartedGrace), value, $"departed grace must be > 0 and <= 1 day, got {value}");
    } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many claimed (and how many running) items one tick reads. 1–10,000; 10,000 by default.
    /// </summary>
    public int ListLimit
    {
        get;
        init => field = value is >= 1 and <= DispatcherOptions.MaxListLimit
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ListLimit), value, $"list_limit must be between 1 and {DispatcherOptions.MaxListLimit}, got {value}");
    } = DispatcherOptions.MaxListLimit;
}
