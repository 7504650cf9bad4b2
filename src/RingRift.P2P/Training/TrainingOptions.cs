using System.Globalization;
using RingRift.P2P.Config;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;

namespace RingRift.P2P.Training;

/// <summary>
/// Settings of the training-trigger loop beyond <see cref="TrainingThresholds"/>: promotion margin,
/// how many trainings may run at once, and the optional rule that keeps self-play work queued.
/// </summary>
/// <remarks>Every <c>init</c> checks its value and throws <see cref="P2PConfigException"/> naming the setting.</remarks>
public sealed record TrainingOptions
{
    public const string PromotionEloMarginVariable = "RINGRIFT_PROMOTION_ELO_MARGIN";
    public const string MaxConcurrentTrainingsVariable = "RINGRIFT_MAX_CONCURRENT_TRAININGS";
    public const string SelfplayConfigsVariable = "RINGRIFT_SELFPLAY_CONFIGS";
    public const string SelfplayBacklogVariable = "RINGRIFT_SELFPLAY_BACKLOG";
    public const string SelfplayGamesVariable = "RINGRIFT_SELFPLAY_GAMES";

    /// <summary>Elo of a configuration that has no champion yet (the usual Elo starting point).</summary>
    public const double BaselineElo = 1500;

    private static readonly NumberRule MarginRule = new(PromotionEloMarginVariable, 0, minInclusive: true, 10_000, "Elo points");
    private static readonly IntRule MaxTrainingsRule = new(MaxConcurrentTrainingsVariable, 1, 1000);
    private static readonly IntRule BacklogRule = new(SelfplayBacklogVariable, 0, 1000);
    private static readonly IntRule GamesRule = new(SelfplayGamesVariable, 1, 100_000_000);
    private static readonly IntRule PriorityRule = new(nameof(EvaluationPriority), WorkDefaults.MinPriority, WorkDefaults.MaxPriority);

    /// <summary>
    /// Elo points a candidate must gain over the champion to replace it
    /// (<c>RINGRIFT_PROMOTION_ELO_MARGIN</c>, ≥ 0): promoted when candidate ≥ champion + margin.
    /// </summary>
    /// <value>25 by default.</value>
    public double PromotionEloMargin { get; init => field = MarginRule.Check(value); } = 25;

    /// <summary>
    /// Trainings (pending, claimed or running) allowed across all configurations at once
    /// (<c>RINGRIFT_MAX_CONCURRENT_TRAININGS</c>, 1–1000). One configuration never has more than one.
    /// </summary>
    /// <value>2 by default.</value>
    public int MaxConcurrentTrainings { get; init => field = MaxTrainingsRule.Check(value); } = 2;

    /// <summary>
    /// Board configurations whose self-play the loop keeps queued (<c>RINGRIFT_SELFPLAY_CONFIGS</c>,
    /// comma-separated keys such as <c>hex8_2p,square8_4p</c>). Empty: the loop enqueues no self-play.
    /// </summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<BoardConfig> SelfplayConfigs { get; init; } = [];

    /// <summary>
    /// Self-play items per configured configuration kept pending, claimed or running
    /// (<c>RINGRIFT_SELFPLAY_BACKLOG</c>, 0–1000; 0 turns the rule off).
    /// </summary>
    /// <value>2 by default.</value>
    public int SelfplayBacklog { get; init => field = BacklogRule.Check(value); } = 2;

    /// <summary>Games asked of each self-play item the loop enqueues (<c>RINGRIFT_SELFPLAY_GAMES</c>, ≥ 1).</summary>
    /// <value>200 by default.</value>
    public int SelfplayGames { get; init => field = GamesRule.Check(value); } = 200;

    /// <summary>Queue priority of evaluation items (0–100; not read from the environment).</summary>
    /// <value>60 by default: a finished training is judged before more self-play (50) is played.</value>
    public int EvaluationPriority { get; init => field = PriorityRule.Check(value); } = 60;

    /// <summary>Queue priority of self-play items the loop enqueues (0–100; not read from the environment).</summary>
    /// <value>50 by default (the queue's default priority).</value>
    public int SelfplayPriority { get; init => field = PriorityRule.Check(value); } = WorkDefaults.Priority;

    /// <summary>The variables <see cref="FromEnvironment"/> reads, with defaults and descriptions (for the README).</summary>
    public static IReadOnlyList<(string Variable, string Default, string Description)> Documented { get; } = BuildDocumented();

    /// <summary>
    /// Reads the options from <paramref name="env"/>, or the process environment when null. Unset,
    /// empty or whitespace-only variables keep the defaults.
    /// </summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value.</exception>
    public static TrainingOptions FromEnvironment(IReadOnlyDictionary<string, string?>? env = null) => FromEnvironment(env, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="FromEnvironment(IReadOnlyDictionary{string, string?}?)"/>; a bad variable goes to <paramref name="problems"/> (collected: it keeps its default).</summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value and <paramref name="problems"/> throws the first.</exception>
    public static TrainingOptions FromEnvironment(IReadOnlyDictionary<string, string?>? env, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var reader = new EnvironmentReader(env);
        var defaults = new TrainingOptions();
        return new TrainingOptions
        {
            PromotionEloMargin = problems.Read(() => MarginRule.Read(reader)) ?? defaults.PromotionEloMargin,
            MaxConcurrentTrainings = problems.Read(() => MaxTrainingsRule.Read(reader)) ?? defaults.MaxConcurrentTrainings,
            SelfplayConfigs = problems.Read(() => ParseConfigs(reader.Get(SelfplayConfigsVariable)), []),
            SelfplayBacklog = problems.Read(() => BacklogRule.Read(reader)) ?? defaults.SelfplayBacklog,
            SelfplayGames = problems.Read(() => GamesRule.Read(reader)) ?? defaults.SelfplayGames,
        };
    }

    /// <summary>Parses <c>hex8_2p,square8_4p</c> (blank: none); duplicates are kept once.</summary>
    /// <exception cref="P2PConfigException">An entry is not a board config key.</exception>
    public static IReadOnlyList<BoardConfig> ParseConfigs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var configs = new List<BoardConfig>();
        foreach (var key in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            BoardConfig config;
            try { config = BoardConfig.Parse(key); }
            catch (FormatException)
            {
                throw new P2PConfigException(SelfplayConfigsVariable, text, $"expected comma-separated <board_type>_<num_players>p keys such as hex8_2p; '{key}' is not one");
            }
            if (!configs.Contains(config))
                configs.Add(config);
        }
        return configs.AsReadOnly();
    }

    private static IReadOnlyList<(string, string, string)> BuildDocumented()
    {
        var d = new TrainingOptions();
        var c = CultureInfo.InvariantCulture;
        (string, string, string)[] rows =
        [
            (PromotionEloMarginVariable, d.PromotionEloMargin.ToString(c), "Elo a candidate must gain over the champion to be promoted (>=0)"),
            (MaxConcurrentTrainingsVariable, d.MaxConcurrentTrainings.ToString(c), "Trainings queued or running at once across all configurations (1-1000; one per configuration)"),
            (SelfplayConfigsVariable, "", "Board configs (e.g. hex8_2p,square8_4p) whose self-play the leader keeps queued; empty: none"),
            (SelfplayBacklogVariable, d.SelfplayBacklog.ToString(c), "Self-play items kept pending/claimed/running per configured board config (0-1000)"),
            (SelfplayGamesVariable, d.SelfplayGames.ToString(c), "Games per self-play item the leader enqueues (>=1)"),
        ];
        return rows.AsReadOnly();
    }
}
