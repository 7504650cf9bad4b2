using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Wire;

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
        if (body is not null) request.Content = JsonContent.Create(body, NodeJson.Contract<JsonObject>());
        request.Headers.TryAddWithoutValidation(PeerClient.ForwardedHeader, via);
        PeerAnswer answer;
        try
        {
            answer = await client.ExchangeAsync(request, ClusterWorkPolicy.ForwardTimeout, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            var path = pathAndQuery.Split('?')[0];
            logger.ForwardFailed(method.Method, "/" + path, route.TargetId!, e.Message);
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "LEADER_UNREACHABLE",
                $"'{route.TargetId}' at {route.BaseUri!.Authority} did not answer ({e.Message}); retry shortly", e)
            { RetryAfterSeconds = 1 };
        }
        JsonNode? json = null;
        try { json = answer.Body.Length > 0 ? JsonNode.Parse(answer.Body) : null; } catch (JsonException) { }
        if (answer.IsSuccess && json is not null) return json;
        var code = json?["code"]?.GetValueKind() == JsonValueKind.String ? json["code"]!.GetValue<string>() : $"HTTP_{answer.Status}";
        var message = json?["error"]?.GetValueKind() == JsonValueKind.String ? json["error"]!.GetValue<string>()
            : $"'{route.TargetId}' answered {answer.Status} to {method} /{pathAndQuery} without an error body";
        var status = answer.IsSuccess ? StatusCodes.Status502BadGateway : answer.Status;
        int? retryAfter = answer.RetryAfter is { } delta ? (int)Math.Ceiling(delta.TotalSeconds) : null;
        throw new ApiException(status, code, message) { RetryAfterSeconds = retryAfter };
    }
}
