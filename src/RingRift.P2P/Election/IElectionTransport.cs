namespace RingRift.P2P.Election;

/// <summary>
/// How the Bully election reaches other nodes. The HTTP binding lives in the node host; tests use an
/// in-memory one. Each call returns null when the node could not be reached in time (never throws
/// for network failures).
/// </summary>
public interface IElectionTransport
{
    Task<LeaseResponse?> RequestLeaseAsync(string voterId, LeaseRequest request, CancellationToken ct);
    Task<ElectionProbeResponse?> ProbeAsync(string nodeId, ElectionProbe probe, CancellationToken ct);
    Task<AnnouncementAck?> AnnounceAsync(string nodeId, LeaderAnnouncement announcement, CancellationToken ct);
}
