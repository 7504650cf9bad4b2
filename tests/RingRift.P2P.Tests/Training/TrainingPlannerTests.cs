using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Training;
using Xunit;
using static RingRift.P2P.Tests.Training.WorkItems;

namespace RingRift.P2P.Tests.Training;

public sealed class TrainingPlannerTests
{
    private const double Now = 1_000_000;

    [Fact]
    public void Games_CountOnlySelfplayCompletedAfterTheLastTrainingStarted()
    {
        WorkItem[] items =
        [
            TrainingItem("train-hex8_2p-1", WorkStatus.Completed, startedAt: Now - 10 * Hour, completedAt: Now - 8 * Hour, modelPath: "models/hex8_2p/m1.json"),
            EvaluationItem("eval-train-hex8_2p-1", WorkStatus.Completed, "models/hex8_2p/m1.json", 1400, Now - 7 * Hour, "train-hex8_2p-1"),
            SelfplayItem("s-before", WorkStatus.Completed, 100, Now - 11 * Hour),     // in the last training's data
            SelfplayItem("s-during", WorkStatus.Completed, 200, Now - 9 * Hour),      // finished while it trained: not in its data
            SelfplayItem("s-after", WorkStatus.Completed, 300, Now - 1 * Hour),
            SelfplayItem("s-running", WorkStatus.Running, 999, null),                  // not finished
            SelfplayItem("s-failed", WorkStatus.Failed, 999, Now - Hour),
            SelfplayItem("s-other", WorkStatus.Completed, 4000, Now - Hour, board: "square8"),
        ];

        var state = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!;

        Assert.Equal(500, state.GamesSinceLastTraining);
        Assert.Equal(8, state.HoursSinceLastTraining!.Value, precision: 9);
        Assert.Equal("train-hex8_2p-1", state.LastTrainingWorkId);
        Assert.Equal(4000, TrainingPlanner.Evaluate(items, Now).Find("square8_2p")!.GamesSinceLastTraining);
    }

    [Fact]
    public void NeverTrained_CountsAsStale_NoRateLimit_BaselineElo()
    {
        var t = new TrainingThresholds();
        WorkItem[] items = [SelfplayItem("s1", WorkStatus.Completed, 600, Now - 60)];

        var state = TrainingPlanner.Evaluate(items, Now, t).Find("hex8_2p")!;

        Assert.Null(state.HoursSinceLastTraining);
        Assert.Equal(TrainingOptions.BaselineElo, state.CurrentElo);
        Assert.Equal(TrainingPolicy.CalculatePriority(600, t.StalenessHours, 1500, t), state.Priority, precision: 9);
        Assert.True(state.ShouldTrain); // stale with 600 ≥ MinGamesWhenStale (500)
        Assert.Equal(TrainingDecisionNames.Trigger, state.Decision);
        Assert.StartsWith("never trained", state.Reason);
    }

    [Fact]
    public void NeverTrained_TooFewGames_Waits()
    {
        var state = TrainingPlanner.Evaluate([SelfplayItem("s1", WorkStatus.Completed, 100, Now - 60)], Now).Find("hex8_2p")!;

        Assert.False(state.ShouldTrain);
        Assert.Equal(TrainingDecisionNames.Wait, state.Decision);
    }

    [Theory]
    [InlineData(0.5, 6000, TrainingDecisionNames.RateLimited, false)] // under MinHoursBetweenTraining (1 h)
    [InlineData(0.999, 6000, TrainingDecisionNames.RateLimited, false)]
    [InlineData(1.0, 5000, TrainingDecisionNames.Trigger, true)]      // boundary: the gap has passed
    [InlineData(2, 4999, TrainingDecisionNames.Wait, false)]          // one game short, not stale
    [InlineData(30, 600, TrainingDecisionNames.Trigger, true)]        // stale (24 h) with ≥ 500 games
    [InlineData(30, 499, TrainingDecisionNames.Wait, false)]          // stale but too few games
    public void Decision_Table(double hoursAgo, int games, string decision, bool shouldTrain)
    {
        WorkItem[] items =
        [
            TrainingItem("t1", WorkStatus.Completed, startedAt: Now - hoursAgo * Hour - 60, completedAt: Now - hoursAgo * Hour, modelPath: "models/hex8_2p/m1.json"),
            EvaluationItem("eval-t1", WorkStatus.Completed, "models/hex8_2p/m1.json", 1500, Now - hoursAgo * Hour + 1, "t1"),
            SelfplayItem("s1", WorkStatus.Completed, games, Now - 1),
        ];

        var state = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!;

        Assert.Equal(games, state.GamesSinceLastTraining);
        Assert.Equal(shouldTrain, state.ShouldTrain);
        Assert.Equal(decision, state.Decision);
    }

    [Theory]
    [InlineData(WorkStatus.Pending)]
    [InlineData(WorkStatus.Claimed)]
    [InlineData(WorkStatus.Running)]
    public void TrainingInFlight_BlocksASecondTraining(WorkStatus status)
    {
        WorkItem[] items =
        [
            TrainingItem("train-hex8_2p-1", status, claimedBy: null),
            SelfplayItem("s1", WorkStatus.Completed, 50_000, Now - 1),
        ];

        var state = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!;

        Assert.True(state.ShouldTrain);
        Assert.True(state.TrainingInFlight);
        Assert.Equal("train-hex8_2p-1", state.InFlightTrainingWorkId);
        Assert.Equal(TrainingDecisionNames.TrainingRunning, state.Decision);
        Assert.Contains("train-hex8_2p-1", state.Reason);
    }

    [Theory]
    [InlineData(WorkStatus.Failed)]
    [InlineData(WorkStatus.Cancelled)]
    public void FinishedUnsuccessfulTraining_DoesNotBlock(WorkStatus status)
    {
        WorkItem[] items = [TrainingItem("train-hex8_2p-1", status), SelfplayItem("s1", WorkStatus.Completed, 6000, Now - 1)];

        var state = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!;

        Assert.False(state.TrainingInFlight);
        Assert.Equal(TrainingDecisionNames.Trigger, state.Decision);
    }

    [Fact]
    public void TrainedModelWithoutVerdict_IsACandidate_AndTheNextTrainingWaits()
    {
        WorkItem[] items =
        [
            TrainingItem("t1", WorkStatus.Completed, startedAt: Now - 5 * Hour, completedAt: Now - 4 * Hour, modelPath: "models/hex8_2p/m1.json", claimedBy: "gpu-7"),
            SelfplayItem("s1", WorkStatus.Completed, 9000, Now - 1),
        ];

        var state = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!;

        var candidate = Assert.Single(state.Candidates);
        Assert.Equal(new CandidateModel("t1", "models/hex8_2p/m1.json", "gpu-7", null, null), candidate);
        Assert.Equal(TrainingDecisionNames.Evaluating, state.Decision);

        var queued = items.Append(EvaluationItem("eval-t1", WorkStatus.Running, "models/hex8_2p/m1.json", null, null, "t1")).ToArray();
        Assert.Equal(WorkStatus.Running, TrainingPlanner.Evaluate(queued, Now).Find("hex8_2p")!.Candidates[0].EvaluationStatus);

        var judged = items.Append(EvaluationItem("eval-t1", WorkStatus.Completed, "models/hex8_2p/m1.json", 1600, Now - 1, "t1")).ToArray();
        var after = TrainingPlanner.Evaluate(judged, Now).Find("hex8_2p")!;
        Assert.Empty(after.Candidates);
        Assert.Equal(TrainingDecisionNames.Trigger, after.Decision);
    }

    [Theory]
    // elos in completed_at order; margin; expected champion elo; promotions
    [InlineData(new[] { 1400.0 }, 25, 1400, 1)]                    // first model always promoted, even below 1500
    [InlineData(new[] { 1400.0, 1424.9 }, 25, 1400, 1)]            // short of the margin
    [InlineData(new[] { 1400.0, 1425.0 }, 25, 1425, 2)]            // exactly the margin: promoted
    [InlineData(new[] { 1400.0, 1420.0, 1430.0 }, 25, 1430, 2)]    // compared with the champion, not the last candidate
    [InlineData(new[] { 1400.0, 1420.0, 1430.0 }, 0, 1430, 3)]
    [InlineData(new[] { 1600.0, 1500.0 }, 0, 1600, 1)]             // weaker never replaces the champion
    public void PromotionFold_Table(double[] elos, double margin, double championElo, int promotions)
    {
        var items = new List<WorkItem>();
        for (var i = 0; i < elos.Length; i++)
        {
            var t = $"t{i + 1}";
            items.Add(TrainingItem(t, WorkStatus.Completed, startedAt: 100 * i, completedAt: 100 * i + 50, modelPath: $"models/hex8_2p/m{i + 1}.json", claimedBy: $"gpu-{i + 1}"));
            items.Add(EvaluationItem($"eval-{t}", WorkStatus.Completed, $"models/hex8_2p/m{i + 1}.json", elos[i], 100 * i + 60, t));
        }

        var state = TrainingPlanner.Evaluate(items, Now, options: new TrainingOptions { PromotionEloMargin = margin }).Find("hex8_2p")!;

        Assert.Equal(championElo, state.CurrentElo);
        Assert.Equal(championElo, state.Champion!.Elo);
        Assert.Equal(promotions, state.Promotions.Count);
        Assert.Null(state.Promotions[0].PreviousElo);
        var winner = Array.IndexOf(elos, championElo) + 1;
        Assert.Equal(new ChampionModel($"models/hex8_2p/m{winner}.json", championElo, $"gpu-{winner}", $"t{winner}", $"eval-t{winner}", 100 * (winner - 1) + 60), state.Champion);
    }

    [Fact]
    public void PromotionFold_OrdersByCompletedAtThenWorkId_NotByListOrder()
    {
        WorkItem[] items =
        [
            EvaluationItem("eval-b", WorkStatus.Completed, "models/hex8_2p/b.json", 1600, 500),
            EvaluationItem("eval-c", WorkStatus.Completed, "models/hex8_2p/c.json", 1700, 400),
            EvaluationItem("eval-a", WorkStatus.Completed, "models/hex8_2p/a.json", 1500, 500),
        ];

        var promotions = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!.Promotions;

        // c (t=400) first; then a and b at t=500, a before b by work_id: a (1500) is below c + 25, b (1600) too.
        Assert.Equal(["models/hex8_2p/c.json"], promotions.Select(p => p.Champion.ModelPath));
        var reversed = TrainingPlanner.Evaluate(items.Reverse(), Now).Find("hex8_2p")!;
        Assert.Equal(promotions, reversed.Promotions);
    }

    [Fact]
    public void EvaluationWithoutElo_OrFailed_PromotesNothing()
    {
        WorkItem[] items =
        [
            EvaluationItem("eval-1", WorkStatus.Completed, "models/hex8_2p/1.json", null, 10),
            EvaluationItem("eval-2", WorkStatus.Failed, "models/hex8_2p/2.json", 1800, 20),
        ];

        var state = TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!;

        Assert.Null(state.Champion);
        Assert.Equal(TrainingOptions.BaselineElo, state.CurrentElo);
    }

    [Fact]
    public void DuplicateWorkIds_KeepTheHighestVersion()
    {
        WorkItem[] items =
        [
            WorkItems.Make("s1", JobType.Selfplay, WorkStatus.Completed, "hex8", 2, completedAt: 10, result: new() { ["games_completed"] = 700 }, version: 5),
            WorkItems.Make("s1", JobType.Selfplay, WorkStatus.Running, "hex8", 2, version: 4),
        ];

        Assert.Equal(700, TrainingPlanner.Evaluate(items, Now).Find("hex8_2p")!.GamesSinceLastTraining);
        Assert.Equal(700, TrainingPlanner.Evaluate(items.Reverse(), Now).Find("hex8_2p")!.GamesSinceLastTraining);
    }

    [Fact]
    public void Configs_OnePerBoardConfigSeen_OrderedByKey_SyncAndBoardlessIgnored()
    {
        WorkItem[] items =
        [
            SelfplayItem("s1", WorkStatus.Pending, 0, null, board: "square8", players: 4),
            SelfplayItem("s2", WorkStatus.Pending, 0, null, board: "hex8", players: 2),
            WorkItems.Make("sync-1", JobType.Sync, WorkStatus.Pending, "sq19", 2),
            new WorkItem { WorkId = "bare", WorkType = JobType.Selfplay },
        ];

        var snapshot = TrainingPlanner.Evaluate(items, Now);

        Assert.Equal(["hex8_2p", "square8_4p"], snapshot.Configs.Select(c => c.Config));
        Assert.Equal(Now, snapshot.EvaluatedAt);
    }

    [Fact]
    public void Evaluate_IsDeterministic_ForTheSameItems()
    {
        WorkItem[] items =
        [
            TrainingItem("t1", WorkStatus.Completed, startedAt: 10, completedAt: 20, modelPath: "models/hex8_2p/m1.json"),
            EvaluationItem("eval-t1", WorkStatus.Completed, "models/hex8_2p/m1.json", 1450, 30, "t1"),
            SelfplayItem("s1", WorkStatus.Completed, 900, 40),
        ];

        var a = System.Text.Json.JsonSerializer.Serialize(TrainingPlanner.Evaluate(items, Now), Json.P2PJson.Options);
        var b = System.Text.Json.JsonSerializer.Serialize(TrainingPlanner.Evaluate(items.Reverse().ToArray(), Now), Json.P2PJson.Options);

        Assert.Equal(a, b);
        Assert.Contains("\"games_since_last_training\":900", a);
        Assert.Contains("\"decision\":\"trigger\"", a); // trained ~278 h ago: stale, 900 ≥ 500 games
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Evaluate_RejectsANonFiniteClock(double now)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TrainingPlanner.Evaluate([], now));
        Assert.Equal("nowUnix", ex.ParamName);
    }
}
