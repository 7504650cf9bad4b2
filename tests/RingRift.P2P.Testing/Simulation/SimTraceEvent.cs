using RingRift.P2P.Swim;

namespace RingRift.P2P.Testing.Simulation;

/// <summary>What happened to one message in the simulated network.</summary>
public enum SimTraceKind
{
    /// <summary>A datagram reached the receiver's packet handler.</summary>
    PacketDelivered = 0,

    /// <summary>A datagram was dropped by the link's loss draw.</summary>
    PacketLost = 1,

    /// <summary>A datagram was dropped by a partition or one-way block.</summary>
    PacketPartitioned = 2,

    /// <summary>A datagram was dropped because an end was crashed or unknown.</summary>
    PacketCrashed = 3,

    /// <summary>A message reached a stalled receiver and waits for the stall to end.</summary>
    Held = 4,

    /// <summary>A request reached the receiver's request handler.</summary>
    RequestDelivered = 5,

    /// <summary>A response (or a close without one) reached the requester.</summary>
    ResponseDelivered = 6,

    /// <summary>A request or response was dropped (partition, block or crash); the requester times out.</summary>
    StreamDropped = 7,

    /// <summary>A request completed with null because its timeout elapsed.</summary>
    RequestTimedOut = 8,
}

/// <summary>One line of the delivery trace (see <see cref="SimNetwork.Traced"/>): virtual time since the
/// clock's start, what happened, the two ends, and the payload size.</summary>
public readonly record struct SimTraceEvent(TimeSpan At, SimTraceKind Kind, SwimEndpoint From, SwimEndpoint To, int Bytes)
{
    public override string ToString() => $"{At.Ticks} {Kind} {From} -> {To} {Bytes}";
}
