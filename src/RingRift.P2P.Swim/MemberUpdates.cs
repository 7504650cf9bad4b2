namespace RingRift.P2P.Swim;

/// <summary>"<paramref name="NodeId"/> is alive at <paramref name="Incarnation"/>, reachable at Address:Port" (SWIM §4.2 Alive).</summary>
/// <param name="Meta">Opaque application metadata; null is treated as empty.</param>
public sealed record AliveUpdate(string NodeId, ulong Incarnation, string Address, int Port, byte[]? Meta = null);

/// <summary>"<paramref name="FromNodeId"/> suspects <paramref name="NodeId"/> at <paramref name="Incarnation"/>" (SWIM §4.2 Suspect).</summary>
/// <param name="FromNodeId">Who raised the suspicion; distinct senders are Lifeguard's independent confirmations (Lifeguard, local-health-aware suspicion).</param>
public sealed record SuspectUpdate(string NodeId, ulong Incarnation, string FromNodeId);

/// <summary>"<paramref name="FromNodeId"/> declares <paramref name="NodeId"/> dead at <paramref name="Incarnation"/>" (SWIM §4.2 Confirm).</summary>
public sealed record DeadUpdate(string NodeId, ulong Incarnation, string FromNodeId);

/// <summary>"<paramref name="NodeId"/> leaves the cluster on purpose at <paramref name="Incarnation"/>" (graceful leave).</summary>
public sealed record LeaveUpdate(string NodeId, ulong Incarnation);
