using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Json;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.PeerHttp;

namespace RingRift.P2P.Node.Cluster;

/// <summary>
/// Forwards one work call to the node a <see cref="WorkRoute"/> names, over its HTTP work routes with
/// the cluster token and the forwarding chain (<see cref="PeerClient.ForwardedHeader"/>). A 2xx answer
/// is returned as JSON; any other answer is thrown as the <see cref="ApiException"/> it carries (status,
/// code, message, Retry-After), so a forwarded call fails exactly as a served one does. No answer
/// within <see cref="ClusterWorkPolicy.ForwardTimeout"/> is 503 LEADER_UNREACHABLE.
/// </summary>
public sealed class LeaderCalls(PeerClient client, ILogger<LeaderCalls> logger)
{
    public async Task<JsonNode> SendAsync(WorkRoute route, HttpMethod method, string pathAndQuery, JsonObject? body, string via, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(route.BaseUri!, pathAndQuery));
        if (body is not null) request.Content = JsonContent.Create(body, options: P2PJson.Options);
        request.Headers.TryAddWithoutValidation(PeerClient.ForwardedHeader, via);
        client.Token.Apply(request);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(ClusterWorkPolicy.ForwardTimeout);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await client.Http.SendAsync(request, cts.Token);
            text = await response.Content.ReadAsStringAsync(cts.Token);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var path = pathAndQuery.Split('?')[0];
            logger.ForwardFailed(method.Method, "/" + path, route.TargetId!, e.Message);
            var why = e is HttpRequestException ? e.Message : $"no answer within {ClusterWorkPolicy.ForwardTimeout.TotalSeconds:0} s";
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "LEADER_UNREACHABLE",
                $"'{route.TargetId}' at {route.BaseUri!.Authority} did not answer ({why}); retry shortly", e)
            { RetryAfterSeconds = 1 };
        }
        using (response)
        {
            JsonNode? json = null;
            try { json = text.Length > 0 ? JsonNode.Parse(text) : null; } catch (JsonException) { }
            if (response.IsSuccessStatusCode && json is not null) return json;
            var status = (int)response.StatusCode;
            var code = json?["code"]?.GetValueKind() == JsonValueKind.String ? json["code"]!.GetValue<string>() : $"HTTP_{status}";
            var message = json?["error"]?.GetValueKind() == JsonValueKind.String ? json["error"]!.GetValue<string>()
                : $"'{route.TargetId}' answered {status} to {method} /{pathAndQuery} without an error body";
            if (response.IsSuccessStatusCode) status = StatusCodes.Status502BadGateway;
            int? retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)Math.Ceiling(delta.TotalSeconds) : null;
            throw new ApiException(status, code, message) { RetryAfterSeconds = retryAfter };
        }
    }
}
