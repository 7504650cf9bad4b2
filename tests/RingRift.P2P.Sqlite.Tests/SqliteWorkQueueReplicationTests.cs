using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>
/// The <see cref="IReplicaWorkStore"/> version rules: versions rise on every change, are floored at
/// epoch &lt;&lt; 40, and a replica keeps only the highest version of each item.
/// </summary>
public sealed class SqliteWorkQueueReplicationTests : IAsyncLifetime
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteWorkQueue _store = null!;

    public async Task InitializeAsync() => _store = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _temp.Dispose();
    }

    private static WorkItem Replicated(string id, long version, WorkStatus status = WorkStatus.Pending, string? claimedBy = null) => new()
    {
        WorkId = id,
        WorkType = JobType.Training,
        Priority = 70,
        Config = new JsonObject { ["board_type"] = "hex8" },
        Status = status,
        ClaimedBy = claimedBy,
        Attempts = claimedBy is null ? 0 : 1,
        CreatedAt = 1_700_000_000.5,
        ClaimedAt = claimedBy is null ? null : 1_700_000_010.25,
        Version = version,
    };

    [Fact]
    public async Task FirstChanges_WithEpochZero_AreNumberedFromOne()
    {
        var added = await _store.AddWorkAsync(new NewWork { WorkId = "a", WorkType = JobType.Selfplay });
        await _store.ClaimWorkAsync("a", "n1");

        Assert.Equal(1, added.Version);
        Assert.Equal(2, (await _store.GetWorkAsync("a"))!.Version);
    }

    [Fact]
    public async Task ApplyReplicated_NewItems_AreStoredExactly_AndCounted()
    {
        var items = new[] { Replicated("r1", 5), Replicated("r2", 9, WorkStatus.Claimed, "n7") };

        var stored = await _store.ApplyReplicatedAsync(items);

        Assert.Equal(2, stored);
        var r2 = await _store.GetWorkAsync("r2");
        Assert.Equal(9, r2!.Version);
        Assert.Equal(WorkStatus.Claimed, r2.Status);
        Assert.Equal("n7", r2.ClaimedBy);
        Assert.Equal(1_700_000_010.25, r2.ClaimedAt);
        Assert.Equal("hex8", (string)r2.Config["board_type"]!);
    }

    [Fact]
    public async Task ApplyReplicated_OlderOrEqualVersion_IsIgnored()
    {
        await _store.ApplyReplicatedAsync([Replicated("r", 10, WorkStatus.Claimed, "n1")]);

        var stored = await _store.ApplyReplicatedAsync([Replicated("r", 10), Replicated("r", 9)]);

        Assert.Equal(0, stored);
        var item = await _store.GetWorkAsync("r");
        Assert.Equal(WorkStatus.Claimed, item!.Status);
        Assert.Equal(10, item.Version);
    }

    [Fact]
    public async Task ApplyReplicated_NewerVersion_Overwrites()
    {
        await _store.ApplyReplicatedAsync([Replicated("r", 10)]);

        var stored = await _store.ApplyReplicatedAsync([Replicated("r", 11, WorkStatus.Claimed, "n2")]);

        Assert.Equal(1, stored);
        var item = await _store.GetWorkAsync("r");
        Assert.Equal("n2", item!.ClaimedBy);
        Assert.Equal(11, item.Version);
    }

    [Fact]
    public async Task LocalChange_AfterApply_GetsAVersionAboveEveryAppliedOne()
    {
        await _store.AddWorkAsync(new NewWork { WorkId = "local", WorkType = JobType.Selfplay }); // version 1
        await _store.ApplyReplicatedAsync([Replicated("r", 1_000)]);

        var added = await _store.AddWorkAsync(new NewWork { WorkId = "local2", WorkType = JobType.Selfplay });
        await _store.ClaimWorkAsync("local", "n1");

        Assert.Equal(1_001, added.Version);
        Assert.Equal(1_002, (await _store.GetWorkAsync("local"))!.Version);
    }

    [Fact]
    public async Task SetEpoch_FloorsTheNextVersionAtEpochShiftedLeft40()
    {
        await _store.AddWorkAsync(new NewWork { WorkId = "a", WorkType = JobType.Selfplay }); // version 1

        _store.SetEpoch(3);
        var claimed = await _store.ClaimNextAsync("n1", null);
        var added = await _store.AddWorkAsync(new NewWork { WorkId = "b", WorkType = JobType.Selfplay });

        Assert.Equal(3L << 40, claimed!.Version);
        Assert.Equal((3L << 40) + 1, added.Version);
    }

    [Fact]
    public async Task SetEpoch_Lower_NeverMakesVersionsGoBack()
    {
        _store.SetEpoch(5);
        await _store.AddWorkAsync(new NewWork { WorkId = "a", WorkType = JobType.Selfplay });

        _store.SetEpoch(2);
        var next = await _store.AddWorkAsync(new NewWork { WorkId = "b", WorkType = JobType.Selfplay });

        Assert.Equal((5L << 40) + 1, next.Version);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(SqliteWorkQueue.MaxEpoch + 1)]
    public void SetEpoch_OutOfRange_Throws(long epoch)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _store.SetEpoch(epoch));
        Assert.Equal("epoch", error.ParamName);
    }

    [Fact]
    public void ReplicaFence_AdmitsExactlyTheEpochsTheStoreCanStamp()
    {
        // A replica refuses a fence the store could not stamp versions under (WorkReplica, HTTP 400).
        Assert.Equal(SqliteWorkQueue.MaxEpoch, ReplicaFence.MaxEpoch);
        _store.SetEpoch(ReplicaFence.MaxEpoch);
    }

    [Fact]
    public async Task Export_ThenApplyToAFreshStore_ReproducesEveryItem_AndIsIdempotent()
    {
        await _store.AddWorkAsync(new NewWork { WorkId = "p", WorkType = JobType.Sync, Config = new JsonObject { ["x"] = 1 } });
        await _store.AddWorkAsync(new NewWork { WorkId = "c", WorkType = JobType.Training });
        await _store.ClaimWorkAsync("c", "n1");
        await _store.CompleteWorkAsync("c", new JsonObject { ["loss"] = 0.25 });
        await _store.AddWorkAsync(new NewWork { WorkId = "x", WorkType = JobType.Evaluation });
        await _store.CancelWorkAsync("x");
        var exported = await _store.ExportAsync();

        await using var replica = await SqliteWorkQueue.OpenAsync(Path.Combine(_temp.Directory, "replica", "q.db"), _time);
        var firstApply = await replica.ApplyReplicatedAsync(exported);
        var secondApply = await replica.ApplyReplicatedAsync(exported);

        Assert.Equal(3, exported.Count);
        Assert.Equal(3, firstApply);
        Assert.Equal(0, secondApply);
        var copy = await replica.ExportAsync();
        Assert.Equal(exported.Select(Describe), copy.Select(Describe));
    }

    [Fact]
    public async Task ApplyReplicated_InvalidItem_ThrowsNamingIndex_AndStoresNothing()
    {
        var items = new[] { Replicated("ok", 3), Replicated("", 4) };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _store.ApplyReplicatedAsync(items));

        Assert.Contains("items[1]", error.Message);
        Assert.Null(await _store.GetWorkAsync("ok"));
    }

    private static string Describe(WorkItem i) =>
        $"{i.WorkId}|{i.WorkType}|{i.Status}|{i.Version}|{i.Attempts}|{i.ClaimedBy}|{i.CreatedAt}|{i.CompletedAt}|{i.Config.ToJsonString()}|{i.Result?.ToJsonString()}";
}
