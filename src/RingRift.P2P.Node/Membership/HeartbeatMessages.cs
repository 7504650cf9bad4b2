using RingRift.P2P.Models;

namespace RingRift.P2P.Node.Membership;

/// <summary>A peer as passed along in heartbeats, so a node joining through one seed learns everyone.</summary>
public sealed record KnownPeer(string NodeId, string Host, int Port);

/// <summary>
/// POST /heartbeat body: the sender's summary and the peers it knows. <paramref name="Leaving"/> is
/// true in the last heartbeat of a node that is shutting down: receivers count it dead at once.
/// </summary>
public sealed record HeartbeatRequest(NodeSummary Sender, IReadOnlyList<KnownPeer> KnownPeers, bool Leaving = false);

/// <summary>POST /heartbeat reply: the receiver's summary and the peers it knows; <paramref name="Leaving"/> while it shuts down.</summary>
public sealed record HeartbeatResponse(NodeSummary Node, IReadOnlyList<KnownPeer> KnownPeers, bool Leaving = false);
