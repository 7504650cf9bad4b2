namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// An <see cref="ITimer"/> on a <see cref="SimClock"/>, with <see cref="System.Threading.Timer"/>
/// semantics: dueTime <see cref="Timeout.InfiniteTimeSpan"/> disarms, zero fires at the current
/// instant (never synchronously inside <see cref="Change"/>), period infinite or zero means one shot,
/// and each periodic tick is scheduled one period after the previous scheduled tick (no drift).
/// </summary>
/// <remarks>Re-arming and disposing bump a version; queue entries carrying an older version are skipped
/// when popped (lazy deletion), so Change and Dispose are O(log n) and O(1).</remarks>
internal sealed class SimTimer : SimWork, ITimer
{
    private readonly SimClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly Lock _gate = new();
    private long _version;
    private long _periodTicks; // 0 = one shot
    private bool _armed;
    private bool _disposed;

    internal SimTimer(SimClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
        _ = Change(dueTime, period);
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        ValidateTime(dueTime, nameof(dueTime));
        ValidateTime(period, nameof(period));
        lock (_gate)
        {
            if (_disposed)
            {
                return false; // System.Threading.Timer also reports false after Dispose
            }

            Disarm();
            _periodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true; // disarmed, kept for a later Change
            }

            Arm(_clock.NowTicks + dueTime.Ticks);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Disarm();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal override bool TryClaim(long version)
    {
        lock (_gate)
        {
            if (!_armed || version != _version)
            {
                return false; // cancelled or re-armed since this entry was queued
            }

            _armed = false;
            if (_periodTicks > 0)
            {
                Arm(_clock.NowTicks + _periodTicks); // next tick one period after this scheduled tick
            }

            return true;
        }
    }

    internal override void Execute() => _callback(_state);

    private void Arm(long dueTicks)
    {
        _version++;
        _armed = true;
        _clock.Enqueue(this, _version, dueTicks);
    }

    private void Disarm()
    {
        if (_armed)
        {
            _armed = false;
            _clock.Cancelled();
        }

        _version++;
    }

    private static void ValidateTime(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; allowed: >= 00:00:00 or Timeout.InfiniteTimeSpan.");
        }
    }
}
