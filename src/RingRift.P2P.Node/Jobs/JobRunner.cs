using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;
using RingRift.P2P.Loops;
using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Jobs/ holds the job runner: the jobs file, placing work on this node's slots, and the processes it starts and watches.
/// Runs the work placed on this node (one runner per node). Every <see cref="JobRunnerOptions.PollInterval"/>
/// it asks the queue for the items claimed by this node; each claimed item that is not running here
/// and finds a free slot of its kind (<see cref="JobSlots.KindOf"/>) is started on the queue and then
/// spawned from its <see cref="JobTemplate"/>; with slots left and <see cref="JobRunnerOptions.PullWork"/>
/// it claims more itself. Items that disappear from the node's list are killed without a queue call.
/// </summary>
/// <remarks>
/// Processes outlive the runner: <see cref="StopAsync"/> stops watching them and leaves them and their
/// state files (<c>jobs/running/</c>) behind, and the next runner reattaches to them or, when they
/// are gone, decides their outcome from the log. Items this node holds as running with no state file
/// are failed ("job process lost (node restarted)"), so no claimed item is left hanging.
/// </remarks>
public sealed partial class JobRunner : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan FinishedMemory = TimeSpan.FromMinutes(10);

    private readonly JobRunnerOptions _options;
    private readonly IRunnerWorkPort _port;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _dataDir;
    private readonly string _programPath;
    private readonly string? _setsid;
    private readonly RunningJobStore _store;
    private readonly JobSlotPool _slots;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RunningJob> _jobs = new(StringComparer.Ordinal);
    /// <summary>Items whose outcome was reported lately: a stale queue view must not restart or "lose" them.</summary>
    /// <summary>
    /// Items whose job ended here lately, with the attempt it ran (the item's attempts count when accepted): the
    /// queue may still list that claim for a moment, and it must not run twice; a later claim of the same item
    /// (a retry placed on this node again) has a higher count and runs.
    /// </summary>
    private readonly Dictionary<string, (DateTimeOffset At, int Attempt)> _finished = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private Task _loop = Task.CompletedTask;
    private int _startCalls;
    private DateTimeOffset? _assignedFailingSince;
    private bool _pausedForStorage;
    private long _started, _completed, _failed, _cancelled, _timedOut;

    public JobRunner(JobRunnerOptions options, IRunnerWorkPort port, TimeProvider time, ILogger<JobRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _port = port;
        _time = time;
        _logger = logger;
        _dataDir = Path.GetFullPath(options.DataDir);
        _programPath = options.ProgramPath ?? JobCommandBuilder.DefaultProgramPath();
        _setsid = options.SetsidPath ?? JobProcessLauncher.FindSetsid();
        _store = new RunningJobStore(_dataDir);
        _slots = new JobSlotPool(options.GpuCount, options.Jobs.PerGpu, options.Jobs.CpuSlots);
    }

    /// <summary>
    /// Runs after the queue accepted the start and before the process is spawned (the node pulls the
    /// data a training job needs here). The token is cancelled when the item stops being this node's
    /// or the runner stops. If it throws, the item fails with the exception's message.
    /// </summary>
    public Func<WorkItem, CancellationToken, Task>? BeforeStart { get; set; }

    /// <summary>
    /// Called once per job whose outcome is known, before it is reported: its type, how long its process ran
    /// (zero when it never started) and the outcome (<c>completed</c>, <c>failed</c> or <c>timed_out</c>). Must not throw.
    /// </summary>
    public Action<JobType, TimeSpan, string>? Finished { get; set; }

    /// <summary>
    /// The node's storage flag, or null. While it says the data dir is full the runner starts no job (a job's
    /// log and state file would not fit): claimed items wait and nothing more is pulled, until space returns.
    /// A job state file that cannot be written for lack of space is reported to it. Set before <see cref="StartAsync"/>.
    /// </summary>
    public RingRift.P2P.Storage.StorageHealth? Storage { get; set; }

    /// <summary>Where each poll is reported as one run of the <c>job_runner</c> loop; none when null. Set before <see cref="StartAsync"/>.</summary>
    public LoopTracker? Loop { get; set; }

    /// <summary>The job types this node runs: those its jobs file defines.</summary>
    public IReadOnlyList<JobType> Capabilities => _options.Jobs.Capabilities;

    /// <summary>Types besides sync this node runs on CPU slots (its jobs file's <c>slots: cpu</c>).</summary>
    public IReadOnlyList<JobType> CpuJobTypes => _options.Jobs.CpuJobTypes;

    private SlotKind SlotOf(JobType type) => JobSlots.KindOf(type, _slots.GpuTotal, _options.Jobs.CpuJobTypes);

    /// <summary>GPU slot capacity: GPU count × per_gpu (advertised as NodeSummary.GpuSlots).</summary>
    public int GpuSlots => _slots.GpuTotal;

    /// <summary>CPU slot capacity: the jobs file's <c>slots.cpu</c> (advertised as NodeSummary.CpuSlots).</summary>
    public int CpuSlots => _slots.CpuTotal;

    /// <summary>Jobs this runner holds now (starting, running or reporting), as the snapshot's list counts them.</summary>
    public int ActiveJobs
    {
        get { lock (_gate) return _jobs.Count; }
    }

    /// <summary>True when jobs get their own process group (setsid found), so stopping reaches their children too.</summary>
    public bool ProcessGroups => _setsid is not null;

    /// <summary>Picks up the jobs a previous runner left (reattach or decide), then starts the poll loop.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _startCalls, 1) != 0) throw new InvalidOperationException("the job runner was already started");
        Directory.CreateDirectory(_dataDir);
        if (_setsid is null) _logger.NoSetsid();
        Reconcile();
        _loop = LoopAsync(_shutdown.Token);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops polling and watching. Running processes are NOT killed and their state files stay, so a
    /// restarted node reattaches to them.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_shutdown.IsCancellationRequested) await _shutdown.CancelAsync();
        await _loop;
        Task[] tasks;
        lock (_gate) tasks = _jobs.Values.Select(j => j.Task).ToArray();
        await Task.WhenAll(tasks);
        lock (_gate)
        {
            foreach (var job in _jobs.Values) job.Process?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _shutdown.Dispose();
    }

    /// <summary>Running jobs, slot use and counters, for <c>/status</c>.</summary>
    public JobRunnerSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new JobRunnerSnapshot(
                _jobs.Values.OrderBy(j => j.AddedAt).ThenBy(j => j.WorkId, StringComparer.Ordinal).Select(j => j.ToInfo()).ToArray(),
                new SlotUsage(_slots.GpuTotal, _slots.GpuUsed),
                new SlotUsage(_slots.CpuTotal, _slots.CpuUsed),
                new JobCounters(Interlocked.Read(ref _started), Interlocked.Read(ref _completed), Interlocked.Read(ref _failed),
                    Interlocked.Read(ref _cancelled), Interlocked.Read(ref _timedOut)),
                Capabilities,
                ProcessGroups);
        }
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.PollInterval, _time);
            do
            {
                try
                {
                    if (Loop is { } loop) await loop.RunAsync(StepAsync, ct);
                    else await StepAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _logger.StepFailed(e);
                }
            } while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>
    /// One pass: revoke jobs whose items are no longer this node's, fail running items with no
    /// process here, start claimed items that fit a free slot, then pull more when slots are left.
    /// </summary>
    internal async Task StepAsync(CancellationToken ct)
    {
        var fetchedAt = _time.GetUtcNow();
        IReadOnlyList<WorkItem> items;
        try
        {
            items = await _port.GetAssignedAsync(_options.NodeId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Once per outage (and then every minute), not every poll: "no leader" can last a while.
            var now = _time.GetUtcNow();
            if (_assignedFailingSince is null || now - _assignedFailingSince >= TimeSpan.FromMinutes(1))
            {
                _assignedFailingSince = now;
                _logger.AssignedFailed(e.Message);
            }
            return;
        }
        _assignedFailingSince = null;

        var assigned = new Dictionary<string, WorkItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.ClaimedBy != _options.NodeId || item.Status is not (WorkStatus.Claimed or WorkStatus.Running)) continue;
            assigned.TryAdd(item.WorkId, item);
        }

        var revoke = new List<RunningJob>();
        var lost = new List<WorkItem>();
        var claimed = new List<WorkItem>();
        lock (_gate)
        {
            foreach (var (id, done) in _finished.ToArray())
            {
                if (fetchedAt - done.At > FinishedMemory) _finished.Remove(id);
            }
            foreach (var job in _jobs.Values)
            {
                if (job.Phase == JobPhase.Finishing || job.Revoked.IsCancellationRequested) continue; // outcome under way / already revoked
                if (job.AddedAt > fetchedAt) continue; // taken on after this list was asked for
                if (!assigned.ContainsKey(job.WorkId)) revoke.Add(job);
            }
            foreach (var item in assigned.Values.OrderByDescending(i => i.Priority).ThenBy(i => i.CreatedAt).ThenBy(i => i.WorkId, StringComparer.Ordinal))
            {
                if (_jobs.ContainsKey(item.WorkId) || (_finished.TryGetValue(item.WorkId, out var done) && item.Attempts <= done.Attempt)) continue;
                (item.Status == WorkStatus.Running ? lost : claimed).Add(item);
            }
        }

        foreach (var job in revoke)
        {
            _logger.JobRevoked(job.JobId);
            await job.Revoked.CancelAsync();
        }
        foreach (var item in lost) await FailUntrackedAsync(item, "job process lost (node restarted)", ct);
        if (StorageFull()) return;
        foreach (var item in claimed) await AcceptAsync(item, ct);
        if (_options.PullWork) await PullAsync(ct);
    }

    /// <summary>True (logged once per episode) while <see cref="Storage"/> says the data dir is full and space has not returned.</summary>
    private bool StorageFull()
    {
        if (Storage is not { } storage || storage.TryRecover())
        {
            _pausedForStorage = false;
            return false;
        }
        if (!_pausedForStorage) _logger.PausedForStorage(storage.Current.Error ?? storage.Directory);
        _pausedForStorage = true;
        return true;
    }

    private async Task PullAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            JobType[] types;
            lock (_gate) types = Capabilities.Where(t => _slots.HasFree(SlotOf(t))).ToArray();
            if (types.Length == 0) return;
            WorkItem? item;
            try
            {
                item = await _port.ClaimNextAsync(_options.NodeId, types, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _logger.PullFailed(e.Message);
                return;
            }
            if (item is null) return;
            if (!await AcceptAsync(item, ct)) return;
        }
    }

    /// <summary>
    /// Takes a claimed item on: fails it at once when this node has no command for its type, else
    /// takes a slot and launches its job. False when no slot of its kind is free (it stays claimed).
    /// </summary>
    private async Task<bool> AcceptAsync(WorkItem item, CancellationToken ct)
    {
        if (!_options.Jobs.Jobs.TryGetValue(item.WorkType, out var template))
        {
            var defined = Capabilities.Count == 0 ? "none" : string.Join(", ", Capabilities.Select(t => t.Name));
            await FailUntrackedAsync(item, $"this node's jobs file has no command for work type '{item.WorkType.Name}' (it defines: {defined})", ct);
            return true;
        }
        var kind = SlotOf(item.WorkType);
        RunningJob job;
        lock (_gate)
        {
            if (_jobs.ContainsKey(item.WorkId)) return true;
            if (!_slots.TryTake(kind, out var slot)) return false;
            var jobId = JobFiles.JobId(item.WorkId);
            var logFile = JobFiles.LogPath(_dataDir, jobId);
            job = new RunningJob
            {
                WorkId = item.WorkId,
                JobId = jobId,
                WorkType = item.WorkType,
                Attempt = item.Attempts,
                SlotKind = kind,
                Slot = slot,
                Gpu = _slots.GpuOf(kind, slot),
                LogFile = logFile,
                AddedAt = _time.GetUtcNow(),
                Log = new JobLogReader(logFile, LogLength(logFile)),
            };
            _jobs[item.WorkId] = job;
        }
        job.Task = Task.Run(() => RunAsync(job, item, template));
        return true;
    }

    /// <summary>Fails an item this node holds but runs no process for; a transport failure leaves it for the next pass.</summary>
    private async Task FailUntrackedAsync(WorkItem item, string error, CancellationToken ct)
    {
        try
        {
            await _port.FailAsync(item.WorkId, _options.NodeId, error, ct);
            Interlocked.Increment(ref _failed);
            _logger.JobFailed(JobFiles.JobId(item.WorkId), error);
        }
        catch (Exception e) when (e is WorkConflictException or WorkNotFoundException)
        {
            _logger.TransitionRefused("fail", JobFiles.JobId(item.WorkId), e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _logger.ReportRetry("fail", JobFiles.JobId(item.WorkId), e.Message);
            return;
        }
        lock (_gate) _finished[item.WorkId] = (_time.GetUtcNow(), item.Attempts);
    }

    /// <summary>Forgets a job and frees its slot; <paramref name="finished"/> remembers its item as done.</summary>
    private void Drop(RunningJob job, bool finished)
    {
        lock (_gate)
        {
            if (_jobs.TryGetValue(job.WorkId, out var current) && ReferenceEquals(current, job)) _jobs.Remove(job.WorkId);
            if (job.Slot >= 0) _slots.Release(job.SlotKind, job.Slot);
            if (finished) _finished[job.WorkId] = (_time.GetUtcNow(), job.Attempt);
        }
        job.Process?.Dispose();
    }

    private static long LogLength(string path)
    {
        try { return new FileInfo(path).Exists ? new FileInfo(path).Length : 0; }
        catch (IOException) { return 0; }
    }
}
