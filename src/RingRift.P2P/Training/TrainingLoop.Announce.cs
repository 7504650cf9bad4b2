using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Training;

public sealed partial class TrainingLoop
{
    /// <summary>First acting tick of a term: remember every finished thing without announcing it.</summary>
    private void Remember(IReadOnlyList<WorkItem> items, TrainingSnapshot snapshot)
    {
        foreach (var (key, _) in Finished(items, snapshot, ConfigItems.Group(items)))
            _announced.Add(key);
    }

    /// <summary>Announces what finished since the last tick: training_complete, model_promoted, work_failed.</summary>
    private void Announce(IReadOnlyList<WorkItem> items, TrainingSnapshot snapshot, Dictionary<string, ConfigItems> groups, List<TrainingEvent> events)
    {
        foreach (var (key, announcement) in Finished(items, snapshot, groups))
        {
            if (_announced.Add(key))
                events.Add(announcement());
        }
    }

    /// <summary>Every announceable fact in the queue, keyed so each is announced once; payloads are built only when needed.</summary>
    private static IEnumerable<(string Key, Func<TrainingEvent> Build)> Finished(
        IReadOnlyList<WorkItem> items, TrainingSnapshot snapshot, Dictionary<string, ConfigItems> groups)
    {
        foreach (var state in snapshot.Configs)
        {
            var trainings = groups[state.Config].Trainings
                .Where(w => w.Status == WorkStatus.Completed)
                .OrderBy(w => w.CompletedAt ?? 0).ThenBy(w => w.WorkId, StringComparer.Ordinal);
            foreach (var training in trainings)
                yield return ($"{ClusterEventNames.TrainingComplete}:{training.WorkId}", () => TrainingComplete(state.Config, training));
            foreach (var promotion in state.Promotions)
                yield return ($"{ClusterEventNames.ModelPromoted}:{promotion.Champion.EvaluationWorkId}", () => ModelPromoted(state.Config, promotion));
        }

        var failed = items.Where(w => w.Status == WorkStatus.Failed)
            .GroupBy(w => w.WorkId, StringComparer.Ordinal)
            .Select(g => g.MaxBy(w => w.Version)!)
            .OrderBy(w => w.CompletedAt ?? w.CreatedAt).ThenBy(w => w.WorkId, StringComparer.Ordinal);
        foreach (var item in failed)
            yield return ($"{ClusterEventNames.WorkFailed}:{item.WorkId}", () => WorkFailed(item));
    }

    private static TrainingEvent TrainingComplete(string config, WorkItem training)
    {
        var started = training.StartedAt ?? training.ClaimedAt;
        double? duration = started is { } s && training.CompletedAt is { } c ? Math.Max(0, c - s) : null;
        return new TrainingEvent(ClusterEventNames.TrainingComplete, new JsonObject
        {
            ["config"] = config,
            ["work_id"] = training.WorkId,
            ["model_path"] = WorkItemFields.String(training.Result, WorkKeys.ModelPath),
            ["node"] = training.ClaimedBy,
            ["games_used"] = WorkItemFields.Count(training.Result, WorkKeys.GamesUsed),
            ["duration_s"] = duration is { } d ? Math.Round(d, 3) : null,
        });
    }

    private static TrainingEvent ModelPromoted(string config, Promotion promotion) =>
        new(ClusterEventNames.ModelPromoted, new JsonObject
        {
            ["config"] = config,
            ["model_path"] = promotion.Champion.ModelPath,
            ["elo"] = promotion.Champion.Elo,
            ["previous_elo"] = promotion.PreviousElo,
            ["previous_model_path"] = promotion.PreviousModelPath,
            ["node"] = promotion.Champion.NodeId,
            ["training_work_id"] = promotion.Champion.TrainingWorkId,
            ["evaluation_work_id"] = promotion.Champion.EvaluationWorkId,
        });

    private static TrainingEvent WorkFailed(WorkItem item) =>
        new(ClusterEventNames.WorkFailed, new JsonObject
        {
            ["work_id"] = item.WorkId,
            ["work_type"] = item.WorkType.WireName(),
            ["error"] = item.Error,
            ["attempts"] = item.Attempts,
            ["claimed_by"] = item.ClaimedBy,
            ["config"] = BoardConfig.TryFrom(item.Config, out var board, out _) ? board.Key : null,
        });
}
