using Microsoft.Extensions.Time.Testing;

namespace RingRift.P2P.Testing.Election;

/// <summary>
/// A node's clock that runs at <c>rate</c> times a shared <see cref="FakeTimeProvider"/> (1.05 = 5% fast),
/// starting equal to it. Timers and timestamps stay on the shared clock.
/// </summary>
public sealed class DriftingTimeProvider : TimeProvider
{
    private readonly FakeTimeProvider _real;
    private readonly DateTimeOffset _origin;

    public DriftingTimeProvider(FakeTimeProvider real, double rate)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (!(rate > 0) || double.IsInfinity(rate))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "rate must be a positive finite number.");
        _real = real;
        _origin = real.GetUtcNow();
        Rate = rate;
    }

    public double Rate { get; }

    public override DateTimeOffset GetUtcNow() => _origin + (_real.GetUtcNow() - _origin) * Rate;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override long GetTimestamp() => _real.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => _real.CreateTimer(callback, state, dueTime, period);
}
