using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests.Scheduling;

/// <summary><see cref="Dispatcher"/> against a real <see cref="SqliteWorkQueue"/> (the core test project cannot reference SQLite).</summary>
public sealed class DispatcherTests : IAsyncLifetime
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteWorkQueue _queue = null!;

    public async Task InitializeAsync() => _queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        _temp.Dispose();
    }

    private static NodeSummary Node(string id, double power = 1.0, int gpuSlots = 2, int cpuSlots = 2, double load = 0.1) => new()
    {
        NodeId = id,
        GpuPower = power,
        GpuSlots = gpuSlots,
        CpuSlots = cpuSlots,
        Resources = new ResourceSnapshot(0, 0, 0, 0, load, false),
        Capabilities = [JobType.Selfplay, JobType.Training, JobType.Evaluation, JobType.Sync],
    };

    private Task AddAsync(string id, JobType type = default, int priority = 50) =>
        _queue.AddWorkAsync(new NewWork { WorkId = id, WorkType = type, Priority = priority });

    private static bool AllAlive(string _) => true;

    [Fact]
    public async Task Round_ClaimsEachPlannedItemForItsNode()
    {
        await AddAsync("train", JobType.Training, priority: 90);
        await AddAsync("sync", JobType.Sync);
        var dispatcher = new Dispatcher(time: _time);

        var round = await dispatcher.RunOnceAsync(_queue, [Node("slow", power: 0.5), Node("fast", power: 1.0, cpuSlots: 1), Node("roomy", power: 0.1, cpuSlots: 6)], AllAlive);

        Assert.Equal((2, 2, 0, 0), (round.Planned, round.Placed, round.LostRaces, round.ClaimErrors));
        var train = await _queue.GetWorkAsync("train");
        var sync = await _queue.GetWorkAsync("sync");
        Assert.Equal((WorkStatus.Claimed, "fast"), (train!.Status, train.ClaimedBy));
        Assert.Equal((WorkStatus.Claimed, "roomy"), (sync!.Status, sync.ClaimedBy));
        Assert.Same(round, dispatcher.LastRound);
        Assert.Equal(_time.GetUtcNow(), round.StartedAt);
    }

    [Fact]
    public async Task ClaimedAndRunningItems_FillTheirNodesSlots()
    {
        // "busy" has 2 GPU slots: one item claimed by it and one running on it leave none.
        for (var i = 0; i < 4; i++) await AddAsync($"w{i}");
        Assert.True(await _queue.ClaimWorkAsync("w0", "busy"));
        Assert.True(await _queue.ClaimWorkAsync("w1", "busy"));
        await _queue.StartWorkAsync("w1", "busy");

        var round = await new Dispatcher(time: _time).RunOnceAsync(_queue, [Node("busy", power: 1.2), Node("idle", power: 0.4)], AllAlive);

        Assert.Equal((2, 2), (round.PendingSeen, round.ActiveSeen));
        Assert.All(round.Committed, p => Assert.Equal("idle", p.NodeId));
        Assert.Equal(2, round.Placed);
    }

    [Fact]
    public async Task NodesThatAreNotAlive_GetNothing_AndTheReasonIsReported()
    {
        await AddAsync("w");

        var round = await new Dispatcher(time: _time).RunOnceAsync(_queue, [Node("gone")], id => id != "gone");

        Assert.Equal((0, 1, 0), (round.Placed, round.Nodes, round.NodesAlive));
        var group = Assert.Single(round.Unplaced);
        Assert.Equal((UnplacedReason.NoCapableNode, 1), (group.Reason, group.Count));
        Assert.Equal(WorkStatus.Pending, (await _queue.GetWorkAsync("w"))!.Status);
    }

    [Fact]
    public async Task LoadAtTheConfiguredMax_TakesNoWork()
    {
        await AddAsync("w");
        var dispatcher = new Dispatcher(new DispatcherOptions { LoadMaxForNewJobs = 0.5 }, _time);

        var round = await dispatcher.RunOnceAsync(_queue, [Node("n", load: 0.5)], AllAlive);

        Assert.Equal(UnplacedReason.AllOverloaded, Assert.Single(round.Unplaced).Reason);
    }

    [Fact]
    public async Task AClaimLostToAWorker_IsCountedAsALostRace_NotAnError()
    {
        await AddAsync("a", priority: 90);
        await AddAsync("b", priority: 10);
        var racing = new InterceptingWorkQueue(_queue)
        {
            BeforeClaim = async (workId, _) => { if (workId == "a") Assert.True(await _queue.ClaimWorkAsync("a", "puller")); },
        };

        var round = await new Dispatcher(time: _time).RunOnceAsync(racing, [Node("n")], AllAlive);

        Assert.Equal((2, 1, 1, 0), (round.Planned, round.Placed, round.LostRaces, round.ClaimErrors));
        Assert.Equal("puller", (await _queue.GetWorkAsync("a"))!.ClaimedBy);
        Assert.Equal("n", (await _queue.GetWorkAsync("b"))!.ClaimedBy);
        Assert.Equal("b", Assert.Single(round.Committed).WorkId);
    }

    [Fact]
    public async Task AClaimThatThrows_IsCounted_AndTheOthersStillCommit()
    {
        await AddAsync("a");
        await AddAsync("b");
        var failing = new InterceptingWorkQueue(_queue)
        {
            BeforeClaim = (workId, _) => workId == "a" ? throw new InvalidOperationException("not leader") : Task.CompletedTask,
        };

        var round = await new Dispatcher(time: _time).RunOnceAsync(failing, [Node("n")], AllAlive);

        Assert.Equal((1, 1), (round.Placed, round.ClaimErrors));
        Assert.Contains("not leader", round.FirstClaimError);
        Assert.Equal(WorkStatus.Pending, (await _queue.GetWorkAsync("a"))!.Status);
    }

    [Fact]
    public async Task ManyItems_AreAllClaimedOnce_WithClaimsInFlightBounded()
    {
        for (var i = 0; i < 300; i++) await AddAsync($"w{i:D3}");
        var inFlight = 0;
        var maxInFlight = 0;
        var bounded = new InterceptingWorkQueue(_queue)
        {
            BeforeClaim = async (_, _) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                await Task.Yield();
                Interlocked.Decrement(ref inFlight);
            },
        };
        var nodes = Enumerable.Range(0, 40).Select(i => Node($"n{i:D2}", gpuSlots: 8)).ToArray();

        var round = await new Dispatcher(new DispatcherOptions { MaxClaimsInFlight = 8 }, _time).RunOnceAsync(bounded, nodes, AllAlive);

        Assert.Equal(300, round.Placed);
        Assert.InRange(maxInFlight, 1, 8);
        var claimed = await _queue.ListWorkAsync(WorkStatus.Claimed, 1000);
        Assert.Equal(300, claimed.Count);
        Assert.All(claimed.GroupBy(i => i.ClaimedBy), g => Assert.True(g.Count() <= 8, $"{g.Key} got {g.Count()} items for 8 slots"));
    }

    [Fact]
    public async Task ASecondRound_PlacesOnlyWhatTheFirstLeftOver()
    {
        for (var i = 0; i < 5; i++) await AddAsync($"w{i}");
        var dispatcher = new Dispatcher(time: _time);

        var first = await dispatcher.RunOnceAsync(_queue, [Node("n", gpuSlots: 3)], AllAlive);
        var second = await dispatcher.RunOnceAsync(_queue, [Node("n", gpuSlots: 3)], AllAlive);

        Assert.Equal(3, first.Placed);
        Assert.Equal((0, 3), (second.Placed, second.ActiveSeen));
        Assert.Equal(UnplacedReason.NoFreeSlot, Assert.Single(second.Unplaced).Reason);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }
}
