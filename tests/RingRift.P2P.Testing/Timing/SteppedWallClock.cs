namespace RingRift.P2P.Testing.Timing;

/// <summary>
/// The system clock, except that its wall clock (<see cref="GetUtcNow"/>) can be stepped by
/// <see cref="Step"/> as NTP or an operator's <c>date -s</c> steps a host's; monotonic timestamps and
/// timers stay the system's. For a real node (Kestrel, real timers) whose wall clock jumps.
/// </summary>
public sealed class SteppedWallClock : TimeProvider
{
    private long _stepTicks;

    /// <summary>Moves the wall clock by <paramref name="step"/> (either sign), from now on.</summary>
    public void Step(TimeSpan step) => Interlocked.Add(ref _stepTicks, step.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _stepTicks));
}
