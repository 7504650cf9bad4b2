using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>
/// A temp folder with /bin/sh job scripts, a jobs file, an in-memory queue and runners polling every
/// 50 ms on the real clock (the jobs are real child processes). Disposing stops the runners and
/// kills whatever job processes are still recorded, then deletes the folder.
/// </summary>
internal sealed class RunnerRig : IAsyncDisposable
{
    public const string NodeId = "node-a";
    private readonly List<JobRunner> _runners = [];

    public RunnerRig()
    {
        Dir = Path.Combine(Path.GetTempPath(), "ringrift-jobs-" + Guid.NewGuid().ToString("N")[..12]);
        DataDir = Path.Combine(Dir, "data");
        Directory.CreateDirectory(DataDir);
    }

    public string Dir { get; }
    public string DataDir { get; }
    public InMemoryRunnerPort Port { get; } = new();

    /// <summary>Writes <c>&lt;name&gt;.sh</c> and returns its path.</summary>
    public string Script(string name, string body)
    {
        var path = Path.Combine(Dir, name + ".sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        return path;
    }

    /// <summary>One entry under <c>jobs:</c> running <paramref name="script"/> with /bin/sh; <paramref name="extra"/> are further job keys.</summary>
    public static string Entry(string type, string script, params string[] extra) =>
        $"  {type}:\n    command: [\"/bin/sh\", \"{script}\"]\n" + string.Concat(extra.Select(e => $"    {e}\n"));

    public JobsFile Jobs(double grace = 0.3, int cpu = 2, int perGpu = 1, params string[] entries) =>
        JobsFile.Parse($"slots:\n  per_gpu: {perGpu}\n  cpu: {cpu}\ngrace_seconds: {grace}\njobs:\n" + string.Concat(entries), "jobs.yaml", Dir);

    /// <summary>A jobs file whose <paramref name="type"/> job runs <paramref name="script"/>.</summary>
    public JobsFile Jobs(string type, string script) => Jobs(entries: Entry(type, script));

    public JobRunner Runner(JobsFile jobs, int gpuCount = 0, bool pull = false, Func<WorkItem, CancellationToken, Task>? beforeStart = null)
    {
        var runner = new JobRunner(
            new JobRunnerOptions
            {
                NodeId = NodeId,
                DataDir = DataDir,
                Jobs = jobs,
                GpuCount = gpuCount,
                PollInterval = TimeSpan.FromMilliseconds(50),
                PullWork = pull,
            },
            Port, TimeProvider.System, NullLogger<JobRunner>.Instance)
        { BeforeStart = beforeStart };
        _runners.Add(runner);
        return runner;
    }

    public async Task<JobRunner> StartedRunner(JobsFile jobs, int gpuCount = 0, bool pull = false)
    {
        var runner = Runner(jobs, gpuCount, pull);
        await runner.StartAsync(CancellationToken.None);
        return runner;
    }

    /// <summary>Puts an item on this node, claimed (as the leader's dispatch does).</summary>
    public WorkItem Claimed(string workId, JobType type = JobType.Selfplay, JsonObject? config = null, double timeoutSeconds = 30) =>
        Port.Add(new WorkItem
        {
            WorkId = workId,
            WorkType = type,
            Config = config ?? new JsonObject { ["board_type"] = "hex8", ["num_players"] = 2, ["games"] = 10 },
            Status = WorkStatus.Claimed,
            ClaimedBy = NodeId,
            Attempts = 1,
            TimeoutSeconds = timeoutSeconds,
        });

    /// <summary>Polls the queue until the item satisfies <paramref name="until"/>; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<WorkItem> WaitFor(string workId, Func<WorkItem, bool> until, double seconds = 5)
    {
        await WaitUntil(() => until(Port.Get(workId)), $"work item {workId} to reach the expected state (now {Port.Get(workId).Status})", seconds);
        return Port.Get(workId);
    }

    public Task<WorkItem> WaitForEnd(string workId, double seconds = 5) =>
        WaitFor(workId, i => i.Status is WorkStatus.Completed or WorkStatus.Failed, seconds);

    public static async Task WaitUntil(Func<bool> condition, string what, double seconds = 5)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) Assert.Fail($"timed out after {seconds} s waiting for {what}");
            await Task.Delay(20);
        }
    }

    public string LogOf(string workId) => File.ReadAllText(JobFiles.LogPath(DataDir, JobFiles.JobId(workId)));

    public async ValueTask DisposeAsync()
    {
        foreach (var runner in _runners) await runner.DisposeAsync();
        var running = Path.Combine(DataDir, JobFiles.RunningDir);
        if (Directory.Exists(running))
        {
            foreach (var file in Directory.EnumerateFiles(running, "*.json"))
            {
                var state = System.Text.Json.JsonSerializer.Deserialize<RunningJobState>(File.ReadAllText(file), Json.P2PJson.Options);
                if (state is not null && ProcessProbe.IsAlive(state.Pid, state.ProcessStartTime))
                    ProcessSignals.Send(state.Pid, state.ProcessGroup, ProcessSignals.SigKill);
            }
        }
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
