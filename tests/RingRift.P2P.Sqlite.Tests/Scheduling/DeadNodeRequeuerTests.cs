using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Testing.Election;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests.Scheduling;

/// <summary>
/// <see cref="DeadNodeRequeuer"/> against a real <see cref="SqliteWorkQueue"/> and a hand-set
/// membership view (issue 5: "when membership declares a node dead, its claimed and running work
/// is requeued at once").
/// </summary>
public sealed class DeadNodeRequeuerTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DepartedGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly StaticMembershipView _membership = new("leader", "alive");
    private readonly HashSet<string> _declaredDead = new(StringComparer.Ordinal);
    private readonly HashSet<string> _left = new(StringComparer.Ordinal);
    private readonly List<NodeDeclaredDead> _events = [];
    private SqliteWorkQueue _queue = null!;
    private DeadNodeRequeuer _requeuer = null!;

    public async Task InitializeAsync()
    {
        _queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        _requeuer = NewRequeuer(_queue);
    }

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        _temp.Dispose();
    }

    private DeadNodeRequeuer NewRequeuer(IWorkQueue queue)
    {
        var requeuer = new DeadNodeRequeuer(queue, _membership, _declaredDead.Contains, _time,
            new DeadNodeRequeuerOptions { Grace = Grace, DepartedGrace = DepartedGrace }, hasLeft: _left.Contains);
        requeuer.NodeDeclaredDead += _events.Add;
        return requeuer;
    }

    private async Task ClaimAsync(string workId, string nodeId, bool start = false, int maxAttempts = 3)
    {
        await _queue.AddWorkAsync(new NewWork { WorkId = workId, WorkType = JobType.Selfplay, MaxAttempts = maxAttempts });
        Assert.True(await _queue.ClaimWorkAsync(workId, nodeId));
        if (start) await _queue.StartWorkAsync(workId, nodeId);
    }

    private async Task<WorkItem> GetAsync(string workId) => (await _queue.GetWorkAsync(workId))!;

    [Fact]
    public async Task DeclaredDeadNode_ItsClaimedAndRunningWork_IsRequeuedAtTheFirstTick()
    {
        await ClaimAsync("claimed", "victim");
        await ClaimAsync("running", "victim", start: true);
        _declaredDead.Add("victim");

        var tick = await _requeuer.TickAsync(isLeader: true); // no grace needed: membership declared it

        Assert.Equal((2, 0, false), (tick.Requeued, tick.Deferred, tick.GraceOver));
        foreach (var id in new[] { "claimed", "running" })
        {
            var item = await GetAsync(id);
            Assert.Equal((WorkStatus.Pending, (string?)null), (item.Status, item.ClaimedBy));
            Assert.Equal("node_offline: victim declared dead by membership", item.Error);
        }
        var dead = Assert.Single(_events);
        Assert.Equal(("victim", DeadNodeCause.DeclaredDead), (dead.NodeId, dead.Cause));
        Assert.Equal(["claimed", "running"], dead.RequeuedWorkIds);
        Assert.Empty(dead.FailedWorkIds);
    }

    [Fact]
    public async Task NodeNotSeenAlive_IsRequeuedOnlyOnceTheLeaderHasLedForTheGrace()
    {
        await ClaimAsync("w", "stranger"); // unknown to membership, never declared dead

        var first = await _requeuer.TickAsync(true); // leadership clock starts here
        _time.Advance(Grace - Tick);
        var justBefore = await _requeuer.TickAsync(true);

        Assert.Equal((0, 1), (first.Requeued, first.Deferred));
        Assert.Equal((0, 1, false), (justBefore.Requeued, justBefore.Deferred, justBefore.GraceOver));
        Assert.Equal(WorkStatus.Claimed, (await GetAsync("w")).Status);
        Assert.Empty(_events);

        _time.Advance(Tick);
        var atGrace = await _requeuer.TickAsync(true);

        Assert.Equal((1, 0, true), (atGrace.Requeued, atGrace.Deferred, atGrace.GraceOver));
        Assert.Equal(WorkStatus.Pending, (await GetAsync("w")).Status);
        Assert.Equal(DeadNodeCause.NotSeenAfterGrace, Assert.Single(_events).Cause);
        Assert.StartsWith("node_offline: stranger ", (await GetAsync("w")).Error);
    }

    [Fact]
    public async Task NodeThatLeftOnPurpose_KeepsItsWorkForTheDepartedGrace_ThenItIsRequeued()
    {
        await ClaimAsync("running", "stopping", start: true);
        await _requeuer.TickAsync(true);
        _time.Advance(Grace * 2); // this leader's own grace is long over: only the departed grace counts
        _left.Add("stopping");    // its goodbye (a restart may follow: its jobs keep running)

        var first = await _requeuer.TickAsync(true); // the departed clock starts here
        _time.Advance(DepartedGrace - Tick);
        var justBefore = await _requeuer.TickAsync(true);

        Assert.Equal((0, 1), (first.Requeued, first.Deferred));
        Assert.Equal((0, 1), (justBefore.Requeued, justBefore.Deferred));
        Assert.Equal(WorkStatus.Running, (await GetAsync("running")).Status);
        Assert.Empty(_events);

        _time.Advance(Tick);
        var atGrace = await _requeuer.TickAsync(true);

        Assert.Equal((1, 0), (atGrace.Requeued, atGrace.Deferred));
        var item = await GetAsync("running");
        Assert.Equal((WorkStatus.Pending, "node_offline: stopping left and was not back within 20 s"), (item.Status, item.Error));
        Assert.Equal(("stopping", DeadNodeCause.LeftNotBack), (Assert.Single(_events).NodeId, _events[0].Cause));
    }

    [Fact]
    public async Task NodeThatLeftAndCameBack_KeepsItsWork_AndLeavingAgainStartsANewGrace()
    {
        await ClaimAsync("running", "restarting", start: true);
        _left.Add("restarting");
        await _requeuer.TickAsync(true);
        _time.Advance(DepartedGrace - Tick);
        _left.Remove("restarting"); // restarted: alive again, its runner reattached to the job
        _membership.MarkAlive("restarting");

        var back = await _requeuer.TickAsync(true);
        _time.Advance(DepartedGrace);
        var later = await _requeuer.TickAsync(true);

        Assert.Equal((0, 0), (back.Requeued, back.Deferred));
        Assert.Equal((0, 0), (later.Requeued, later.Deferred));
        Assert.Equal((WorkStatus.Running, "restarting"), ((await GetAsync("running")).Status, (await GetAsync("running")).ClaimedBy));

        _membership.MarkDead("restarting"); // stops again
        _left.Add("restarting");
        await _requeuer.TickAsync(true);
        _time.Advance(DepartedGrace - Tick);
        var beforeNewGrace = await _requeuer.TickAsync(true); // a fresh grace, not what was left of the first one
        _time.Advance(Tick);
        var atNewGrace = await _requeuer.TickAsync(true);

        Assert.Equal((0, 1), (beforeNewGrace.Requeued, beforeNewGrace.Deferred));
        Assert.Equal(1, atNewGrace.Requeued);
    }

    [Fact]
    public async Task LosingLeadership_RestartsTheGrace()
    {
        await ClaimAsync("w", "stranger");
        await _requeuer.TickAsync(true);
        _time.Advance(Grace - Tick);
        await _requeuer.TickAsync(false); // stepped down
        _time.Advance(Tick);

        var again = await _requeuer.TickAsync(true); // leads again: a new grace starts now

        Assert.Equal((0, 1), (again.Requeued, again.Deferred));
        _time.Advance(Grace);
        Assert.Equal(1, (await _requeuer.TickAsync(true)).Requeued);
    }

    [Fact]
    public async Task NotLeader_DoesNothing()
    {
        await ClaimAsync("w", "victim");
        _declaredDead.Add("victim");

        var tick = await _requeuer.TickAsync(false);

        Assert.False(tick.Leading);
        Assert.Equal(WorkStatus.Claimed, (await GetAsync("w")).Status);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task ExternalWorker_NotAClusterNode_KeepsItsWork_UntilTheItemTimeout()
    {
        var requeuer = new DeadNodeRequeuer(_queue, _membership, _declaredDead.Contains, _time, new DeadNodeRequeuerOptions { Grace = Grace },
            isClusterNode: id => id != "python-worker-7");
        await ClaimAsync("ext", "python-worker-7", start: true);
        await ClaimAsync("gone", "never-heard");
        await requeuer.TickAsync(true);
        _time.Advance(Grace * 4);

        var tick = await requeuer.TickAsync(true);

        Assert.Equal((1, 1), (tick.External, tick.Requeued));
        Assert.Equal((WorkStatus.Running, "python-worker-7"), ((await GetAsync("ext")).Status, (await GetAsync("ext")).ClaimedBy));
        Assert.Equal(WorkStatus.Pending, (await GetAsync("gone")).Status);
    }

    [Fact]
    public async Task AliveNode_KeepsItsWork_EvenAfterTheGrace()
    {
        await ClaimAsync("w", "alive", start: true);
        await _requeuer.TickAsync(true);
        _time.Advance(Grace * 4);

        var tick = await _requeuer.TickAsync(true);

        Assert.Equal((0, 0), (tick.Requeued, tick.Deferred));
        Assert.Equal((WorkStatus.Running, "alive"), ((await GetAsync("w")).Status, (await GetAsync("w")).ClaimedBy));
    }

    [Fact]
    public async Task TheLeadersOwnWork_IsNeverRequeued()
    {
        await ClaimAsync("mine", "leader", start: true);
        _declaredDead.Add("leader"); // even if something says so
        await _requeuer.TickAsync(true);
        _time.Advance(Grace);

        var tick = await _requeuer.TickAsync(true);

        Assert.Equal((0, 0), (tick.Requeued, tick.Deferred));
        Assert.Equal(WorkStatus.Running, (await GetAsync("mine")).Status);
    }

    [Fact]
    public async Task AttemptsUsedUp_TheItemFails_AndTheEventSaysSo()
    {
        await ClaimAsync("last-try", "victim", maxAttempts: 1);
        await ClaimAsync("again", "victim", maxAttempts: 2);
        _declaredDead.Add("victim");

        var tick = await _requeuer.TickAsync(true);

        Assert.Equal((1, 1), (tick.Requeued, tick.Failed));
        Assert.Equal(WorkStatus.Failed, (await GetAsync("last-try")).Status);
        Assert.Equal(WorkStatus.Pending, (await GetAsync("again")).Status);
        var dead = Assert.Single(_events);
        Assert.Equal(["again"], dead.RequeuedWorkIds);
        Assert.Equal(["last-try"], dead.FailedWorkIds);
    }

    [Fact]
    public async Task RequeuedWork_IsNotRequeuedTwice()
    {
        await ClaimAsync("w", "victim");
        _declaredDead.Add("victim");

        await _requeuer.TickAsync(true);
        var second = await _requeuer.TickAsync(true);

        Assert.Equal(0, second.Requeued);
        Assert.Equal(1, (await GetAsync("w")).Attempts); // one claim, not reclaimed or failed again
        Assert.Single(_events);
    }

    [Fact]
    public async Task AnItemCompletedBeforeTheFailLands_IsLeftCompleted()
    {
        await ClaimAsync("w", "victim", start: true);
        _declaredDead.Add("victim");
        var racing = new InterceptingWorkQueue(_queue)
        {
            BeforeFail = async (workId, nodeId) => await _queue.CompleteWorkAsync(workId, null, nodeId),
        };

        var tick = await NewRequeuer(racing).TickAsync(true);

        Assert.Equal((0, 1), (tick.Requeued, tick.Raced));
        Assert.Equal(WorkStatus.Completed, (await GetAsync("w")).Status);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task AHandlerThatThrows_DoesNotStopTheTickOrOtherHandlers()
    {
        await ClaimAsync("w", "victim");
        _declaredDead.Add("victim");
        _requeuer.NodeDeclaredDead += _ => throw new InvalidOperationException("webhook down");
        var later = 0;
        _requeuer.NodeDeclaredDead += _ => later++;

        var tick = await _requeuer.TickAsync(true);

        Assert.Equal((1, 1, 1), (tick.Requeued, tick.NotifyErrors, later));
        Assert.Same(tick, _requeuer.LastTick);
    }
}
