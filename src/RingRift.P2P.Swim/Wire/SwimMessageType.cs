namespace RingRift.P2P.Swim.Wire;

/// <summary>
/// The second byte of every SWIM message. The numbers go on the wire: only append to this list,
/// never renumber or reuse a value.
/// </summary>
public enum SwimMessageType : byte
{
    /// <summary>Direct probe (SWIM §3.1).</summary>
    Ping = 1,
    /// <summary>Ask a member to probe a target for us (SWIM §3.1 ping-req).</summary>
    IndirectPing = 2,
    /// <summary>Answer to a ping or a relayed indirect ping.</summary>
    Ack = 3,
    /// <summary>Indirect prober could not reach the target (Lifeguard: Local Health Aware Probe, feeds local health).</summary>
    Nack = 4,
    /// <summary>A member is suspected (SWIM §4.2).</summary>
    Suspect = 5,
    /// <summary>A member is alive at an incarnation (join and refutation, SWIM §4.2).</summary>
    Alive = 6,
    /// <summary>A member is confirmed failed (SWIM §4.2 confirm).</summary>
    Dead = 7,
    /// <summary>A member leaves on purpose.</summary>
    Leave = 8,
    /// <summary>Several messages in one UDP packet.</summary>
    Compound = 9,
    /// <summary>Full-state sync, initiator's side (TCP).</summary>
    PushPullRequest = 10,
    /// <summary>Full-state sync, responder's side (TCP).</summary>
    PushPullResponse = 11,
}
