using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RingRift.P2P.Coordination;
using RingRift.P2P.Loops;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Training;

/// <summary>
/// The leader's training-trigger loop. Every <see cref="Interval"/> (<c>RINGRIFT_P2P_JOB_CHECK_INTERVAL</c>,
/// 15 s by default) it reads the queue, derives the training state with
/// <see cref="TrainingPlanner.Evaluate"/> and, only while <c>isLeader()</c> says so:
/// queues an evaluation (<c>eval-&lt;training id&gt;</c>) for each finished training;
/// queues a training (<c>train-&lt;config&gt;-&lt;n&gt;</c>) for the highest-priority configurations
/// whose decision is <c>trigger</c>, at most <see cref="TrainingOptions.MaxConcurrentTrainings"/> in
/// flight overall and one per configuration; keeps <see cref="TrainingOptions.SelfplayBacklog"/>
/// self-play items (<c>selfplay-&lt;config&gt;-&lt;n&gt;</c>) queued for each of
/// <see cref="TrainingOptions.SelfplayConfigs"/>; and announces training_triggered,
/// training_complete, model_promoted and work_failed.
/// </summary>
/// <remarks>
/// <para>Ids are deterministic functions of the queue, so two leaders (or a retried tick) choose the
/// same id and the queue's <see cref="DuplicateWorkException"/> stops the second copy.</para>
/// <para>Announcements are remembered in memory. The first acting tick after this node gains
/// leadership only remembers what has already finished (a new leader does not replay history);
/// losing leadership forgets, so the next term seeds again.</para>
/// <para>The queue is read with <see cref="IWorkQueue.ListWorkAsync"/> per status, at most
/// <see cref="ListLimit"/> items each (newest first).</para>
/// </remarks>
public sealed partial class TrainingLoop
{
    /// <summary>Items read per status each tick.</summary>
    public const int ListLimit = 10_000;

    private static readonly WorkStatus[] AllStatuses = Enum.GetValues<WorkStatus>();

    private readonly Func<IWorkQueue?> _queue;
    private readonly Func<bool> _isLeader;
    private readonly TrainingThresholds _thresholds;
    private readonly TrainingOptions _options;
    private readonly IClusterEventPublisher? _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _tickGate = new(1, 1);
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private bool _seeded;
    private long _ticks;

    /// <param name="queue">The queue to read and add to; null from the function means "no queue right now" (the tick stands by).</param>
    /// <param name="isLeader">True while this node is the leader that serves the queue.</param>
    /// <param name="interval">Time between ticks (the node's JobCheckInterval).</param>
    /// <param name="thresholds">Trigger thresholds; defaults when null.</param>
    /// <param name="options">Loop options; defaults when null.</param>
    /// <param name="events">Where announcements go; none when null (they are still in <see cref="TrainingTick.Events"/>).</param>
    /// <param name="time">Clock for ticks and item ages; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public TrainingLoop(
        Func<IWorkQueue?> queue,
        Func<bool> isLeader,
        TimeSpan interval,
        TrainingThresholds? thresholds = null,
        TrainingOptions? options = null,
        IClusterEventPublisher? events = null,
        TimeProvider? time = null,
        ILogger<TrainingLoop>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(isLeader);
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"interval must be positive, got {interval}");
        _queue = queue;
        _isLeader = isLeader;
        Interval = interval;
        _thresholds = thresholds ?? new TrainingThresholds();
        _options = options ?? new TrainingOptions();
        _events = events;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>A loop over a fixed queue.</summary>
    public TrainingLoop(
        IWorkQueue queue,
        Func<bool> isLeader,
        TimeSpan interval,
        TrainingThresholds? thresholds = null,
        TrainingOptions? options = null,
        IClusterEventPublisher? events = null,
        TimeProvider? time = null,
        ILogger<TrainingLoop>? logger = null)
        : this(Fixed(queue), isLeader, interval, thresholds, options, events, time, logger)
    {
    }

    /// <summary>Time between ticks of <see cref="RunAsync"/>.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The snapshot of the last acting tick, null before one (or on a node that does not lead).</summary>
    public TrainingSnapshot? Latest { get; private set; }

    /// <summary>Where each tick of <see cref="RunAsync"/> is reported as one run of the loop; none when null. Set before <see cref="RunAsync"/>.</summary>
    public LoopTracker? Loop { get; set; }

    /// <summary>Ticks completed (acting or standing by).</summary>
    public long TickCount => Interlocked.Read(ref _ticks);

    /// <summary>Raised after every tick of <see cref="RunAsync"/> and <see cref="TickAsync"/>, on the ticking thread.</summary>
    public event Action<TrainingTick>? TickCompleted;

    /// <summary>
    /// Ticks every <see cref="Interval"/> on the injected clock (the first tick one interval after
    /// the start) until <paramref name="ct"/> is cancelled. A failing tick is logged and the loop
    /// goes on; cancellation ends it quietly.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    if (Loop is { } loop) await loop.RunAsync(c => TickAsync(c), ct).ConfigureAwait(false);
                    else await TickAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    TrainingLog.TickFailed(_logger, ex, ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // shutdown
        }
    }

    /// <summary>
    /// One pass: stands by (and forgets announcements) unless this node leads and a queue is
    /// available; otherwise evaluates, enqueues and announces as described on <see cref="TrainingLoop"/>.
    /// Ticks never overlap: a second caller waits for the first.
    /// </summary>
    public async Task<TrainingTick> TickAsync(CancellationToken ct = default)
    {
        await _tickGate.WaitAsync(ct).ConfigureAwait(false);
        TrainingTick tick;
        try
        {
            tick = await TickCoreAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _tickGate.Release();
        }
        Interlocked.Increment(ref _ticks);
        TickCompleted?.Invoke(tick);
        return tick;
    }

    /// <summary>The training state of the queue as <paramref name="queue"/> (or the loop's queue) sees it now, without acting: for <c>/training/status</c> on any node.</summary>
    /// <exception cref="InvalidOperationException">No queue is given and the loop has none right now.</exception>
    public async Task<TrainingSnapshot> EvaluateAsync(IWorkQueue? queue = null, CancellationToken ct = default)
    {
        queue ??= _queue() ?? throw new InvalidOperationException("the training loop has no work queue right now");
        var items = await ListAllAsync(queue, ct).ConfigureAwait(false);
        return TrainingPlanner.Evaluate(items, UnixNow(), _thresholds, _options);
    }

    private async Task<TrainingTick> TickCoreAsync(CancellationToken ct)
    {
        var now = UnixNow();
        if (!_isLeader() || _queue() is not { } queue)
        {
            _seeded = false; // the next term starts by remembering, not announcing
            _announced.Clear();
            return TrainingTick.Idle(now);
        }

        var items = await ListAllAsync(queue, ct).ConfigureAwait(false);
        var snapshot = TrainingPlanner.Evaluate(items, now, _thresholds, _options);
        Latest = snapshot;
        var groups = ConfigItems.Group(items);

        var events = new List<TrainingEvent>();
        var seeded = !_seeded;
        if (seeded)
        {
            Remember(items, snapshot);
            _seeded = true;
            TrainingLog.Seeded(_logger, _announced.Count);
        }
        else
        {
            Announce(items, snapshot, groups, events);
        }

        var enqueued = new List<string>();
        await EnqueueEvaluationsAsync(queue, snapshot, groups, enqueued, ct).ConfigureAwait(false);
        await EnqueueTrainingsAsync(queue, snapshot, groups, enqueued, events, ct).ConfigureAwait(false);
        await EnqueueSelfplayAsync(queue, groups, enqueued, ct).ConfigureAwait(false);

        foreach (var e in events)
            _events?.Publish(e.Name, e.Payload);
        return new TrainingTick(now, true, snapshot, enqueued, events, seeded);
    }

    private static async Task<List<WorkItem>> ListAllAsync(IWorkQueue queue, CancellationToken ct)
    {
        var items = new List<WorkItem>();
        foreach (var status in AllStatuses)
            items.AddRange(await queue.ListWorkAsync(status, ListLimit, ct).ConfigureAwait(false));
        return items;
    }

    private double UnixNow() =>
        (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private static Func<IWorkQueue?> Fixed(IWorkQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return () => queue;
    }
}
