using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Api;

/// <summary>
/// Decides where a work call is served. The leader serves it once it has taken the queue over at
/// its current epoch; any other node relays the request to the leader unchanged (one hop only) and
/// relays the answer back; with no leader known the answer is 503 NO_LEADER.
/// </summary>
public sealed class WorkForwarder(NodeOptions options, BullyElection election, QuorumWorkQueue queue, PeerTable peers, PeerClient client, ILogger<WorkForwarder> logger)
{
    private static readonly TimeSpan ForwardTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Null when this node should serve the request itself; otherwise the answer to send.</summary>
    public async Task<IResult?> RouteAsync(HttpContext http)
    {
        var snapshot = election.Snapshot;
        if (election.IsLeader)
        {
            if (queue.ActiveEpoch == snapshot.Epoch) return null;
            http.Response.Headers.RetryAfter = "1";
            return ErrorHandling.Result(503, "NOT_READY", $"this node leads (epoch {snapshot.Epoch}) but is still taking the work queue over; retry shortly");
        }
        if (http.Request.Headers.TryGetValue(PeerClient.ForwardedHeader, out var from))
            return ErrorHandling.Result(503, "NOT_LEADER", $"this node is not the leader (request forwarded by {from})");
        if (snapshot.LeaderId is not { } leaderId || leaderId == options.NodeId)
            return ErrorHandling.Result(503, "NO_LEADER", "no leader is elected right now; retry shortly");
        if (!peers.TryGet(leaderId, out var leader))
            return ErrorHandling.Result(503, "NO_LEADER", $"leader '{leaderId}' has no known address yet; retry shortly");
        return await ForwardAsync(http, leaderId, leader.Endpoint);
    }

    private async Task<IResult> ForwardAsync(HttpContext http, string leaderId, PeerEndpoint leader)
    {
        var target = new Uri(leader.BaseUri, http.Request.Path.Value!.TrimStart('/') + http.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), target);
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            request.Content = new ByteArrayContent(buffer.ToArray());
            if (http.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        request.Headers.TryAddWithoutValidation(PeerClient.ForwardedHeader, options.NodeId);
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
            logger.ForwardFailed(http.Request.Method, http.Request.Path.Value ?? "", leaderId, ex.Message);
            return ErrorHandling.Result(503, "LEADER_UNREACHABLE", $"leader '{leaderId}' at {leader} did not answer; retry shortly");
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
