using RingRift.P2P.Config;
using RingRift.P2P.Jobs;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Training;

/// <summary>
/// The jobs file's optional <c>training:</c> block: the leader's training-loop settings kept with
/// the job commands. An environment variable, when set, wins over the file; unset in both, the default.
/// </summary>
/// <remarks>
/// <code>
/// training:
///   check_interval_seconds: 15         # RINGRIFT_P2P_JOB_CHECK_INTERVAL
///   min_games: 5000                    # RINGRIFT_MIN_TRAINING_GAMES
///   staleness_hours: 24                # RINGRIFT_TRAINING_STALENESS_HOURS
///   min_hours_between_training: 1      # RINGRIFT_MIN_HOURS_BETWEEN_TRAINING
///   promotion_elo_margin: 25           # RINGRIFT_PROMOTION_ELO_MARGIN
///   max_concurrent_trainings: 2        # RINGRIFT_MAX_CONCURRENT_TRAININGS
///   selfplay_configs: [hex8_2p]        # RINGRIFT_SELFPLAY_CONFIGS
///   selfplay_backlog: 2                # RINGRIFT_SELFPLAY_BACKLOG
///   selfplay_games: 200                # RINGRIFT_SELFPLAY_GAMES
/// </code>
/// </remarks>
public sealed record TrainingFileSettings
{
    public TimeSpan? CheckInterval { get; init; }
    public int? MinGames { get; init; }
    public double? StalenessHours { get; init; }
    public double? MinHoursBetweenTraining { get; init; }
    public double? PromotionEloMargin { get; init; }
    public int? MaxConcurrentTrainings { get; init; }
    public IReadOnlyList<BoardConfig>? SelfplayConfigs { get; init; }
    public int? SelfplayBacklog { get; init; }
    public int? SelfplayGames { get; init; }

    /// <summary>
    /// The loop's settings: each from its environment variable when set there, else from this file,
    /// else the default. Throws <see cref="P2PConfigException"/> for a bad variable or combination.
    /// </summary>
    public (TimeSpan Interval, TrainingThresholds Thresholds, TrainingOptions Options) Resolve(IReadOnlyDictionary<string, string?> env, P2PConfig config) =>
        Resolve(env, config, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="Resolve(IReadOnlyDictionary{string, string?}, P2PConfig)"/>, a bad variable going to <paramref name="problems"/> (collected: it keeps its default).</summary>
    public (TimeSpan Interval, TrainingThresholds Thresholds, TrainingOptions Options) Resolve(IReadOnlyDictionary<string, string?> env, P2PConfig config, ConfigProblems problems)
    {
        bool Unset(string variable) => !env.TryGetValue(variable, out var v) || string.IsNullOrWhiteSpace(v);
        var thresholds = TrainingThresholds.FromEnvironment(env, problems);
        var options = TrainingOptions.FromEnvironment(env, problems);
        var interval = CheckInterval is { } i && Unset(P2PEnvironmentVariables.JobCheckInterval) ? i : config.JobCheckInterval;
        if (MinGames is { } g && Unset(TrainingThresholds.MinGamesVariable)) thresholds = thresholds with { MinGames = g };
        if (StalenessHours is { } h && Unset(TrainingThresholds.StalenessHoursVariable)) thresholds = thresholds with { StalenessHours = h };
        if (MinHoursBetweenTraining is { } b && Unset(TrainingThresholds.MinHoursBetweenTrainingVariable)) thresholds = thresholds with { MinHoursBetweenTraining = b };
        if (PromotionEloMargin is { } m && Unset(TrainingOptions.PromotionEloMarginVariable)) options = options with { PromotionEloMargin = m };
        if (MaxConcurrentTrainings is { } t && Unset(TrainingOptions.MaxConcurrentTrainingsVariable)) options = options with { MaxConcurrentTrainings = t };
        if (SelfplayConfigs is { } c && Unset(TrainingOptions.SelfplayConfigsVariable)) options = options with { SelfplayConfigs = c };
        if (SelfplayBacklog is { } k && Unset(TrainingOptions.SelfplayBacklogVariable)) options = options with { SelfplayBacklog = k };
        if (SelfplayGames is { } n && Unset(TrainingOptions.SelfplayGamesVariable)) options = options with { SelfplayGames = n };
        return (interval, thresholds, options);
    }
}
