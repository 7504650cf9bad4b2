using System.Globalization;

namespace RingRift.P2P.Timing;

/// <summary>
/// A point on a <see cref="TimeProvider"/>'s monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), for
/// deadlines that bound safety or liveness: leases, announcements, back-offs, probe timeouts. A step of the
/// wall clock (NTP correcting an hour, an operator's <c>date -s</c>, a VM resumed from a snapshot) does not
/// move it; wall-clock time (<see cref="TimeProvider.GetUtcNow"/>) is for display and for what must survive a
/// restart. Only instants of the same provider in the same process compare meaningfully.
/// </summary>
/// <param name="SinceOrigin">Time since the clock's origin (boot, on Linux).</param>
public readonly record struct MonotonicInstant(TimeSpan SinceOrigin) : IComparable<MonotonicInstant>
{
    /// <summary>The provider's monotonic clock now.</summary>
    public static MonotonicInstant Now(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var timestamp = time.GetTimestamp();
        var frequency = time.TimestampFrequency;
        // Exact when the frequency is the tick rate (FakeTimeProvider); within a tick otherwise.
        var ticks = frequency == TimeSpan.TicksPerSecond
            ? timestamp
            : (long)(timestamp * ((double)TimeSpan.TicksPerSecond / frequency));
        return new MonotonicInstant(new TimeSpan(ticks));
    }

    public static MonotonicInstant operator +(MonotonicInstant at, TimeSpan span) => new(at.SinceOrigin + span);

    public static MonotonicInstant operator -(MonotonicInstant at, TimeSpan span) => new(at.SinceOrigin - span);

    public static TimeSpan operator -(MonotonicInstant a, MonotonicInstant b) => a.SinceOrigin - b.SinceOrigin;

    public static bool operator <(MonotonicInstant a, MonotonicInstant b) => a.SinceOrigin < b.SinceOrigin;

    public static bool operator >(MonotonicInstant a, MonotonicInstant b) => a.SinceOrigin > b.SinceOrigin;

    public static bool operator <=(MonotonicInstant a, MonotonicInstant b) => a.SinceOrigin <= b.SinceOrigin;

    public static bool operator >=(MonotonicInstant a, MonotonicInstant b) => a.SinceOrigin >= b.SinceOrigin;

    public int CompareTo(MonotonicInstant other) => SinceOrigin.CompareTo(other.SinceOrigin);

    /// <summary>
    /// The wall-clock time this instant corresponds to, read against both clocks now: for display (logs,
    /// <c>/status</c>, persisted files a human reads), never for a decision.
    /// </summary>
    public DateTimeOffset ToWallClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow() + (this - Now(time));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"mono+{SinceOrigin.TotalSeconds:0.000}s");
}
