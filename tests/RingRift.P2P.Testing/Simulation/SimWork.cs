namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// One unit of work the <see cref="SimClock"/> can run: an action, a packet arriving, a timer tick.
/// A subclass per kind avoids a closure allocation per network event.
/// </summary>
internal abstract class SimWork
{
    /// <summary>
    /// Claims the queue entry stored with <paramref name="version"/>. Work that can be cancelled
    /// (timers) compares it with its current version and refuses stale entries.
    /// </summary>
    /// <returns>False when the entry was stale: it is skipped and <see cref="Execute"/> is not called.</returns>
    internal virtual bool TryClaim(long version) => true;

    /// <summary>Does the work, on the thread running the clock, at the entry's due time.</summary>
    internal abstract void Execute();
}

/// <summary>A plain action scheduled with <see cref="SimClock.Schedule"/>.</summary>
internal sealed class ActionWork(Action action) : SimWork
{
    internal override void Execute() => action();
}
