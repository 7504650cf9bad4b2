using RingRift.P2P.Training;
using Xunit;

namespace RingRift.P2P.Tests.Training;

public sealed class TrainingPolicyTests
{
    [Fact]
    public void Priority_SeedExample_Is56() =>
        // 50·min(1, 5000/10000) + 30·min(1, 12/24) + 20·clamp((2000−1200)/1000) = 25 + 15 + 16
        Assert.Equal(56, TrainingPolicy.CalculatePriority(5000, 12.0, 1200), precision: 10);

    [Theory]
    [InlineData(0, 0, 2000, 0)]            // nothing new, fresh, strong model
    [InlineData(10_000, 0, 2000, 50)]      // data term saturates at 2·MinGames
    [InlineData(1_000_000, 0, 2000, 50)]
    [InlineData(2500, 0, 2000, 12.5)]
    [InlineData(0, 24, 2000, 30)]          // staleness term saturates at StalenessHours
    [InlineData(0, 1000, 2000, 30)]
    [InlineData(0, 6, 2000, 7.5)]
    [InlineData(0, 0, 1000, 20)]           // weakness term saturates 1000 Elo below 2000
    [InlineData(0, 0, 0, 20)]
    [InlineData(0, 0, 1500, 10)]
    [InlineData(0, 0, 2500, 0)]            // stronger than 2000: no weakness bonus
    [InlineData(10_000, 24, 1000, 100)]    // every term at its maximum
    [InlineData(-5, -3, 2000, 0)]          // negative inputs count as 0
    public void Priority_Table(int games, double hours, double elo, double expected) =>
        Assert.Equal(expected, TrainingPolicy.CalculatePriority(games, hours, elo), precision: 10);

    [Fact]
    public void Priority_UsesTheGivenThresholds()
    {
        var t = new TrainingThresholds { MinGames = 100, StalenessHours = 2 };
        // 50·min(1, 50/200) + 30·min(1, 1/2) + 0 = 12.5 + 15
        Assert.Equal(27.5, TrainingPolicy.CalculatePriority(50, 1, 2000, t), precision: 10);
    }

    [Fact]
    public void Priority_NaN_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>("hoursSinceLastTrain", () => TrainingPolicy.CalculatePriority(1, double.NaN, 1500));
        Assert.Throws<ArgumentOutOfRangeException>("currentElo", () => TrainingPolicy.CalculatePriority(1, 1, double.NaN));
    }

    [Theory]
    [InlineData(100_000, 0.0)]
    [InlineData(100_000, 0.99)]
    public void ShouldTrain_WithinTheMinimumGap_IsRateLimited(int games, double hours)
    {
        var (train, reason) = TrainingPolicy.ShouldTriggerTraining(games, hours);
        Assert.False(train);
        Assert.StartsWith("rate-limited", reason);
        Assert.Contains($"{hours} h ago", reason);
    }

    [Theory]
    // games, hours, expected — with the defaults MinGames 5000, StalenessHours 24, gap 1 h, 500 when stale
    [InlineData(5000, 1.0, true)]     // exactly at the gap and at MinGames
    [InlineData(4999, 1.0, false)]
    [InlineData(6000, 24.0, true)]    // the seed's example call
    [InlineData(500, 24.0, true)]     // stale with just enough games
    [InlineData(499, 24.0, false)]
    [InlineData(500, 23.99, false)]   // not yet stale
    [InlineData(0, 1000.0, false)]
    public void ShouldTrain_Table(int games, double hours, bool expected) =>
        Assert.Equal(expected, TrainingPolicy.ShouldTriggerTraining(games, hours).ShouldTrain);

    [Fact]
    public void ShouldTrain_Reasons_GiveTheFigures()
    {
        Assert.Equal("6000 games available, at least 5000 needed", TrainingPolicy.ShouldTriggerTraining(6000, 2).Reason);
        Assert.Contains("stale", TrainingPolicy.ShouldTriggerTraining(600, 30).Reason);

        var notEnough = TrainingPolicy.ShouldTriggerTraining(1200, 5).Reason;
        Assert.Contains("1200 games", notEnough);
        Assert.Contains("5 h", notEnough);
        Assert.Contains("need 3800 more games", notEnough);
        Assert.Contains("19 more hours", notEnough);

        var staleButFew = TrainingPolicy.ShouldTriggerTraining(100, 30).Reason;
        Assert.Contains("need 400 more", staleButFew);
    }

    [Fact]
    public void ShouldTrain_UsesTheGivenThresholds()
    {
        var t = new TrainingThresholds { MinGames = 10, MinHoursBetweenTraining = 0 };
        Assert.True(TrainingPolicy.ShouldTriggerTraining(10, 0, t).ShouldTrain);
        Assert.False(TrainingPolicy.ShouldTriggerTraining(9, 0, t).ShouldTrain);
    }

    [Fact]
    public void ShouldTrain_NaNHours_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>("hoursSinceTrain", () => TrainingPolicy.ShouldTriggerTraining(1, double.NaN));
}
