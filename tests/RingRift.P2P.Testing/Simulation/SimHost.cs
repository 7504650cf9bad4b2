using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>The simulated machine behind one endpoint: its transport, tallies and fault state.</summary>
internal sealed class SimHost(SwimEndpoint endpoint)
{
    internal SwimEndpoint Endpoint { get; } = endpoint;

    internal SimCounterSet Counters { get; } = new();

    internal Action<SwimEndpoint, byte[]>? OnPacket { get; set; }

    internal Func<SwimEndpoint, byte[], byte[]?>? OnRequest { get; set; }

    internal bool Crashed { get; set; }

    /// <summary>Bumped by every restart; timers of an older process life never fire again.</summary>
    internal int Life { get; set; }

    /// <summary>Virtual ticks until which the host processes nothing (≤ now: not stalled).</summary>
    internal long StalledUntilTicks { get; set; }

    /// <summary>Work that arrived during a stall, in arrival order, with the sender to blame if it is dropped.</summary>
    internal Queue<(SimWork Work, SimHost? Sender)> Held { get; } = new();
}
