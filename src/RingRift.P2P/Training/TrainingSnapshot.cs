namespace RingRift.P2P.Training;

/// <summary>
/// The training state of every board configuration seen in the queue, derived by
/// <see cref="TrainingPlanner.Evaluate"/>. Every leader derives the same snapshot from the same
/// items, so a leader change keeps it.
/// </summary>
/// <param name="EvaluatedAt">Unix seconds the snapshot was computed for.</param>
/// <param name="Configs">One entry per configuration, ordered by key.</param>
public sealed record TrainingSnapshot(double EvaluatedAt, IReadOnlyList<ConfigTrainingState> Configs)
{
    /// <summary>The entry of <paramref name="configKey"/> (e.g. <c>hex8_2p</c>), or null when the queue has none.</summary>
    public ConfigTrainingState? Find(string configKey) => Configs.FirstOrDefault(c => c.Config == configKey);
}

/// <summary>Counters, priority and decision of one board configuration.</summary>
/// <param name="Config">Key such as <c>hex8_2p</c>.</param>
/// <param name="BoardType">Board type of the key.</param>
/// <param name="NumPlayers">Player count of the key.</param>
/// <param name="GamesSinceLastTraining">
/// Sum of games_completed of completed self-play whose completed_at is after the last completed
/// training's started_at (all completed self-play when none): games finished while that training
/// ran were not in its data.
/// </param>
/// <param name="HoursSinceLastTraining">Hours since the last completed training finished; null when none has.</param>
/// <param name="CurrentElo">The champion's Elo, or <see cref="TrainingOptions.BaselineElo"/> (1500) without one.</param>
/// <param name="Priority">TrainingPolicy.CalculatePriority over the three figures (never trained: StalenessHours).</param>
/// <param name="ShouldTrain">TrainingPolicy.ShouldTriggerTraining's answer, before in-flight work is considered.</param>
/// <param name="Decision">One of <see cref="TrainingDecisionNames"/>.</param>
/// <param name="Reason">Why, with the figures behind it.</param>
/// <param name="TrainingInFlight">A training of this configuration is pending, claimed or running.</param>
/// <param name="InFlightTrainingWorkId">That training's work id.</param>
/// <param name="LastTrainingWorkId">The last completed training's work id.</param>
/// <param name="TrainingsCompleted">Completed trainings of this configuration.</param>
/// <param name="Champion">The promoted model, null before the first promotion.</param>
/// <param name="Candidates">Trained models awaiting their evaluation, oldest first.</param>
/// <param name="Promotions">Every promotion, oldest first.</param>
public sealed record ConfigTrainingState(
    string Config,
    string BoardType,
    int NumPlayers,
    int GamesSinceLastTraining,
    double? HoursSinceLastTraining,
    double CurrentElo,
    double Priority,
    bool ShouldTrain,
    string Decision,
    string Reason,
    bool TrainingInFlight,
    string? InFlightTrainingWorkId,
    string? LastTrainingWorkId,
    int TrainingsCompleted,
    ChampionModel? Champion,
    IReadOnlyList<CandidateModel> Candidates,
    IReadOnlyList<Promotion> Promotions);
