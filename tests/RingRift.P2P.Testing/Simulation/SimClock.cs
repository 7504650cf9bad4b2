namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// Virtual time for a deterministic simulation: a <see cref="TimeProvider"/> whose timers and scheduled
/// events sit in one binary heap ordered by (due time, insertion sequence) and run synchronously on the
/// thread that calls <see cref="RunUntil"/>, <see cref="RunFor"/> or <see cref="Step"/>. Time never moves
/// by itself, so a run replays exactly for the same inputs.
/// </summary>
/// <remarks>
/// <para>Time: <see cref="GetUtcNow"/> is <see cref="Start"/> plus the elapsed virtual time;
/// <see cref="GetTimestamp"/> is the elapsed virtual time in ticks and <see cref="TimestampFrequency"/> is
/// <see cref="TimeSpan.TicksPerSecond"/> (10,000,000), so <c>GetElapsedTime</c> is exact to the tick.
/// Start defaults to 2026-01-01T00:00:00Z.</para>
/// <para>Cost: O(log n) per scheduled event or timer (re)arm; cancelled and re-armed timers leave their
/// old heap entry behind and it is skipped when popped (lazy deletion).</para>
/// <para>Async code: while callbacks run, <see cref="SynchronizationContext.Current"/> is a context that
/// posts continuations back onto this clock at the current instant, so <c>await</c> (without
/// <c>ConfigureAwait(false)</c>) inside simulated code stays on the simulation thread and in order.
/// Work that escapes to the thread pool is not deterministic.</para>
/// <para>Scheduling is thread-safe; running is single-threaded and not re-entrant.</para>
/// </remarks>
public sealed class SimClock : TimeProvider
{
    /// <summary>Default start instant: 2026-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly PriorityQueue<(SimWork Work, long Version), SimEventKey> _queue = new();
    private readonly Lock _gate = new();
    private readonly SimSynchronizationContext _context;
    private long _nowTicks;
    private long _sequence;
    private long _live;
    private long _executed;
    private bool _running;
    private SynchronizationContext? _previousContext;

    /// <summary>Creates a clock at <paramref name="start"/> (default <see cref="DefaultStart"/>).</summary>
    public SimClock(DateTimeOffset? start = null)
    {
        Start = start ?? DefaultStart;
        _context = new SimSynchronizationContext(this);
    }

    /// <summary>The instant virtual time began.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The current virtual instant.</summary>
    public DateTimeOffset Now => Start + Elapsed;

    /// <summary>Virtual time since <see cref="Start"/>.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Volatile.Read(ref _nowTicks));

    /// <summary>Events and armed timers still to run (cancelled timers are not counted).</summary>
    public long PendingEvents => Interlocked.Read(ref _live);

    /// <summary>Events and timer ticks run so far (skipped stale entries are not counted).</summary>
    public long ExecutedEvents => Interlocked.Read(ref _executed);

    internal long NowTicks => Volatile.Read(ref _nowTicks);

    public override DateTimeOffset GetUtcNow() => Now;

    public override long GetTimestamp() => Volatile.Read(ref _nowTicks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>A timer on virtual time with <see cref="System.Threading.Timer"/> semantics; its
    /// callback runs on the simulation thread when the clock reaches the due time.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new SimTimer(this, callback, state, dueTime, period);
    }

    /// <summary>Runs <paramref name="action"/> once, <paramref name="delay"/> (≥ 0) from now; events due at
    /// the same instant run in the order they were scheduled.</summary>
    public void Schedule(TimeSpan delay, Action action)
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, $"{nameof(delay)} is {delay}; allowed: >= 00:00:00.");
        }

        ArgumentNullException.ThrowIfNull(action);
        Enqueue(new ActionWork(action), 0, NowTicks + delay.Ticks);
    }

    /// <summary>Runs <paramref name="action"/> once at <paramref name="at"/> (not before now).</summary>
    public void ScheduleAt(DateTimeOffset at, Action action)
    {
        if (at < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"{nameof(at)} is {at:O}; allowed: >= now ({Now:O}).");
        }

        Schedule(at - Now, action);
    }

    /// <summary>
    /// Runs every event due at or before <paramref name="until"/> in (time, sequence) order, including
    /// ones scheduled by the callbacks themselves, then leaves the clock at <paramref name="until"/>.
    /// An exception from a callback propagates; the clock stays at that event's time.
    /// </summary>
    /// <returns>The number of events run.</returns>
    public long RunUntil(DateTimeOffset until)
    {
        long untilTicks = (until - Start).Ticks;
        if (untilTicks < NowTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"{nameof(until)} is {until:O}; allowed: >= now ({Now:O}).");
        }

        long ran = 0;
        EnterRun();
        try
        {
            while (TryRunNext(untilTicks))
            {
                ran++;
            }

            Volatile.Write(ref _nowTicks, untilTicks);
        }
        finally
        {
            ExitRun();
        }

        return ran;
    }

    /// <summary>Same as <see cref="RunUntil"/> at now + <paramref name="duration"/> (≥ 0).</summary>
    public long RunFor(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"{nameof(duration)} is {duration}; allowed: >= 00:00:00.");
        }

        return RunUntil(Now + duration);
    }

    /// <summary>Advances to the next live event and runs it.</summary>
    /// <returns>False when nothing is pending (time does not move).</returns>
    public bool Step()
    {
        EnterRun();
        try
        {
            return TryRunNext(long.MaxValue);
        }
        finally
        {
            ExitRun();
        }
    }

    internal void Enqueue(SimWork work, long version, long dueTicks)
    {
        lock (_gate)
        {
            _queue.Enqueue((work, version), new SimEventKey(dueTicks, _sequence++));
            _live++;
        }
    }

    /// <summary>A timer dropped its armed entry; it stays in the heap and is skipped later.</summary>
    internal void Cancelled()
    {
        lock (_gate)
        {
            _live--;
        }
    }

    private bool TryRunNext(long untilTicks)
    {
        while (true)
        {
            SimWork work;
            long version;
            lock (_gate)
            {
                if (!_queue.TryPeek(out _, out SimEventKey key) || key.DueTicks > untilTicks)
                {
                    return false;
                }

                (work, version) = _queue.Dequeue();
                Volatile.Write(ref _nowTicks, key.DueTicks);
            }

            if (!work.TryClaim(version))
            {
                continue; // stale entry of a cancelled or re-armed timer
            }

            lock (_gate)
            {
                _live--;
                _executed++;
            }

            work.Execute();
            return true;
        }
    }

    private void EnterRun()
    {
        lock (_gate)
        {
            if (_running)
            {
                throw new InvalidOperationException("SimClock is already running; RunUntil/RunFor/Step cannot be called from a simulation callback.");
            }

            _running = true;
        }

        _previousContext = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_context);
    }

    private void ExitRun()
    {
        SynchronizationContext.SetSynchronizationContext(_previousContext);
        _previousContext = null;
        lock (_gate)
        {
            _running = false;
        }
    }
}
