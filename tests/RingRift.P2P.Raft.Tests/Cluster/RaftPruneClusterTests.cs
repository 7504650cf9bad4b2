using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Testing.Raft;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Raft.Tests.Cluster;

/// <summary>
/// Retention on three Raft members on loopback: the leader's prune command is applied by every member, and
/// the snapshots written after it leave the pruned items out, so a whole-cluster restart does not bring them back.
/// </summary>
public sealed class RaftPruneClusterTests
{
    [Fact]
    public async Task APrune_IsAppliedByEveryMember_AndAWholeClusterRestartFromSnapshotsKeepsTheItemsGone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)); // stamps the commands
        await using var cluster = await RaftTestCluster.StartAsync(3, time, tune: o => o with { SnapshotEveryCommands = 10 });
        await cluster.WaitForLeaderAsync();
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        for (var i = 0; i < 30; i++)
        {
            await queue.AddWorkAsync(new NewWork { WorkId = $"p{i:00}", WorkType = JobType.Selfplay });
            Assert.True(await queue.ClaimWorkAsync($"p{i:00}", "gpu-1"));
            await queue.CompleteWorkAsync($"p{i:00}", null, "gpu-1");
        }
        await queue.AddWorkAsync(new NewWork { WorkId = "open", WorkType = JobType.Selfplay });
        time.Advance(TimeSpan.FromMinutes(1));

        var round = await queue.PruneFinishedAsync(new QueueRetention { MaxAge = TimeSpan.Zero, MaxFinished = 5 },
            time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);

        Assert.Equal(25, round.Pruned);
        await Eventually.Until(() => cluster.Running.Select(n => n.ReadLocal(s => (s.Stats().Total, s.Get("p00") is null, s.Get("p29") is null))).ToList(),
            held => held.All(h => h == (6, true, false)), "every member to hold the 5 newest finished items and the open one, p00 gone (total, p00 gone, p29 gone)");

        // Enough commands after the prune for every member to write a snapshot without the pruned items.
        var before = cluster.Running.Select(n => n.Status().SnapshotsWritten).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => queue.ClaimWorkAsync("p29", "other")));
        await Eventually.Until(() => cluster.Running.Select(n => n.Status().SnapshotsWritten).ToArray(),
            written => written.Zip(before).All(w => w.First > w.Second), "every member to write a snapshot after the prune (snapshots written per member)");

        for (var i = 0; i < 3; i++) await cluster.StopNodeAsync(i);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.StartNodeAsync));
        await cluster.WaitForLeaderAsync();
        var after = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        var stats = await after.GetQueueStatsAsync();
        Assert.Equal((5, 1, 6), (stats.Completed, stats.Pending, stats.Total));
        Assert.Null(await after.GetWorkAsync("p00"));
    }
}
