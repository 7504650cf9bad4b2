using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Loops;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.WorkQueue;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Dashboard;

public sealed class QueueHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rr-history-" + Guid.NewGuid().ToString("N"));
    private readonly QueueStatsCache _stats = new();
    private SqliteWorkQueue _queue = null!;

    public async Task InitializeAsync() => _queue = await SqliteWorkQueue.OpenAsync(Path.Combine(_dir, "queue.db"), _time);

    public async Task DisposeAsync()
    {
        await _queue.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static QueueSample Sample(double time) => new(time, 0, 0, 0, 0, 0, 0, null);

    private QueueHistoryLoop Loop(QueueHistory history, bool serving = true) =>
        new(_stats, () => serving ? _queue : null, history, _time, new LoopRegistry(_time), NullLogger<QueueHistoryLoop>.Instance);

    [Fact]
    public void History_KeepsTheNewestCapacitySamples_OldestFirst()
    {
        var history = new QueueHistory(3);
        for (var t = 1; t <= 5; t++) history.Add(Sample(t));

        Assert.Equal(3, history.Count);
        Assert.Equal([3.0, 4.0, 5.0], history.Since(0).Select(s => s.Time));
        Assert.Equal([4.0, 5.0], history.Since(4).Select(s => s.Time));
        Assert.Empty(history.Since(6));
    }

    [Fact]
    public void TheNodesHistory_HoldsAnHourOfFiveSecondSamples()
    {
        Assert.Equal(720, QueueHistoryLoop.Capacity);
    }

    [Fact]
    public async Task Sample_OnTheServingNode_IsReadFromTheQueue_ByStatusAndByType()
    {
        _stats.Set(new QueueStats { Pending = 70, IsReady = false }); // the cache is not used while serving
        await AddAsync("a", JobType.Selfplay);
        await AddAsync("b", JobType.Selfplay);
        await AddAsync("c", JobType.Training);
        await _queue.ClaimWorkAsync("c", "node-2");
        await AddAsync("d", JobType.Training);
        await _queue.ClaimWorkAsync("d", "node-2");
        await _queue.StartWorkAsync("d");
        await AddAsync("e", JobType.Evaluation);
        await _queue.CancelWorkAsync("e"); // finished: not counted by type

        var sample = (await Loop(new QueueHistory(10)).SampleAsync(default))!;

        Assert.Equal(Start.ToUnixTimeSeconds(), sample.Time);
        Assert.Equal((2, 1, 1, 0, 0, 1), (sample.Pending, sample.Claimed, sample.Running, sample.Completed, sample.Failed, sample.Cancelled));
        Assert.Equal(2, sample.ByType!.Count);
        Assert.Equal(new TypeCounts(2, 0, 0), sample.ByType["selfplay"]);
        Assert.Equal(new TypeCounts(0, 1, 1), sample.ByType["training"]);
        Assert.False(sample.ByTypeTruncated);
    }

    [Fact]
    public async Task Sample_OnANodeThatDoesNotServeTheQueue_HasTheCachedCounts_AndNoneByType()
    {
        _stats.Set(new QueueStats { Pending = 7, Claimed = 1, Running = 2, Completed = 30, Failed = 4, Cancelled = 5, IsReady = true });
        await AddAsync("a", JobType.Selfplay);

        var sample = (await Loop(new QueueHistory(10), serving: false).SampleAsync(default))!;

        Assert.Equal((7, 1, 2, 30, 4, 5), (sample.Pending, sample.Claimed, sample.Running, sample.Completed, sample.Failed, sample.Cancelled));
        Assert.Null(sample.ByType);
    }

    [Fact]
    public async Task NoSample_IsTakenByANodeThatKnowsNoLeader()
    {
        _stats.Set(new QueueStats { Pending = 3, IsReady = false });

        Assert.Null(await Loop(new QueueHistory(10), serving: false).SampleAsync(default));
    }

    [Fact]
    public async Task TypesPastTheLimit_AreAddedUpUnderOther()
    {
        for (var i = 0; i < QueueHistoryLoop.MaxTypes + 3; i++)
        {
            // type_00 has the most items, so the three with one item each and the last names are folded.
            var type = JobType.Parse($"type_{i:00}");
            for (var n = 0; n < (i == 0 ? 3 : 1); n++) await AddAsync($"w{i}-{n}", type);
        }

        var byType = (await Loop(new QueueHistory(10)).SampleAsync(default))!.ByType!;

        Assert.Equal(QueueHistoryLoop.MaxTypes + 1, byType.Count);
        Assert.Equal(new TypeCounts(3, 0, 0), byType["type_00"]);
        Assert.Equal(new TypeCounts(3, 0, 0), byType[QueueHistoryLoop.OtherTypes]);
        Assert.Equal(QueueHistoryLoop.MaxTypes + 3 + 2, byType.Values.Sum(c => c.Pending));
    }

    [Fact]
    public async Task TheLoop_SamplesEveryFiveSeconds_OnItsClock()
    {
        _stats.Set(new QueueStats { Pending = 1, IsReady = true });
        var history = new QueueHistory(10);
        var loop = Loop(history, serving: false);
        await loop.StartAsync(default);
        try
        {
            await Eventually.Until(() => history.Count == 1, "the first sample, taken at start");
            _stats.Set(new QueueStats { Pending = 2, IsReady = true });
            _time.Advance(TimeSpan.FromSeconds(4));
            _time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.Until(() => history.Count == 2, "the second sample, five seconds later");
            _time.Advance(QueueHistoryLoop.Interval);
            await Eventually.Until(() => history.Count == 3, "the third sample");

            var samples = history.Since(0);
            var start = Start.ToUnixTimeSeconds();
            Assert.Equal([start, start + 5.0, start + 10.0], samples.Select(s => s.Time));
            Assert.Equal([1, 2, 2], samples.Select(s => s.Pending));
        }
        finally
        {
            await loop.StopAsync(default);
        }
    }

    private Task<WorkItem> AddAsync(string id, JobType type) => _queue.AddWorkAsync(new NewWork { WorkId = id, WorkType = type });
}
