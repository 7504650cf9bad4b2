using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Coordination;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>
/// A temp folder with /bin/sh job scripts, a jobs file, an in-memory queue and runners polling every
/// 50 ms on the real clock, or on a fake one a test moves (the jobs are real child processes). A script
/// can hold its job until the test calls <see cref="Release"/>. Disposing stops the runners and kills
/// whatever job processes are still recorded, then deletes the folder.
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

    /// <summary>Step by which <see cref="AdvanceUntil"/> moves a fake clock: twice the poll interval.</summary>
    private static readonly TimeSpan FakeClockStep = TimeSpan.FromMilliseconds(100);

    private string ReleaseFile => Path.Combine(Dir, "release");

    /// <summary>
    /// A script line that blocks until <see cref="Release"/>: keeps a job running, in a state the test
    /// can look at, for as long as the test needs (no race against a <c>sleep</c>).
    /// </summary>
    public string WaitForRelease => $"while [ ! -e \"{ReleaseFile}\" ]; do sleep 0.02; done";

    /// <summary>Lets every job blocked in <see cref="WaitForRelease"/> go on.</summary>
    public void Release() => File.WriteAllText(ReleaseFile, "");

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

    /// <param name="time">The runner's clock (the real one when null).</param>
    public JobRunner Runner(JobsFile jobs, int gpuCount = 0, bool pull = false, Func<WorkItem, CancellationToken, Task>? beforeStart = null,
        TimeProvider? time = null)
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
            Port, time ?? TimeProvider.System, NullLogger<JobRunner>.Instance)
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
    public WorkItem Claimed(string workId, JobType type = default, JsonObject? config = null, double timeoutSeconds = 30) =>
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

    /// <summary>Polls the queue until the item satisfies <paramref name="until"/>; returns it then.</summary>
    public Task<WorkItem> WaitFor(string workId, Func<WorkItem, bool> until, string what) =>
        Eventually.Until(() => Port.Get(workId), until, $"work item {workId} {what}");

    public Task<WorkItem> WaitForEnd(string workId) =>
        WaitFor(workId, i => i.Status is WorkStatus.Completed or WorkStatus.Failed, "to be completed or failed");

    public static Task WaitUntil(Func<bool> condition, string what) => Eventually.Until(condition, what);

    /// <summary>
    /// Moves <paramref name="time"/> on a step at a time until <paramref name="condition"/> holds (checked
    /// before every step). In steps, because the runner sets its next timer only after the last one fired:
    /// one long jump could leave that timer in the future for good.
    /// </summary>
    public static Task AdvanceUntil(FakeTimeProvider time, Func<bool> condition, string what) =>
        Eventually.Until(() =>
        {
            if (condition()) return true;
            time.Advance(FakeClockStep);
            return false;
        }, what + $" (fake clock at {time.GetUtcNow():HH:mm:ss.fff})");

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
