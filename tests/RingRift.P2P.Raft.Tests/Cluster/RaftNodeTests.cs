using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Raft.Node;
using RingRift.P2P.Testing.Raft;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Raft.Tests.Cluster;

/// <summary>
/// Raft members on loopback: forwarding hints, failover, recovery from WAL and snapshots, fencing.
/// On a busy host a leader can lose its lease for a moment in any test: writes go through
/// <see cref="LeaderFollowingLog"/> unless the member written to is the point of the test, and a read
/// on one member is asked again only when the member could not confirm it (an exception), never
/// because of what it returned.
/// </summary>
public sealed class RaftNodeTests
{
    private static NewWork Work(string id) => new() { WorkId = id, WorkType = JobType.Selfplay };

    /// <summary>A linearizable read on <paramref name="member"/>, asked again while the member cannot confirm it (leadership moving).</summary>
    private static Task<T> ReadOnAsync<T>(RaftNode member, Func<ReplicatedWorkQueue, Task<T>> read, string what) =>
        Eventually.Until<T>(() => read(new ReplicatedWorkQueue(member)), _ => true, $"{member.NodeId} to confirm a read of {what}");

    [Fact]
    public async Task Follower_RefusesWrites_NamingTheLeader_ButReadsLinearizably()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        await new ReplicatedWorkQueue(new LeaderFollowingLog(cluster)).AddWorkAsync(Work("a"));

        // Asked again only when leadership moved between finding the leader and asking a follower
        // (the follower then leads, or names the newer leader); a follower that names nobody or the
        // wrong member every time fails the wait.
        var (leader, follower, refused) = await Eventually.Until(async () =>
            {
                var leader = await cluster.WaitForLeaderAsync();
                var follower = cluster.Running.First(n => n != leader);
                var refused = await Assert.ThrowsAsync<NotRaftLeaderException>(() => new ReplicatedWorkQueue(follower).AddWorkAsync(Work("b")));
                return (Leader: leader, Follower: follower, Refused: refused);
            },
            r => r.Refused.LeaderId == r.Leader.NodeId,
            "a follower's refusal naming the member that leads");

        Assert.Equal(leader.NodeId, refused.LeaderId);
        Assert.Equal(leader.Status().LeaderHttpAddress, refused.LeaderAddress);
        Assert.NotNull(await ReadOnAsync(follower, q => q.GetWorkAsync("a"), "'a'"));
    }

    [Fact]
    public async Task LeaderStops_SurvivorsElectANewLeader_WithEveryAcknowledgedWrite()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        for (var i = 0; i < 50; i++) await queue.AddWorkAsync(Work($"w{i}"));
        var leader = await cluster.WaitForLeaderAsync();
        await cluster.StopNodeAsync(int.Parse(leader.NodeId[1..]) - 1);

        // The survivors may pass leadership between them on a busy host: what matters is that one of
        // them leads, says so in its stats, and holds every acknowledged write.
        var (next, stats) = await Eventually.Until(async () =>
            {
                var next = await cluster.WaitForLeaderAsync();
                return (Leader: next, Stats: await new ReplicatedWorkQueue(next).GetQueueStatsAsync());
            },
            r => r.Stats.IsLeader,
            "a survivor whose stats say it leads");
        Assert.NotEqual(leader.NodeId, next.NodeId);
        Assert.Equal(50, stats.Pending);
        await queue.AddWorkAsync(Work("after"));
        Assert.Equal(51, (await queue.GetQueueStatsAsync()).Pending);
    }

    [Fact]
    public async Task LeaderHandsOver_AnotherMemberLeadsBeforeItStops_WithEveryAcknowledgedWrite_AndItDoesNotCampaignAgain()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        for (var i = 0; i < 20; i++) await queue.AddWorkAsync(Work($"w{i}"));
        var leader = await cluster.WaitForLeaderAsync();

        var next = await leader.HandOverAsync(TimeSpan.FromSeconds(30)); // the bound of a loaded host, not a goal

        Assert.NotNull(next);
        Assert.NotEqual(leader.NodeId, next);
        Assert.False(leader.IsLeader);
        // Still running and still a voter, it follows the leader and never takes leadership back (on a
        // busy host leadership may still pass between the two others).
        var successor = await cluster.WaitForLeaderAsync();
        Assert.NotEqual(leader.NodeId, successor.NodeId);
        Assert.Equal(20, (await new ReplicatedWorkQueue(successor).GetQueueStatsAsync()).Pending);
        await queue.AddWorkAsync(Work("after"));
        Assert.NotEqual(leader.NodeId, (await cluster.WaitForLeaderAsync()).NodeId);
    }

    [Fact]
    public async Task FollowerHandsOver_NamingTheLeaderItFollows()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Running.First(n => n != leader);

        var named = await follower.HandOverAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(named); // the leader it follows (leader.NodeId unless leadership moved meanwhile)
        Assert.NotEqual(follower.NodeId, named);
    }

    [Fact]
    public async Task StoppedFollower_RestartsFromItsLog_AndCatchesUpOnWhatItMissed()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        await cluster.WaitForLeaderAsync();
        // On a busy host losing a member can cost the leader its lease for a moment: write through whoever leads.
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        await queue.AddWorkAsync(Work("before"));
        var leader = await cluster.WaitForLeaderAsync();
        var followerIndex = Enumerable.Range(0, 3).First(i => cluster[i] != leader);
        await cluster.StopNodeAsync(followerIndex);
        await queue.AddWorkAsync(Work("while-down"));

        await cluster.StartNodeAsync(followerIndex);
        await cluster.WaitForLeaderAsync();
        var restarted = cluster[followerIndex]!;
        Assert.NotNull(await ReadOnAsync(restarted, q => q.GetWorkAsync("before"), "'before'"));
        Assert.NotNull(await ReadOnAsync(restarted, q => q.GetWorkAsync("while-down"), "'while-down'"));
    }

    [Fact]
    public async Task Snapshots_CompactTheLog_AndAWholeClusterRestartRestoresTheSameState()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3, tune: o => o with { SnapshotEveryCommands = 10 });
        await cluster.WaitForLeaderAsync();
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster)); // what is tested is the snapshot, not one leader's tenure
        for (var i = 0; i < 40; i++) await queue.AddWorkAsync(Work($"s{i}"));
        Assert.True(await queue.ClaimWorkAsync("s7", "worker"));
        // A snapshot needs at least max(10, 4 x items held) commands since the last one: 200 refused re-claims supply them.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => queue.ClaimWorkAsync("s7", "other")));
        await Eventually.Until(() => cluster.Running.Select(n => n.Status().SnapshotsWritten).ToList(), written => written.Any(w => w > 0),
            "a member to write a snapshot (snapshots written per member)");

        for (var i = 0; i < 3; i++) await cluster.StopNodeAsync(i);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(cluster.StartNodeAsync));
        await cluster.WaitForLeaderAsync();
        var after = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        var stats = await after.GetQueueStatsAsync();
        Assert.Equal(39, stats.Pending);
        Assert.Equal("worker", (await after.GetWorkAsync("s7"))!.ClaimedBy);
    }

    [Fact]
    public async Task StaleFencingToken_IsRefused_AfterTheItemWasRequeuedAndReclaimed()
    {
        // Commands carry the leader's clock (the cluster's TimeProvider): a fake one lets the claim time out exactly.
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var cluster = await RaftTestCluster.StartAsync(3, time);
        await cluster.WaitForLeaderAsync();
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster)); // fencing is tested, not one leader's tenure
        await queue.AddWorkAsync(Work("f") with { TimeoutSeconds = 1 });
        var first = await queue.ClaimWorkFencedAsync("f", "slow", null);
        time.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1));
        Assert.Single(await queue.RequeueTimedOutAsync());
        var second = await queue.ClaimWorkFencedAsync("f", "fast", null);
        Assert.NotEqual(first.Token, second.Token);

        var stale = await Assert.ThrowsAsync<WorkConflictException>(() => queue.CompleteWorkAsync("f", null, "slow", first.Token, null));
        Assert.Contains("fencing", stale.Message, StringComparison.OrdinalIgnoreCase);
        var done = await queue.CompleteWorkAsync("f", null, "fast", second.Token, null);
        Assert.Equal(WorkStatus.Completed, done.Status);
    }

    [Fact]
    public async Task RetriedCommandId_AppliesOnce_AndReturnsTheFirstResult()
    {
        await using var cluster = await RaftTestCluster.StartAsync(1);
        var queue = new ReplicatedWorkQueue(await cluster.WaitForLeaderAsync());
        await queue.AddWorkAsync(Work("r1"));
        await queue.AddWorkAsync(Work("r2"));

        var first = await queue.ClaimNextFencedAsync("w", null, "claim-1");
        var retry = await queue.ClaimNextFencedAsync("w", null, "claim-1");
        Assert.Equal(first.Item!.WorkId, retry.Item!.WorkId);
        Assert.Equal(first.Token, retry.Token);
        Assert.Equal(1, (await queue.GetQueueStatsAsync()).Claimed);
    }

    [Fact]
    public async Task ConcurrentClients_AreGroupCommitted_IntoFewerLogEntries()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        await cluster.WaitForLeaderAsync();
        var queue = new ReplicatedWorkQueue(new LeaderFollowingLog(cluster));
        await Task.WhenAll(Enumerable.Range(0, 512).Select(i => queue.AddWorkAsync(Work($"g{i}"))));

        // Summed over members: a leader change mid-test splits the writing between two leaders (and resends some commands).
        var commands = cluster.Running.Sum(n => n.Status().Commands);
        var batches = cluster.Running.Sum(n => n.Status().Batches);
        Assert.True(commands >= 512, $"only {commands} commands written for 512 adds");
        Assert.True(batches < 512, $"512 concurrent adds took {batches} log entries");
        Assert.Equal(512, (await queue.GetQueueStatsAsync()).Pending);
    }

    [Fact]
    public async Task StateReader_ReadsAStoppedMembersCommittedState_FromItsLogAndSnapshot()
    {
        await using var cluster = await RaftTestCluster.StartAsync(1, tune: o => o with { SnapshotEveryCommands = 5 });
        var queue = new ReplicatedWorkQueue(await cluster.WaitForLeaderAsync());
        for (var i = 0; i < 30; i++) await queue.AddWorkAsync(Work($"x{i}"));
        Assert.True(await queue.ClaimWorkAsync("x3", "gpu"));
        await cluster.StopNodeAsync(0);

        var state = await RingRift.P2P.Raft.Node.RaftStateReader.ReadCommittedAsync(cluster.DataDirOf(0));

        Assert.NotNull(state);
        Assert.Equal(30, state!.Count);
        Assert.Equal("gpu", state.Get("x3")!.ClaimedBy);
        Assert.Equal(30, state.Unfinished().Count);
        Assert.Null(await RingRift.P2P.Raft.Node.RaftStateReader.ReadCommittedAsync(Path.Combine(cluster.DataDirOf(0), "nothing-here")));
    }

    [Fact]
    public async Task EachMember_RunsWithAnElectionTimeoutInsideItsOwnSlice()
    {
        await using var cluster = await RaftTestCluster.StartAsync(3);
        await cluster.WaitForLeaderAsync();

        var slices = new List<(int LowerMs, int UpperMs)>();
        foreach (var node in cluster.Running)
        {
            var status = node.Status();
            var (lower, upper, _) = new RaftNodeOptions
            {
                NodeId = node.NodeId,
                PublicEndPoint = RaftEndPoints.Parse(status.Address, "self"),
                Members = status.Members.Select(m => RaftEndPoints.Parse(m, "member")).ToList(),
                DataDir = cluster.DataDirOf(0),
            }.WithElectionTimeout(RaftTestCluster.TestElectionTimeoutMs).EffectiveElectionTimeout();
            Assert.InRange(node.ElectionTimeout.TotalMilliseconds, lower, upper);
            slices.Add((lower, upper));
        }
        Assert.Equal(3, slices.Distinct().Count());
    }

    [Fact]
    public async Task WarmUp_ElectsTwiceInAThrowawayGroup_AndLeavesNoFolderBehind()
    {
        // Only this process's folders: a node test in another process may be warming up at the same moment.
        static string[] WarmUpFolders() => Directory.GetDirectories(Path.GetTempPath(), $"rr-raft-warmup-{Environment.ProcessId}-*");
        var before = WarmUpFolders();

        var result = await RaftWarmUp.RunAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Completed, result.Error);
        Assert.Null(result.Error);
        Assert.Equal(2, result.Elections);
        Assert.Empty(WarmUpFolders().Except(before));
    }

    [Fact]
    public async Task WarmUp_WhoseFreePortWasTakenMeanwhile_StartsAgainOnFreshPorts()
    {
        // Another process can bind a port between the free-port check and a member's bind.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var picks = 0;
        System.Net.IPEndPoint[] Pick(int count)
        {
            var ports = RingRift.P2P.Testing.Ports.TestPorts.Free(count).Select(p => new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, p)).ToArray();
            if (++picks == 1) ports[1] = (System.Net.IPEndPoint)taken.LocalEndpoint;
            return ports;
        }

        var result = await RaftWarmUp.RunAsync(TimeSpan.FromSeconds(60), null, Pick, CancellationToken.None);

        Assert.True(result.Completed, result.Error);
        Assert.Equal(2, picks);
    }

    [Fact]
    public async Task WarmUp_OutOfBudget_SaysSo_InsteadOfThrowing()
    {
        var result = await RaftWarmUp.RunAsync(TimeSpan.FromMilliseconds(1));

        Assert.False(result.Completed);
        Assert.Contains("did not finish within 1 ms", result.Error);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => RaftWarmUp.RunAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task WarmUp_DeletesTheFolderOfAWarmUpWhoseProcessIsGone_AndKeepsALiveOnes()
    {
        var gone = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "rr-raft-warmup-2000000000-leftover")); // no such pid on Linux (max 4,194,304)
        var live = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"rr-raft-warmup-{Environment.ProcessId}-test{Guid.NewGuid():N}"));
        try
        {
            await RaftWarmUp.RunAsync(TimeSpan.FromMilliseconds(1));

            Assert.False(Directory.Exists(gone.FullName));
            Assert.True(Directory.Exists(live.FullName));
        }
        finally
        {
            if (gone.Exists) try { gone.Delete(true); } catch (IOException) { }
            live.Delete(true);
        }
    }
}
