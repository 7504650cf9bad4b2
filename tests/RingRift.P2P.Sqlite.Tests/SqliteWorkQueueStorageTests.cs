using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>The file itself: schema versioning, WAL, crash safety, indexes, lifetime.</summary>
public sealed class SqliteWorkQueueStorageTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Open_CreatesDirectory_WalJournal_AndCurrentSchemaVersion()
    {
        await using (var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time))
            Assert.Equal(Path.GetFullPath(_temp.QueuePath), queue.DatabasePath);

        using var raw = OpenRaw(_temp.QueuePath);
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode"));
        Assert.Equal((long)WorkQueueSchema.CurrentVersion, Scalar(raw, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Open_FileWithNewerSchema_ThrowsNamingBothVersions()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_temp.QueuePath)!);
        using (var raw = OpenRaw(_temp.QueuePath))
            Scalar(raw, "PRAGMA user_version = 99");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time));

        Assert.Contains("99", error.Message);
        Assert.Contains($"up to {WorkQueueSchema.CurrentVersion}", error.Message);
    }

    [Fact]
    public async Task AcknowledgedWrites_SurviveAProcessDeath_WithoutClose()
    {
        // Approximates kill -9: copy the files as they are on disk while the writer is still open
        // (no close, no checkpoint), then open the copy; SQLite recovers it from the -wal file.
        var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        for (var i = 0; i < 50; i++)
            await queue.AddWorkAsync(new NewWork { WorkId = $"w{i:D2}", WorkType = JobType.Selfplay });
        await queue.ClaimWorkAsync("w07", "n1");
        await queue.StartWorkAsync("w07", "n1");
        var before = await queue.ExportAsync();

        var crashed = Path.Combine(_temp.Directory, "crashed", "work_queue.db");
        Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
        File.Copy(_temp.QueuePath, crashed);
        File.Copy(_temp.QueuePath + "-wal", crashed + "-wal");

        await using var recovered = await SqliteWorkQueue.OpenAsync(crashed, _time);
        var after = await recovered.ExportAsync();

        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before.Select(i => (i.WorkId, i.Status, i.Version, i.ClaimedBy)), after.Select(i => (i.WorkId, i.Status, i.Version, i.ClaimedBy)));
        Assert.Equal(WorkStatus.Running, (await recovered.GetWorkAsync("w07"))!.Status);
        await queue.DisposeAsync();
    }

    [Fact]
    public async Task SecondInstance_SeesEveryWriteOfAnUnclosedFirstInstance()
    {
        var first = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        await first.AddWorkAsync(new NewWork { WorkId = "a", WorkType = JobType.Training });
        await first.ClaimWorkAsync("a", "n1");

        await using var second = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        var item = await second.GetWorkAsync("a");

        Assert.Equal(WorkStatus.Claimed, item!.Status);
        Assert.Equal("n1", item.ClaimedBy);
        await first.DisposeAsync();
    }

    [Theory]
    [InlineData(new string[0], "ix_work_items_pending")]
    [InlineData(new[] { "training" }, "ix_work_items_pending_type")]
    [InlineData(new[] { "training", "sync" }, "ix_work_items_pending_type")]
    [InlineData(new[] { "gauntlet" }, "ix_work_items_pending_type")]
    [InlineData(new[] { "selfplay", "gpu_cmaes" }, "ix_work_items_pending_type")]
    public async Task ClaimNextPick_ReadsThePendingIndexHead_WithoutSortingTheTable(string[] typeNames, string index)
    {
        await using (await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time)) { }
        var types = typeNames.Select(JobType.Parse).ToArray();
        using var raw = OpenRaw(_temp.QueuePath);
        using var explain = raw.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + WriterCommands.PickNextSql(types.Length == 0 ? null : types);
        var plan = ReadPlan(explain).Split('\n');

        var scans = plan.Where(p => p.Contains("work_items", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scans);
        Assert.All(scans, p => Assert.Contains(index, p));
        // Only the tiny outer compare of per-type heads may sort; never the table itself.
        var sorts = plan.Count(p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Equal(types.Length > 1 ? 1 : 0, sorts);
    }

    [Fact]
    public async Task TimeoutSweep_ReadsTheDeadlineIndex()
    {
        await using (await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time)) { }
        using var raw = OpenRaw(_temp.QueuePath);
        using var explain = raw.CreateCommand();
        explain.CommandText = $"EXPLAIN QUERY PLAN SELECT work_id FROM work_items WHERE status IN (1, 2) AND {WriterCommands.DeadlineSql} <= 5";

        var plan = ReadPlan(explain);

        Assert.Contains("ix_work_items_deadline", plan);
    }

    [Fact]
    public async Task StatusCountsAndVersionClock_MatchTheRows_AfterEveryKindOfWrite()
    {
        await using var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        for (var i = 0; i < 12; i++)
            await queue.AddWorkAsync(new NewWork { WorkId = $"w{i:D2}", WorkType = JobType.Selfplay, MaxAttempts = 1, TimeoutSeconds = 10 });
        for (var i = 0; i < 8; i++)
            await queue.ClaimNextAsync("n1", null);
        await queue.StartWorkAsync("w00");
        await queue.CompleteWorkAsync("w01", null);
        await queue.FailWorkAsync("w02", "x");
        await queue.CancelWorkAsync("w03");
        await queue.CancelWorkAsync("w11");
        await queue.ApplyReplicatedAsync([
            new WorkItem { WorkId = "w04", WorkType = JobType.Selfplay, Status = WorkStatus.Completed, Version = 500 },
            new WorkItem { WorkId = "w05", WorkType = JobType.Selfplay, Status = WorkStatus.Pending, Version = 1 }, // older: ignored
            new WorkItem { WorkId = "r1", WorkType = JobType.Sync, Status = WorkStatus.Running, ClaimedBy = "n2", ClaimedAt = 0, Version = 400 },
        ]);
        _time.Advance(TimeSpan.FromSeconds(10));
        await queue.RequeueTimedOutAsync();

        var stats = await queue.GetQueueStatsAsync();
        var items = await queue.ExportAsync();

        Assert.Equal(items.Count, stats.Total);
        Assert.Equal(items.Count(i => i.Status == WorkStatus.Pending), stats.Pending);
        Assert.Equal(items.Count(i => i.Status == WorkStatus.Claimed), stats.Claimed);
        Assert.Equal(items.Count(i => i.Status == WorkStatus.Running), stats.Running);
        Assert.Equal(items.Count(i => i.Status == WorkStatus.Completed), stats.Completed);
        Assert.Equal(items.Count(i => i.Status == WorkStatus.Failed), stats.Failed);
        Assert.Equal(items.Count(i => i.Status == WorkStatus.Cancelled), stats.Cancelled);
        Assert.Equal(2, stats.Completed);
        Assert.Equal(items.Max(i => i.Version) + 1, (await queue.AddWorkAsync(new NewWork { WorkType = JobType.Sync })).Version);
    }

    [Fact]
    public async Task QueueStats_OfLocalStore_ReportLeaderAndReady()
    {
        await using var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);

        var stats = await queue.GetQueueStatsAsync();

        Assert.True(stats.IsLeader);
        Assert.True(stats.IsReady);
        Assert.Null(stats.LeaderAddress);
        Assert.Equal(0, stats.Total);
    }

    [Fact]
    public async Task Types_that_are_not_built_in_are_stored_by_name_and_claimed_only_by_their_capability()
    {
        var gauntlet = JobType.Parse("gauntlet");
        await using (var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time))
        {
            await queue.AddWorkAsync(new NewWork { WorkId = "g", WorkType = gauntlet, Priority = 90 });
            await queue.AddWorkAsync(new NewWork { WorkId = "s", WorkType = JobType.Selfplay, Priority = 10 });
            Assert.Equal("s", (await queue.ClaimNextAsync("n1", [JobType.Selfplay, JobType.Training]))!.WorkId);
            Assert.Null(await queue.ClaimNextAsync("n1", JobTypes.All.ToArray()));
        }
        using (var raw = OpenRaw(_temp.QueuePath))
        using (var read = raw.CreateCommand())
        {
            read.CommandText = "SELECT work_type, typeof(work_type) FROM work_items ORDER BY work_id";
            using var rows = read.ExecuteReader();
            Assert.True(rows.Read());
            Assert.Equal(("gauntlet", "text"), (rows.GetString(0), rows.GetString(1)));
            Assert.True(rows.Read());
            Assert.Equal((0L, "integer"), (rows.GetInt64(0), rows.GetString(1))); // built-in types keep their numbers
        }
        await using (var reopened = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time))
        {
            Assert.Equal(gauntlet, (await reopened.GetWorkAsync("g"))!.WorkType);
            var claimed = await reopened.ClaimNextAsync("n2", [gauntlet, JobType.Parse("gpu_cmaes")]);
            Assert.Equal(("g", gauntlet), (claimed!.WorkId, claimed.WorkType));
        }
    }

    [Fact]
    public async Task Claim_WithEmptyNodeId_ThrowsNamingNodeId()
    {
        await using var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => queue.ClaimNextAsync("", null));

        Assert.Equal("nodeId", error.ParamName);
    }

    [Fact]
    public async Task Write_WithCancelledToken_IsNotMade()
    {
        await using var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        await queue.AddWorkAsync(new NewWork { WorkId = "w", WorkType = JobType.Selfplay });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ClaimNextAsync("n1", null, new CancellationToken(canceled: true)));

        Assert.Equal(WorkStatus.Pending, (await queue.GetWorkAsync("w"))!.Status);
    }

    [Fact]
    public async Task Dispose_CommitsWritesAlreadyQueued()
    {
        var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        var adds = Enumerable.Range(0, 20)
            .Select(i => queue.AddWorkAsync(new NewWork { WorkId = $"w{i:D2}", WorkType = JobType.Sync }))
            .ToArray();

        await queue.DisposeAsync();
        await Task.WhenAll(adds);

        await using var reopened = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        Assert.Equal(20, (await reopened.GetQueueStatsAsync()).Pending);
    }

    [Fact]
    public async Task DisposedQueue_RejectsReadsAndWrites()
    {
        var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        await queue.DisposeAsync();
        await queue.DisposeAsync(); // a second dispose is harmless

        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.AddWorkAsync(new NewWork { WorkType = JobType.Sync }));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.GetWorkAsync("a"));
    }

    [Fact]
    public async Task Open_BlankPath_ThrowsNamingIt()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SqliteWorkQueue.OpenAsync(" ", _time));
        Assert.Equal("databasePath", error.ParamName);
    }

    private static string ReadPlan(SqliteCommand explain)
    {
        var lines = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
            lines.Add(reader.GetString(3));
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task Cancelling_a_write_that_waits_for_the_write_lock_neither_throws_from_Cancel_nor_loses_the_queue()
    {
        await using var queue = await SqliteWorkQueue.OpenAsync(_temp.QueuePath, _time);
        using var raw = OpenRaw(_temp.QueuePath);
        Scalar(raw, "BEGIN IMMEDIATE"); // another connection holds the write lock: the write below waits for it
        using var cts = new CancellationTokenSource();
        var add = queue.AddWorkAsync(new NewWork { WorkId = "w1", WorkType = JobType.Selfplay }, cts.Token);

        // The cancellation callback runs inside Cancel(); it once cast its state to the wrong tuple type and threw here.
        var thrown = Record.Exception(cts.Cancel);
        Scalar(raw, "ROLLBACK");

        Assert.Null(thrown);
        try { await add; } catch (OperationCanceledException) { } // cancelled while queued, or already taken by the writer and done
        Assert.NotNull(await queue.AddWorkAsync(new NewWork { WorkId = "w2", WorkType = JobType.Selfplay }));
    }

    private static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
