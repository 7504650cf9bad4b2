using RingRift.P2P.Coordination;

namespace RingRift.P2P.Training;

/// <summary>A trained model waiting for its evaluation's verdict.</summary>
/// <param name="TrainingWorkId">The completed training that wrote it.</param>
/// <param name="ModelPath">Data-dir relative model file from the training result.</param>
/// <param name="NodeId">Node that trained it (claimed_by of the training item).</param>
/// <param name="EvaluationWorkId">The evaluation item (<c>eval-&lt;training work id&gt;</c>), null until one is queued.</param>
/// <param name="EvaluationStatus">That item's status, null until one is queued.</param>
public sealed record CandidateModel(
    string TrainingWorkId,
    string ModelPath,
    string? NodeId,
    string? EvaluationWorkId,
    WorkStatus? EvaluationStatus);
