using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;

namespace RingRift.P2P.Raft.Tests;

/// <summary>
/// The leader's retention round on the Raft queue: it reads the oldest finished items, picks those due and
/// commits one prune command naming them, or nothing when none is due.
/// </summary>
public sealed class ReplicatedWorkQueuePruneTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private double Now => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Adds and completes <paramref name="count"/> self-play items, one a second.</summary>
    private async Task<ReplicatedWorkQueue> FinishedAsync(LocalWorkCommandLog log, int count)
    {
        var queue = new ReplicatedWorkQueue(log);
        for (var i = 0; i < count; i++)
        {
            await queue.AddWorkAsync(new NewWork { WorkId = $"s{i}", WorkType = JobType.Selfplay });
            Assert.True(await queue.ClaimWorkAsync($"s{i}", "gpu-1"));
            await queue.CompleteWorkAsync($"s{i}", null, "gpu-1");
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        return queue;
    }

    [Fact]
    public async Task PastTheAge_TheRoundCommitsOnePruneNamingTheDueItems_OldestFirst()
    {
        var log = new LocalWorkCommandLog(_time);
        var queue = await FinishedAsync(log, 5); // s0 finished at t0, s4 at t0 + 4 s
        _time.Advance(TimeSpan.FromSeconds(60));
        var retention = new QueueRetention { MaxAge = TimeSpan.FromSeconds(62.5), MaxFinished = 0 }; // due: finished more than 62.5 s ago

        var round = await queue.PruneFinishedAsync(retention, Now);

        Assert.Equal(new PruneRound(3), round);
        var prune = Assert.IsType<PruneWork>(log.Submitted[^1]);
        Assert.Equal(["s0", "s1", "s2"], prune.WorkIds);
        Assert.Equal(2, (await queue.GetQueueStatsAsync()).Completed);
    }

    [Fact]
    public async Task OverTheCount_TheOldestGo_ButNoneSoonerThanTheMinimumAge()
    {
        var log = new LocalWorkCommandLog(_time);
        var queue = await FinishedAsync(log, 20); // finished one a second: s19 1 s ago, s10 10 s ago
        var retention = new QueueRetention { MaxAge = TimeSpan.Zero, MaxFinished = 2 };

        var round = await queue.PruneFinishedAsync(retention, Now);

        Assert.Equal(11, round.Pruned); // s0..s10 (s10 finished exactly the minimum age ago); s11..s17 are over the count but younger
        Assert.Equal(["s11", "s12"], (await queue.ListWorkAsync(WorkStatus.Completed)).Select(i => i.WorkId).Order().Take(2));
        _time.Advance(QueueRetention.MinimumAge);
        Assert.Equal(7, (await queue.PruneFinishedAsync(retention, Now)).Pruned); // s11..s17: two are left
        Assert.Equal(2, (await queue.GetQueueStatsAsync()).Completed);
    }

    [Fact]
    public async Task NothingDue_OrRetentionOff_CommitsNothing()
    {
        var log = new LocalWorkCommandLog(_time);
        var queue = await FinishedAsync(log, 3);
        var submitted = log.Submitted.Count;

        Assert.Equal(PruneRound.Nothing, await queue.PruneFinishedAsync(new QueueRetention(), Now)); // 24 h, 10,000: nothing due
        Assert.Equal(PruneRound.Nothing, await queue.PruneFinishedAsync(new QueueRetention { MaxAge = TimeSpan.Zero, MaxFinished = 0 }, Now + 1e6));

        Assert.Equal(submitted, log.Submitted.Count);
    }
}
