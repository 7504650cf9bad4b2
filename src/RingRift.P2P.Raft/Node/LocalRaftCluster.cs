using DotNext.Net.Cluster.Consensus.Raft;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// DotNext's TCP <see cref="RaftCluster"/> with its local resignation public. The public
/// <c>ICluster.ResignAsync</c> asks the remote leader to resign when this member no longer leads, so a
/// member that lost leadership a moment before calling it would depose its successor; this one only
/// ever resigns this member's own leadership.
/// </summary>
internal sealed class LocalRaftCluster(RaftCluster.NodeConfiguration configuration) : RaftCluster(configuration)
{
    /// <summary>Steps this member down to follower if it leads; false when it did not lead.</summary>
    public ValueTask<bool> ResignLocalAsync(CancellationToken ct) => ResignAsync(ct);
}
