using RingRift.P2P.Coordination;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.WorkQueue;

/// <summary>The leader's pushes and syncs to replicas over HTTP: /work/replicate, /work/replica/sync.</summary>
public sealed class HttpReplicaTransport(PeerTable peers, PeerClient client, TimeSpan timeout) : IReplicaTransport
{
    public Task<ReplicateAck?> ReplicateAsync(string nodeId, ReplicateRequest request, CancellationToken ct) =>
        peers.TryGet(nodeId, out var peer)
            ? client.PostAsync<ReplicateRequest, ReplicateAck>(peer.Endpoint, "work/replicate", request, timeout, ct)
            : Task.FromResult<ReplicateAck?>(null);

    public Task<ReplicaSyncResponse?> SyncAsync(string nodeId, ReplicaSyncRequest request, CancellationToken ct) =>
        peers.TryGet(nodeId, out var peer)
            ? client.PostAsync<ReplicaSyncRequest, ReplicaSyncResponse>(peer.Endpoint, "work/replica/sync", request, timeout * 4, ct)
            : Task.FromResult<ReplicaSyncResponse?>(null);
}
