namespace RingRift.P2P.Loops;

/// <summary>
/// What one background loop has done: runs, failures, the last run's start, duration and error.
/// The loop calls <see cref="Started"/> and <see cref="Finished"/> around each step (or
/// <see cref="RunAsync"/>); <see cref="Snapshot"/> judges it. Decisions use the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>); wall-clock times are only reported. Thread-safe.
/// </summary>
public sealed class LoopTracker
{
    /// <summary>A periodic loop whose last run started more than this many intervals ago is stalled.</summary>
    public const int StallIntervals = 3;

    /// <summary>A loop whose last this-many runs all failed is failing.</summary>
    public const int FailingRuns = 3;

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly long _registeredAt;
    private TimeSpan? _interval;
    private long _runs, _failures;
    private int _consecutiveFailures;
    private long? _lastStart;
    private long? _runningSince;
    private DateTimeOffset? _lastRunAt;
    private TimeSpan? _lastDuration;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;

    internal LoopTracker(string name, TimeSpan? interval, TimeProvider time)
    {
        Name = name;
        _interval = interval;
        _time = time;
        _registeredAt = time.GetTimestamp();
    }

    public string Name { get; }

    /// <summary>Time between runs; null for a loop driven by events, which never stalls (it may still fail).</summary>
    public TimeSpan? Interval
    {
        get { lock (_gate) return _interval; }
        set { lock (_gate) _interval = value; }
    }

    /// <summary>Failures in a row up to the last finished run (0 after a success).</summary>
    public int ConsecutiveFailures
    {
        get { lock (_gate) return _consecutiveFailures; }
    }

    /// <summary>Marks the start of a run; pass the result to <see cref="Finished"/>.</summary>
    public long Started()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _lastStart = now;
            _runningSince = now;
            _lastRunAt = _time.GetUtcNow();
        }
        return now;
    }

    /// <summary>Ends the run begun at <paramref name="startedAt"/>; <paramref name="error"/> null means it succeeded.</summary>
    public void Finished(long startedAt, Exception? error = null) =>
        Finished(startedAt, error is null ? null : $"{error.GetType().Name}: {error.Message}");

    /// <summary>Ends the run begun at <paramref name="startedAt"/>; <paramref name="error"/> says why it failed, null when it did not.</summary>
    public void Finished(long startedAt, string? error)
    {
        var duration = _time.GetElapsedTime(startedAt);
        lock (_gate)
        {
            _runs++;
            _lastDuration = duration;
            if (_runningSince == startedAt) _runningSince = null;
            if (error is null)
            {
                _consecutiveFailures = 0;
                return;
            }
            _failures++;
            _consecutiveFailures++;
            _lastError = error;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> as one run. Cancellation through <paramref name="ct"/> (shutdown)
    /// is not a failure: the run is not counted and the exception passes on, as does any failure.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> step, CancellationToken ct)
    {
        var started = Started();
        try
        {
            await step(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            lock (_gate) if (_runningSince == started) _runningSince = null;
            throw;
        }
        catch (Exception error)
        {
            Finished(started, error);
            throw;
        }
        Finished(started);
    }

    /// <summary>The loop as it stands now.</summary>
    public LoopStatus Snapshot()
    {
        var now = _time.GetTimestamp();
        var wallNow = _time.GetUtcNow();
        lock (_gate)
        {
            var sinceStart = _time.GetElapsedTime(_lastStart ?? _registeredAt, now);
            var state = _interval is { } interval && sinceStart > interval * StallIntervals ? LoopState.Stalled
                : _consecutiveFailures >= FailingRuns ? LoopState.Failing
                : _runs == 0 && _runningSince is null ? LoopState.Starting
                : LoopState.Ok;
            DateTimeOffset? nextDue = _interval is { } i ? (_lastRunAt ?? wallNow - sinceStart) + i : null;
            return new LoopStatus(
                Name,
                state,
                state is LoopState.Ok or LoopState.Starting,
                _interval is { } seconds ? Math.Round(seconds.TotalSeconds, 3) : null,
                _runs,
                _failures,
                _consecutiveFailures,
                Unix(_lastRunAt),
                _lastDuration is { } d ? Math.Round(d.TotalMilliseconds, 3) : null,
                _lastStart is null ? null : Math.Round(sinceStart.TotalSeconds, 3),
                _runningSince is { } running ? Math.Round(_time.GetElapsedTime(running, now).TotalSeconds, 3) : null,
                Unix(nextDue),
                _lastError,
                Unix(_lastErrorAt));
        }
    }

    private static double? Unix(DateTimeOffset? at) => at is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : null;
}
