namespace RingRift.P2P.Node.Sync;

/// <summary>
/// Data sync settings. The lead maps environment variables onto them (names proposed per property);
/// <see cref="Validate"/> names the first bad field.
/// </summary>
public sealed record SyncOptions
{
    /// <summary>The node's data dir; <c>games/</c> and <c>models/</c> under it are synced. Required.</summary>
    public required string DataDir { get; init; }

    /// <summary>This node's id, reported in <c>GET /sync/manifest</c>. Required.</summary>
    public required string NodeId { get; init; }

    /// <summary>
    /// Bytes per second shared by every pull and every served file on this node; 0 = unlimited.
    /// <value>0 (unlimited) by default.</value>
    /// </summary>
    /// <remarks>Proposed env: <c>RINGRIFT_SYNC_BANDWIDTH_MBPS</c> in megabytes per second (MB/s, 10^6 bytes): bytes/s = MBPS × 1,000,000.</remarks>
    public long BandwidthBytesPerSecond { get; init; }

    /// <summary>
    /// Pulls that may transfer at the same time on this node.
    /// <value>2 by default.</value>
    /// </summary>
    /// <remarks>Proposed env: <c>RINGRIFT_SYNC_MAX_CONCURRENT_PULLS</c>.</remarks>
    public int MaxConcurrentPulls { get; init; } = 2;

    /// <summary>
    /// Free space a pull must leave on the data dir's drive, in bytes (the larger of this and
    /// <see cref="FreeSpaceReservePercent"/> of the drive applies).
    /// <value>1 GiB by default.</value>
    /// </summary>
    /// <remarks>Proposed env: <c>RINGRIFT_SYNC_RESERVE_MB</c> (MiB).</remarks>
    public long FreeSpaceReserveBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Free space a pull must leave, as a percentage of the drive's total size.
    /// Reserve = max(<see cref="FreeSpaceReserveBytes"/>, total × percent / 100); a pull needs
    /// size − partial bytes + reserve ≤ free.
    /// <value>5 % by default.</value>
    /// </summary>
    /// <remarks>Proposed env: <c>RINGRIFT_SYNC_RESERVE_PERCENT</c>.</remarks>
    public double FreeSpaceReservePercent { get; init; } = 5;

    /// <summary>
    /// Attempts per pull when the transfer breaks (connection cut, peer error); each retry resumes from the
    /// <c>.partial</c> with a Range request. A hash mismatch on a fresh download is not retried.
    /// <value>3 by default.</value>
    /// </summary>
    /// <remarks>Proposed env: <c>RINGRIFT_SYNC_PULL_ATTEMPTS</c>.</remarks>
    public int PullAttempts { get; init; } = 3;

    /// <summary>Pause before a retry. <value>1 second by default.</value></summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Deadline for fetching one peer's manifest. <value>30 seconds by default (the peer may hash new files first).</value></summary>
    public TimeSpan ManifestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A transfer that delivers no bytes for this long is abandoned (and retried).
    /// <value>60 seconds by default.</value>
    /// </summary>
    /// <remarks>Env: <c>RINGRIFT_SYNC_STALL_TIMEOUT</c> in seconds. A cut link or a frozen peer sends no reset:
    /// without this, the connection would hang until TCP gives up, many minutes later.</remarks>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Completed and failed pulls kept for <c>GET /sync/status</c>. <value>50 each by default.</value></summary>
    public int RecentPullsKept { get; init; } = 50;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public SyncOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir)) throw new ArgumentException("DataDir is required (the node's data dir)", nameof(DataDir));
        if (string.IsNullOrWhiteSpace(NodeId)) throw new ArgumentException("NodeId is required", nameof(NodeId));
        if (BandwidthBytesPerSecond < 0)
            throw new ArgumentException($"BandwidthBytesPerSecond must be ≥ 0 (0 = unlimited), got {BandwidthBytesPerSecond}", nameof(BandwidthBytesPerSecond));
        if (MaxConcurrentPulls is < 1 or > 64)
            throw new ArgumentException($"MaxConcurrentPulls must be 1-64, got {MaxConcurrentPulls}", nameof(MaxConcurrentPulls));
        if (FreeSpaceReserveBytes < 0)
            throw new ArgumentException($"FreeSpaceReserveBytes must be ≥ 0, got {FreeSpaceReserveBytes}", nameof(FreeSpaceReserveBytes));
        if (!double.IsFinite(FreeSpaceReservePercent) || FreeSpaceReservePercent is < 0 or >= 100)
            throw new ArgumentException($"FreeSpaceReservePercent must be in [0, 100), got {FreeSpaceReservePercent}", nameof(FreeSpaceReservePercent));
        if (PullAttempts is < 1 or > 100)
            throw new ArgumentException($"PullAttempts must be 1-100, got {PullAttempts}", nameof(PullAttempts));
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentException($"RetryDelay must be ≥ 0, got {RetryDelay}", nameof(RetryDelay));
        if (ManifestTimeout <= TimeSpan.Zero) throw new ArgumentException($"ManifestTimeout must be > 0, got {ManifestTimeout}", nameof(ManifestTimeout));
        if (StallTimeout <= TimeSpan.Zero) throw new ArgumentException($"StallTimeout must be > 0, got {StallTimeout}", nameof(StallTimeout));
        if (RecentPullsKept is < 1 or > 10_000)
            throw new ArgumentException($"RecentPullsKept must be 1-10000, got {RecentPullsKept}", nameof(RecentPullsKept));
        return this;
    }

    /// <summary>Bytes that must stay free on a drive of <paramref name="totalBytes"/>: max(reserve bytes, total × percent / 100).</summary>
    public long ReserveFor(long totalBytes) =>
        Math.Max(FreeSpaceReserveBytes, (long)(totalBytes * (FreeSpaceReservePercent / 100.0)));
}
