using RingRift.P2P.Models;

namespace RingRift.P2P.Election;

/// <summary>
/// What one node believes about leadership at one instant (built fresh against the clock).
/// </summary>
/// <param name="Role">Leader only while this node's lease is valid; Candidate during a campaign; else Follower.</param>
/// <param name="LeaderId">This node while it leads, else the announced leader while its announcement is valid, else null.</param>
/// <param name="LeaderAddress">The leader's address as announced (this node's SelfAddress when leading).</param>
/// <param name="Epoch">Epoch of <paramref name="LeaderId"/>'s leadership; 0 when there is no leader.</param>
/// <param name="LeaseValidUntil">Until when <paramref name="LeaderId"/> may act, as wall-clock time for display (the
/// election decides on the monotonic clock); null when there is no leader.</param>
/// <param name="KnownEpoch">Highest epoch this node has seen; its next campaign uses KnownEpoch + 1.</param>
public sealed record ElectionSnapshot(
    NodeRole Role,
    string? LeaderId,
    string? LeaderAddress,
    long Epoch,
    DateTimeOffset? LeaseValidUntil,
    long KnownEpoch);
