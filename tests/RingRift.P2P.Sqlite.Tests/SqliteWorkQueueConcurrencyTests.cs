using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>
/// Several <see cref="SqliteWorkQueue"/> instances on one file: each has its own writer
/// connection, so these races go through SQLite's file lock and busy handling, not the in-process lock.
/// </summary>
public sealed class SqliteWorkQueueConcurrencyTests : IAsyncLifetime
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteWorkQueue _first = null!;
    private SqliteWorkQueue _second = null!;

    public async Task InitializeAsync()
    {
        _first = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        _second = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task TwoInstancesOnOneFile_RacingForOneItem_ExactlyOneWins()
    {
        const int rounds = 30, claimersPerInstance = 4;
        for (var round = 0; round < rounds; round++)
        {
            var id = $"race-{round}";
            await _first.AddWorkAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay });
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = new List<Task<(string Node, bool Won)>>();
            foreach (var (queue, name) in new[] { (_first, "a"), (_second, "b") })
            {
                for (var c = 0; c < claimersPerInstance; c++)
                {
                    var node = $"{name}{c}";
                    tasks.Add(Task.Run(async () =>
                    {
                        await gate.Task;
                        return (node, await queue.ClaimWorkAsync(id, node));
                    }));
                }
            }
            gate.SetResult();
            var results = await Task.WhenAll(tasks);

            var winner = Assert.Single(results, r => r.Won);
            var stored = await _second.GetWorkAsync(id);
            Assert.Equal(winner.Node, stored!.ClaimedBy);
            Assert.Equal(1, stored.Attempts);
        }
    }

    [Fact]
    public async Task TwoInstancesOnOneFile_ClaimingNext_ClaimEveryItemExactlyOnce()
    {
        const int items = 200;
        for (var i = 0; i < items; i++)
            await _first.AddWorkAsync(new NewWork { WorkId = $"item-{i:D3}", WorkType = JobTypes.All[i % 4], Priority = i % 5 * 20 });

        var claims = new ConcurrentBag<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new[] { _first, _second, _first, _second, _first, _second, _first, _second }
            .Select((queue, c) => Task.Run(async () =>
            {
                await gate.Task;
                while (await queue.ClaimNextAsync($"n{c}", null) is { } item)
                    claims.Add(item.WorkId);
            }))
            .ToArray();
        gate.SetResult();
        await Task.WhenAll(tasks);

        Assert.Equal(items, claims.Count);
        Assert.Equal(items, claims.Distinct().Count());
        Assert.Equal(items, (await _first.GetQueueStatsAsync()).Claimed);
    }

    [Fact]
    public async Task TwoInstancesOnOneFile_NeverReuseAVersion()
    {
        await _first.AddWorkAsync(new NewWork { WorkId = "a", WorkType = JobType.Selfplay });
        await _second.AddWorkAsync(new NewWork { WorkId = "b", WorkType = JobType.Selfplay });
        await _first.ClaimWorkAsync("b", "n1");
        await _second.ClaimWorkAsync("a", "n2");

        var versions = (await _first.ExportAsync()).Select(i => i.Version).ToList();

        Assert.Equal([3, 4], versions);
    }
}
