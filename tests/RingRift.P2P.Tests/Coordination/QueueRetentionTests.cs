using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using Xunit;

namespace RingRift.P2P.Tests.Coordination;

/// <summary>
/// <see cref="QueueRetention.Pick"/>: which of the oldest finished items a round prunes, as tables at the exact
/// boundaries (the age limit, the count limit, the minimum age, the batch size).
/// </summary>
public sealed class QueueRetentionTests
{
    private const double Now = 1_000_000;

    /// <summary>Items finished at <paramref name="agesSeconds"/> before <see cref="Now"/>, oldest first.</summary>
    private static FinishedItems Finished(int total, params double[] agesSeconds) =>
        new(agesSeconds.Select((age, i) => new WorkItem
        {
            WorkId = $"f{i}",
            WorkType = JobType.Selfplay,
            Status = WorkStatus.Completed,
            CreatedAt = Now - age - 5,
            CompletedAt = Now - age,
        }).ToList(), total);

    private static int Picked(QueueRetention retention, FinishedItems finished) => retention.Pick(finished, Now).Count;

    [Fact]
    public void Defaults_AreADayAndTenThousand_AndTheFloorAndBatchArePinned()
    {
        var retention = new QueueRetention();

        Assert.Equal((TimeSpan.FromHours(24), 10_000), (retention.MaxAge, retention.MaxFinished));
        Assert.Equal((TimeSpan.FromSeconds(10), 500, TimeSpan.FromSeconds(5)), (QueueRetention.MinimumAge, QueueRetention.BatchSize, QueueRetention.Interval));
    }

    [Theory]
    [InlineData(60.001, 1)] // finished just over a minute ago: past the age
    [InlineData(60, 1)]     // exactly at the limit: past it
    [InlineData(59.999, 0)] // not yet
    public void ByAge_AtTheLimit(double age, int expected) =>
        Assert.Equal(expected, Picked(new QueueRetention { MaxAge = TimeSpan.FromMinutes(1), MaxFinished = 0 }, Finished(1, age)));

    [Fact]
    public void ByAge_OnlyThePrefixPastTheLimit()
    {
        var picked = new QueueRetention { MaxAge = TimeSpan.FromMinutes(1), MaxFinished = 0 }.Pick(Finished(4, 300, 120, 30, 20), Now);

        Assert.Equal(["f0", "f1"], picked.Select(i => i.WorkId));
    }

    [Theory]
    [InlineData(5, 3, 2)]  // two over the count: the two oldest
    [InlineData(3, 3, 0)]  // at the count: none
    [InlineData(12, 3, 5)] // nine over, but only five items were offered
    public void ByCount_TheOldestBeyondTheLimit(int total, int max, int expected) =>
        Assert.Equal(expected, Picked(new QueueRetention { MaxAge = TimeSpan.Zero, MaxFinished = max }, Finished(total, 500, 400, 300, 200, 100)));

    [Theory]
    [InlineData(10, 1)]     // exactly the minimum age: allowed
    [InlineData(9.999, 0)]  // younger: kept whatever the count says
    public void NeverSoonerThanTheMinimumAge(double age, int expected) =>
        Assert.Equal(expected, Picked(new QueueRetention { MaxAge = TimeSpan.FromSeconds(1), MaxFinished = 1 }, Finished(5, age)));

    [Fact]
    public void EitherLimit_Suffices_AndARoundTakesAtMostTheBatch()
    {
        var ages = Enumerable.Range(0, 700).Select(i => 7_000.0 - i).ToArray(); // 700 items, all older than a minute
        var byAge = new QueueRetention { MaxAge = TimeSpan.FromMinutes(1), MaxFinished = 100_000 };
        var byCount = new QueueRetention { MaxAge = TimeSpan.FromDays(1), MaxFinished = 10 };

        Assert.Equal(QueueRetention.BatchSize, Picked(byAge, Finished(700, ages)));
        Assert.Equal(QueueRetention.BatchSize, Picked(byCount, Finished(700, ages)));
        Assert.Equal(0, Picked(new QueueRetention { MaxAge = TimeSpan.Zero, MaxFinished = 0 }, Finished(700, ages))); // off
    }

    [Fact]
    public void KeptTypes_AreTrainingAndEvaluation_AndFinishedStatusesAreTheThreeTerminalOnes()
    {
        Assert.Equal([JobType.Training, JobType.Evaluation], JobTypes.All.Where(QueueRetention.Keeps));
        Assert.False(QueueRetention.Keeps(JobType.Parse("gauntlet")));
        Assert.Equal([WorkStatus.Completed, WorkStatus.Failed, WorkStatus.Cancelled], Enum.GetValues<WorkStatus>().Where(QueueRetention.IsFinished));
    }
}
