namespace RingRift.P2P.Swim;

/// <summary>
/// What this node believes about one member at one moment (SWIM §4.2): immutable; a change of
/// belief produces a new instance in <see cref="MemberTable"/>.
/// </summary>
/// <param name="NodeId">Cluster-unique node id.</param>
/// <param name="Address">Host or IP the member's SWIM transport listens on.</param>
/// <param name="Port">UDP/TCP port of the member's SWIM transport (1–65535).</param>
/// <param name="Incarnation">
/// The member's own counter; only the member raises it, to refute a suspicion or to rejoin
/// (SWIM §4.2). Higher incarnations override lower ones.
/// </param>
/// <param name="State">Alive, Suspect, Dead or Left.</param>
/// <param name="StateChangedAt">When this node last changed <paramref name="State"/> (from the table's <see cref="TimeProvider"/>).</param>
/// <param name="Meta">Opaque application metadata gossiped with Alive; empty when none. Compared by reference in record equality.</param>
public sealed record SwimMember(
    string NodeId,
    string Address,
    int Port,
    ulong Incarnation,
    SwimMemberState State,
    DateTimeOffset StateChangedAt,
    byte[] Meta);
