namespace RingRift.P2P.Training;

/// <summary>The promoted model of a configuration: the one new trainings start from and evaluations play against.</summary>
/// <param name="ModelPath">Data-dir relative model file (<c>models/&lt;config&gt;/…</c>).</param>
/// <param name="Elo">Elo its evaluation measured.</param>
/// <param name="NodeId">Node that trained it (claimed_by of the training item), null when unknown.</param>
/// <param name="TrainingWorkId">The training item that produced it, null when the evaluation did not name one.</param>
/// <param name="EvaluationWorkId">The evaluation item that promoted it.</param>
/// <param name="PromotedAt">Unix seconds: completed_at of that evaluation.</param>
public sealed record ChampionModel(
    string ModelPath,
    double Elo,
    string? NodeId,
    string? TrainingWorkId,
    string EvaluationWorkId,
    double PromotedAt);

/// <summary>One promotion in a configuration's history, oldest first.</summary>
/// <param name="Champion">The model promoted.</param>
/// <param name="PreviousElo">Elo of the champion it replaced, null for the first model.</param>
/// <param name="PreviousModelPath">Model it replaced, null for the first model.</param>
public sealed record Promotion(ChampionModel Champion, double? PreviousElo, string? PreviousModelPath);
