namespace RingRift.P2P.Swim;

/// <summary>What a node believes about a member (SWIM §4.2 with Lifeguard). Numbers are append-only: they go on the wire.</summary>
public enum SwimMemberState : byte
{
    Alive = 0,
    Suspect = 1,
    Dead = 2,
    /// <summary>Left on purpose (graceful leave); never probed again until it rejoins with a higher incarnation.</summary>
    Left = 3,
}
