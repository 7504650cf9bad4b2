using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Consensus;

/// <summary>The Bully election's messages over HTTP: /election, /election/lease, /coordinator.</summary>
public sealed class HttpElectionTransport(PeerTable peers, PeerClient client, Func<TimeSpan> timeout) : IElectionTransport
{
    public Task<LeaseResponse?> RequestLeaseAsync(string voterId, LeaseRequest request, CancellationToken ct) =>
        Send<LeaseRequest, LeaseResponse>(voterId, "election/lease", request, ct);

    public Task<ElectionProbeResponse?> ProbeAsync(string nodeId, ElectionProbe probe, CancellationToken ct) =>
        Send<ElectionProbe, ElectionProbeResponse>(nodeId, "election", probe, ct);

    public Task<AnnouncementAck?> AnnounceAsync(string nodeId, LeaderAnnouncement announcement, CancellationToken ct) =>
        Send<LeaderAnnouncement, AnnouncementAck>(nodeId, "coordinator", announcement, ct);

    private Task<TRes?> Send<TReq, TRes>(string nodeId, string path, TReq body, CancellationToken ct) where TRes : class =>
        peers.TryGet(nodeId, out var peer)
            ? client.PostAsync<TReq, TRes>(peer.Endpoint, path, body, timeout(), ct)
            : Task.FromResult<TRes?>(null);
}
