using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Tests.Coordination;

/// <summary>
/// The replication rules behind the leader's queue: acknowledged only on a majority, a new leader
/// sees every acknowledged change, a deposed leader is fenced off.
/// </summary>
public sealed class QuorumWorkQueueTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private QuorumRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuorumRig.StartAsync(_time);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static NewWork Work(string id, int priority = 50) => new() { WorkId = id, WorkType = JobType.Selfplay, Priority = priority };

    [Fact]
    public async Task Add_IsOnAMajorityOfVoters_BeforeItIsAcknowledged()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        _rig.Network.Down("n1");

        await leader.AddWorkAsync(Work("a"));

        Assert.NotNull(await _rig.Stores["n3"].GetWorkAsync("a"));
        Assert.NotNull(await _rig.Stores["n2"].GetWorkAsync("a"));
        Assert.Null(await _rig.Stores["n1"].GetWorkAsync("a"));
    }

    [Fact]
    public async Task WithoutAMajority_AChangeIsNotAcknowledged()
    {
        var leader = await _rig.LeadAsync("n3", 1);
        _rig.Network.Cut("n3", "n1");
        _rig.Network.Cut("n3", "n2");

        await Assert.ThrowsAsync<QuorumUnreachableException>(() => leader.AddWorkAsync(Work("a")));
    }

    [Fact]
    public async Task NewLeader_SeesEveryAcknowledgedChange_AndCannotHandOutAClaimedItemAgain()
    {
        var old = await _rig.LeadAsync("n3", 1);
        await old.AddWorkAsync(Work("a", 90));
        await old.AddWorkAsync(Work("b", 10));
        Assert.True(await old.ClaimWorkAsync("a", "gpu-1"));
        await old.StartWorkAsync("a", "gpu-1");

        _rig.Network.Down("n3"); // the old leader crashes
        var next = await _rig.LeadAsync("n2", 2);

        var a = await next.GetWorkAsync("a");
        Assert.Equal(WorkStatus.Running, a!.Status);
        Assert.Equal("gpu-1", a.ClaimedBy);
        Assert.False(await next.ClaimWorkAsync("a", "gpu-2"));
        var claimed = await next.ClaimNextAsync("gpu-2", null);
        Assert.Equal("b", claimed!.WorkId);
    }

    [Fact]
    public async Task Dependencies_WaitAndFail_TheSameWay_OnANewLeader()
    {
        var old = await _rig.LeadAsync("n3", 1);
        await old.AddWorkAsync(Work("train", 10) with { MaxAttempts = 1 });
        await old.AddWorkAsync(Work("eval", 90) with { DependsOn = WorkDependencies.Of(["train"]) });
        await old.AddWorkAsync(Work("data", 10));
        await old.AddWorkAsync(Work("merge", 90) with { DependsOn = WorkDependencies.Of(["data"]) });
        Assert.True(await old.ClaimWorkAsync("train", "gpu-1"));
        await old.FailWorkAsync("train", "out of memory", "gpu-1"); // eval fails with it, on a majority

        _rig.Network.Down("n3");
        var next = await _rig.LeadAsync("n2", 2);

        var eval = (await next.GetWorkAsync("eval"))!;
        Assert.Equal((WorkStatus.Failed, "dependency 'train' failed"), (eval.Status, eval.Error));
        Assert.Equal("data", (await next.ClaimNextAsync("gpu-2", null))!.WorkId); // merge still waits for data
        Assert.Null(await next.ClaimNextAsync("gpu-2", null));
        await next.CompleteWorkAsync("data", null, "gpu-2");
        Assert.Equal("merge", (await next.ClaimNextAsync("gpu-2", null))!.WorkId);
    }

    [Fact]
    public async Task DeposedLeader_IsFencedOff_ItsLateWritesAreRefused()
    {
        var old = await _rig.LeadAsync("n3", 1);
        await old.AddWorkAsync(Work("a"));
        _rig.Network.Cut("n3", "n1");
        _rig.Network.Cut("n3", "n2");
        _rig.Network.Cut("n2", "n3");

        await _rig.LeadAsync("n2", 2); // n1 and n2 are fenced at epoch 2
        _rig.Network.HealAll();

        // The old leader still believes it serves epoch 1: a replica refuses it and it stops serving.
        await Assert.ThrowsAsync<NotLeaderException>(() => old.ClaimWorkAsync("a", "gpu-9"));
        Assert.Null(old.ActiveEpoch);
        Assert.Equal(WorkStatus.Pending, (await _rig.Stores["n2"].GetWorkAsync("a"))!.Status);
    }

    [Fact]
    public async Task UnacknowledgedChange_OnACrashedLeader_DoesNotOutrankTheNewLeadersState()
    {
        var old = await _rig.LeadAsync("n3", 1);
        await old.AddWorkAsync(Work("a"));
        _rig.Network.Cut("n3", "n1");
        _rig.Network.Cut("n3", "n2");
        await Assert.ThrowsAsync<QuorumUnreachableException>(() => old.CancelWorkAsync("a")); // only on n3's disk
        _rig.Network.Down("n3");

        var next = await _rig.LeadAsync("n2", 2);
        Assert.Equal(WorkStatus.Pending, (await next.GetWorkAsync("a"))!.Status);
        next.Deactivate();

        // n3 comes back and leads again, reading n3 + n1: the state n2 re-stamped at epoch 2 wins
        // over n3's unacknowledged cancel from epoch 1.
        _rig.Network.HealAll();
        _rig.Network.Down("n2");
        var third = await _rig.LeadAsync("n3", 3);
        Assert.Equal(WorkStatus.Pending, (await third.GetWorkAsync("a"))!.Status);
    }

    [Fact]
    public async Task ServingNothing_BeforeActivation_RefusesWithNotLeader()
    {
        await Assert.ThrowsAsync<NotLeaderException>(() => _rig.Queues["n1"].AddWorkAsync(Work("a")));
    }

    [Fact]
    public async Task Activation_WithoutAMajority_Fails_AndDoesNotServe()
    {
        _rig.Network.Down("n1");
        _rig.Network.Down("n2");

        Assert.False(await _rig.Queues["n3"].ActivateAsync(1, CancellationToken.None));
        Assert.Null(_rig.Queues["n3"].ActiveEpoch);
    }
}
