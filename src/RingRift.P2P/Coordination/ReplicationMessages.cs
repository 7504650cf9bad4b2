namespace RingRift.P2P.Coordination;

/// <summary>The leader pushes new versions of items to a replica. POST /work/replicate.</summary>
public sealed record ReplicateRequest(string LeaderId, long Epoch, IReadOnlyList<WorkItem> Items);

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

public sealed record ReplicaSyncResponse(string NodeId, bool Accepted, long Fence, IReadOnlyList<WorkItem> Items);

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
