using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.Raft;
using RingRift.P2P.Testing.WorkQueue;

namespace RingRift.P2P.Raft.Tests.Cluster;

/// <summary>The shared IWorkQueue contract against a single-node Raft group (durable WAL on disk).</summary>
public sealed class SingleNodeReplicatedWorkQueueContractTests : WorkQueueContractTests
{
    private RaftTestCluster? _cluster;

    protected override async Task<IWorkQueue> CreateQueueAsync(FakeTimeProvider time)
    {
        _cluster = await RaftTestCluster.StartAsync(1, time);
        return new ReplicatedWorkQueue(await _cluster.WaitForLeaderAsync());
    }

    /// <summary>The member stops and starts again on its WAL and snapshots.</summary>
    protected override async Task<IWorkQueue> RestartQueueAsync(IWorkQueue old, FakeTimeProvider time)
    {
        await _cluster!.StopNodeAsync(0);
        await _cluster.StartNodeAsync(0);
        return new ReplicatedWorkQueue(await _cluster.WaitForLeaderAsync());
    }

    public override async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}


/// <summary>
/// The shared IWorkQueue contract against a three-member Raft group on loopback, through whichever
/// member leads (calls follow a leader change with the same command id, as a relaying node does).
/// </summary>
public sealed class ThreeNodeReplicatedWorkQueueContractTests : WorkQueueContractTests
{
    private RaftTestCluster? _cluster;

    protected override async Task<IWorkQueue> CreateQueueAsync(FakeTimeProvider time)
    {
        _cluster = await RaftTestCluster.StartAsync(3, time);
        await _cluster.WaitForLeaderAsync();
        return new ReplicatedWorkQueue(new LeaderFollowingLog(_cluster));
    }

    /// <summary>All three members restart from disk; whoever leads next serves the queue.</summary>
    protected override async Task<IWorkQueue> RestartQueueAsync(IWorkQueue old, FakeTimeProvider time)
    {
        for (var i = 0; i < _cluster!.Size; i++) await _cluster.StopNodeAsync(i);
        await Task.WhenAll(Enumerable.Range(0, _cluster.Size).Select(_cluster.StartNodeAsync));
        await _cluster.WaitForLeaderAsync();
        return new ReplicatedWorkQueue(new LeaderFollowingLog(_cluster));
    }

    public override async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
