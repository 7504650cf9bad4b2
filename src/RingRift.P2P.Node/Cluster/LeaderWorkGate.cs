using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Metrics;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// Whether this node serves the work queue right now, and which queue: the Raft leader once it can
/// commit, or the Bully leader once it has taken the SQLite queue over at its epoch. The leader's
/// loops (dispatch, dead-node requeue, training) act only while it names a queue (through
/// <see cref="IClusterWork.ServingQueue"/>), and what they do is counted in the queue metrics.
/// </summary>
public sealed class LeaderWorkGate(ConsensusSwitch coordinator, RaftService raft, BullyElection election, QuorumWorkQueue quorum, QueueMetrics metrics)
{
    private readonly MeteredWorkQueue _quorum = new(quorum, metrics);
    private volatile MeteredWorkQueue? _raft;

    /// <summary>The queue to act on when this node serves it, else null.</summary>
    public IWorkQueue? ServingQueue()
    {
        if (coordinator.Path == ConsensusPath.Raft)
            return raft.Node is { IsLeader: true, IsReady: true } && raft.Queue is { } replicated ? Metered(replicated) : null;
        return election.IsLeader && quorum.ActiveEpoch == election.Snapshot.Epoch ? _quorum : null;
    }

    /// <summary>The Raft queue is replaced when Raft restarts; its measured view follows.</summary>
    private MeteredWorkQueue Metered(IWorkQueue replicated)
    {
        var current = _raft;
        if (current is not null && ReferenceEquals(current.Inner, replicated)) return current;
        return _raft = new MeteredWorkQueue(replicated, metrics);
    }
}
