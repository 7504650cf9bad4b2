using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>The SQLite queue's count of items per status and type (what the leader's work_items metric exports), built-in and named types alike.</summary>
public sealed class SqliteCountByStatusAndTypeTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Counts_every_item_once_under_its_status_and_type()
    {
        await using var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(55)));
        foreach (var (id, type) in new[] { ("s1", JobType.Selfplay), ("s2", JobType.Selfplay), ("g1", JobType.Parse("gauntlet")), ("t1", JobType.Training) })
            await queue.AddWorkAsync(new NewWork { WorkId = id, WorkType = type });
        Assert.True(await queue.ClaimWorkAsync("s2", "n1"));

        var counts = (await queue.CountByStatusAndTypeAsync()).OrderBy(c => c.WorkType).ThenBy(c => c.Status).ToList();

        Assert.Equal(
            [new WorkCount(WorkStatus.Pending, JobType.Selfplay, 1), new WorkCount(WorkStatus.Claimed, JobType.Selfplay, 1),
             new WorkCount(WorkStatus.Pending, JobType.Training, 1), new WorkCount(WorkStatus.Pending, JobType.Parse("gauntlet"), 1)],
            counts);
    }
}
