using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Election;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// Issue 16 §3, deterministically: the Bully election of <see cref="ElectionCluster"/> drives the
/// queues of a <see cref="QuorumRig"/> (each node's epoch floor is its queue's fence), on one fake
/// clock. Whatever raises a fence above the leader's epoch — a stale peer after a partition, data
/// restored from an old backup, a request from a known member with a bogus epoch — the cluster is
/// serving work again (an add and a claim acknowledged by a majority) within one lease, above the
/// fence, with no acknowledged item lost; a request from an unknown id does not touch the fence.
/// The leadership invariant is checked after every delivery and every round.
/// </summary>
public sealed class FencedQueueHealingTests : IAsyncLifetime
{
    private readonly ElectionCluster _cluster;
    private readonly LeadershipInvariant _invariant;
    private QuorumRig _rig = null!;

    public FencedQueueHealingTests()
    {
        _cluster = new ElectionCluster(QuorumRig.Ids, epochFloor: id => () => _rig.Queues[id].HighestFence);
        _invariant = new LeadershipInvariant(_cluster);
        _cluster.Network.AfterDelivery = () => _invariant.Check("during a tick");
    }

    private TimeSpan Lease => _cluster.Options.LeaseDuration;

    public async Task InitializeAsync() => _rig = await QuorumRig.StartAsync(_cluster.Clock);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static NewWork Work(string id) => new() { WorkId = id, WorkType = JobType.Selfplay };

    private Task<string> ServingAsync(TimeSpan within, long above = 0) =>
        _rig.RunUntilServingAsync(_cluster, within, above, () => _invariant.Check());

    private long EpochOf(string id) => _cluster[id].Snapshot.Epoch;

    /// <summary>The serving leader acknowledges a new item and a claim of it; every earlier item is still there.</summary>
    private async Task AssertServesWorkAsync(string leader, string workId, params string[] earlier)
    {
        var queue = _rig.Queues[leader];
        await queue.AddWorkAsync(Work(workId));
        Assert.True(await queue.ClaimWorkAsync(workId, "gpu-1"), $"{leader} could not claim {workId}");
        foreach (var id in earlier) Assert.NotNull(await queue.GetWorkAsync(id));
    }

    [Fact]
    public async Task StalePeer_RejoiningAfterAPartition_WithAHigherFence_TheLeaderStepsDownAndTheClusterServesAboveIt()
    {
        var first = await ServingAsync(Lease);
        await _rig.Queues[first].AddWorkAsync(Work("before"));
        var epoch = EpochOf(first);

        // n1 is cut off; meanwhile a stale peer (a known voter acting on old state) fences n1's replica
        // at an epoch the others never heard of. The majority side goes on serving.
        _cluster.Network.Partition(["n1"], ["n2", "n3"]);
        _rig.Network.Down("n1");
        Assert.True((await _rig.Replicas["n1"].HandleSyncAsync(new ReplicaSyncRequest("n2", epoch + 5), CancellationToken.None)).Accepted);
        _cluster.Run(5, () => _invariant.Check());
        await _rig.AlignAsync(_cluster);
        Assert.Equal(first, _rig.Serving(_cluster));
        await AssertServesWorkAsync(first, "during", "before");

        // n1 rejoins: the leader's epoch is below n1's fence, so it steps down and is re-elected above it.
        _cluster.Network.Heal();
        _rig.Network.HealAll();
        var healed = await ServingAsync(Lease, above: epoch + 5);

        await AssertServesWorkAsync(healed, "after", "before", "during");
        Assert.All(QuorumRig.Ids, id => Assert.Equal(EpochOf(healed), _rig.Replicas[id].Fence.Epoch));
    }

    [Fact]
    public async Task ElectionStateRestoredFromAnOldBackup_BehindTheReplicaFences_TheClusterServesAboveTheFences()
    {
        var first = await ServingAsync(Lease);
        await _rig.Queues[first].AddWorkAsync(Work("a"));
        var backups = QuorumRig.Ids.ToDictionary(id => id, id => _cluster.StoreOf(id).Load()!); // voter_state.json of every node

        // The cluster moves on: the leader crashes, another takes over, the first returns (and follows it,
        // a lease in force being sticky) and takes back when the second steps down.
        _cluster.Crash(first);
        _rig.Network.Down(first);
        var second = await ServingAsync(2 * Lease, above: EpochOf(first));
        await _rig.Queues[second].AddWorkAsync(Work("b"));
        _cluster.Restart(first);
        await _rig.OpenAsync(first);
        _rig.Network.Up(first);
        _cluster.Run(1);
        await _cluster[second].StepDownAsync(CancellationToken.None);
        var third = await ServingAsync(2 * Lease, above: EpochOf(second));
        await _rig.Queues[third].AddWorkAsync(Work("c"));
        var fence = EpochOf(third);

        // Every node restarts with its election state restored from the first backup; the queue files are current.
        foreach (var id in QuorumRig.Ids) _cluster.Crash(id);
        _cluster.Clock.Advance(Lease); // the restored grants have run out
        foreach (var id in QuorumRig.Ids)
        {
            _cluster.StoreOf(id).Save(backups[id]);
            _cluster.Restart(id);
            await _rig.OpenAsync(id);
            Assert.True(_cluster[id].Snapshot.KnownEpoch < fence);
        }
        var healed = await ServingAsync(Lease, above: fence);

        Assert.Equal(fence + 1, EpochOf(healed));
        await AssertServesWorkAsync(healed, "d", "a", "b", "c");
    }

    [Fact]
    public async Task LeadersFenceFileRestoredFromAnOldBackup_BehindItsElectionState_TheClusterServesAndTheFenceCatchesUp()
    {
        var first = await ServingAsync(Lease);
        await _rig.Queues[first].AddWorkAsync(Work("a"));
        _cluster.Crash(first);
        _rig.Network.Down(first);
        var second = await ServingAsync(2 * Lease, above: EpochOf(first));
        await _rig.Queues[second].AddWorkAsync(Work("b"));
        var known = _cluster[second].Snapshot.KnownEpoch;

        // The node restarts with its replica_fence from a backup taken before any leader fenced it.
        _cluster.Crash(second);
        _cluster.Clock.Advance(Lease); // a crashed leader's grants run out (the price of any crash, fenced or not)
        File.WriteAllText(_rig.FencePath(second), "0");
        _cluster.Restart(second);
        await _rig.OpenAsync(second);
        _rig.Network.Up(first);
        _cluster.Restart(first);
        await _rig.OpenAsync(first);
        Assert.Equal(0, _rig.Replicas[second].Fence.Epoch);

        var healed = await ServingAsync(Lease, above: known);

        await AssertServesWorkAsync(healed, "c", "a", "b");
        Assert.Equal(EpochOf(healed), _rig.Replicas[healed].Fence.Epoch);
        Assert.True(_rig.Replicas[second].Fence.Epoch > known);
    }

    [Fact]
    public async Task SyncOrPush_FromAnUnknownId_IsRefused_TheFenceStays_AndTheLeaderKeepsServing()
    {
        var leader = await ServingAsync(Lease);
        var epoch = EpochOf(leader);

        foreach (var id in QuorumRig.Ids)
        {
            var replica = _rig.Replicas[id];
            var sync = await Assert.ThrowsAsync<UnknownLeaderException>(() => replica.HandleSyncAsync(new ReplicaSyncRequest("zz", 9), CancellationToken.None));
            var push = await Assert.ThrowsAsync<UnknownLeaderException>(() => replica.HandleReplicateAsync(new ReplicateRequest("zz", 9, []), CancellationToken.None));
            Assert.Contains("'zz'", sync.Message);
            Assert.Contains("'zz'", push.Message);
            Assert.Equal(epoch, replica.Fence.Epoch);
        }

        _cluster.Run(3, () => _invariant.Check());
        await _rig.AlignAsync(_cluster);
        Assert.Equal(leader, _rig.Serving(_cluster));
        Assert.Equal(epoch, EpochOf(leader));
        await AssertServesWorkAsync(leader, "a");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(ReplicaFence.MaxEpoch + 1)]
    [InlineData(long.MaxValue)]
    public async Task EpochOutOfRange_FromAKnownMember_IsRefused_AndTheFenceStays(long epoch)
    {
        var leader = await ServingAsync(Lease);
        var replica = _rig.Replicas["n1"];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => replica.HandleSyncAsync(new ReplicaSyncRequest("n2", epoch), CancellationToken.None));

        Assert.Contains($"epoch {epoch} is out of range", error.Message);
        Assert.Equal(EpochOf(leader), replica.Fence.Epoch);
        await AssertServesWorkAsync(leader, "a");
    }

    [Theory]
    [InlineData("n3")] // the leader's own replica: its next local change is refused at once
    [InlineData("n1")] // a follower's replica: the leader learns it from the election or the next push
    public async Task BogusEpoch_FromAKnownMember_TheLeaderStepsDown_AndTheClusterServesAboveIt(string target)
    {
        var leader = await ServingAsync(Lease);
        Assert.Equal("n3", leader);
        await _rig.Queues[leader].AddWorkAsync(Work("before"));
        var bogus = EpochOf(leader) + 7;

        Assert.True((await _rig.Replicas[target].HandleSyncAsync(new ReplicaSyncRequest("n1", bogus), CancellationToken.None)).Accepted);
        if (target == leader)
        {
            var refused = await Assert.ThrowsAsync<NotLeaderException>(() => _rig.Queues[leader].AddWorkAsync(Work("x")));
            Assert.Contains($"superseded by epoch {bogus}", refused.Message);
            Assert.Null(_rig.Queues[leader].ActiveEpoch);
        }
        var healed = await ServingAsync(Lease, above: bogus);

        Assert.Equal(bogus + 1, EpochOf(healed));
        await AssertServesWorkAsync(healed, "after", "before");
    }
}
