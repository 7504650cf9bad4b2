using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Models;
using RingRift.P2P.Notifications;
using RingRift.P2P.Testing.Waiting;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Tests.Training;

/// <summary>The leader's training-trigger loop against a real SQLite queue on a fake clock.</summary>
public sealed class TrainingLoopTests : IAsyncLifetime
{
    private TrainingRig _rig = null!;
    private readonly EventList _events = new();

    public async Task InitializeAsync() => _rig = await TrainingRig.CreateAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Runner_DoesNothingBeforeTheInterval_AndTicksOnceAtTheBoundary()
    {
        await _rig.PlayAsync("s1", 150);
        var loop = _rig.Loop(_events);
        var ticked = new TaskCompletionSource<TrainingTick>(TaskCreationOptions.RunContinuationsAsynchronously);
        loop.TickCompleted += t => ticked.TrySetResult(t);
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);

        _rig.Time.Advance(TimeSpan.FromSeconds(15) - TimeSpan.FromTicks(1));
        Assert.Equal(0, loop.TickCount);
        Assert.Empty(await _rig.IdsAsync(JobType.Training));

        _rig.Time.Advance(TimeSpan.FromTicks(1));
        var tick = await ticked.Task.WaitAsync(Eventually.DefaultWithin); // the tick itself runs on the real thread pool
        Assert.Equal(1, loop.TickCount);
        Assert.Equal(["train-hex8_2p-1"], tick.Enqueued);
        Assert.Equal(["train-hex8_2p-1"], await _rig.IdsAsync(JobType.Training));

        stop.Cancel();
        await run.WaitAsync(Eventually.DefaultWithin); // quiet shutdown
        Assert.Equal(1, loop.TickCount);
    }

    [Fact]
    public async Task Training_IsQueuedOncePerConfig_EvenByTwoLeaders()
    {
        await _rig.PlayAsync("s1", 150);
        var a = _rig.Loop(_events);
        var b = _rig.Loop(_events);

        var ta = await a.TickAsync();
        var tb = await b.TickAsync();
        var again = await a.TickAsync();

        Assert.Equal(["train-hex8_2p-1"], await _rig.IdsAsync(JobType.Training));
        Assert.Equal(["train-hex8_2p-1"], ta.Enqueued);
        Assert.Empty(tb.Enqueued); // same deterministic id: the queue refused the copy
        Assert.Empty(again.Enqueued);
        Assert.Equal(TrainingDecisionNames.TrainingRunning, again.Snapshot!.Find("hex8_2p")!.Decision);
        var triggered = Assert.Single(_events.Named(ClusterEventNames.TrainingTriggered));
        Assert.Equal("hex8_2p", (string?)triggered["config"]);
        Assert.Equal(150, (int)triggered["games"]!);
        Assert.Equal("train-hex8_2p-1", (string?)triggered["work_id"]);

        var training = await _rig.GetAsync("train-hex8_2p-1");
        Assert.Equal(150, (int)training.Config[WorkKeys.Games]!);
        Assert.Equal("hex8", (string?)training.Config[WorkKeys.BoardType]);
        Assert.Null(training.Config[WorkKeys.ModelPath]); // no champion to start from yet
    }

    [Fact]
    public async Task FinishedTraining_GetsAnEvaluation_ThenPromotionIsAnnouncedOnce()
    {
        await _rig.PlayAsync("s1", 150);
        var loop = _rig.Loop(_events);
        await loop.TickAsync();
        await _rig.FinishAsync("train-hex8_2p-1", new JsonObject { ["model_path"] = "models/hex8_2p/m1.json", ["games_used"] = 150 }, node: "gpu-9");

        var t2 = await loop.TickAsync();

        Assert.Equal(["eval-train-hex8_2p-1"], t2.Enqueued);
        var eval = await _rig.GetAsync("eval-train-hex8_2p-1");
        Assert.Equal(JobType.Evaluation, eval.WorkType);
        Assert.Equal("models/hex8_2p/m1.json", (string?)eval.Config[WorkKeys.ModelPath]);
        Assert.Equal("train-hex8_2p-1", (string?)eval.Config[WorkKeys.TrainingWorkId]);
        Assert.Null(eval.Config[WorkKeys.BaselineModelPath]);
        var complete = Assert.Single(_events.Named(ClusterEventNames.TrainingComplete));
        Assert.Equal("gpu-9", (string?)complete["node"]);
        Assert.Equal(150, (int)complete["games_used"]!);
        Assert.Equal(60, (double)complete["duration_s"]!);
        Assert.Equal(TrainingDecisionNames.Evaluating, t2.Snapshot!.Find("hex8_2p")!.Decision);

        await _rig.FinishAsync("eval-train-hex8_2p-1", new JsonObject { ["elo"] = 1350 });
        var t3 = await loop.TickAsync();
        await loop.TickAsync();

        var promoted = Assert.Single(_events.Named(ClusterEventNames.ModelPromoted));
        Assert.Equal("models/hex8_2p/m1.json", (string?)promoted["model_path"]);
        Assert.Equal(1350, (double)promoted["elo"]!);
        Assert.Null(promoted["previous_elo"]);
        Assert.Equal("gpu-9", (string?)promoted["node"]);
        Assert.Single(_events.Named(ClusterEventNames.TrainingComplete));
        var state = t3.Snapshot!.Find("hex8_2p")!;
        Assert.Equal(1350, state.CurrentElo);
        Assert.Equal("gpu-9", state.Champion!.NodeId);
    }

    [Fact]
    public async Task NextTraining_StartsFromTheChampion_AfterTheRateLimit()
    {
        var loop = _rig.Loop(_events);
        await _rig.PlayAsync("s1", 150);
        await loop.TickAsync();
        await _rig.FinishAsync("train-hex8_2p-1", new JsonObject { ["model_path"] = "models/hex8_2p/m1.json" });
        var finished = _rig.Time.GetUtcNow() - TimeSpan.FromSeconds(1); // FinishAsync lets 1 s pass after completing
        await loop.TickAsync();
        await _rig.FinishAsync("eval-train-hex8_2p-1", new JsonObject { ["elo"] = 1400 });
        await _rig.PlayAsync("s2", 150);

        _rig.Time.SetUtcNow(finished + TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        var early = await loop.TickAsync();
        Assert.Equal(TrainingDecisionNames.RateLimited, early.Snapshot!.Find("hex8_2p")!.Decision);
        Assert.Empty(early.Enqueued);

        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        var due = await loop.TickAsync();
        Assert.Equal(["train-hex8_2p-2"], due.Enqueued);
        var training = await _rig.GetAsync("train-hex8_2p-2");
        Assert.Equal("models/hex8_2p/m1.json", (string?)training.Config[WorkKeys.ModelPath]);
        Assert.Equal(150, (int)training.Config[WorkKeys.Games]!); // s1 was in the first training's data
    }

    [Fact]
    public async Task OverallLimit_QueuesTheHighestPriorityConfigFirst()
    {
        await _rig.PlayAsync("s-hex", 150);
        await _rig.PlayAsync("s-sq", 5000, board: "square8");
        var loop = _rig.Loop(_events, options: new TrainingOptions { MaxConcurrentTrainings = 1 });

        var tick = await loop.TickAsync();

        Assert.Equal(["train-square8_2p-1"], tick.Enqueued); // more games: higher priority
        Assert.Equal(TrainingDecisionNames.Trigger, tick.Snapshot!.Find("hex8_2p")!.Decision);
    }

    [Fact]
    public async Task NotLeader_StandsBy()
    {
        await _rig.PlayAsync("s1", 150);
        var leader = false;
        var loop = _rig.Loop(_events, isLeader: () => leader);

        var idle = await loop.TickAsync();

        Assert.False(idle.Acted);
        Assert.Null(idle.Snapshot);
        Assert.Empty(await _rig.IdsAsync(JobType.Training));
        Assert.Equal(TrainingDecisionNames.Trigger, (await loop.EvaluateAsync()).Find("hex8_2p")!.Decision); // status still readable

        leader = true;
        Assert.Equal(["train-hex8_2p-1"], (await loop.TickAsync()).Enqueued);
    }

    [Fact]
    public async Task NewLeader_DoesNotReplayHistory_ButAnnouncesNewFailures()
    {
        await _rig.Queue.AddWorkAsync(new NewWork { WorkId = "old", WorkType = JobType.Sync, MaxAttempts = 1 });
        await _rig.FailAsync("old", "disk full");
        var loop = _rig.Loop(_events);

        var first = await loop.TickAsync();
        Assert.True(first.Seeded);
        Assert.Empty(_events.All);

        await _rig.Queue.AddWorkAsync(new NewWork { WorkId = "new", WorkType = JobType.Selfplay, MaxAttempts = 1, Config = new BoardConfig("hex8", 2).ToConfig() });
        await _rig.FailAsync("new", "exit code 3", node: "gpu-4");
        await loop.TickAsync();
        await loop.TickAsync();

        var failed = Assert.Single(_events.Named(ClusterEventNames.WorkFailed));
        Assert.Equal("new", (string?)failed["work_id"]);
        Assert.Equal("selfplay", (string?)failed["work_type"]);
        Assert.Equal("exit code 3", (string?)failed["error"]);
        Assert.Equal(1, (int)failed["attempts"]!);
        Assert.Equal("gpu-4", (string?)failed["claimed_by"]);
    }

    [Fact]
    public async Task SelfplayBacklog_IsKeptFull_WithDeterministicIds()
    {
        var options = new TrainingOptions { SelfplayConfigs = [new BoardConfig("hex8", 2)], SelfplayBacklog = 2, SelfplayGames = 40 };
        var a = _rig.Loop(_events, options: options);
        var b = _rig.Loop(_events, options: options);

        Assert.Equal(["selfplay-hex8_2p-1", "selfplay-hex8_2p-2"], (await a.TickAsync()).Enqueued);
        Assert.Empty((await b.TickAsync()).Enqueued);
        Assert.Equal(40, (int)(await _rig.GetAsync("selfplay-hex8_2p-1")).Config[WorkKeys.Games]!);

        await _rig.FinishAsync("selfplay-hex8_2p-1", new JsonObject { ["games_completed"] = 5 }); // too few to train
        Assert.Equal(["selfplay-hex8_2p-3"], (await b.TickAsync()).Enqueued);
        Assert.Equal(["selfplay-hex8_2p-1", "selfplay-hex8_2p-2", "selfplay-hex8_2p-3"], await _rig.IdsAsync(JobType.Selfplay));
    }
}
