using System.Globalization;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Training;

public sealed partial class TrainingLoop
{
    /// <summary>An evaluation for every finished training that has none: the candidate against the champion.</summary>
    private async Task EnqueueEvaluationsAsync(IWorkQueue queue, TrainingSnapshot snapshot, Dictionary<string, ConfigItems> groups, List<string> enqueued, CancellationToken ct)
    {
        foreach (var state in snapshot.Configs)
        {
            var board = groups[state.Config].Board;
            foreach (var candidate in state.Candidates.Where(c => c.EvaluationWorkId is null))
            {
                var config = board.ToConfig();
                config[WorkKeys.ModelPath] = candidate.ModelPath;
                if (state.Champion is { } champion)
                    config[WorkKeys.BaselineModelPath] = champion.ModelPath;
                config[WorkKeys.TrainingWorkId] = candidate.TrainingWorkId;
                var id = TrainingWorkIds.Evaluation(candidate.TrainingWorkId);
                if (await TryAddAsync(queue, new NewWork { WorkId = id, WorkType = JobType.Evaluation, Priority = _options.EvaluationPriority, Config = config }, ct).ConfigureAwait(false))
                {
                    enqueued.Add(id);
                    TrainingLog.EvaluationQueued(_logger, id, candidate.ModelPath, state.Champion?.ModelPath ?? "none");
                }
            }
        }
    }

    /// <summary>Trainings for the configurations whose decision is trigger, highest priority first, within the overall limit.</summary>
    private async Task EnqueueTrainingsAsync(IWorkQueue queue, TrainingSnapshot snapshot, Dictionary<string, ConfigItems> groups, List<string> enqueued, List<TrainingEvent> events, CancellationToken ct)
    {
        var inFlight = snapshot.Configs.Count(c => c.TrainingInFlight);
        var ready = snapshot.Configs
            .Where(c => c.Decision == TrainingDecisionNames.Trigger)
            .OrderByDescending(c => c.Priority).ThenBy(c => c.Config, StringComparer.Ordinal);
        foreach (var state in ready)
        {
            if (inFlight >= _options.MaxConcurrentTrainings)
            {
                TrainingLog.Deferred(_logger, state.Config, inFlight, _options.MaxConcurrentTrainings);
                continue;
            }
            var group = groups[state.Config];
            var id = TrainingWorkIds.Training(group.Board, NextNumber(group.Trainings, "train", group.Board));
            var config = group.Board.ToConfig();
            config[WorkKeys.Games] = state.GamesSinceLastTraining;
            if (state.Champion is { } champion)
                config[WorkKeys.ModelPath] = champion.ModelPath;
            var priority = (int)Math.Clamp(Math.Round(state.Priority), WorkDefaults.MinPriority, WorkDefaults.MaxPriority);
            inFlight++; // taken even when another leader queued it first: it is in flight either way
            if (!await TryAddAsync(queue, new NewWork { WorkId = id, WorkType = JobType.Training, Priority = priority, Config = config }, ct).ConfigureAwait(false))
                continue;
            enqueued.Add(id);
            TrainingLog.TrainingQueued(_logger, state.Config, id, state.Priority, state.GamesSinceLastTraining, state.Reason);
            events.Add(new TrainingEvent(ClusterEventNames.TrainingTriggered, new JsonObject
            {
                ["config"] = state.Config,
                ["priority"] = Math.Round(state.Priority, 2),
                ["reason"] = state.Reason,
                ["games"] = state.GamesSinceLastTraining,
                ["work_id"] = id,
                ["model_path"] = state.Champion?.ModelPath,
            }));
        }
    }

    /// <summary>Tops up each configured configuration to <see cref="TrainingOptions.SelfplayBacklog"/> unfinished self-play items.</summary>
    private async Task EnqueueSelfplayAsync(IWorkQueue queue, Dictionary<string, ConfigItems> groups, List<string> enqueued, CancellationToken ct)
    {
        foreach (var board in _options.SelfplayConfigs)
        {
            var selfplay = groups.TryGetValue(board.Key, out var group) ? group.Selfplay : [];
            var active = selfplay.Count(w => w.Status is WorkStatus.Pending or WorkStatus.Claimed or WorkStatus.Running);
            var next = NextNumber(selfplay, "selfplay", board);
            for (var k = 0; k < _options.SelfplayBacklog - active; k++)
            {
                var id = TrainingWorkIds.Selfplay(board, next + k);
                var config = board.ToConfig();
                config[WorkKeys.Games] = _options.SelfplayGames;
                if (await TryAddAsync(queue, new NewWork { WorkId = id, WorkType = JobType.Selfplay, Priority = _options.SelfplayPriority, Config = config }, ct).ConfigureAwait(false))
                {
                    enqueued.Add(id);
                    TrainingLog.SelfplayQueued(_logger, id, _options.SelfplayGames);
                }
            }
        }
    }

    /// <summary>
    /// 1 + the larger of the item count and the highest n among ids <c>&lt;prefix&gt;-&lt;config&gt;-&lt;n&gt;</c>:
    /// the same on every leader that sees the same items, and past every id already used.
    /// </summary>
    private static int NextNumber(IEnumerable<WorkItem> items, string prefix, BoardConfig board)
    {
        var stem = $"{prefix}-{board.Key}-";
        var count = 0;
        var highest = 0;
        foreach (var item in items)
        {
            count++;
            if (item.WorkId.StartsWith(stem, StringComparison.Ordinal)
                && int.TryParse(item.WorkId.AsSpan(stem.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                highest = Math.Max(highest, n);
            }
        }
        return Math.Max(count, highest) + 1;
    }

    /// <summary>Adds the item; false when its id exists already (another leader or an earlier tick queued it).</summary>
    private async Task<bool> TryAddAsync(IWorkQueue queue, NewWork work, CancellationToken ct)
    {
        try
        {
            await queue.AddWorkAsync(work, ct).ConfigureAwait(false);
            return true;
        }
        catch (DuplicateWorkException)
        {
            TrainingLog.AlreadyQueued(_logger, work.WorkId!);
            return false;
        }
    }
}
