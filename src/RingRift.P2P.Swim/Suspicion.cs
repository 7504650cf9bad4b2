namespace RingRift.P2P.Swim;

/// <summary>
/// The Lifeguard §IV-B dynamic suspicion timer for one suspected member. It starts at
/// <see cref="Max"/> and each independent confirmation (another member also suspects the same node at
/// the same incarnation) shortens it along
/// <c>max(min, max − (max − min) · log(c + 1) / log(k + 1))</c> (see <see cref="SwimMath.SuspicionTimeout"/>);
/// after k confirmations it runs at <see cref="Min"/>. When it expires, <c>onTimeout</c> runs once
/// and the owner declares the member dead; a refutation calls <see cref="Cancel"/>.
/// </summary>
/// <remarks>
/// <para>Time comes from the injected <see cref="TimeProvider"/> (timer via
/// <see cref="TimeProvider.CreateTimer"/>, elapsed time via timestamps), so tests and the simulator
/// drive it with virtual time.</para>
/// <para>Thread-safe. <c>onTimeout</c> runs at most once, never when <see cref="Cancel"/> returned true,
/// and outside the internal lock: normally on the timer's thread, or on the thread that called
/// <see cref="Confirm"/> when a confirmation finds the new timeout already elapsed. Keep it short
/// (post a command to the protocol loop).</para>
/// </remarks>
public sealed class Suspicion : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action _onTimeout;
    private readonly long _startTimestamp;
    private readonly HashSet<string> _confirmedBy = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private TimeSpan _timeout;
    private bool _finished; // fired or cancelled

    /// <summary>Starts the timer at <paramref name="max"/> (or <paramref name="min"/> when k = 0).</summary>
    /// <param name="suspectedBy">Node that raised the suspicion; its own later confirmations do not count.</param>
    /// <param name="expectedConfirmations">k, ≥ 0: confirmations that bring the timeout down to min
    /// (see <see cref="SwimMath.ExpectedConfirmations"/>).</param>
    /// <param name="min">Timeout after k confirmations, &gt; 0.</param>
    /// <param name="max">Timeout with no confirmations, ≥ min.</param>
    /// <param name="time">Clock and timer source.</param>
    /// <param name="onTimeout">Runs once when the suspicion expires.</param>
    public Suspicion(string suspectedBy, int expectedConfirmations, TimeSpan min, TimeSpan max, TimeProvider time, Action onTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(suspectedBy);
        if (expectedConfirmations < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedConfirmations), expectedConfirmations, $"{nameof(expectedConfirmations)} is {expectedConfirmations}; allowed: >= 0.");
        }

        if (min <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(min), min, $"{nameof(min)} is {min}; allowed: > 00:00:00.");
        }

        if (max < min)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"{nameof(max)} is {max}; allowed: >= {nameof(min)} ({min}).");
        }

        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onTimeout);

        SuspectedBy = suspectedBy;
        ExpectedConfirmations = expectedConfirmations;
        Min = min;
        Max = max;
        _time = time;
        _onTimeout = onTimeout;
        _timeout = SwimMath.SuspicionTimeout(0, expectedConfirmations, min, max);
        _startTimestamp = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((Suspicion)state!).OnTimerFired(), this, _timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How far past its current timeout the suspicion is now (negative while it is still running).
    /// A timer callback that runs with a large overdue ran late: the process was stalled.</summary>
    public TimeSpan Overdue
    {
        get
        {
            lock (_gate)
            {
                return _time.GetElapsedTime(_startTimestamp) - _timeout;
            }
        }
    }

    /// <summary>Node that raised the suspicion.</summary>
    public string SuspectedBy { get; }

    /// <summary>k: confirmations after which the timeout is <see cref="Min"/>.</summary>
    public int ExpectedConfirmations { get; }

    /// <summary>Shortest timeout (after k confirmations).</summary>
    public TimeSpan Min { get; }

    /// <summary>Longest timeout (no confirmations).</summary>
    public TimeSpan Max { get; }

    /// <summary>Independent confirmations counted so far (0..k).</summary>
    public int Confirmations
    {
        get
        {
            lock (_gate)
            {
                return _confirmedBy.Count;
            }
        }
    }

    /// <summary>The current total timeout measured from the start (shrinks with confirmations).</summary>
    public TimeSpan CurrentTimeout
    {
        get
        {
            lock (_gate)
            {
                return _timeout;
            }
        }
    }

    /// <summary>True once the timer fired or was cancelled; no further confirmation counts.</summary>
    public bool IsFinished
    {
        get
        {
            lock (_gate)
            {
                return _finished;
            }
        }
    }

    /// <summary>
    /// Records that <paramref name="fromNode"/> independently suspects the same member and re-arms the
    /// timer to the shorter remaining time (firing at once if that has already passed).
    /// </summary>
    /// <returns>
    /// True when the confirmation was counted, i.e. the deadline moved to
    /// <see cref="SwimMath.SuspicionTimeout"/> for one more confirmation (strictly earlier whenever
    /// min &lt; max); the caller then re-gossips the suspicion. False, changing nothing, when the node
    /// is the original accuser, already confirmed, k confirmations are already in, or the suspicion
    /// has fired or been cancelled.
    /// </returns>
    public bool Confirm(string fromNode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromNode);

        bool fireNow;
        lock (_gate)
        {
            if (_finished)
            {
                return false; // already expired or refuted
            }

            if (_confirmedBy.Count >= ExpectedConfirmations)
            {
                return false; // beyond k: the timer is already at min
            }

            if (string.Equals(fromNode, SuspectedBy, StringComparison.Ordinal))
            {
                return false; // the accuser repeating itself is not independent
            }

            if (!_confirmedBy.Add(fromNode))
            {
                return false; // same node twice counts once
            }

            _timeout = SwimMath.SuspicionTimeout(_confirmedBy.Count, ExpectedConfirmations, Min, Max);
            TimeSpan remaining = _timeout - _time.GetElapsedTime(_startTimestamp);
            fireNow = remaining <= TimeSpan.Zero;
            if (fireNow)
            {
                _finished = true;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _timer.Change(remaining, Timeout.InfiniteTimeSpan);
            }
        }

        if (fireNow)
        {
            _onTimeout();
        }

        return true;
    }

    /// <summary>Stops the suspicion (the member refuted it, left, or was declared dead by other means).
    /// Idempotent.</summary>
    /// <returns>True when the suspicion was still pending, so <c>onTimeout</c> will never run; false when
    /// it had already expired (<c>onTimeout</c> ran or is running) or was cancelled before.</returns>
    public bool Cancel()
    {
        bool wasPending;
        lock (_gate)
        {
            wasPending = !_finished;
            _finished = true;
        }

        _timer.Dispose();
        return wasPending;
    }

    /// <summary>Same as <see cref="Cancel"/>.</summary>
    public void Dispose() => _ = Cancel();

    private void OnTimerFired()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return; // cancelled, or fired already
            }

            TimeSpan remaining = _timeout - _time.GetElapsedTime(_startTimestamp);
            if (remaining > TimeSpan.Zero)
            {
                // A callback from before a re-arm, or a timer a hair early: wait for the rest.
                _timer.Change(remaining, Timeout.InfiniteTimeSpan);
                return;
            }

            _finished = true;
        }

        _onTimeout();
    }
}
