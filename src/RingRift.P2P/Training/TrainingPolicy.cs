using System.Globalization;

namespace RingRift.P2P.Training;

/// <summary>The seed's training trigger rules: priority ranking and the train-now decision.</summary>
public static class TrainingPolicy
{
    /// <summary>
    /// Priority 0–100 of training a configuration now:
    /// 50·min(1, games / (2·MinGames)) + 30·min(1, hours / StalenessHours) + 20·clamp((2000 − elo) / 1000, 0, 1),
    /// clamped to [0, 100]. More new data, an older model and a weaker model each raise it.
    /// Negative games or hours count as 0.
    /// </summary>
    /// <example>5000 games, 12 h, Elo 1200 with the defaults: 25 + 15 + 16 = 56.</example>
    /// <exception cref="ArgumentOutOfRangeException">Hours or Elo is NaN (or Elo infinite).</exception>
    public static double CalculatePriority(int gamesSinceLastTrain, double hoursSinceLastTrain, double currentElo, TrainingThresholds? t = null)
    {
        if (double.IsNaN(hoursSinceLastTrain))
            throw new ArgumentOutOfRangeException(nameof(hoursSinceLastTrain), hoursSinceLastTrain, "hoursSinceLastTrain must be a number, got NaN");
        if (!double.IsFinite(currentElo))
            throw new ArgumentOutOfRangeException(nameof(currentElo), currentElo, $"currentElo must be a finite number, got {currentElo.ToString(CultureInfo.InvariantCulture)}");
        t ??= new TrainingThresholds();

        var games = Math.Max(0, gamesSinceLastTrain);
        var hours = Math.Max(0, hoursSinceLastTrain);
        var dataScore = 50 * Math.Min(1.0, games / (2.0 * t.MinGames));
        var stalenessScore = 30 * Math.Min(1.0, hours / t.StalenessHours);
        var weaknessScore = 20 * Math.Clamp((2000 - currentElo) / 1000, 0, 1);
        return Math.Clamp(dataScore + stalenessScore + weaknessScore, 0, 100);
    }

    /// <summary>
    /// Decides whether to train now. In order: no when fewer than MinHoursBetweenTraining hours have
    /// passed (rate limit); yes when games ≥ MinGames; yes when hours ≥ StalenessHours and games ≥
    /// MinGamesWhenStale; otherwise no. The reason gives the figures behind the answer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Hours is NaN.</exception>
    public static TrainingDecision ShouldTriggerTraining(int gamesAvailable, double hoursSinceTrain, TrainingThresholds? t = null)
    {
        if (double.IsNaN(hoursSinceTrain))
            throw new ArgumentOutOfRangeException(nameof(hoursSinceTrain), hoursSinceTrain, "hoursSinceTrain must be a number, got NaN");
        t ??= new TrainingThresholds();
        var games = Math.Max(0, gamesAvailable);
        var hours = Math.Max(0, hoursSinceTrain);
        var h = F(hours);

        if (hours < t.MinHoursBetweenTraining)
            return new(false, $"rate-limited: last training {h} h ago, minimum gap is {F(t.MinHoursBetweenTraining)} h");
        if (games >= t.MinGames)
            return new(true, $"{games} games available, at least {t.MinGames} needed");
        if (hours >= t.StalenessHours && games >= t.MinGamesWhenStale)
            return new(true, $"model is stale ({h} h since training, threshold {F(t.StalenessHours)} h) and {games} games available, at least {t.MinGamesWhenStale} needed when stale");
        if (hours >= t.StalenessHours)
            return new(false, $"model is stale ({h} h since training) but only {games} games available: need {t.MinGamesWhenStale - games} more (at least {t.MinGamesWhenStale} when stale)");
        return new(false, $"{games} games available and {h} h since training: need {t.MinGames - games} more games (at least {t.MinGames}), or {F(t.StalenessHours - hours)} more hours to become stale with at least {t.MinGamesWhenStale} games");
    }

    private static string F(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
