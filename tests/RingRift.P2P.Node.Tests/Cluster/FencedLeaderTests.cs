using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// Issue 16 §3 on real nodes (Kestrel on 127.0.0.1, <see cref="InProcessCluster.SteadyTimings"/>): a
/// leader whose queue a higher epoch has fenced does not stay leader. After a stale peer's fence, a
/// restored voter state or a bogus epoch from a known member, the cluster serves work again (POST
/// /work/add and a claim answered 200) at an epoch above the fence; a sync, push, lease request or
/// announcement naming an unknown id is refused 403 and one with an epoch out of range 400, leaving the
/// fence and the election alone.
/// </summary>
/// <remarks>
/// Waits are bounded by <see cref="InProcessCluster.ClusterWait"/> for a loaded host; that the cluster
/// heals within one lease is asserted on virtual time by the Coordination/FencedQueueHealingTests.
/// </remarks>
public sealed class FencedLeaderTests
{
    private static long FenceOf(ClusterNode node) => node.Services.GetRequiredService<WorkReplica>().Fence.Epoch;

    /// <summary>Waits until one node leads, serves the queue at an epoch above <paramref name="fence"/> and every running node names it.</summary>
    private static async Task<ClusterNode> WaitForServingAboveAsync(InProcessCluster cluster, long fence)
    {
        var view = await Eventually.Until(() => LeadershipView.Read(cluster.Nodes),
            v => v.Serving is { } leader && leader.Election.Snapshot.Epoch > fence,
            $"one serving leader above epoch {fence} named by every running node", InProcessCluster.ClusterWait);
        return view.Serving!;
    }

    /// <summary>The node adds a new item and a worker claims it, both answered 200.</summary>
    private static async Task AssertServesWorkAsync(ClusterNode node, string workId)
    {
        var added = await Http.PostAsync(node.Url, "work/add", new JsonObject { ["work_id"] = workId, ["work_type"] = "selfplay" });
        Assert.True(added.Status == 200, $"add answered {added.Status}: {added.Text}");
        var claimed = await Http.PostAsync(node.Url, "work/claim", new JsonObject { ["work_id"] = workId, ["node_id"] = "gpu-1" });
        Assert.True(claimed.Status == 200, $"claim answered {claimed.Status}: {claimed.Text}");
        Assert.True(claimed.Json!["claimed"]!.GetValue<bool>(), claimed.Text);
    }

    [Fact]
    public async Task SyncOrPushFromAnUnknownId_IsRefused403_TheFenceStays_AndTheLeaderKeepsServing()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var node = await cluster.WaitForLeaderAsync();
        var epoch = node.Election.Snapshot.Epoch;

        var sync = await Http.PostAsync(node.Url, "work/replica/sync", """{"leader_id":"zz","epoch":9}""");
        var push = await Http.PostAsync(node.Url, "work/replicate", """{"leader_id":"zz","epoch":9,"items":[]}""");
        var outOfRange = await Http.PostAsync(node.Url, "work/replica/sync", """{"leader_id":"node-1","epoch":9007199254740991}""");

        Assert.Equal((403, "UNKNOWN_LEADER"), (sync.Status, sync.Code));
        Assert.Contains("leader_id 'zz' is not a voter known to node 'node-1'", sync.Error);
        Assert.Equal((403, "UNKNOWN_LEADER"), (push.Status, push.Code));
        Assert.Equal((400, "INVALID_FIELD"), (outOfRange.Status, outOfRange.Code));
        Assert.Contains("epoch 9007199254740991 is out of range", outOfRange.Error);
        Assert.Equal(epoch, FenceOf(node));
        await AssertServesWorkAsync(node, "after");
        var status = await Http.GetAsync(node.Url, "status");
        Assert.Equal(("leader", epoch), (status.Json!["role"]!.GetValue<string>(), status.Json["epoch"]!.GetValue<long>()));
    }

    [Fact]
    public async Task LeaseRequestOrAnnouncementFromAnUnknownId_IsRefused403_OutOfRangeEpochs400_AndTheLeaderKeepsServing()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var node = await cluster.WaitForLeaderAsync();
        var epoch = node.Election.Snapshot.Epoch;

        var lease = await Http.PostAsync(node.Url, "election/lease", """{"candidate_id":"zz","epoch":50}""");
        var announce = await Http.PostAsync(node.Url, "coordinator", """{"leader_id":"zz","epoch":50,"lease_remaining_seconds":10,"leader_address":null}""");
        var leaseTooHigh = await Http.PostAsync(node.Url, "election/lease", """{"candidate_id":"node-1","epoch":8388608}""");
        var announceTooHigh = await Http.PostAsync(node.Url, "coordinator", """{"leader_id":"node-1","epoch":9007199254740991,"lease_remaining_seconds":10,"leader_address":null}""");

        Assert.Equal((403, "UNKNOWN_LEADER"), (lease.Status, lease.Code));
        Assert.Contains("candidate_id 'zz' is not a voter known to node 'node-1'", lease.Error);
        Assert.Equal((403, "UNKNOWN_LEADER"), (announce.Status, announce.Code));
        Assert.Contains("leader_id 'zz' is not a voter known to node 'node-1'", announce.Error);
        Assert.Equal((400, "INVALID_FIELD"), (leaseTooHigh.Status, leaseTooHigh.Code));
        Assert.Contains("epoch 8388608 is out of range: a leader's epoch is 0 to 8388607", leaseTooHigh.Error);
        Assert.Equal((400, "INVALID_FIELD"), (announceTooHigh.Status, announceTooHigh.Code));
        Assert.Equal(epoch, node.Election.Snapshot.KnownEpoch);
        await AssertServesWorkAsync(node, "after");
        var status = await Http.GetAsync(node.Url, "status");
        Assert.Equal(("leader", epoch), (status.Json!["role"]!.GetValue<string>(), status.Json["epoch"]!.GetValue<long>()));
    }

    [Fact]
    public async Task BogusEpochFromAKnownMember_TheLeaderStepsDown_AndIsReelectedAboveIt()
    {
        // The single node, with the sender one the node knows (itself).
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var node = await cluster.WaitForLeaderAsync();
        var bogus = node.Election.Snapshot.Epoch + 8;
        await AssertServesWorkAsync(node, "before");

        var sync = await Http.PostAsync(node.Url, "work/replica/sync", new JsonObject { ["leader_id"] = "node-1", ["epoch"] = bogus });
        Assert.Equal(200, sync.Status);
        Assert.Equal(bogus, FenceOf(node));

        var healed = await WaitForServingAboveAsync(cluster, bogus);
        await AssertServesWorkAsync(healed, "after");
        Assert.Equal(200, (await Http.GetAsync(healed.Url, "work/before")).Status);
        var status = await Http.GetAsync(healed.Url, "status");
        Assert.Equal("leader", status.Json!["role"]!.GetValue<string>());
        Assert.True(status.Json["epoch"]!.GetValue<long>() > bogus, status.Text);
    }

    [Fact]
    public async Task StalePeerRejoiningAfterAPartition_WithAHigherFence_TheClusterServesAboveIt()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, InProcessCluster.SteadyTimings);
        var leader = await cluster.WaitForLeaderAsync("node-3");
        await AssertServesWorkAsync(leader, "before");
        var stale = cluster["node-1"];
        var fence = leader.Election.Snapshot.KnownEpoch + 5;

        // node-1 is cut off; a stale peer (node-2 by its id, acting on old state) fences it above the cluster.
        cluster.Links.Partition([stale.Port], cluster.Nodes.Where(n => n != stale).Select(n => n.Port));
        var push = await Http.PostAsync(stale.Url, "work/replica/sync", new JsonObject { ["leader_id"] = "node-2", ["epoch"] = fence });
        Assert.Equal(200, push.Status);
        cluster.Links.HealAll();

        var healed = await WaitForServingAboveAsync(cluster, fence);
        await AssertServesWorkAsync(healed, "after");
        Assert.Equal(200, (await Http.GetAsync(healed.Url, "work/before")).Status);
        Assert.True(FenceOf(stale) > fence);
    }

    [Fact]
    public async Task VoterStateRestoredFromAnOldBackup_BehindTheReplicaFence_TheNodeServesAboveTheFence()
    {
        await using var cluster = await InProcessCluster.StartAsync(1, InProcessCluster.SteadyTimings);
        var node = await cluster.WaitForLeaderAsync();
        var dataDir = node.Services.GetRequiredService<RingRift.P2P.Node.Hosting.NodeOptions>().DataDir;
        var backup = await File.ReadAllBytesAsync(Path.Combine(dataDir, "voter_state.json"));
        await AssertServesWorkAsync(node, "before");

        // Two restarts: each new process leads at a new epoch and fences its replica there.
        for (var i = 0; i < 2; i++)
        {
            var before = FenceOf(node);
            node = await cluster.RestartNodeAsync(node, "");
            node = await WaitForServingAboveAsync(cluster, before);
        }
        var fence = FenceOf(node);
        Assert.True(fence >= 3, $"fence {fence}");

        node = await cluster.RestartNodeAsync(node, "", dir => File.WriteAllBytes(Path.Combine(dir, "voter_state.json"), backup));

        var healed = await WaitForServingAboveAsync(cluster, fence);
        await AssertServesWorkAsync(healed, "after");
        Assert.Equal(200, (await Http.GetAsync(healed.Url, "work/before")).Status);
    }
}
