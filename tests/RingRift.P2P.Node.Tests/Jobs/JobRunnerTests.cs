using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Testing.Election;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>
/// The runner against an in-memory queue with real /bin/sh child processes. A job the test must see in
/// a given state is held there (<see cref="RunnerRig.WaitForRelease"/>) rather than raced with a sleep,
/// and timeouts run on a fake clock, so a slow host cannot let a job end or time out early.
/// </summary>
public sealed class JobRunnerTests
{
    [Fact]
    public async Task Success_ReportsProgress_ThenCompletesWithTheLastResultAndLogFile()
    {
        await using var rig = new RunnerRig();
        var script = rig.Script("selfplay", $$$"""
            echo "playing games"
            mkdir -p "$RINGRIFT_DATA_DIR/games/hex8_2p" && printf 'game 1\n' > "$RINGRIFT_DATA_DIR/games/hex8_2p/w1.jsonl"
            echo '{"progress": 0.4}'
            {{{rig.WaitForRelease}}}
            echo '{"result": {"games_completed": 1}}'
            echo '{"result": {"games_completed": 10, "games_file": "games/hex8_2p/w1.jsonl"}}'
            """);
        var runner = await rig.StartedRunner(rig.Jobs("selfplay", script));
        rig.Claimed("w1");

        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Any(j => j.Progress == 0.4), "progress 0.4 in the snapshot");
        var running = runner.Snapshot().Running.Single();
        Assert.Equal("w1", running.JobId);
        Assert.Equal(1, runner.ActiveJobs);
        Assert.NotNull(running.Pid);
        Assert.Equal(WorkStatus.Running, rig.Port.Get("w1").Status);

        rig.Release();
        var done = await rig.WaitForEnd("w1");
        Assert.Equal(WorkStatus.Completed, done.Status);
        Assert.Equal(10, done.Result!["games_completed"]!.GetValue<int>());
        Assert.Equal("games/hex8_2p/w1.jsonl", done.Result["games_file"]!.GetValue<string>());
        Assert.Equal(JobFiles.LogPath(rig.DataDir, "w1"), done.Result["log_file"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("game 1\n"u8)), done.Result["sha256"]!.GetValue<string>());
        Assert.Contains("playing games", rig.LogOf("w1"));
        Assert.Equal(["start w1", "complete w1"], rig.Port.Calls);
        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Count == 0, "the job to leave the snapshot");
        Assert.Equal(0, runner.ActiveJobs);
        Assert.Equal(new JobCounters(1, 1, 0, 0, 0), runner.Snapshot().Counters);
        Assert.False(File.Exists(JobFiles.StatePath(rig.DataDir, "w1")));
    }

    [Fact]
    public async Task OutcomeReportThatFailsInTransit_IsRetriedUntilItLands_Once()
    {
        await using var rig = new RunnerRig();
        var runner = await rig.StartedRunner(rig.Jobs("sync", rig.Script("sync", "echo synced")));
        rig.Port.FailNextReports(3);
        rig.Claimed("r1", JobType.Sync);

        var done = await rig.WaitForEnd("r1");

        Assert.Equal(WorkStatus.Completed, done.Status);
        Assert.Equal(3, rig.Port.ReportFailures);
        Assert.Equal(["start r1", "complete r1"], rig.Port.Calls);
        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Count == 0, "the job to leave the snapshot");
    }

    [Fact]
    public async Task ExitZeroWithoutResult_CompletesWithLogFileOnly()
    {
        await using var rig = new RunnerRig();
        var runner = await rig.StartedRunner(rig.Jobs("sync", rig.Script("sync", "echo synced")));
        rig.Claimed("s1", JobType.Sync);

        var done = await rig.WaitForEnd("s1");
        Assert.Equal(WorkStatus.Completed, done.Status);
        Assert.Equal(["log_file"], done.Result!.Select(p => p.Key));
    }

    [Fact]
    public async Task FailureExit_FailsWithExitCodeAndLogTail()
    {
        await using var rig = new RunnerRig();
        var script = rig.Script("train", """
            echo "loading games"
            echo "CUDA out of memory" >&2
            exit 3
            """);
        await rig.StartedRunner(rig.Jobs("training", script));
        rig.Claimed("t1", JobType.Training);

        var done = await rig.WaitForEnd("t1");
        Assert.Equal(WorkStatus.Failed, done.Status);
        Assert.StartsWith("exit code 3", done.Error);
        Assert.Contains("loading games", done.Error);
        Assert.Contains("CUDA out of memory", done.Error); // stderr goes to the same log
    }

    [Fact]
    public async Task ARetryPlacedOnTheSameNodeAgain_Runs_WhileTheAttemptThatEndedDoesNot()
    {
        await using var rig = new RunnerRig();
        var marker = Path.Combine(rig.Dir, "second-attempt");
        var script = rig.Script("flaky", $$$"""
            if [ -e "{{{marker}}}" ]; then echo '{"result": {"attempt": 2}}'; exit 0; fi
            touch "{{{marker}}}"
            exit 3
            """);
        await rig.StartedRunner(rig.Jobs("training", script));
        var first = rig.Claimed("t1", JobType.Training);
        Assert.Equal(WorkStatus.Failed, (await rig.WaitForEnd("t1")).Status);

        // The queue requeued it (attempts left) and the leader placed it on this node again: a new claim, attempt 2.
        rig.Port.Add(first with { Status = WorkStatus.Claimed, Attempts = 2, Error = null });

        var done = await rig.WaitFor("t1", i => i.Status == WorkStatus.Completed, "to complete on its second attempt");
        Assert.Equal(2, done.Result!["attempt"]!.GetValue<int>());
        Assert.Equal(["start t1", "fail t1", "start t1", "complete t1"], rig.Port.Calls.Where(c => c.EndsWith(" t1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FailureExit_LogTailIsAtMostOneKilobyteOfWholeLines()
    {
        await using var rig = new RunnerRig();
        var script = rig.Script("noisy", """
            i=0
            while [ $i -lt 200 ]; do echo "line $i of noise"; i=$((i+1)); done
            exit 1
            """);
        await rig.StartedRunner(rig.Jobs("selfplay", script));
        rig.Claimed("n1");

        var error = (await rig.WaitForEnd("n1")).Error!;
        var tail = error[(error.IndexOf('\n') + 1)..];
        Assert.True(tail.Length <= JobLogReader.TailBytes, $"tail is {tail.Length} bytes");
        Assert.StartsWith("line ", tail); // no cut line at the front
        Assert.EndsWith("line 199 of noise", tail);
    }

    [Fact]
    public async Task Timeout_TermsTheProcessGroup_AndFailsTimedOut()
    {
        await using var rig = new RunnerRig();
        var time = new FakeTimeProvider();
        var childFile = Path.Combine(rig.Dir, "child.pid");
        var script = rig.Script("slow", $"""
            sleep 30 &
            echo $! > {childFile}.tmp && mv {childFile}.tmp {childFile}
            wait
            """);
        rig.Claimed("slow1", timeoutSeconds: 1);
        var runner = rig.Runner(rig.Jobs("selfplay", script), time: time);
        await runner.StartAsync(CancellationToken.None);

        // The fake clock stands still until the job and its child run: the timeout cannot come first.
        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Any(j => j.Pid is not null) && File.Exists(childFile), "the job and its child to start");
        var pid = runner.Snapshot().Running.Single().Pid!.Value;
        var child = int.Parse(File.ReadAllText(childFile).Trim());

        // Past the 1 s timeout and no further: the 0.3 s grace before SIGKILL never passes, so SIGTERM ends the job.
        await RunnerRig.AdvanceUntil(time, () => runner.Snapshot().Running.All(j => j.State != "running"), "the runner to stop the job at its timeout");
        var done = await rig.WaitForEnd("slow1");
        Assert.Equal(WorkStatus.Failed, done.Status);
        Assert.Equal("timed out after 1 s", done.Error);
        Assert.False(ProcessProbe.IsAlive(pid, null), "the job process is gone");
        await RunnerRig.WaitUntil(() => !ProcessProbe.IsAlive(child, null), "the job's child (same process group) to be gone");
        Assert.Equal(1, runner.Snapshot().Counters.TimedOut);
    }

    [Fact]
    public async Task Timeout_IsMeasuredOnTheMonotonicClock_SoAWallClockStepDoesNotEndAJobEarly()
    {
        await using var rig = new RunnerRig();
        var fake = new FakeTimeProvider();
        var time = new DriftingTimeProvider(fake);
        rig.Claimed("long1", timeoutSeconds: 60);
        var runner = rig.Runner(rig.Jobs("selfplay", rig.Script("long", rig.WaitForRelease)), time: time);
        await runner.StartAsync(CancellationToken.None);
        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Any(j => j.Pid is not null), "the job to start");

        time.StepWallClock(TimeSpan.FromHours(1)); // NTP, or an operator, moves the wall clock an hour ahead
        for (var i = 0; i < 20; i++)
        {
            fake.Advance(TimeSpan.FromMilliseconds(100)); // 2 s of monitoring, 40 polls
            await Task.Yield();
        }
        await Task.Delay(200);
        Assert.Equal("running", runner.Snapshot().Running.Single().State);

        // The job's own 60 s still end it.
        fake.Advance(TimeSpan.FromSeconds(57));
        await Task.Delay(200);
        Assert.Equal("running", runner.Snapshot().Running.Single().State);
        await RunnerRig.AdvanceUntil(fake, () => runner.Snapshot().Running.All(j => j.State != "running"), "the runner to stop the job at its timeout");
        var done = await rig.WaitForEnd("long1");
        Assert.Equal("timed out after 60 s", done.Error);
        Assert.True(fake.GetUtcNow() - fake.Start >= TimeSpan.FromSeconds(60), $"stopped after {fake.GetUtcNow() - fake.Start} on the fake clock");
    }

    [Fact]
    public async Task Timeout_KillsAfterTheGrace_WhenTheJobIgnoresSigterm()
    {
        await using var rig = new RunnerRig();
        var time = new FakeTimeProvider();
        var trapped = Path.Combine(rig.Dir, "trapped");
        var script = rig.Script("stubborn", $"""
            trap '' TERM
            touch {trapped}
            while :; do sleep 0.05; done
            """);
        rig.Claimed("st1", timeoutSeconds: 1);
        var runner = rig.Runner(rig.Jobs(grace: 0.3, entries: RunnerRig.Entry("selfplay", script)), time: time);
        await runner.StartAsync(CancellationToken.None);
        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Any(j => j.Pid is not null) && File.Exists(trapped), "the job to start, ignoring SIGTERM");
        var pid = runner.Snapshot().Running.Single().Pid!.Value;

        // The job outlives SIGTERM; only SIGKILL, once the grace has passed on the clock, ends it.
        await RunnerRig.AdvanceUntil(time, () => rig.Port.Get("st1").Status == WorkStatus.Failed, "the stubborn job to be killed and failed");
        Assert.Equal("timed out after 1 s", rig.Port.Get("st1").Error);
        Assert.False(ProcessProbe.IsAlive(pid, null));
    }

    [Fact]
    public async Task ItemNoLongerAssigned_KillsTheProcess_WithoutCompleteOrFail()
    {
        await using var rig = new RunnerRig();
        var runner = await rig.StartedRunner(rig.Jobs("selfplay", rig.Script("long", "echo started; sleep 30")));
        rig.Claimed("c1");
        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Any(j => j.Pid is not null), "the job to start");
        var pid = runner.Snapshot().Running.Single().Pid!.Value;

        rig.Port.Revoke("c1");

        await RunnerRig.WaitUntil(() => runner.Snapshot().Running.Count == 0, "the job to be dropped");
        Assert.False(ProcessProbe.IsAlive(pid, null), "the process was killed");
        Assert.Equal(["start c1"], rig.Port.Calls);
        Assert.Equal(1, runner.Snapshot().Counters.Cancelled);
        Assert.False(File.Exists(JobFiles.StatePath(rig.DataDir, "c1")));
    }

    [Fact]
    public async Task SlotLimit_ThreeItemsTwoCpuSlots_RunTwoAtOnce()
    {
        await using var rig = new RunnerRig();
        var script = rig.Script("held", rig.WaitForRelease + "\necho '{\"result\": {}}'");
        var runner = await rig.StartedRunner(rig.Jobs(cpu: 2, entries: RunnerRig.Entry("selfplay", script)));
        string[] ids = ["a", "b", "c"];
        foreach (var id in ids) rig.Claimed(id);

        var mostRunning = 0;
        var mostUsed = 0;
        JobRunnerSnapshot Watch()
        {
            var snapshot = runner.Snapshot();
            mostRunning = Math.Max(mostRunning, snapshot.Running.Count);
            mostUsed = Math.Max(mostUsed, snapshot.CpuSlots.Used);
            return snapshot;
        }

        await RunnerRig.WaitUntil(() => Watch().Running.Count == 2 && ids.Count(id => rig.Port.Get(id).Status == WorkStatus.Claimed) == 1,
            "two jobs running and the third item waiting, claimed");
        rig.Release();
        await RunnerRig.WaitUntil(() => Watch().CpuSlots.Used == 0 && ids.All(id => rig.Port.Get(id).Status == WorkStatus.Completed),
            "all three to complete and free their slots");
        Assert.True(mostRunning <= 2, $"{mostRunning} jobs at once");
        Assert.Equal(2, mostUsed);
        Assert.Equal(new SlotUsage(2, 0), runner.Snapshot().CpuSlots);
    }

    [Fact]
    public async Task Environment_CarriesJobIdsGpuAndFileEnv_ButNotNodeSecrets()
    {
        await using var rig = new RunnerRig();
        const string secret = "RINGRIFT_P2P_RUNNER_TEST_SECRET";
        var before = Environment.GetEnvironmentVariable(secret);
        Environment.SetEnvironmentVariable(secret, "hunter2"); // the node's own setting: jobs must not see it
        try
        {
            await RunJobsSeeingTheEnvironment(rig);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, before);
        }

        var g1 = rig.LogOf("g1");
        Assert.Contains($"job=g1 type=selfplay node={RunnerRig.NodeId} data={rig.DataDir}", g1);
        Assert.Contains("omp=4 secret=[]", g1);
        var gpus = new[] { rig.LogOf("g1"), rig.LogOf("g2") }.Select(l => l.Contains("cuda=[0]") ? 0 : l.Contains("cuda=[1]") ? 1 : -1).Order();
        Assert.Equal([0, 1], gpus); // one GPU slot each with per_gpu 1
        Assert.Contains("cuda=[] omp= ", rig.LogOf("s1")); // sync takes a CPU slot: no GPU
    }

    /// <summary>Runs g1, g2 (selfplay, OMP_NUM_THREADS from the jobs file) and s1 (sync) on two GPUs; each logs its environment.</summary>
    private static async Task RunJobsSeeingTheEnvironment(RunnerRig rig)
    {
        var script = rig.Script("env", """
            echo "job=$RINGRIFT_JOB_ID type=$RINGRIFT_WORK_TYPE node=$RINGRIFT_NODE_ID data=$RINGRIFT_DATA_DIR"
            echo "cuda=[$CUDA_VISIBLE_DEVICES] omp=$OMP_NUM_THREADS secret=[$RINGRIFT_P2P_RUNNER_TEST_SECRET]"
            """);
        var jobs = rig.Jobs(entries:
        [
            RunnerRig.Entry("selfplay", script, "env: {OMP_NUM_THREADS: \"4\"}"),
            RunnerRig.Entry("sync", script),
        ]);
        await rig.StartedRunner(jobs, gpuCount: 2);
        rig.Claimed("g1");
        rig.Claimed("g2");
        rig.Claimed("s1", JobType.Sync);
        await rig.WaitForEnd("g1");
        await rig.WaitForEnd("g2");
        await rig.WaitForEnd("s1");
    }

    [Fact]
    public async Task Restart_ReattachesToALiveProcess_AndCompletesFromItsLog()
    {
        await using var rig = new RunnerRig();
        var script = rig.Script("steady", rig.WaitForRelease + "\necho '{\"result\": {\"elo\": 1512}}'");
        var jobs = rig.Jobs("evaluation", script);
        var first = await rig.StartedRunner(jobs);
        rig.Claimed("e1", JobType.Evaluation);
        await RunnerRig.WaitUntil(() => first.Snapshot().Running.Any(j => j.Pid is not null), "the job to start");
        var pid = first.Snapshot().Running.Single().Pid!.Value;

        await first.DisposeAsync(); // node restart: the runner goes, the process stays
        Assert.True(ProcessProbe.IsAlive(pid, null), "the job survived the runner");
        Assert.True(File.Exists(JobFiles.StatePath(rig.DataDir, "e1")));

        var second = await rig.StartedRunner(jobs);
        Assert.Equal(pid, second.Snapshot().Running.Single().Pid);
        rig.Release();
        var done = await rig.WaitForEnd("e1");
        Assert.Equal(WorkStatus.Completed, done.Status);
        Assert.Equal(1512, done.Result!["elo"]!.GetValue<int>());
        Assert.Equal(["start e1", "complete e1"], rig.Port.Calls);
    }

    [Fact]
    public async Task Restart_WithADeadProcessAndNoResult_Fails()
    {
        await using var rig = new RunnerRig();
        var jobs = rig.Jobs("selfplay", rig.Script("quiet", rig.WaitForRelease + "\necho 'no result printed'"));
        var first = await rig.StartedRunner(jobs);
        rig.Claimed("q1");
        await RunnerRig.WaitUntil(() => first.Snapshot().Running.Any(j => j.Pid is not null), "the job to start");
        var pid = first.Snapshot().Running.Single().Pid!.Value;
        await first.DisposeAsync();
        rig.Release();
        await RunnerRig.WaitUntil(() => !ProcessProbe.IsAlive(pid, null), "the job to end while no runner watches");

        await rig.StartedRunner(jobs);
        var done = await rig.WaitForEnd("q1");
        Assert.Equal(WorkStatus.Failed, done.Status);
        Assert.StartsWith("exit status unknown after node restart", done.Error);
        Assert.Contains("no result printed", done.Error);
    }

    [Fact]
    public async Task Restart_RunningItemWithoutStateFile_FailsAsLost()
    {
        await using var rig = new RunnerRig();
        rig.Port.Add(rig.Claimed("lost1") with { Status = WorkStatus.Running });
        await rig.StartedRunner(rig.Jobs("selfplay", rig.Script("never", "exit 0")));

        var done = await rig.WaitForEnd("lost1");
        Assert.Equal("job process lost (node restarted)", done.Error);
        Assert.Equal(["fail lost1"], rig.Port.Calls);
    }

    [Fact]
    public async Task MissingPlaceholderValue_FailsNamingIt_WithoutStarting()
    {
        await using var rig = new RunnerRig();
        var jobs = JobsFile.Parse("jobs:\n  selfplay:\n    command: [\"/bin/echo\", \"--games\", \"{games}\"]\n", "jobs.yaml", rig.Dir);
        await rig.StartedRunner(jobs);
        rig.Claimed("p1", config: new JsonObject { ["board_type"] = "hex8", ["num_players"] = 2 });

        var done = await rig.WaitForEnd("p1");
        Assert.Contains("{games}", done.Error);
        Assert.Equal(["fail p1"], rig.Port.Calls);
    }

    [Fact]
    public async Task WorkTypeWithoutCommand_FailsNamingTheType()
    {
        await using var rig = new RunnerRig();
        await rig.StartedRunner(rig.Jobs("selfplay", rig.Script("sp", "exit 0")));
        rig.Claimed("tr1", JobType.Training);

        var done = await rig.WaitForEnd("tr1");
        Assert.Equal("this node's jobs file has no command for work type 'training' (it defines: selfplay)", done.Error);
    }

    [Fact]
    public async Task BeforeStartHookThrows_FailsWithItsMessage()
    {
        await using var rig = new RunnerRig();
        var runner = rig.Runner(rig.Jobs("training", rig.Script("t", "exit 0")),
            beforeStart: (_, _) => throw new IOException("no peer has games/hex8_2p"));
        await runner.StartAsync(CancellationToken.None);
        rig.Claimed("h1", JobType.Training);

        var done = await rig.WaitForEnd("h1");
        Assert.Equal("before start: no peer has games/hex8_2p", done.Error);
        Assert.Equal(["start h1", "fail h1"], rig.Port.Calls);
    }

    [Fact]
    public async Task Pull_ClaimsPendingWorkOfItsCapabilities_WhenSlotsAreFree()
    {
        await using var rig = new RunnerRig();
        await rig.StartedRunner(rig.Jobs("selfplay", rig.Script("ok", "echo '{\"result\": {}}'")), pull: true);
        rig.Port.Add(new WorkItem { WorkId = "t-other", WorkType = JobType.Training });
        rig.Port.Add(new WorkItem { WorkId = "sp-1", WorkType = JobType.Selfplay, Config = new JsonObject { ["games"] = 5 } });

        var done = await rig.WaitForEnd("sp-1");
        Assert.Equal(WorkStatus.Completed, done.Status);
        Assert.Equal(RunnerRig.NodeId, done.ClaimedBy);
        Assert.Equal(WorkStatus.Pending, rig.Port.Get("t-other").Status); // not a capability of this node
    }

    [Fact]
    public async Task Snapshot_ReportsCapacityAndCapabilities()
    {
        await using var rig = new RunnerRig();
        var jobs = rig.Jobs(cpu: 3, perGpu: 2, entries: [RunnerRig.Entry("sync", "/x"), RunnerRig.Entry("selfplay", "/y")]);
        var runner = rig.Runner(jobs, gpuCount: 2);

        Assert.Equal(4, runner.GpuSlots);
        Assert.Equal(3, runner.CpuSlots);
        Assert.Equal([JobType.Selfplay, JobType.Sync], runner.Capabilities);
        var snapshot = runner.Snapshot();
        Assert.Equal(new SlotUsage(4, 0), snapshot.GpuSlots);
        Assert.Equal(new SlotUsage(3, 0), snapshot.CpuSlots);
        Assert.True(snapshot.ProcessGroups);
    }
}
