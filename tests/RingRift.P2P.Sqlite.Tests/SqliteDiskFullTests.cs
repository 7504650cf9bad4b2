using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Storage;
using RingRift.P2P.Testing.Storage;
using Xunit;

namespace RingRift.P2P.Sqlite.Tests;

/// <summary>
/// The queue on a small tmpfs that fills up: SQLite's SQLITE_FULL becomes <see cref="StorageFullException"/>
/// naming the database, the file stays intact (integrity check), every acknowledged add stays readable,
/// and writes work again once space returns. With the node's gate and without it.
/// </summary>
[Trait("Category", TmpfsMount.Category)]
public sealed class SqliteDiskFullTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SqliteFull_IsStorageFull_NothingAcknowledgedIsLost_AndWritesResumeWhenSpaceReturns(bool gated)
    {
        await using var mount = await TmpfsMount.CreateAsync(2048);
        var path = Path.Combine(mount.Path, "work_queue.db");
        var storage = new StorageHealth(mount.Path, reserveBytes: 0, TimeProvider.System);
        var acknowledged = new List<string>();
        await using (var queue = await SqliteWorkQueue.OpenAsync(path))
        {
            if (gated) queue.Storage = storage;
            for (var i = 0; i < 10; i++) acknowledged.Add((await queue.AddWorkAsync(Work(i))).WorkId);
            mount.Fill();

            StorageFullException? full = null;
            for (var i = 0; i < 500 && full is null; i++)
            {
                try { acknowledged.Add((await queue.AddWorkAsync(Work(100 + i))).WorkId); } // pages SQLite already holds may take a few more
                catch (StorageFullException e) { full = e; }
            }

            Assert.NotNull(full);
            Assert.Equal(queue.DatabasePath, full.Path);
            Assert.StartsWith($"no space left on device for {queue.DatabasePath} (filesystem {mount.Path} (tmpfs)", full.Message);
            Assert.True(SqliteWorkQueue.IsOutOfSpace(full.InnerException!));
            Assert.Equal(gated, storage.IsFull);
            if (gated) await Assert.ThrowsAsync<StorageFullException>(() => queue.AddWorkAsync(Work(9999))); // refused up front
            await AssertAllReadableAsync(queue, acknowledged);
            Assert.Equal("ok", IntegrityCheck(path));

            mount.Free();
            acknowledged.Add((await queue.AddWorkAsync(Work(1000))).WorkId);
            Assert.False(storage.IsFull);
            Assert.True(await queue.ClaimWorkAsync(acknowledged[0], "node-a"));
        }
        await using (var reopened = await SqliteWorkQueue.OpenAsync(path))
            await AssertAllReadableAsync(reopened, acknowledged);
        Assert.Equal("ok", IntegrityCheck(path));
    }

    private static NewWork Work(int n) => new()
    {
        WorkType = JobType.Selfplay,
        Config = new JsonObject { ["n"] = n, ["pad"] = new string('x', 4000) },
    };

    private static async Task AssertAllReadableAsync(SqliteWorkQueue queue, IReadOnlyList<string> acknowledged)
    {
        foreach (var id in acknowledged) Assert.True(await queue.GetWorkAsync(id) is not null, $"acknowledged add {id} is missing");
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
