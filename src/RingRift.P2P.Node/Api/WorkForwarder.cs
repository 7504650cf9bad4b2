using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// Decides where a work call is served. On Bully the leader serves once it has taken the queue
/// over at its current epoch; on Raft the Raft leader serves. Any other node relays the request
/// unchanged to the leader (a node outside the Raft group first to a Raft member, so at most two
/// hops) and relays the answer back; with no leader known the answer is 503 NO_LEADER.
/// </summary>
public sealed class WorkForwarder(NodeOptions options, HybridCoordinator coordinator, RaftService raft, BullyElection election,
    QuorumWorkQueue queue, PeerTable peers, PeerClient client, ILogger<WorkForwarder> logger)
{
    private static readonly TimeSpan ForwardTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Null when this node should serve the request itself; otherwise the answer to send.</summary>
    public Task<IResult?> RouteAsync(HttpContext http) =>
        coordinator.Path == ConsensusPath.Raft ? RouteRaftAsync(http) : RouteBullyAsync(http);

    private async Task<IResult?> RouteBullyAsync(HttpContext http)
    {
        var snapshot = election.Snapshot;
        if (election.IsLeader)
        {
            if (queue.ActiveEpoch == snapshot.Epoch) return null;
            http.Response.Headers.RetryAfter = "1";
            return ErrorHandling.Result(503, "NOT_READY", $"this node leads (epoch {snapshot.Epoch}) but is still taking the work queue over; retry shortly");
        }
        if (Hops(http) > 0)
            return ErrorHandling.Result(503, "NOT_LEADER", $"this node is not the leader (request forwarded by {http.Request.Headers[PeerClient.ForwardedHeader]})");
        if (snapshot.LeaderId is not { } leaderId || leaderId == options.NodeId)
            return ErrorHandling.Result(503, "NO_LEADER", "no leader is elected right now; retry shortly");
        if (!peers.TryGet(leaderId, out var leader))
            return ErrorHandling.Result(503, "NO_LEADER", $"leader '{leaderId}' has no known address yet; retry shortly");
        return await ForwardAsync(http, leaderId, leader.Endpoint.BaseUri, leader.Endpoint.ToString());
    }

    private async Task<IResult?> RouteRaftAsync(HttpContext http)
    {
        if (raft.Node is { } node)
        {
            if (node.IsLeader) return null;
            if (Hops(http) >= 2)
                return ErrorHandling.Result(503, "NOT_LEADER", $"this node is not the Raft leader (request forwarded by {http.Request.Headers[PeerClient.ForwardedHeader]})");
            if (node.LeaderId is not { } leaderId || node.LeaderHttpAddress is not { } address)
            {
                http.Response.Headers.RetryAfter = "1";
                return ErrorHandling.Result(503, "NO_LEADER", node.LeaderId == options.NodeId
                    ? "this node was just elected Raft leader and cannot commit yet; retry shortly"
                    : "the Raft group has no leader right now; retry shortly");
            }
            return await ForwardAsync(http, leaderId, new Uri($"http://{address}/"), address);
        }
        if (Hops(http) >= 1)
            return ErrorHandling.Result(503, "NOT_LEADER", "this node is not in the Raft group");
        foreach (var memberId in raft.Membership.MemberIds)
        {
            if (memberId != options.NodeId && peers.TryGet(memberId, out var member) && coordinator.GetAlivePeers().Contains(memberId))
                return await ForwardAsync(http, memberId, member.Endpoint.BaseUri, member.Endpoint.ToString());
        }
        return ErrorHandling.Result(503, "NO_LEADER", "no Raft member is reachable from this node; retry shortly");
    }

    private static int Hops(HttpContext http) =>
        http.Request.Headers.TryGetValue(PeerClient.ForwardedHeader, out var from)
            ? from.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Length
            : 0;

    private async Task<IResult> ForwardAsync(HttpContext http, string targetId, Uri baseUri, string display)
    {
        var target = new Uri(baseUri, http.Request.Path.Value!.TrimStart('/') + http.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), target);
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            request.Content = new ByteArrayContent(buffer.ToArray());
            if (http.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        var via = http.Request.Headers.TryGetValue(PeerClient.ForwardedHeader, out var earlier) ? $"{earlier},{options.NodeId}" : options.NodeId;
        request.Headers.TryAddWithoutValidation(PeerClient.ForwardedHeader, via);
        client.Token.Apply(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        cts.CancelAfter(ForwardTimeout);
        try
        {
            using var response = await client.Http.SendAsync(request, cts.Token);
            var body = await response.Content.ReadAsByteArrayAsync(cts.Token);
            var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            return new RelayedResult((int)response.StatusCode, body, contentType);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !http.RequestAborted.IsCancellationRequested))
        {
            logger.ForwardFailed(http.Request.Method, http.Request.Path.Value ?? "", targetId, ex.Message);
            return ErrorHandling.Result(503, "LEADER_UNREACHABLE", $"'{targetId}' at {display} did not answer; retry shortly");
        }
    }

    private sealed class RelayedResult(int status, byte[] body, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = contentType;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }
}
