using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>Conversions between <see cref="MemberTable"/>'s updates and the wire messages (one place).</summary>
public sealed partial class SwimNode
{
    private static Alive ToWire(AliveUpdate u) => new(u.Incarnation, u.NodeId, u.Address, checked((ushort)u.Port), u.Meta ?? []);

    private static Suspect ToWire(SuspectUpdate u) => new(u.Incarnation, u.NodeId, u.FromNodeId);

    private static Dead ToWire(DeadUpdate u) => new(u.Incarnation, u.NodeId, u.FromNodeId);

    private static Leave ToWire(LeaveUpdate u) => new(u.Incarnation, u.NodeId);

    private static AliveUpdate ToUpdate(Alive m) => new(m.NodeId, m.Incarnation, m.Address, m.Port, m.Meta.ToArray());

    private static SuspectUpdate ToUpdate(Suspect m) => new(m.NodeId, m.Incarnation, m.FromId);

    private static DeadUpdate ToUpdate(Dead m) => new(m.NodeId, m.Incarnation, m.FromId);

    private static LeaveUpdate ToUpdate(Leave m) => new(m.NodeId, m.Incarnation);

    private static PushPullEntry ToEntry(SwimMember m) => new(m.NodeId, m.Address, checked((ushort)m.Port), m.Incarnation, m.State, m.Meta);

    private static SwimEndpoint EndpointOf(SwimMember m) => new(m.Address, m.Port);
}
