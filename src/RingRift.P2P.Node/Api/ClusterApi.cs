using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Wire;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// Node-to-node routes: POST /heartbeat, the Bully election (POST /election, /election/lease,
/// /coordinator) and queue replication (POST /work/replicate, /work/replica/sync). A lease request,
/// announcement, push or sync from an id that is not a known voter is refused 403 UNKNOWN_LEADER, and
/// one with an epoch out of range 400, by <see cref="VoterAdmission"/>: fence and election untouched.
/// </summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/heartbeat", async (HttpContext http, HeartbeatService heartbeats) =>
        {
            var request = await JsonBody.ReadAsync<HeartbeatRequest>(http.Request, http.RequestAborted);
            var remote = http.Connection.RemoteIpAddress;
            var remoteHost = remote is null ? null : (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString();
            return NodeJson.Result(heartbeats.Receive(request, remoteHost));
        });

        var election = app.MapGroup("/election");
        election.MapPost("", async (HttpContext http, BullyElection bully) =>
        {
            var probe = await JsonBody.ReadAsync<ElectionProbe>(http.Request, http.RequestAborted);
            return NodeJson.Result(bully.HandleProbe(probe));
        });
        election.MapPost("/lease", async (HttpContext http, BullyElection bully) =>
        {
            var request = await JsonBody.ReadAsync<LeaseRequest>(http.Request, http.RequestAborted);
            return NodeJson.Result(bully.HandleLeaseRequest(request));
        });
        app.MapPost("/coordinator", async (HttpContext http, BullyElection bully) =>
        {
            var announcement = await JsonBody.ReadAsync<LeaderAnnouncement>(http.Request, http.RequestAborted);
            return NodeJson.Result(bully.HandleAnnouncement(announcement));
        });

        app.MapPost("/work/replicate", async (HttpContext http, WorkReplica replica) =>
        {
            var request = await JsonBody.ReadAsync<ReplicateRequest>(http.Request, http.RequestAborted);
            return NodeJson.Result(await replica.HandleReplicateAsync(request, http.RequestAborted));
        });
        app.MapPost("/work/replica/sync", async (HttpContext http, WorkReplica replica) =>
        {
            var request = await JsonBody.ReadAsync<ReplicaSyncRequest>(http.Request, http.RequestAborted);
            return NodeJson.Result(await replica.HandleSyncAsync(request, http.RequestAborted));
        });
        return app;
    }
}
