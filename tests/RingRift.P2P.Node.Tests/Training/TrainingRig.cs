using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Notifications;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Tests.Training;

/// <summary>Collects published events in memory.</summary>
public sealed class EventList : IClusterEventPublisher
{
    private readonly ConcurrentQueue<(string Name, JsonObject Payload)> _events = new();

    public void Publish(string eventName, JsonObject payload) => _events.Enqueue((eventName, payload));

    public IReadOnlyList<(string Name, JsonObject Payload)> All => _events.ToArray();

    public IReadOnlyList<JsonObject> Named(string name) => _events.Where(e => e.Name == name).Select(e => e.Payload).ToArray();
}

/// <summary>A real SQLite queue in a temp folder on a fake clock, plus helpers that play the workers' part.</summary>
public sealed class TrainingRig : IAsyncDisposable
{
    public static readonly TrainingThresholds Thresholds = new() { MinGames = 100, MinGamesWhenStale = 10, StalenessHours = 24, MinHoursBetweenTraining = 1 };


    private TrainingRig(SqliteWorkQueue queue, FakeTimeProvider time)
    {
        Queue = queue;
        Time = time;
    }

    public SqliteWorkQueue Queue { get; }
    public FakeTimeProvider Time { get; }

    public static async Task<TrainingRig> CreateAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        var dir = Path.Combine(Path.GetTempPath(), "rr-training-" + Guid.NewGuid().ToString("N"));
        var queue = await SqliteWorkQueue.OpenAsync(Path.Combine(dir, "queue.db"), time);
        return new TrainingRig(queue, time);
    }

    public TrainingLoop Loop(EventList events, Func<bool>? isLeader = null, TrainingOptions? options = null) =>
        new(Queue, isLeader ?? (() => true), TimeSpan.FromSeconds(15), Thresholds, options, events, Time);

    /// <summary>Adds a self-play item and completes it with <paramref name="games"/> games.</summary>
    public async Task PlayAsync(string id, int games, string board = "hex8", int players = 2)
    {
        await Queue.AddWorkAsync(new NewWork
        {
            WorkId = id,
            WorkType = JobType.Selfplay,
            Config = new JsonObject { ["board_type"] = board, ["num_players"] = players, ["games"] = games },
        });
        await FinishAsync(id, new JsonObject { ["games_completed"] = games, ["games_file"] = $"games/{board}_{players}p/{id}.jsonl" });
    }

    /// <summary>Claims <paramref name="id"/> for a worker, lets a minute pass and completes it with <paramref name="result"/>.</summary>
    public async Task FinishAsync(string id, JsonObject result, string node = "gpu-1")
    {
        Assert.True(await Queue.ClaimWorkAsync(id, node));
        await Queue.StartWorkAsync(id, node);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Queue.CompleteWorkAsync(id, result, node);
        Time.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>Claims <paramref name="id"/> and fails it for good (max_attempts 1 items) or once.</summary>
    public async Task FailAsync(string id, string error, string node = "gpu-1")
    {
        Assert.True(await Queue.ClaimWorkAsync(id, node));
        await Queue.FailWorkAsync(id, error, node);
    }

    public async Task<WorkItem> GetAsync(string id) => await Queue.GetWorkAsync(id) ?? throw new Xunit.Sdk.XunitException($"{id} is not in the queue");

    public async Task<IReadOnlyList<string>> IdsAsync(JobType type) =>
        (await Queue.ListWorkAsync(null, 10_000)).Where(w => w.WorkType == type).Select(w => w.WorkId).Order(StringComparer.Ordinal).ToArray();

    public async ValueTask DisposeAsync()
    {
        var dir = Path.GetDirectoryName(Queue.DatabasePath)!;
        await Queue.DisposeAsync();
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
