using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;

namespace RingRift.P2P.Training;

/// <summary>One configuration's self-play, training and evaluation items.</summary>
internal sealed class ConfigItems(BoardConfig board)
{
    public BoardConfig Board { get; } = board;
    public List<WorkItem> Selfplay { get; } = [];
    public List<WorkItem> Trainings { get; } = [];
    public List<WorkItem> Evaluations { get; } = [];
    public Dictionary<string, WorkItem> TrainingById { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The evaluation of a training: <c>eval-&lt;id&gt;</c> when present, else the newest evaluation whose
    /// config names the training in training_work_id.
    /// </summary>
    public WorkItem? EvaluationFor(string trainingWorkId)
    {
        var id = TrainingWorkIds.Evaluation(trainingWorkId);
        return Evaluations.FirstOrDefault(e => e.WorkId == id)
            ?? Evaluations.Where(e => WorkItemFields.String(e.Config, WorkKeys.TrainingWorkId) == trainingWorkId)
                .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.WorkId, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Groups items by board config key; one copy per work_id (highest version); sync items and items without a board config are left out.</summary>
    public static Dictionary<string, ConfigItems> Group(IEnumerable<WorkItem> items)
    {
        var latest = new Dictionary<string, WorkItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item is null)
                continue;
            if (!latest.TryGetValue(item.WorkId, out var seen) || item.Version > seen.Version)
                latest[item.WorkId] = item;
        }

        var groups = new Dictionary<string, ConfigItems>(StringComparer.Ordinal);
        foreach (var item in latest.Values)
        {
            if (item.WorkType == JobType.Sync)
                continue; // sync work belongs to no training configuration
            if (!BoardConfig.TryFrom(item.Config, out var board, out _))
                continue; // no board config: not part of any training loop
            if (!groups.TryGetValue(board.Key, out var group))
                groups[board.Key] = group = new ConfigItems(board);
            if (item.WorkType == JobType.Selfplay)
            {
                group.Selfplay.Add(item);
            }
            else if (item.WorkType == JobType.Training)
            {
                group.Trainings.Add(item);
                group.TrainingById[item.WorkId] = item;
            }
            else if (item.WorkType == JobType.Evaluation)
            {
                group.Evaluations.Add(item);
            }
        }
        return groups;
    }
}
