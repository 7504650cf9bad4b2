using DotNext.IO.Log;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Raft.Node;
using RingRift.P2P.Testing.Raft;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Raft.Tests.Cluster;

/// <summary>
/// Raft's rule that a follower's acknowledged entries are on disk: DotNext 6.12's log flushes
/// appended entries in the background, so <see cref="DurableWriteAheadLog"/> flushes on the
/// replicated-append path before the follower answers.
/// </summary>
public sealed class DurableWriteAheadLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ringrift-durable-wal-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ReplicatedAppend_IsOnDisk_WhenItReturns_EvenWithoutACommit()
    {
        var entries = Enumerable.Range(1, 20)
            .Select(i => new BinaryLogEntry { Term = 1, Content = new byte[] { (byte)i, 2, 3 } })
            .ToArray();
        await using (var wal = Open())
        {
            IAuditTrail<IRaftLogEntry> follower = wal;
            await follower.AppendAsync(new LogEntryProducer<BinaryLogEntry>(entries), startIndex: 1, skipCommitted: false, CancellationToken.None);
            Assert.Equal(1, wal.FollowerFlushes);
            // What a crash right now would keep: the log reopens to the last index its checkpoint names.
            Assert.Equal((Version: 1u, Commit: 0L, Last: 20L), ReadCheckpoint());
        }

        await using var reopened = Open();
        Assert.Equal(20, reopened.LastEntryIndex);
        Assert.Equal(0, reopened.LastCommittedEntryIndex);
    }

    [Fact]
    public async Task FollowersOfARunningGroup_AcknowledgeThroughTheFlushingAppend()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        for (var i = 0; i < 10; i++) await queue.AddWorkAsync(new NewWork { WorkId = $"w{i}", WorkType = JobType.Selfplay }, $"add-{i}");
        var leader = await cluster.WaitForLeaderAsync();
        var commit = leader.Status().CommitIndex;
        await Eventually.Until(() => cluster.Running.ToDictionary(n => n.NodeId, n => n.Status().LastApplied),
            applied => applied.Values.All(a => a >= commit), $"every member to apply up to the leader's commit index {commit} (last applied per member)");

        var followers = cluster.Running.Where(n => n != leader).ToList();
        Assert.Equal(2, followers.Count);
        Assert.All(followers, f => Assert.True(f.Status().FollowerFlushes > 0, $"{f.NodeId} took entries without the flushing append path"));
    }

    /// <summary>DotNext 6.12's checkpoint file: u32 version (1), then commit index and last flushed index, little-endian.</summary>
    private (uint Version, long Commit, long Last) ReadCheckpoint()
    {
        using var file = new FileStream(Path.Combine(_dir, "wal", "checkpoint"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[20];
        file.ReadExactly(bytes);
        return (BitConverter.ToUInt32(bytes, 0), BitConverter.ToInt64(bytes, 4), BitConverter.ToInt64(bytes, 12));
    }

    private DurableWriteAheadLog Open()
    {
        var snapshots = Directory.CreateDirectory(Path.Combine(_dir, "snapshots"));
        var state = new ReplicatedState(snapshots, 100, 1_000, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return new(new WriteAheadLog.Options { Location = Path.Combine(_dir, "wal") }, state);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
