using Microsoft.Extensions.Time.Testing;

namespace RingRift.P2P.Testing.Election;

/// <summary>
/// A node's clock that runs at <c>rate</c> times a shared <see cref="FakeTimeProvider"/> (1.05 = 5% fast),
/// starting equal to it: both its wall clock and its monotonic timestamps, as on a host whose oscillator
/// drifts. <see cref="StepWallClock"/> moves the wall clock alone, as NTP stepping it or <c>date -s</c> does.
/// Timers stay on the shared clock.
/// </summary>
public sealed class DriftingTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _real;
    private readonly DateTimeOffset _origin;
    private readonly long _originTimestamp;
    private TimeSpan _wallStep;

    public DriftingTimeProvider(FakeTimeProvider real, double rate = 1.0)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (!(rate > 0) || double.IsInfinity(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be a positive finite number.");
        _real = real;
        _origin = real.GetUtcNow();
        _originTimestamp = real.GetTimestamp();
        Rate = rate;
    }

    public double Rate { get; }

    /// <summary>Moves this node's wall clock by <paramref name="step"/> (either sign); its monotonic clock does not move.</summary>
    public void StepWallClock(TimeSpan step) => _wallStep += step;

    public override DateTimeOffset GetUtcNow() => _origin + (_real.GetUtcNow() - _origin) * Rate + _wallStep;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override long GetTimestamp() => _originTimestamp + (long)((_real.GetTimestamp() - _originTimestamp) * Rate);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => _real.CreateTimer(callback, state, dueTime, period);
}
