using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Sqlite;

namespace RingRift.P2P.Node.Tests.Consensus;

/// <summary>
/// One pass of <see cref="FallbackMigrator"/> on a real SQLite queue, with Raft stood in for by a dictionary and
/// the work port by a switch between the two: as on a node, the port adds to whichever queue serves at that moment.
/// </summary>
public sealed class FallbackMigratorTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ringrift-fm-");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(20_000));
    private readonly ConcurrentDictionary<string, WorkItem> _raft = new();
    private SqliteWorkQueue _sqlite = null!;

    /// <summary>Whether the work port's adds go to Raft (true) or to the SQLite queue (Raft stopped serving).</summary>
    private bool _raftServes = true;

    public async Task InitializeAsync() => _sqlite = await SqliteWorkQueue.OpenAsync(Path.Combine(_dir.FullName, "queue.db"), _time);

    public async Task DisposeAsync()
    {
        await _sqlite.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task RaftStopsServingMidPass_TheDuplicateFromSqliteIsNotTakenForAMove_AndTheNextPassMovesTheRest()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await _sqlite.AddWorkAsync(new NewWork { WorkId = id, WorkType = JobType.Selfplay });
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var adds = 0;

        var first = await FallbackMigrator.MoveAsync(_sqlite, (work, commandId, ct) =>
        {
            if (++adds == 2) _raftServes = false; // the switch falls back to SQLite between "a" and "b"
            return AddAsync(work, commandId, ct);
        }, FindAsync, CancellationToken.None);

        Assert.Equal(new FallbackMigrator.Pass(1, NotInRaft: "b"), first);
        Assert.Equal(["a"], _raft.Keys);
        Assert.Equal(WorkStatus.Completed, (await _sqlite.GetWorkAsync("a"))!.Status);
        var b = (await _sqlite.GetWorkAsync("b"))!;
        Assert.Equal((WorkStatus.Claimed, FallbackMigrator.Claimant), (b.Status, b.ClaimedBy));
        Assert.Equal(WorkStatus.Pending, (await _sqlite.GetWorkAsync("c"))!.Status);

        _raftServes = true;
        var second = await FallbackMigrator.MoveAsync(_sqlite, AddAsync, FindAsync, CancellationToken.None);

        Assert.Equal(new FallbackMigrator.Pass(2), second);
        Assert.Equal(["a", "b", "c"], _raft.Keys.Order(StringComparer.Ordinal));
        foreach (var id in new[] { "a", "b", "c" })
        {
            var item = (await _sqlite.GetWorkAsync(id))!;
            Assert.Equal(WorkStatus.Completed, item.Status);
            Assert.True(item.Result!["moved_to_raft"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task ItemAddedToRaftByAnEarlierPassThatDidNotComplete_IsCompletedWithoutASecondCopy()
    {
        await _sqlite.AddWorkAsync(new NewWork { WorkId = "x", WorkType = JobType.Training });
        Assert.True(await _sqlite.ClaimWorkAsync("x", FallbackMigrator.Claimant));
        await AddAsync(NewWork.CopyOf((await _sqlite.GetWorkAsync("x"))!), "migrate-x", CancellationToken.None);

        var pass = await FallbackMigrator.MoveAsync(_sqlite, AddAsync, FindAsync, CancellationToken.None);

        Assert.Equal(new FallbackMigrator.Pass(1), pass);
        Assert.Single(_raft);
        Assert.Equal(WorkStatus.Completed, (await _sqlite.GetWorkAsync("x"))!.Status);
    }

    [Fact]
    public async Task AReadOfRaftThatFails_EndsThePassWithTheError_AndLeavesTheItemClaimedForTheNextPass()
    {
        await _sqlite.AddWorkAsync(new NewWork { WorkId = "y", WorkType = JobType.Training });

        var pass = await FallbackMigrator.MoveAsync(_sqlite, AddAsync,
            (_, _) => throw new InvalidOperationException("no leader"), CancellationToken.None);

        Assert.Equal(0, pass.Moved);
        Assert.Equal("no leader", pass.Error!.Message);
        var y = (await _sqlite.GetWorkAsync("y"))!;
        Assert.Equal((WorkStatus.Claimed, FallbackMigrator.Claimant), (y.Status, y.ClaimedBy));
        Assert.Equal(new FallbackMigrator.Pass(1), await FallbackMigrator.MoveAsync(_sqlite, AddAsync, FindAsync, CancellationToken.None));
    }

    private async Task AddAsync(NewWork work, string commandId, CancellationToken ct)
    {
        Assert.Equal("migrate-" + work.WorkId, commandId);
        if (!_raftServes)
        {
            await _sqlite.AddWorkAsync(work, ct); // the item is there, claimed for the move: "duplicate id"
            return;
        }
        if (!_raft.TryAdd(work.WorkId!, new WorkItem { WorkId = work.WorkId!, WorkType = work.WorkType }))
            throw new DuplicateWorkException(work.WorkId!);
    }

    private Task<WorkItem?> FindAsync(string workId, CancellationToken ct) => Task.FromResult(_raft.GetValueOrDefault(workId));
}
