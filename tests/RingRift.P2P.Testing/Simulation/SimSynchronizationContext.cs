namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// The <see cref="SynchronizationContext"/> installed while a <see cref="SimClock"/> runs: posted work
/// (e.g. an <c>await</c> continuation) becomes a clock event at the current instant, after everything
/// already due now, so async simulated code stays on the simulation thread in a replayable order.
/// </summary>
internal sealed class SimSynchronizationContext(SimClock clock) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        clock.Schedule(TimeSpan.Zero, () => d(state));
    }

    /// <summary>Runs inline: the simulation has one thread.</summary>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
