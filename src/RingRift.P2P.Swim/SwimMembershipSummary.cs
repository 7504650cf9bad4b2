namespace RingRift.P2P.Swim;

/// <summary>How many peers (this node never included) a <see cref="SwimNode"/> sees in each state.</summary>
/// <param name="Alive">Peers believed alive.</param>
/// <param name="Suspected">Peers under suspicion (SWIM §4.2), still counted as members.</param>
/// <param name="Failed">Peers declared dead.</param>
/// <param name="Members">Every known peer: alive + suspected + failed + left.</param>
public sealed record SwimMembershipSummary(int Alive, int Suspected, int Failed, int Members);
