using System.Globalization;
using RingRift.P2P.Config;

namespace RingRift.P2P.Training;

/// <summary>When a board configuration has enough new data to be worth training on (the seed's <c>TrainingThresholds</c>).</summary>
/// <remarks>Every <c>init</c> checks its value and throws <see cref="P2PConfigException"/> naming the setting.</remarks>
public sealed record TrainingThresholds
{
    public const string MinGamesVariable = "RINGRIFT_MIN_TRAINING_GAMES";
    public const string StalenessHoursVariable = "RINGRIFT_TRAINING_STALENESS_HOURS";
    public const string MinHoursBetweenTrainingVariable = "RINGRIFT_MIN_HOURS_BETWEEN_TRAINING";

    private static readonly IntRule MinGamesRule = new(MinGamesVariable, 1, int.MaxValue);
    private static readonly NumberRule StalenessHoursRule = new(StalenessHoursVariable, 0, minInclusive: false, double.PositiveInfinity, "hours");
    private static readonly NumberRule MinHoursBetweenRule = new(MinHoursBetweenTrainingVariable, 0, minInclusive: true, double.PositiveInfinity, "hours");
    private static readonly IntRule MinGamesWhenStaleRule = new(nameof(MinGamesWhenStale), 0, int.MaxValue);

    /// <summary>New games that trigger training on their own (<c>RINGRIFT_MIN_TRAINING_GAMES</c>, ≥ 1).</summary>
    /// <value>5000 by default.</value>
    public int MinGames { get; init => field = MinGamesRule.Check(value); } = 5000;

    /// <summary>Hours after which a model counts as stale (<c>RINGRIFT_TRAINING_STALENESS_HOURS</c>, &gt; 0).</summary>
    /// <value>24 by default.</value>
    public double StalenessHours { get; init => field = StalenessHoursRule.Check(value); } = 24;

    /// <summary>Rate limit: no training sooner than this many hours after the last (<c>RINGRIFT_MIN_HOURS_BETWEEN_TRAINING</c>, ≥ 0).</summary>
    /// <value>1 by default.</value>
    public double MinHoursBetweenTraining { get; init => field = MinHoursBetweenRule.Check(value); } = 1;

    /// <summary>New games enough to train a stale model (≥ 0; not read from the environment).</summary>
    /// <value>500 by default.</value>
    public int MinGamesWhenStale { get; init => field = MinGamesWhenStaleRule.Check(value); } = 500;

    /// <summary>The variables <see cref="FromEnvironment"/> reads, with defaults and descriptions (for the README).</summary>
    public static IReadOnlyList<(string Variable, string Default, string Description)> Documented { get; } = BuildDocumented();

    /// <summary>
    /// Reads the thresholds from <paramref name="env"/>, or the process environment when null.
    /// Unset, empty or whitespace-only variables keep the defaults.
    /// </summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value.</exception>
    public static TrainingThresholds FromEnvironment(IReadOnlyDictionary<string, string?>? env = null) => FromEnvironment(env, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="FromEnvironment(IReadOnlyDictionary{string, string?}?)"/>; a bad variable goes to <paramref name="problems"/> (collected: it keeps its default).</summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value and <paramref name="problems"/> throws the first.</exception>
    public static TrainingThresholds FromEnvironment(IReadOnlyDictionary<string, string?>? env, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var reader = new EnvironmentReader(env);
        var defaults = new TrainingThresholds();
        return new TrainingThresholds
        {
            MinGames = problems.Read(() => MinGamesRule.Read(reader)) ?? defaults.MinGames,
            StalenessHours = problems.Read(() => StalenessHoursRule.Read(reader)) ?? defaults.StalenessHours,
            MinHoursBetweenTraining = problems.Read(() => MinHoursBetweenRule.Read(reader)) ?? defaults.MinHoursBetweenTraining,
        };
    }

    private static IReadOnlyList<(string, string, string)> BuildDocumented()
    {
        var d = new TrainingThresholds();
        var c = CultureInfo.InvariantCulture;
        (string, string, string)[] rows =
        [
            (MinGamesVariable, d.MinGames.ToString(c), "New games that trigger training on their own (integer >= 1)"),
            (StalenessHoursVariable, d.StalenessHours.ToString(c), "Hours after which a model is stale and trains on fewer games (>0)"),
            (MinHoursBetweenTrainingVariable, d.MinHoursBetweenTraining.ToString(c), "Minimum hours between two trainings of one configuration (>=0)"),
        ];
        return rows.AsReadOnly();
    }
}
