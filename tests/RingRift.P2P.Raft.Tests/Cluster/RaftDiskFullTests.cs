using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Storage;
using RingRift.P2P.Testing.Raft;
using RingRift.P2P.Testing.Storage;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Raft.Tests.Cluster;

/// <summary>
/// A Raft member whose data dir fills up: a follower refuses to append (DotNext 6.12's log would stay
/// failed after a write that ran out of space), stays up and flags its storage while the other two
/// commit; when space returns it catches up with every committed command.
/// </summary>
[Trait("Category", TmpfsMount.Category)]
public sealed class RaftDiskFullTests
{
    private const string FullMember = "n3";

    [Fact]
    public async Task FollowerOnAFullDisk_RefusesAppends_StaysUp_AndCatchesUpWhenSpaceReturns()
    {
        await using var mount = await TmpfsMount.CreateAsync(4096);
        var storage = new StorageHealth(mount.Path, reserveBytes: 0, TimeProvider.System);
        await using var cluster = await RaftTestCluster.StartAsync(3, tune: o => o.NodeId == FullMember
            ? o with { DataDir = Path.Combine(mount.Path, FullMember), Storage = storage }
            : o);
        var leader = await cluster.WaitForLeaderAsync();
        if (leader.NodeId == FullMember)
        {
            await leader.HandOverAsync(TimeSpan.FromSeconds(10));
            leader = await Eventually.Until(() => cluster.CurrentLeader(), l => l is not null && l.NodeId != FullMember && l.IsReady,
                "a leader other than the member on the small disk");
        }
        var full = cluster.Running.Single(n => n.NodeId == FullMember);
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await queue.AddWorkAsync(Work(i), $"add-{i}")).Item!.WorkId);

        mount.Fill();
        for (var i = 5; i < 40; i++) ids.Add((await queue.AddWorkAsync(Work(i), $"add-{i}")).Item!.WorkId); // the other two commit

        await Eventually.Until(() => storage.IsFull, $"{FullMember} to refuse an append on its full disk");
        Assert.StartsWith(Path.Combine(mount.Path, FullMember, "wal"), storage.Current.Path);
        Assert.True(full.Status().LastApplied < leader!.Status().CommitIndex, "the member on the full disk applied everything anyway");

        mount.Free();
        var commit = leader.Status().CommitIndex;
        await Eventually.Until(() => full.Status().LastApplied, applied => applied >= commit,
            $"{FullMember} to catch up to commit index {commit} once space returned");
        Assert.All(ids, id => Assert.NotNull(full.ReadLocal(m => m.Get(id))));
        Assert.True(storage.TryRecover());
    }

    private static NewWork Work(int n) => new()
    {
        WorkId = $"w{n}",
        WorkType = JobType.Selfplay,
        Config = new System.Text.Json.Nodes.JsonObject { ["pad"] = new string('x', 20_000) },
    };
}
