using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// Issue 16 §3, a data dir restored from an old backup: a voter whose work_queue.db is older than what it
/// acknowledged must not stand in for the items it lost. Quorum replication keeps an item when any
/// majority a new leader reads shares a voter with the majority that acknowledged it; a voter that lost
/// the item breaks that. Three voters with real SQLite files (<see cref="QuorumRig"/>): n3 leads, items
/// are acknowledged by n3 and n1 while n2 is away, n1's file is replaced by a backup taken before them,
/// and n3 dies, so the next majority is n1 and n2 and neither holds them.
/// </summary>
public sealed class RestoredQueueTests : IAsyncLifetime
{
    private static readonly string[] Acked = ["acked-1", "acked-2", "acked-3"];
    private QuorumRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuorumRig.StartAsync(new FakeTimeProvider());

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static NewWork Work(string id) => new() { WorkId = id, WorkType = JobType.Selfplay };

    /// <summary>
    /// n3 leads at epoch 1 with "old" on every voter; n1's file is backed up; then, with n2 away, n3 and n1
    /// acknowledge <see cref="Acked"/> and the completion of "old"; n1 is restarted on the backup and n2 returns.
    /// </summary>
    private async Task<QuorumWorkQueue> AcknowledgeWhileN2IsAway_ThenRestoreN1Async()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await leader.AddWorkAsync(Work("old"));
        var backup = await _rig.BackUpQueueAsync("n1");

        _rig.Network.Down("n2");
        foreach (var id in Acked) await leader.AddWorkAsync(Work(id));
        Assert.True(await leader.ClaimWorkAsync("old", "gpu-1"));
        await leader.CompleteWorkAsync("old", null, "gpu-1");

        await _rig.RestoreQueueAsync("n1", backup);
        _rig.Network.Up("n2");
        Assert.Null(await _rig.Stores["n1"].GetWorkAsync(Acked[0])); // the restore did lose them on n1
        return leader;
    }

    /// <summary>Every acknowledged item, with its last acknowledged status, in <paramref name="store"/>.</summary>
    private static async Task AssertHoldsEveryAcknowledgedItemAsync(IWorkQueue store, string holder)
    {
        foreach (var id in Acked) Assert.True(await store.GetWorkAsync(id) is not null, $"{holder} lost {id}");
        Assert.Equal(WorkStatus.Completed, (await store.GetWorkAsync("old"))?.Status);
    }

    [Fact]
    public async Task RestoredVoter_InTheNextMajority_IsNotCounted_UntilTheLastHolderAnswers_AndNothingAcknowledgedIsLost()
    {
        await AcknowledgeWhileN2IsAway_ThenRestoreN1Async();
        _rig.Network.Down("n3"); // the leader dies: n1 and n2 are the next majority

        var servedEarly = await _rig.Queues["n2"].ActivateAsync(2, CancellationToken.None);
        var missing = new List<string>();
        foreach (var id in Acked)
            if (await _rig.Stores["n2"].GetWorkAsync(id) is null) missing.Add(id);

        // Before the fix n2 served at epoch 2 from n1 and n2 alone, without any of the acknowledged items.
        Assert.False(servedEarly, $"n2 serves at epoch 2 from n1 (restored) and n2; missing there: [{string.Join(", ", missing)}]");
        Assert.True(_rig.Replicas["n1"].IsBehind);

        _rig.Network.Up("n3"); // the last holder of the items answers again (a restart, or the partition heals)
        var queue = await _rig.LeadAsync("n2", 3);
        await AssertHoldsEveryAcknowledgedItemAsync(queue, "n2");

        // The new leader copied the queue back to n1, which counts again: without n3 the next leader serves everything.
        Assert.False(_rig.Replicas["n1"].IsBehind);
        await AssertHoldsEveryAcknowledgedItemAsync(_rig.Stores["n1"], "n1");
        _rig.Network.Down("n3");
        await AssertHoldsEveryAcknowledgedItemAsync(await _rig.LeadAsync("n2", 4), "n2 at epoch 4");
    }

    [Fact]
    public async Task RestoredVoter_StaysBehindAcrossRestarts_EvenAfterNewPushesRaiseItsVersionClock()
    {
        var leader = await AcknowledgeWhileN2IsAway_ThenRestoreN1Async();
        await leader.AddWorkAsync(Work("later")); // n1 acknowledges it: its file's clock is now above the old position

        await _rig.OpenAsync("n1"); // restart
        _rig.Network.Down("n3");

        Assert.False(await _rig.Queues["n2"].ActivateAsync(2, CancellationToken.None));
        Assert.True(_rig.Replicas["n1"].IsBehind);
        Assert.NotNull(await _rig.Stores["n1"].GetWorkAsync("later")); // its new acknowledgements are real
    }

    [Fact]
    public async Task RestoredVoter_BesideACurrentMajority_IsCaughtUpByTheNewLeader()
    {
        await AcknowledgeWhileN2IsAway_ThenRestoreN1Async();

        // n1 behind, n2 and n3 current: n2 takes over with n3 in its majority.
        var queue = await _rig.LeadAsync("n2", 2);

        await AssertHoldsEveryAcknowledgedItemAsync(queue, "n2");
        Assert.False(_rig.Replicas["n1"].IsBehind);
        await AssertHoldsEveryAcknowledgedItemAsync(_rig.Stores["n1"], "n1");
        await _rig.OpenAsync("n1"); // and a restart keeps it whole: the next sync finds it current
        await _rig.LeadAsync("n2", 3);
        Assert.False(_rig.Replicas["n1"].IsBehind);
    }

    [Fact]
    public async Task LeaderItselfRestored_AllVotersAnswer_OnlyOneCurrent_ServesWhatExists_AndIsWholeAgain()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        await leader.AddWorkAsync(Work("old"));
        var n1Backup = await _rig.BackUpQueueAsync("n1");
        var n2Backup = await _rig.BackUpQueueAsync("n2");
        foreach (var id in Acked) await leader.AddWorkAsync(Work(id));
        Assert.True(await leader.ClaimWorkAsync("old", "gpu-1"));
        await leader.CompleteWorkAsync("old", null, "gpu-1");
        await _rig.RestoreQueueAsync("n1", n1Backup);
        await _rig.RestoreQueueAsync("n2", n2Backup);

        // n2 (behind) takes over; only n3 is current, but every voter answered, so there is nothing to wait for.
        var queue = await _rig.LeadAsync("n2", 2);

        await AssertHoldsEveryAcknowledgedItemAsync(queue, "n2");
        Assert.False(_rig.Replicas["n2"].IsBehind); // the leader's own merge made it whole
        Assert.False(_rig.Replicas["n1"].IsBehind); // and it copied the queue back to n1
        await AssertHoldsEveryAcknowledgedItemAsync(_rig.Stores["n1"], "n1");
    }
}
