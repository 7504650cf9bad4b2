namespace RingRift.P2P.Coordination;

/// <summary>
/// The leader pushes new versions of items to a replica. POST /work/replicate. <paramref name="CatchUp"/>
/// marks the last push of a full copy of the queue sent, one push after another, to a replica that said
/// it was behind: with it the replica holds every acknowledged item again (older nodes ignore the field).
/// <paramref name="Pruned"/>: finished items the leader has pruned, which the replica drops too
/// (<see cref="QuorumWorkQueue.PruneFinishedAsync"/>); older nodes ignore the field and keep them.
/// </summary>
public sealed record ReplicateRequest(string LeaderId, long Epoch, IReadOnlyList<WorkItem> Items, bool CatchUp = false,
    IReadOnlyList<PrunedItem>? Pruned = null);

/// <summary>
/// A replica's answer. <paramref name="Accepted"/> is false when the replica has seen a newer epoch
/// (<paramref name="Fence"/>): the sender is no longer the leader.
/// </summary>
public sealed record ReplicateAck(string NodeId, bool Accepted, long Fence, int Applied);

/// <summary>
/// A new leader fences a replica at its epoch and reads every item the replica holds.
/// POST /work/replica/sync.
/// </summary>
public sealed record ReplicaSyncRequest(string LeaderId, long Epoch);

/// <summary>
/// A replica's items. <paramref name="Behind"/>: its store holds less than it acknowledged (restored from an
/// old backup), so a new leader does not count it towards its majority (older nodes send false).
/// </summary>
public sealed record ReplicaSyncResponse(string NodeId, bool Accepted, long Fence, IReadOnlyList<WorkItem> Items, bool Behind = false);

/// <summary>How a leader reaches replicas. Returns null when the replica could not be reached in time.</summary>
public interface IReplicaTransport
{
    Task<ReplicateAck?> ReplicateAsync(string nodeId, ReplicateRequest request, CancellationToken ct);
    Task<ReplicaSyncResponse?> SyncAsync(string nodeId, ReplicaSyncRequest request, CancellationToken ct);
}

/// <summary>This node does not (or no longer) lead; the caller should retry at the leader. HTTP 503 NOT_LEADER.</summary>
public sealed class NotLeaderException(string message) : Exception(message);

/// <summary>
/// A push or sync names a <c>leader_id</c> that is not a voter this replica knows, so it may not touch the
/// replica's fence (only a voter can lead). HTTP 403 UNKNOWN_LEADER.
/// </summary>
public sealed class UnknownLeaderException(string message) : Exception(message);

/// <summary>A write could not reach a majority of voters. HTTP 503 QUORUM_UNREACHABLE.</summary>
public sealed class QuorumUnreachableException(string message) : Exception(message);
