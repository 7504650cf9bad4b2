namespace RingRift.P2P.Bench;

/// <summary>The node readings at the end of one minute (null for a node that was down), and which node led then (its index; null: none agreed).</summary>
public sealed record MinuteReadings(int Minute, IReadOnlyList<NodeReading?> Nodes, int? Leader = null);
