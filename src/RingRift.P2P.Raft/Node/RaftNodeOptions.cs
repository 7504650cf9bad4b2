using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// How one Raft member runs. Defaults are tuned for sub-second failover on a LAN: election timeout
/// 100–200 ms (below DotNext's recommended 150–300 ms, which measured p99 ≈ 0.8–1.3 s from kill -9
/// to a committed claim here), split into one disjoint slice per member (see
/// <see cref="EffectiveElectionTimeout"/>), heartbeat every 0.2 × the lower timeout (20 ms), request
/// and connect timeouts 80 ms.
/// </summary>
public sealed record RaftNodeOptions
{
    /// <summary>This node's id; travels to peers in the member metadata ("node_id").</summary>
    public required string NodeId { get; init; }

    /// <summary>Address other members reach this node at; must be one of <see cref="Members"/>.</summary>
    public required EndPoint PublicEndPoint { get; init; }

    /// <summary>Address to listen on; <see cref="PublicEndPoint"/> when null (it must then be an IP endpoint).</summary>
    public IPEndPoint? BindEndPoint { get; init; }

    /// <summary>Every member, this node included. Only this node: a single-node cluster.</summary>
    public required IReadOnlyList<EndPoint> Members { get; init; }

    /// <summary>Folder for the write-ahead log and snapshots (created when missing).</summary>
    public required string DataDir { get; init; }

    /// <summary>HTTP address ("host:port") of this node's API, shared with peers so followers can forward to the leader.</summary>
    public string? HttpAddress { get; init; }

    public int LowerElectionTimeoutMs { get; init; } = 100;
    public int UpperElectionTimeoutMs { get; init; } = 200;

    /// <summary>
    /// Gives each member its own slice of [<see cref="LowerElectionTimeoutMs"/>, <see cref="UpperElectionTimeoutMs"/>]
    /// (see <see cref="EffectiveElectionTimeout"/>) instead of the whole range. True by default.
    /// </summary>
    public bool StaggerElectionTimeouts { get; init; } = true;

    /// <summary>Heartbeat interval = lower election timeout × this (0 &lt; x &lt; 1). 0.2 by default.</summary>
    public double HeartbeatThreshold { get; init; } = 0.2;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMilliseconds(80);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(80);

    /// <summary>Most commands in one log entry (group commit). 1,024 by default.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>
    /// Log entries being replicated at once by the group committer. 1 by default: DotNext replicates
    /// every appended entry in one round anyway, so more entries in flight split the waiting callers
    /// into smaller entries (more flushes per round) without shortening the wait; side by side at 256
    /// in flight, 1 gave ~36,000 claims/s against ~31,000–34,000 with 2 or 4.
    /// </summary>
    public int MaxBatchesInFlight { get; init; } = DefaultMaxBatchesInFlight;

    /// <summary>1: see <see cref="MaxBatchesInFlight"/>.</summary>
    public const int DefaultMaxBatchesInFlight = 1;

    /// <summary>How long one replication may take before the caller is told the outcome is unknown. 5 s.</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A snapshot is written after this many applied commands (log compaction). 50,000.</summary>
    public int SnapshotEveryCommands { get; init; } = 50_000;

    /// <summary>
    /// Size of one write-ahead log chunk file: 1 MiB. DotNext's default (4 KiB) spreads a
    /// group-committed entry over several files; 1 MiB took ~27,000 claims/s here against ~15,000.
    /// Cannot change for an existing log.
    /// </summary>
    public int WalChunkBytes { get; init; } = DefaultWalChunkBytes;

    /// <summary>1 MiB: see <see cref="WalChunkBytes"/>.</summary>
    public const int DefaultWalChunkBytes = 1 << 20;

    /// <summary>Command ids remembered for idempotent retries. 10,000.</summary>
    public int RecentCommandCapacity { get; init; } = RecentCommands.DefaultCapacity;

    /// <summary>
    /// The node's storage flag, or null. With it, a command is refused (<see cref="RingRift.P2P.Storage.StorageFullException"/>)
    /// before it reaches the log while the disk is full or nearly so, and a follower does not append entries
    /// then: DotNext 6.12's log, once a write has failed for lack of space, fails every later write and read
    /// barrier until the process restarts.
    /// </summary>
    public RingRift.P2P.Storage.StorageHealth? Storage { get; init; }

    /// <summary>The clock commands are stamped with on the leader.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// These options with election timeout [<paramref name="lowerMs"/>, 2 × it], request and connect
    /// timeouts 0.8 × it (the defaults are this rule at 100 ms). The heartbeat follows from <see cref="HeartbeatThreshold"/>,
    /// replaced by <paramref name="heartbeatThreshold"/> when one is given.
    /// </summary>
    public RaftNodeOptions WithElectionTimeout(int lowerMs, double? heartbeatThreshold = null) => this with
    {
        LowerElectionTimeoutMs = lowerMs,
        HeartbeatThreshold = heartbeatThreshold ?? HeartbeatThreshold,
        UpperElectionTimeoutMs = 2 * lowerMs,
        RequestTimeout = TimeSpan.FromMilliseconds(0.8 * lowerMs),
        ConnectTimeout = TimeSpan.FromMilliseconds(0.8 * lowerMs),
    };

    /// <summary>
    /// The election timeout window this member runs with, and the heartbeat threshold that keeps the
    /// leader's heartbeat at <see cref="HeartbeatThreshold"/> × <see cref="LowerElectionTimeoutMs"/>.
    /// Staggered (the default, with two or more members): the members sorted by address, this one
    /// r-th of n, slot = (upper − lower) / n; its window is [lower + r·slot, lower + r·slot + slot/2]
    /// (at least 1 ms wide). For 3 members at 100–200 ms: 100–117, 133–150 and 167–184 ms.
    /// Why: with PreVote a survivor can only win once the other survivor's own timeout has passed too,
    /// so failover takes about the later of the two; when both expire within one vote round trip both
    /// stand in the same term, split the vote and wait another full timeout (a third of the kills
    /// measured at 100–200 ms). Disjoint slices keep every pair of members at least slot/2 apart, every
    /// member's second expiry (≥ 2 × lower) falls after the last slice ends, and the latest slice ends
    /// before the old upper bound. Not staggered, or a single member: [lower, upper].
    /// </summary>
    public (int LowerMs, int UpperMs, double HeartbeatThreshold) EffectiveElectionTimeout()
    {
        if (!StaggerElectionTimeouts || Members.Count < 2) return (LowerElectionTimeoutMs, UpperElectionTimeoutMs, HeartbeatThreshold);
        var ordered = Members.OrderBy(RaftEndPoints.Format, StringComparer.OrdinalIgnoreCase).ToList();
        var rank = Math.Max(0, ordered.FindIndex(m => RaftEndPoints.Same(m, PublicEndPoint)));
        var slot = (double)(UpperElectionTimeoutMs - LowerElectionTimeoutMs) / ordered.Count;
        var lower = LowerElectionTimeoutMs + (int)Math.Round(rank * slot);
        var upper = lower + Math.Max(1, (int)Math.Round(slot / 2));
        return (lower, upper, HeartbeatThreshold * LowerElectionTimeoutMs / lower);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public RaftNodeOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeId))
            throw new ArgumentException("raft node_id must be non-empty", nameof(NodeId));
        if (Members.Count == 0)
            throw new ArgumentException("raft members must list at least this node", nameof(Members));
        if (!Members.Any(m => RaftEndPoints.Same(m, PublicEndPoint)))
            throw new ArgumentException($"raft members ({string.Join(", ", Members.Select(RaftEndPoints.Format))}) do not include this node's address {RaftEndPoints.Format(PublicEndPoint)}", nameof(Members));
        if (BindEndPoint is null && PublicEndPoint is not IPEndPoint)
            throw new ArgumentException($"raft public address {RaftEndPoints.Format(PublicEndPoint)} is a host name; give an IP bind address", nameof(BindEndPoint));
        if (LowerElectionTimeoutMs < 10 || UpperElectionTimeoutMs <= LowerElectionTimeoutMs)
            throw new ArgumentException($"raft election timeout must be 10 ms or more with lower < upper, got {LowerElectionTimeoutMs}-{UpperElectionTimeoutMs} ms", nameof(LowerElectionTimeoutMs));
        if (HeartbeatThreshold is <= 0 or >= 1)
            throw new ArgumentException($"raft heartbeat threshold must be between 0 and 1, got {HeartbeatThreshold}", nameof(HeartbeatThreshold));
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout.TotalMilliseconds >= LowerElectionTimeoutMs)
            throw new ArgumentException($"raft request timeout must be positive and below the lower election timeout ({LowerElectionTimeoutMs} ms), got {RequestTimeout.TotalMilliseconds} ms", nameof(RequestTimeout));
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > RequestTimeout)
            throw new ArgumentException($"raft connect timeout must be positive and at most the request timeout, got {ConnectTimeout.TotalMilliseconds} ms", nameof(ConnectTimeout));
        if (MaxBatch is < 1 or > WorkCommandCodec.MaxBatchCount)
            throw new ArgumentException($"raft max batch must be 1..{WorkCommandCodec.MaxBatchCount}, got {MaxBatch}", nameof(MaxBatch));
        if (MaxBatchesInFlight < 1)
            throw new ArgumentException($"raft batches in flight must be at least 1, got {MaxBatchesInFlight}", nameof(MaxBatchesInFlight));
        if (WalChunkBytes is < 4096 or > 1 << 30)
            throw new ArgumentException($"raft WAL chunk size must be 4 KiB to 1 GiB, got {WalChunkBytes} bytes", nameof(WalChunkBytes));
        if (SnapshotEveryCommands < 1)
            throw new ArgumentException($"raft snapshot interval must be at least 1 command, got {SnapshotEveryCommands}", nameof(SnapshotEveryCommands));
        return this;
    }
}
