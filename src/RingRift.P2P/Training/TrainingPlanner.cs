using System.Globalization;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;

namespace RingRift.P2P.Training;

/// <summary>
/// Derives every board configuration's training state from the queue's items: a pure,
/// deterministic function, so any leader (or any node answering <c>/training/status</c>) that sees
/// the same items computes the same snapshot.
/// </summary>
/// <remarks>
/// <para>Per configuration (items whose config carries a valid board_type and num_players; sync
/// items and others are ignored):</para>
/// <list type="bullet">
/// <item>The last training is the completed training with the latest completed_at (ties: highest work_id).</item>
/// <item>games_since_last_training sums result.games_completed of completed self-play whose
/// completed_at is after that training's started_at (claimed_at, then created_at, when it has none):
/// games that finished while it trained were not in its data. With no completed training every
/// completed self-play counts.</item>
/// <item>hours_since_last_training is now − the last training's completed_at, in hours (null: never trained).
/// A configuration never trained counts as stale: the priority uses StalenessHours and no rate limit applies.</item>
/// <item>Promotion is a fold over completed evaluations in completed_at order (ties: work_id): the
/// first evaluated model is always promoted (there is nothing to compare it with); a later one when
/// its Elo ≥ champion Elo + <see cref="TrainingOptions.PromotionEloMargin"/>.</item>
/// <item>Decision ladder: training_running (a training is pending, claimed or running) →
/// evaluating (a trained model awaits its evaluation) → trigger (the policy says train) →
/// rate_limited (last training more recent than MinHoursBetweenTraining) → wait.</item>
/// </list>
/// </remarks>
public static class TrainingPlanner
{
    private const double SecondsPerHour = 3600;

    /// <summary>Computes the snapshot of every configuration seen in <paramref name="items"/>.</summary>
    /// <param name="items">Queue items of any status; duplicates of one work_id keep the highest version.</param>
    /// <param name="nowUnix">Current time, Unix seconds.</param>
    /// <param name="thresholds">Trigger thresholds; defaults when null.</param>
    /// <param name="options">Promotion margin; defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="nowUnix"/> is not a finite number.</exception>
    public static TrainingSnapshot Evaluate(IEnumerable<WorkItem> items, double nowUnix, TrainingThresholds? thresholds = null, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!double.IsFinite(nowUnix))
            throw new ArgumentOutOfRangeException(nameof(nowUnix), nowUnix, $"nowUnix must be a finite number of Unix seconds, got {nowUnix.ToString(CultureInfo.InvariantCulture)}");
        thresholds ??= new TrainingThresholds();
        options ??= new TrainingOptions();

        var configs = ConfigItems.Group(items)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => EvaluateConfig(g.Value, nowUnix, thresholds, options))
            .ToArray();
        return new TrainingSnapshot(nowUnix, configs);
    }

    /// <summary>The promotion fold of one configuration's completed evaluations (see the remarks of <see cref="TrainingPlanner"/>).</summary>
    internal static IReadOnlyList<Promotion> FoldPromotions(ConfigItems items, double margin)
    {
        var promotions = new List<Promotion>();
        ChampionModel? champion = null;
        foreach (var eval in items.Evaluations.Where(e => e.Status == WorkStatus.Completed).OrderBy(e => e.CompletedAt ?? 0).ThenBy(e => e.WorkId, StringComparer.Ordinal))
        {
            if (WorkItemFields.String(eval.Config, WorkKeys.ModelPath) is not { } modelPath)
                continue; // nothing to promote: the evaluation named no model
            if (WorkItemFields.Number(eval.Result, WorkKeys.Elo) is not { } elo)
                continue; // no verdict: the job reported no Elo
            if (champion is not null && elo < champion.Elo + margin)
                continue; // not better by the margin: the champion stays
            var trainingId = WorkItemFields.String(eval.Config, WorkKeys.TrainingWorkId);
            var node = trainingId is not null && items.TrainingById.TryGetValue(trainingId, out var training) ? training.ClaimedBy : null;
            var next = new ChampionModel(modelPath, elo, node, trainingId, eval.WorkId, eval.CompletedAt ?? 0);
            promotions.Add(new Promotion(next, champion?.Elo, champion?.ModelPath));
            champion = next;
        }
        return promotions;
    }

    private static ConfigTrainingState EvaluateConfig(ConfigItems items, double now, TrainingThresholds t, TrainingOptions options)
    {
        var board = items.Board;
        var completed = items.Trainings
            .Where(w => w.Status == WorkStatus.Completed)
            .OrderBy(w => w.CompletedAt ?? 0).ThenBy(w => w.WorkId, StringComparer.Ordinal)
            .ToArray();
        var last = completed.LastOrDefault();
        double? windowStart = last is null ? null : last.StartedAt ?? last.ClaimedAt ?? last.CreatedAt;
        double? hours = last is null ? null : Math.Max(0, (now - (last.CompletedAt ?? windowStart ?? now)) / SecondsPerHour);

        var gamesLong = items.Selfplay
            .Where(w => w.Status == WorkStatus.Completed && (windowStart is null || (w.CompletedAt ?? 0) > windowStart))
            .Sum(w => (long)WorkItemFields.Count(w.Result, WorkKeys.GamesCompleted));
        var games = (int)Math.Min(gamesLong, int.MaxValue);

        var promotions = FoldPromotions(items, options.PromotionEloMargin);
        var champion = promotions.Count == 0 ? null : promotions[^1].Champion;
        var elo = champion?.Elo ?? TrainingOptions.BaselineElo;

        var priority = TrainingPolicy.CalculatePriority(games, hours ?? t.StalenessHours, elo, t);
        var policy = TrainingPolicy.ShouldTriggerTraining(games, hours ?? Math.Max(t.StalenessHours, t.MinHoursBetweenTraining), t);
        var policyReason = hours is null ? "never trained: " + policy.Reason : policy.Reason;

        var inFlight = items.Trainings
            .Where(w => w.Status is WorkStatus.Pending or WorkStatus.Claimed or WorkStatus.Running)
            .OrderBy(w => w.CreatedAt).ThenBy(w => w.WorkId, StringComparer.Ordinal)
            .FirstOrDefault();
        var candidates = Candidates(items, completed);

        var (decision, reason) = (inFlight, candidates.Count) switch
        {
            ({ } running, _) => (TrainingDecisionNames.TrainingRunning,
                $"training {running.WorkId} is {Name(running.Status)}: one training per configuration at a time"),
            (null, > 0) => (TrainingDecisionNames.Evaluating,
                $"model {candidates[0].ModelPath} from {candidates[0].TrainingWorkId} awaits evaluation ({Describe(candidates[0])}); the next training starts from the winner"),
            _ when policy.ShouldTrain => (TrainingDecisionNames.Trigger, policyReason),
            _ when hours is { } h && h < t.MinHoursBetweenTraining => (TrainingDecisionNames.RateLimited, policyReason),
            _ => (TrainingDecisionNames.Wait, policyReason),
        };

        return new ConfigTrainingState(
            board.Key, board.BoardType, board.NumPlayers, games, hours, elo, priority, policy.ShouldTrain,
            decision, reason, inFlight is not null, inFlight?.WorkId, last?.WorkId, completed.Length,
            champion, candidates, promotions);
    }

    /// <summary>Completed trainings with a model whose evaluation is missing or not finished, oldest first.</summary>
    private static List<CandidateModel> Candidates(ConfigItems items, IEnumerable<WorkItem> completedTrainings)
    {
        var candidates = new List<CandidateModel>();
        foreach (var training in completedTrainings)
        {
            if (WorkItemFields.String(training.Result, WorkKeys.ModelPath) is not { } modelPath)
                continue; // the training reported no model: nothing to evaluate
            var eval = items.EvaluationFor(training.WorkId);
            if (eval is not null && eval.Status is WorkStatus.Completed or WorkStatus.Failed or WorkStatus.Cancelled)
                continue; // judged (or given up on)
            candidates.Add(new CandidateModel(training.WorkId, modelPath, training.ClaimedBy, eval?.WorkId, eval?.Status));
        }
        return candidates;
    }

    private static string Describe(CandidateModel c) =>
        c.EvaluationWorkId is null ? "evaluation not queued yet" : $"{c.EvaluationWorkId} is {Name(c.EvaluationStatus!.Value)}";

    internal static string Name(WorkStatus status) => status.ToString().ToLowerInvariant();
}
